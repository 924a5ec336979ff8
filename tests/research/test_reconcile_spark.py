"""``research reconcile --engine spark`` in Spark local mode: exactly the streaming path's flags, same order."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from techguard.cli import app
from techguard.research.disclosures import load_disclosure
from techguard.research.index import build_index
from techguard.research.publications import PublicationFormatError, iter_observations
from techguard.research.reconcile import reconcile
from techguard.research.resolver import Resolver
from techguard.research.ror import load_registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "research"
ORCID = "0000-0002-1825-0097"
pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from techguard.spark import spark_session

    session = spark_session("local[2]", "techguard-tests")
    yield session
    session.stop()


def _filler(n: int) -> dict[str, object]:
    """A work by someone else: what most of a snapshot part is."""
    return {"id": f"https://openalex.org/W9{n:08d}", "publication_date": "2022-01-01", "title": "x",
            "authorships": [{"author": {"orcid": f"https://orcid.org/0000-0001-0000-{n % 10000:04d}"},
                             "raw_affiliation_strings": ["Some University, Somewhere"]}]}


def _works_files(tmp_path: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    works = json.loads((FIXTURES / "openalex-works.json").read_text(encoding="utf-8"))["results"]
    lines = tmp_path / "works.jsonl.gz"
    with gzip.open(lines, "wt", encoding="utf-8") as handle:
        for k, work in enumerate(works):
            handle.write(json.dumps(_filler(k)) + "\n" + json.dumps(work) + "\n")
    rows = [{"work_id": f"W{k}", "author_orcid": f"https://orcid.org/{ORCID}" if k % 7 == 3 else
             "https://orcid.org/0000-0001-0000-0001", "publication_date": f"2024-0{1 + k % 9}-01",
             "raw_affiliation_string": raw, "institution_ror": None}
            for k, raw in enumerate([
                "College of Automation, Nanjing University of Aeronautics and Astronautics, Nanjing, China",
                "School of Physics, Beihang University; Harbin Institute of Technology, China",  # ambiguous
                "Acme Widgets Inc.",  # not resolved
                "Institute for Cosmic Ray Research, The University of Tokyo, Kashiwa, Japan",
            ] * 12)]
    authorships = tmp_path / "authorships.parquet"
    pq.write_table(pa.Table.from_pylist(rows), authorships, row_group_size=5)  # ten row groups: ten tasks
    assert pq.ParquetFile(authorships).num_row_groups == 10
    return [authorships, lines]


def test_spark_flags_are_the_streaming_flags(spark: Any, tmp_path: Path) -> None:
    from techguard.spark.research import reconcile_files

    resolver = Resolver(build_index(load_registry(FIXTURES / "ror-v2-sample.json")))
    declared = load_disclosure(FIXTURES / "disclosure.json")
    paths = _works_files(tmp_path)
    observed = [o for path in paths for o in iter_observations(path, ORCID)]
    expected = reconcile(declared, observed, "2025-01-01", resolver=resolver)
    flags, count = reconcile_files(spark, declared, paths, ORCID, resolver=resolver, as_of="2025-01-01")
    assert count == len(observed) > 7
    assert [f.as_dict() for f in flags] == [f.as_dict() for f in expected]
    kinds = {f.kind for f in flags}
    assert kinds == {"undeclared_affiliation", "unresolved_affiliation"}, kinds


def test_cli_spark_engine_writes_the_local_engine_file(spark: Any, tmp_path: Path, data_dir: Path) -> None:
    paths = _works_files(tmp_path)
    outputs = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}.json"
        result = CliRunner().invoke(app, [
            "research", "reconcile", "--disclosure", str(FIXTURES / "disclosure.json"), "--orcid", ORCID,
            *(arg for path in paths for arg in ("--works", str(path))), "--as-of", "2025-01-01",
            "--registry", str(FIXTURES / "ror-v2-sample.json"), "--engine", engine, "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs[engine] = out.read_text(encoding="utf-8")
        assert "observed affiliations" in result.output
    assert outputs["spark"] == outputs["local"]
    assert json.loads(outputs["spark"])


def test_a_bad_line_fails_as_in_the_streaming_path(spark: Any, tmp_path: Path) -> None:
    from techguard.spark.research import reconcile_files

    resolver = Resolver(build_index(load_registry(FIXTURES / "ror-v2-sample.json")))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(_filler(1)) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(PublicationFormatError) as streaming:
        list(iter_observations(broken, ORCID))
    with pytest.raises(PublicationFormatError) as spark_error:
        reconcile_files(spark, [], [broken], ORCID, resolver=resolver)
    assert str(spark_error.value) == str(streaming.value) and "line 2" in str(spark_error.value)


def test_dataframe_rows_carry_the_status_and_candidates(spark: Any) -> None:
    from techguard.spark.research import resolve_dataframe

    resolver = Resolver(build_index(load_registry(FIXTURES / "ror-v2-sample.json")))
    texts = [("1", "School of Physics, Beihang University; Harbin Institute of Technology, China"),
             ("2", "Acme Widgets Inc."), ("3", "Dept. of Physics, Harbin Institute of Technology, Harbin, China")]
    rows = resolve_dataframe(spark.createDataFrame(texts, "id string, affiliation string"), "affiliation",
                             resolver=resolver).orderBy("id").collect()
    for (_, text), row in zip(texts, rows, strict=True):
        expected = resolver.resolve(text).as_dict()
        got = row["affiliation_match"]
        assert got["status"] == expected["status"]
        assert json.loads(got["candidates"]) == expected["candidates"]
    assert [r["affiliation_match"]["status"] for r in rows] == ["ambiguous", "not_resolved", "resolved"]
    assert len(json.loads(rows[0]["affiliation_match"]["candidates"])) == 2
