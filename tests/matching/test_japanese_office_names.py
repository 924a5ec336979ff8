"""Names as a Japanese office writes them, against every list snapshot in ../shared (issue 9).

Each row of ``tests/fixtures/matching/japanese_office_names.tsv`` is a name as an officer types it (katakana
loanwords, kanji of Chinese entities, Latin beside kana, 〜社, persons in Cyrillic, Arabic and Hangul) and words
of the listed party it must meet: the first match alerts and its listed name holds them.
``bench/japanese_office_names.py`` runs the same set and prints the misses. Each row of
``japanese_office_negatives.tsv`` (Japanese companies and Chinese names on no snapshot) must alert on nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from techguard.lists.detect import detect_format
from techguard.lists.formats import get_format
from techguard.lists.formats.csl import parse_csv
from techguard.lists.model import Party
from techguard.matching import Query, Screener

PROBES = Path(__file__).resolve().parents[1] / "fixtures" / "matching" / "japanese_office_names.tsv"
NEGATIVES = PROBES.with_name("japanese_office_negatives.tsv")
LISTS = (
    "us_ofac_sdn_2021-07-07",
    "us_ofac_consolidated_nonsdn_2025-12-19",
    "us_bis_dpl_2023-11-30/dpl.txt",
    "un_sc_consolidated_2026-02-27/UN_consolidated.xml",
    "jp_meti_end_user_list_2025-09-29/jp.json",
    "cn_mofcom_lists_2026-07-19/cn.json",
)


def _probes() -> list[tuple[str, str]]:
    rows = []
    for line in PROBES.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, _, expected = line.partition("\t")
            rows.append((query, expected))
    return rows


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def every_list(shared: Path) -> Screener:
    lists = shared / "lists"
    # the shared CSL file is a subset whose last record is cut off; the strict format refuses it
    parties: list[Party] = list(parse_csv([lists / "us_csl_2023-11-30" / "csl.csv"], accept_truncated_end=True).parties)
    for relative in LISTS:
        path = lists / relative
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        parties.extend(get_format(detect_format(path)).parse(files).parties)
    return Screener.build(parties)


@pytest.mark.parametrize(("query", "expected"), _probes())
def test_office_names_meet_their_listing(every_list: Screener, query: str, expected: str) -> None:
    first = every_list.screen(Query(query), top=3)[0]
    assert first.alert, (first.party.name, first.score, first.explanation.get("method"))
    assert any(_plain(expected) in _plain(name) for name in (first.party.name, first.matched_name)), first.party.name


def _negatives() -> list[str]:
    return [line for line in NEGATIVES.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("query", _negatives())
def test_office_names_on_no_list_do_not_alert(every_list: Screener, query: str) -> None:
    alerts = [(m.party.name, m.score) for m in every_list.screen(Query(query), top=3) if m.alert]
    assert alerts == []
