"""China MOFCOM lists (export control list, unreliable entity list, attention list): third-party JSON.

The file (``cn.json``) is an array of ``{id, entity_name, aliases[], addresses[], entity_type, list_id,
reason, date_added, source_url, ...}``. MOFCOM publishes in Chinese with the English name beside it;
this parse has the English name in ``entity_name`` and the Chinese name in ``aliases``. Aliases in Han
script become :attr:`NameType.CHINESE` (``zh``), others :attr:`NameType.AKA`.

Oddities of the snapshot handled here, all reported in ``ParseResult.warnings``:

* a few records are MOFCOM's group announcements with a Chinese ``entity_name`` only
  (``"哈德森技术公司（Hudson Technologies Co.）等6家实体"``): the Chinese text is the primary name and an
  English name in brackets is added as :attr:`NameType.ENGLISH` (``chinese_only_names``);
* two ids are used twice for different entities: the second use becomes ``<id>#2`` (``ids_repeated``).

``chinese_english_pairs`` counts records with a Latin primary name and at least one Chinese name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._text import (
    expand_paths,
    json_kind,
    load_json_array,
    split_trailing_rendering,
    squash,
    str_field,
    str_list_field,
    unique,
)
from techguard.lists.model import Address, Name, NameType, Party
from techguard.text.countries import to_iso2
from techguard.text.scripts import has_han, has_kana, is_japanese_or_chinese

SOURCE = "cn_mofcom"
LISTS = {
    "cn-export-control-list": "cn_export_control",
    "cn-export-control-watchlist": "cn_export_control",  # the spelling used by the snapshot's parser
    "cn-unreliable-entity-list": "cn_unreliable_entity",
    "cn-attention-list": "cn_attention",
}
_BRACKETED_LATIN = re.compile(r"[（(]([A-Za-z][^（()）]*)[)）]")
_POSTCODE = re.compile(r"[（(]\s*邮编[:：][^)）]*[)）]")


def address_country(address: str) -> tuple[str | None, str | None]:
    """(ISO code, the text it was read from) for one published address, or ``(None, None)``.

    Chinese addresses start with the country (``日本东京都...``); Latin ones end with it
    (``Voie de Liege 33, Herstal, Belgium（邮编：B-4040）``).
    """
    text = squash(_POSTCODE.sub("", address))
    if is_japanese_or_chinese(text[:1]):
        for length in range(min(8, len(text)), 1, -1):
            code = to_iso2(text[:length])
            if code:
                return code, text[:length]
        return None, None
    last = squash(text.rsplit(",", 1)[-1]).rstrip(".")
    code = to_iso2(last)
    return (code, last) if code else (None, None)


def _names(primary: str, aliases: list[str], counts: dict[str, int]) -> list[Name]:
    names: list[Name] = []

    def add(name: Name) -> None:
        if name.value and name.value != primary and all(n.value != name.value for n in names):
            names.append(name)

    if is_japanese_or_chinese(primary):
        counts["chinese_only_names"] += 1
        for english in _BRACKETED_LATIN.findall(primary):
            add(Name(squash(english), NameType.ENGLISH, "en"))
    for alias in aliases:
        base, rendering = split_trailing_rendering(alias)
        for text in (base, rendering or ""):
            if not text:
                continue
            if has_han(text) and not has_kana(text):
                add(Name(text, NameType.CHINESE, "zh"))
                counts["chinese_names"] += 1
            else:
                add(Name(text, NameType.AKA))
    return names


def parse_mofcom_json(paths: Sequence[Path]) -> ParseResult:
    """Parse the third-party JSON of MOFCOM's lists (``cn.json``)."""
    files = expand_paths(paths, ("*.json",), "MOFCOM list JSON")
    counts = dict.fromkeys(
        (
            "records",
            "aliases",
            "chinese_names",
            "chinese_english_pairs",
            "chinese_only_names",
            "ids_repeated",
            "addresses",
            "addresses_without_country",
        ),
        0,
    )
    per_list: dict[str, int] = {}
    parties: list[Party] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    for path in files:
        for index, item in enumerate(load_json_array(path)):
            party = _record(path, index, item, counts)
            uses = seen.get(party.source_id, 0) + 1
            seen[party.source_id] = uses
            if uses > 1:
                counts["ids_repeated"] += 1
                notes.append(
                    f"{path.name} record #{index}: id {party.source_id} used again; stored as "
                    f"{party.source_id}#{uses}"
                )
                party = _with_id(party, f"{party.source_id}#{uses}")
            per_list[party.list] = per_list.get(party.list, 0) + 1
            parties.append(party)
    if counts["chinese_only_names"]:
        notes.append(
            f"{counts['chinese_only_names']} record(s) have only a Chinese name (group announcements)"
        )
    counts.update({f"list_{code}": n for code, n in sorted(per_list.items())})
    return ParseResult(tuple(parties), None, tuple(notes), counts)


def _with_id(party: Party, source_id: str) -> Party:
    from dataclasses import replace

    return replace(party, source_id=source_id)


def _record(path: Path, index: int, item: dict[str, object], counts: dict[str, int]) -> Party:
    record_id = str_field(path, item, "id", f"#{index}", required=True)
    list_id = str_field(path, item, "list_id", record_id, required=True)
    try:
        list_code = LISTS[list_id]
    except KeyError:
        known = ", ".join(sorted(LISTS))
        raise ListFormatError(
            path, f"unknown list_id {list_id!r} (known: {known})", record=record_id, field="list_id"
        ) from None
    primary, rendering = split_trailing_rendering(
        str_field(path, item, "entity_name", record_id, required=True)
    )
    aliases = str_list_field(path, item, "aliases", record_id)
    names = _names(primary, [*([rendering] if rendering else []), *aliases], counts)
    counts["records"] += 1
    counts["aliases"] += len(aliases)
    if not is_japanese_or_chinese(primary) and any(n.type is NameType.CHINESE for n in names):
        counts["chinese_english_pairs"] += 1
    addresses: list[Address] = []
    for text in str_list_field(path, item, "addresses", record_id):
        code, country_text = address_country(text)
        counts["addresses"] += 1
        if code is None:
            counts["addresses_without_country"] += 1
        addresses.append(Address(full=text, country=code, country_name=country_text))
    list_name = str_field(path, item, "source_list_name", record_id)
    return Party(
        source=SOURCE,
        source_id=record_id,
        list=list_code,
        kind=json_kind(path, str_field(path, item, "entity_type", record_id, required=True), record_id),
        name=primary,
        names=tuple(names),
        countries=unique(a.country or "" for a in addresses),
        addresses=tuple(addresses),
        programs=(list_name,) if list_name else (),
        remarks=str_field(path, item, "reason", record_id) or None,
        listed_on=str_field(path, item, "date_added", record_id) or None,
        source_url=str_field(path, item, "source_url", record_id) or None,
        extra={"list_id": list_id},
    )


MOFCOM_JSON = register(
    ListFormat(
        code="mofcom_json",
        description="China MOFCOM export control / unreliable entity / attention lists, third-party JSON (cn.json)",
        default_source=SOURCE,
        parse=parse_mofcom_json,
        file_names=("cn.json",),
    )
)

__all__ = ["LISTS", "MOFCOM_JSON", "SOURCE", "address_country", "parse_mofcom_json"]
