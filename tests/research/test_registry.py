from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.research.index import build_index, load_or_build_index
from techguard.research.normalise import fold
from techguard.research.registry import NameKind, normalise_ror_id
from techguard.research.ror import load_registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"


def test_v2_dump_fields() -> None:
    registry = load_registry(FIXTURES / "ror-v2-sample.json")
    tokyo = registry.get("057zh3y96")
    assert tokyo is not None
    assert tokyo.name == "The University of Tokyo"
    assert tokyo.country == "JP" and tokyo.city == "Tokyo"
    kinds = {(n.value, n.kind, n.lang) for n in tokyo.names}
    assert ("東京大学", NameKind.LABEL, "ja") in kinds
    assert ("UTokyo", NameKind.ALIAS, None) in kinds
    assert tokyo.acronyms == ("UT",)
    assert tokyo.children == ("https://ror.org/008td3p62",)
    assert registry.ancestors("https://ror.org/008td3p62") == ["https://ror.org/057zh3y96"]
    assert len(registry.sha256) == 64


def test_simplified_jsonl_and_zip_dump(tmp_path: Path) -> None:
    simple = load_registry(FIXTURES / "ror-simplified-sample.jsonl")
    nanjing = simple.get("https://ror.org/01rxvg760")
    assert nanjing is not None and "Nanking University" in [n.value for n in nanjing.names]
    archive = tmp_path / "v1.50-2024-07-29-ror-data.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(FIXTURES / "ror-v2-sample.json", "v1.50-2024-07-29-ror-data_schema_v2.json")
    assert len(load_registry(archive)) == 11


def test_withdrawn_records_are_not_indexed() -> None:
    index = build_index(load_registry(FIXTURES / "ror-v2-sample.json"))
    assert fold("Harbin Institute of Technology Duplicate") not in index.names
    assert len(index.institutions) == 10


def test_v1_record_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps([{"id": "https://ror.org/x", "name": "Old", "labels": []}]))
    with pytest.raises(ListFormatError, match="v1"):
        load_registry(path)


def test_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ror_id": "https://ror.org/1", "name": "A"}\n{not json\n')
    with pytest.raises(ListFormatError, match=r"bad.jsonl, line 2"):
        load_registry(path)
    path.write_text('{"ror_id": "https://ror.org/1", "name": "A", "aliases": "x"}\n')
    with pytest.raises(ListFormatError, match="aliases"):
        load_registry(path)


def test_index_cache_is_keyed_by_sha256(tmp_path: Path) -> None:
    registry = load_registry(FIXTURES / "ror-v2-sample.json")
    first = load_or_build_index(registry, tmp_path)
    cached = list(tmp_path.glob("*.pickle"))
    assert len(cached) == 1 and registry.sha256[:24] in cached[0].name
    second = load_or_build_index(registry, tmp_path)
    assert second.names.keys() == first.names.keys()


def test_ror_id_forms() -> None:
    assert normalise_ror_id("057zh3y96") == normalise_ror_id("https://ror.org/057zh3y96/") == \
        "https://ror.org/057zh3y96"
