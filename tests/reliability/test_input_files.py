"""Input files that would lose data silently are refused with file and line: CSV with an unterminated quote or
an unquoted separator (screen, research resolve), XML lists using entity references, stored snapshots edited
on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techguard.csvstrict import CsvFormatError, read_records
from techguard.lists.errors import ListFormatError
from techguard.lists.store import SnapshotStore, SnapshotTampered

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def test_unterminated_quote_names_the_line_it_opened_on():
    text = 'id,name\n1,Acme\n2,"Beta Corp\n3,Gamma\n4,Delta\n'
    with pytest.raises(CsvFormatError, match=r"in\.csv: line 3: a quoted field opened here is never closed"):
        list(read_records(text, "in.csv"))


def test_extra_fields_are_refused_fewer_are_empty():
    with pytest.raises(CsvFormatError, match=r"line 3: 3 fields but the header has 2; .* quoted"):
        list(read_records("id,affiliation\nA1,Tokyo\nA2,Dept of Physics, Kyoto University\n", "a.csv"))
    rows = list(read_records('id,affiliation,\nA1,"Dept, Kyoto",\nA2\n\nA3,x,,\n', "a.csv"))
    assert rows == [(2, {"id": "A1", "affiliation": "Dept, Kyoto"}), (3, {"id": "A2", "affiliation": ""}),
                    (5, {"id": "A3", "affiliation": "x"})]


def test_multiline_quoted_field_is_kept():
    rows = list(read_records('id,name\n1,"Line one\nline two"\n2,Next\n', "m.csv"))
    assert rows == [(2, {"id": "1", "name": "Line one\nline two"}), (4, {"id": "2", "name": "Next"})]


def test_screen_cli_refuses_unterminated_quote(tmp_path, data_dir):
    from techguard.cli import app

    source = tmp_path / "names.csv"
    source.write_text('id,name\n1,"Acme\n2,Beta\n', encoding="utf-8")
    watch = tmp_path / "watch.csv"
    watch.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(source), "--list", str(watch), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code != 0 and "line 2" in result.output and "never closed" in result.output
    assert not (tmp_path / "out.jsonl").exists() or (tmp_path / "out.jsonl").read_text() == ""


def test_research_resolve_refuses_unquoted_comma(tmp_path, data_dir):
    from techguard.cli import app

    source = tmp_path / "aff.csv"
    source.write_text("id,affiliation\nA1,Dept of Physics, Kyoto University\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["research", "resolve", str(source), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2 and "line 2: 3 fields" in result.output


def test_xml_entity_reference_is_refused(tmp_path):
    from techguard.lists.formats.un import parse_un_xml

    body = (FIXTURES / "other" / "un_small.xml").read_text(encoding="utf-8")
    body = body.replace('standalone="yes"?>', '?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY co "Company">]>', 1)
    body = body.replace("<FIRST_NAME>ALPHA</FIRST_NAME>", "<FIRST_NAME>ALPHA &co; X</FIRST_NAME>", 1)
    path = tmp_path / "un.xml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"FIRST_NAME> uses the entity reference &co;") as error:
        parse_un_xml([path])
    assert error.value.line is not None


@pytest.fixture()
def store(tmp_path):
    store = SnapshotStore(tmp_path / "lists")
    source = tmp_path / "watch.csv"
    source.write_text("id,name,kind,countries\n1,Example Dual Use Institute,organisation,CN\n", encoding="utf-8")
    store.import_files([source], "simple_csv")
    return store


def _snapshot_dir(store: SnapshotStore) -> Path:
    [info] = store.active()
    return store.snapshots_dir / info.source / info.snapshot_id


def test_intact_snapshot_loads(store):
    assert [p.name for p in store.load_parties()] == ["Example Dual Use Institute"]


def test_edited_parties_file_is_refused(store):
    import gzip

    parties = _snapshot_dir(store) / "parties.jsonl.gz"
    text = gzip.decompress(parties.read_bytes()).decode("utf-8")
    parties.write_bytes(gzip.compress(text.replace("Example Dual Use", "Harmless").encode("utf-8")))
    with pytest.raises(SnapshotTampered, match=r"parties\.jsonl\.gz changed on disk"):
        store.load_parties()


def test_edited_raw_file_is_refused(store):
    raw = next((_snapshot_dir(store) / "raw").iterdir())
    raw.write_text(raw.read_text(encoding="utf-8") + "2,Other,organisation,CN\n", encoding="utf-8")
    with pytest.raises(SnapshotTampered, match=r"raw/watch\.csv changed on disk"):
        store.load_parties()
    meta = json.loads((_snapshot_dir(store) / "meta.json").read_text(encoding="utf-8"))
    assert meta["entries"] == 1  # nothing stored was rewritten
