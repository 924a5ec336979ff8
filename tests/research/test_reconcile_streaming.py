"""OpenAlex works / authorships as JSON lines and Parquet, read streaming (a line or a batch at a time)."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.research.publications import PublicationFormatError, iter_observations, read_observations

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"
ORCID = "0000-0002-1825-0097"


def _works() -> list[dict[str, object]]:
    data = json.loads((FIXTURES / "openalex-works.json").read_text(encoding="utf-8"))
    return list(data["results"])


def _filler(n: int) -> dict[str, object]:
    """A work by someone else: what most of a snapshot part is."""
    return {"id": f"https://openalex.org/W9{n:08d}", "publication_date": "2022-01-01", "title": "x" * 200,
            "authorships": [{"author": {"orcid": f"https://orcid.org/0000-0001-0000-{n % 10000:04d}"},
                             "raw_affiliation_strings": ["Some University, Somewhere"], "institutions": []}]}


def test_json_lines_equal_the_json_response(tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for k, work in enumerate(_works()):
            handle.write(json.dumps(_filler(k)) + "\n\n" + json.dumps(work) + "\n")
    expected = read_observations(FIXTURES / "openalex-works.json", ORCID)
    assert list(iter_observations(path, ORCID)) == expected


def test_parquet_works_and_authorship_rows(tmp_path: Path) -> None:
    works = tmp_path / "works.parquet"
    rows = [*_works(), *(_filler(k) for k in range(50))]
    # Parquet needs one schema: keep the fields both kinds of rows have.
    slim = [{"id": w["id"], "publication_date": w["publication_date"], "title": w.get("title", ""),
             "authorships": [{"author": {"orcid": a["author"].get("orcid")},  # type: ignore[index]
                              "raw_affiliation_strings": a.get("raw_affiliation_strings", [])}  # type: ignore[union-attr]
                             for a in w["authorships"]]}  # type: ignore[union-attr]
            for w in rows]
    pq.write_table(pa.Table.from_pylist(slim), works, row_group_size=16)
    observed = list(iter_observations(works, ORCID))
    assert [o.raw for o in observed] == [o.raw for o in read_observations(FIXTURES / "openalex-works.json", ORCID)]

    authorships = tmp_path / "authorships.parquet"
    pq.write_table(pa.Table.from_pylist([
        {"work_id": "W1", "author_orcid": f"https://orcid.org/{ORCID}", "publication_date": "2024-05-01",
         "raw_affiliation_string": "College of Automation, Nanjing University of Aeronautics and Astronautics",
         "institution_ror": None},
        {"work_id": "W2", "author_orcid": "https://orcid.org/0000-0001-0000-0001", "publication_date": "2024-05-01",
         "raw_affiliation_string": "Elsewhere", "institution_ror": None},
    ]), authorships)
    rows_seen = list(iter_observations(authorships, ORCID))
    assert [(o.work_id, o.date) for o in rows_seen] == [("W1", "2024-05-01")]


def test_streaming_memory_is_bounded(tmp_path: Path) -> None:
    # 20,000 works (~8 MB of JSON lines): reading must not hold the file, only the person's observations.
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for k in range(20_000):
            handle.write(json.dumps(_filler(k)) + "\n")
        for work in _works():
            handle.write(json.dumps(work) + "\n")
    tracemalloc.start()
    count = sum(1 for _ in iter_observations(path, ORCID))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 3
    assert peak < path.stat().st_size / 4, (peak, path.stat().st_size)


def test_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    path.write_text(json.dumps(_filler(1)) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(PublicationFormatError, match="line 2"):
        list(iter_observations(path, ORCID))
    path.write_text('{"something": 1}\n', encoding="utf-8")
    with pytest.raises(PublicationFormatError, match=r"line 1.*authorships"):
        list(iter_observations(path, ORCID))
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(PublicationFormatError, match="Parquet"):
        list(iter_observations(broken, ORCID))


def test_cli_reconcile_reads_json_lines(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in _works()), encoding="utf-8")
    out = tmp_path / "flags.json"
    result = CliRunner().invoke(app, [
        "research", "reconcile", "--disclosure", str(FIXTURES / "disclosure.json"), "--orcid", ORCID,
        "--works", str(path), "--registry", str(FIXTURES / "ror-v2-sample.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 observed affiliations" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))
