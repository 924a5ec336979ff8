"""Retrieval and scoring agree on which listed names a query can be compared with (2.9): a Han query is
read aloud (Japanese reading, pinyin) and translated, and listed Han names are read aloud too; two readings are
never compared (the native forms are), so listed readings must take no candidate slot from the Latin listing
the translation meets."""

from __future__ import annotations

import pytest
from matching_parties import org

from techguard.matching import Query, Screener
from techguard.matching.index import CANDIDATES
from techguard.matching.tokens import KeyKind, comparable_kinds


@pytest.mark.parametrize(("query", "listed", "compared"), [
    (KeyKind.NATIVE, KeyKind.NATIVE, True),
    (KeyKind.NATIVE, KeyKind.LATIN, False),
    (KeyKind.PINYIN, KeyKind.READING, False),  # two Han names read aloud: compared in writing instead
    (KeyKind.PINYIN, KeyKind.LATIN, True),
    (KeyKind.TRANSLATED, KeyKind.TRANSLATED, False),
    (KeyKind.TRANSLATED, KeyKind.LATIN, True),
    (KeyKind.LATIN, KeyKind.READING, True),  # a Latin query meets a listed Han name's reading
    (KeyKind.LOANWORD, KeyKind.LATIN, True),
    (KeyKind.LOANWORD, KeyKind.PINYIN, False),
])
def test_which_kinds_are_compared(query: KeyKind, listed: KeyKind, compared: bool) -> None:
    assert comparable_kinds(query, listed) is compared


def test_listed_han_names_read_aloud_do_not_crowd_out_the_latin_listing() -> None:
    # More Han-named units of the group than retrieval keeps candidates: their readings share every syllable of
    # the query's readings, and before 2.9 they filled the candidate slots with names the scorer passes over.
    units = [org(f"u{n}", f"中国航天科技集团公司第{n}研究院") for n in range(1, CANDIDATES // 2)]
    group = org("g1", "China Aerospace Science and Technology Corporation")
    screener = Screener.build([*units, group])
    found = {m.party.source_id for m in screener.screen(Query("中国航天科技集团"), top=CANDIDATES)}
    assert "g1" in found
