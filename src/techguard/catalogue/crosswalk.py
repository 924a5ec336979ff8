"""Crosswalk between Japanese items (輸出令/外為令 項番, 貨物等省令 articles) and ECCNs.

Both lists follow the Wassenaar numbering for most entries, so a link needs (1) structure — the 項 decides
which part of the CCL can correspond (2の項 → NSG "x2xx" entries and Category 0, 7の項 → Category 3
"x0xx", 外為令 rows → the D/E groups, …) — and (2) evidence inside that part: the same numeric thresholds on
both sides (``400 MSa/s``, ``5000 Gy``) and/or a ja↔en legal-term pair from the vocabulary. Each link keeps
its basis and a confidence; 輸出令 rows link to the ECCNs most of their 省令 items link to. ECCNs with no
Japanese counterpart by construction (.99x, 9x0 series, 500/600 series, 3A090/4A090 …) are flagged US-only;
Japanese items left without a link are flagged.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from techguard.catalogue.model import Catalogue, Entry, Link
from techguard.catalogue.numbers import Parameter
from techguard.catalogue.vocabulary import VocabularyRecord, packaged_vocabulary

# 項 → (CCL category digits, third ECCN digits allowed): the Wassenaar / regime structure.
_STRUCTURE: dict[str, tuple[str, str, str]] = {
    "1": ("0123456789", "56", "arms (1の項) ↔ 500/600-series"),
    "2": ("0123456", "2", "nuclear (2の項) ↔ NSG entries x2xx"),
    "3": ("12", "3", "chemical (3の項) ↔ CWC/AG entries x35x"),
    "3の2": ("12", "3", "biological (3の2の項) ↔ AG entries x35x"),
    "4": ("0123456789", "1", "missiles (4の項) ↔ MTCR entries x1xx"),
    "5": ("1", "0", "materials (5の項) ↔ Category 1 x0xx"),
    "6": ("2", "0", "materials processing (6の項) ↔ Category 2 x0xx"),
    "7": ("3", "0", "electronics (7の項) ↔ Category 3 x0xx"),
    "8": ("4", "0", "computers (8の項) ↔ Category 4 x0xx"),
    "9": ("5", "0", "telecommunications / information security (9の項) ↔ Category 5 x0xx"),
    "10": ("6", "0", "sensors and lasers (10の項) ↔ Category 6 x0xx"),
    "11": ("7", "0", "navigation and avionics (11の項) ↔ Category 7 x0xx"),
    "12": ("8", "0", "marine (12の項) ↔ Category 8 x0xx"),
    "13": ("9", "0", "aerospace and propulsion (13の項) ↔ Category 9 x0xx"),
    "14": ("0123456789", "0", "sensitive items (14の項) ↔ x0xx"),
    "15": ("0123456789", "0", "very sensitive items (15の項) ↔ x0xx"),
}
_CHEM = {"1C350", "1C355", "2B350", "2B351", "1C995"}
_BIO = {"1C351", "1C353", "1C354", "2B352", "1C991"}
_US_ONLY_SPECIFIC = {
    "3A090": "advanced-computing ICs (US rule of 2023–2025; no Japanese counterpart)",
    "4A090": "advanced-computing computers (US rule of 2023–2025; no Japanese counterpart)",
    "3B090": "US semiconductor-manufacturing rule (no Japanese counterpart)",
    "4E091": "US advanced-computing technology (no Japanese counterpart)",
}
# US 9x0-series entries whose items Japan lists under its own numbering (2025 amendment of 貨物等省令):
# the structure rules cannot find these, so they are linked here with the article that says so.
_ANALOGUES: dict[str, tuple[str, str]] = {
    "3A904": ("jp:export_order:7の項（15の3）", "貨物等省令 第6条第16号の3 (cryogenic coolers: ≥600 µW at ≤0.1 K; pulse tubes)"),
    "4A906": ("jp:export_order:8の項", "貨物等省令 第7条第6号 (quantum computers)"),
    "3A901": ("jp:export_order:7の項（1）", "貨物等省令 第6条第1号カ (CMOS ICs for ≤ −268.65 °C)"),
}


def gou_of(jp_item: str) -> str:
    match = re.match(r"^(?:外為令)?\d+(?:の\d+)?の項（(\d+(?:の\d+)?)）", jp_item)
    return match.group(1) if match else ""


def kou_of(jp_item: str) -> str:
    match = re.match(r"^(?:外為令)?(\d+(?:の\d+)?)の項", jp_item)
    return match.group(1) if match else ""


def in_scope(kou: str, eccn: str, technology: bool, gou: str = "") -> bool:
    """Whether an ECCN lies in the part of the CCL that a 項 (and, for 3/3の2, its 号) can correspond to."""
    if kou not in _STRUCTURE or len(eccn) < 5:
        return False
    group_ok = eccn[1] in ("DE" if technology else "ABC")
    if kou in ("3", "3の2") and gou and not technology:
        # （1） substances/organisms → C group; （2）（3） equipment → B group
        group_ok = eccn[1] == ("C" if gou == "1" else "B")
    if kou == "3":
        return group_ok and eccn[:5] in _CHEM
    if kou == "3の2":
        return group_ok and eccn[:5] in _BIO
    categories, third, _ = _STRUCTURE[kou]
    if kou == "2" and eccn[0] == "0":
        return group_ok
    return group_ok and eccn[0] in categories and eccn[2] in third


def us_only_reason(eccn: str) -> str:
    base = eccn[:5]
    if base in _US_ONLY_SPECIFIC:
        return _US_ONLY_SPECIFIC[base]
    if base[2:4] == "99":
        return "anti-terrorism-only entry (.99x, EAR99-adjacent); no Japanese counterpart"
    if base[2] == "9":
        return "US unilateral 9x0-series entry"
    if base[2] == "6":
        return "600-series (munitions moved from the USML); Japan lists arms in 1の項 without item-level match"
    if base[2] == "5" and base[0] in "09":
        return "500-series (firearms / spacecraft moved from the USML)"
    return ""


def _same(a: Parameter, b: Parameter) -> bool:
    if a.unit != b.unit or a.comparator != b.comparator or a.comparator == "=":
        return False
    scale = max(abs(a.value), abs(b.value), 1e-30)
    return abs(a.value - b.value) / scale < 0.005


def _term_records(text: str, lower: bool, records: tuple[VocabularyRecord, ...], field: str) -> set[int]:
    haystack = text.lower() if lower else text
    found: set[int] = set()
    for index, record in enumerate(records):
        terms = record.legal_en if field == "en" else record.legal_ja
        if any((t.lower() if lower else t) in haystack for t in terms if len(t) >= 2):
            found.add(index)
    return found


MAX_TERM_SPREAD = 4  # a legal-term pair shared with more ECCNs of the scope than this is not evidence


def _index_links(catalogue: Catalogue, records: tuple[VocabularyRecord, ...],
                 add: Callable[[str, str, tuple[str, ...], float], None]) -> None:
    """Vocabulary records that point to both an ECCN and a 項番 (like a matrix row) link the two."""
    for record in records:
        eccns = [p for p in record.see if re.fullmatch(r"\d[A-E]\d{3}", p) and f"us:{p}" in catalogue.entries]
        items = [p for p in record.see if "の項" in p]
        for item in items:
            jp_id = next((i for i in (f"jp:export_order:{item}", f"jp:fx_order:{item}") if i in catalogue.entries), None)
            if jp_id is None:
                continue
            for eccn in eccns:
                add(jp_id, eccn, (f"index: vocabulary record “{record.terms[0]}” points to {item} and {eccn}",), 0.75)


def _term_links(entry: Entry, kou: str, technology: bool, structure: str, jp_terms: set[int],
                us_entries: list[Entry], us_terms: dict[str, set[int]], records: tuple[VocabularyRecord, ...],
                add: Callable[[str, str, tuple[str, ...], float], None]) -> None:
    """Link a Japanese item to the in-scope ECCNs sharing the most ja↔en legal-term pairs with it."""
    if not jp_terms:
        return
    scope = [e for e in us_entries if in_scope(kou, e.eccn, technology, gou_of(entry.jp_item))]
    # a term found in many ECCNs of the scope ("rockets" in the MTCR part) says nothing about which one
    spread: Counter[int] = Counter()
    for us_entry in scope:
        for record in us_terms[us_entry.id]:
            spread[record] += 1
    bases_per_record: dict[int, set[str]] = defaultdict(set)
    for us_entry in scope:
        for record in us_terms[us_entry.id] & jp_terms:
            bases_per_record[record].add(us_entry.eccn_base)
    jp_terms = {r for r in jp_terms if len(bases_per_record.get(r, ())) <= MAX_TERM_SPREAD}
    if not jp_terms:
        return
    best: dict[str, int] = {}
    for us_entry in scope:
        shared = len(jp_terms & us_terms[us_entry.id])
        if shared and shared > best.get(us_entry.eccn_base, 0):
            best[us_entry.eccn_base] = shared
    if not best:
        return
    top = max(best.values())
    for eccn, shared in sorted(best.items()):
        if shared == top and sum(1 for v in best.values() if v == top) <= 3:
            terms = sorted(jp_terms)[:3]
            add(entry.id, eccn, (f"structure: {structure}",
                                 "terms: " + ", ".join(f"{records[i].legal_ja[0]}↔{records[i].legal_en[0]}"
                                                       for i in terms if records[i].legal_ja and records[i].legal_en)),
                0.3 + 0.1 * shared)


def build_crosswalk(catalogue: Catalogue) -> None:
    """Fill ``catalogue.links``, ``only_us`` and ``only_jp`` (computed links; confirmations are separate)."""
    records = packaged_vocabulary()
    entries = list(catalogue.entries.values())
    us_entries = [e for e in entries if e.regime == "us"]
    heading_of = {e.eccn: e.text for e in us_entries if not e.parents}
    by_parameter: dict[tuple[str, str], list[tuple[Parameter, Entry]]] = defaultdict(list)
    for entry in us_entries:
        for parameter in entry.parameters:
            if parameter.comparator != "=":
                by_parameter[(parameter.unit, parameter.comparator)].append((parameter, entry))
    us_terms = {e.id: _term_records(e.text + " " + heading_of.get(e.eccn_base, ""), True, records, "en")
                for e in us_entries}
    links: dict[tuple[str, str], Link] = {}

    def add(jp_id: str, eccn: str, basis: tuple[str, ...], confidence: float) -> None:
        key = (jp_id, eccn)
        if key not in links or links[key].confidence < confidence:
            links[key] = Link(jp_id, eccn, basis, round(min(confidence, 0.95), 2))

    for entry in entries:
        if entry.regime != "jp" or entry.kind != "ordinance":
            continue
        kou = kou_of(entry.jp_item)
        technology = entry.jp_item.startswith("外為令")
        if kou not in _STRUCTURE:
            continue
        structure = _STRUCTURE[kou][2]
        strict = [p for p in entry.parameters if p.comparator != "="]
        jp_terms = _term_records(entry.text, False, records, "ja")
        # (1) numeric thresholds shared with a CCL paragraph in scope
        matched: Counter[str] = Counter()
        for parameter in strict:
            for other, us_entry in by_parameter.get((parameter.unit, parameter.comparator), []):
                if in_scope(kou, us_entry.eccn, technology, gou_of(entry.jp_item)) and _same(parameter, other):
                    matched[us_entry.eccn] += 1
        for eccn, count in matched.items():
            us_entry = catalogue.entries[f"us:{eccn}"]
            score = count / max(len(strict), len([p for p in us_entry.parameters if p.comparator != "="]))
            shared_terms = jp_terms & us_terms.get(us_entry.id, set())
            if score < 0.5 or (count < 2 and not shared_terms):
                continue  # one shared number alone (a temperature, "300 km") is not evidence
            basis = [f"structure: {structure}", f"thresholds: {count} of {len(strict)} equal"]
            if shared_terms:
                basis.append("terms: " + ", ".join(records[i].legal_en[0] for i in sorted(shared_terms)[:3]))
            add(entry.id, eccn, tuple(basis), 0.45 + 0.4 * score + (0.1 if shared_terms else 0.0))
        # (2) ja↔en legal-term pairs, for top-level 号 of the 省令 (parameters rarely carry the noun)
        if not entry.key.endswith("号") or entry.key.count("号") != 1:
            continue
        _term_links(entry, kou, technology, structure, jp_terms, us_entries, us_terms, records, add)
    # (3) 輸出令 / 外為令 rows: the ECCNs most of their 省令 items link to
    by_row: dict[str, Counter[str]] = defaultdict(Counter)
    for link in links.values():
        by_row[catalogue.entries[link.jp_id].jp_item][link.eccn[:5]] += 1
    _index_links(catalogue, records, add)
    headed = {e.jp_item.split("（")[0] for e in entries if e.kind in ("export_order", "fx_order") and "（" in e.jp_item}
    for entry in entries:
        if entry.kind not in ("export_order", "fx_order"):
            continue
        if entry.text.startswith("削除") or entry.jp_item in headed:
            continue  # deleted rows, and 項 heading rows (a heading has no single ECCN)
        kou = kou_of(entry.jp_item)
        if kou in _STRUCTURE:
            jp_terms = _term_records(entry.text, False, records, "ja")
            _term_links(entry, kou, entry.kind == "fx_order", _STRUCTURE[kou][2], jp_terms, us_entries, us_terms,
                        records, add)
        counter = by_row.get(entry.jp_item)
        if not counter:
            continue
        total = sum(counter.values())
        for eccn, count in counter.most_common(3):
            add(entry.id, eccn, (f"{count} of {total} 貨物等省令 item links of {entry.jp_item} point to {eccn}",),
                0.4 + 0.5 * count / total)
    catalogue.links = sorted(links.values(), key=lambda link: (link.jp_id, -link.confidence, link.eccn))
    linked_eccns = {link.eccn[:5] for link in catalogue.links}
    catalogue.only_us = {
        e.eccn: reason for e in us_entries if not e.parents and (reason := us_only_reason(e.eccn))
    }
    for eccn, (jp_id, article) in _ANALOGUES.items():
        if jp_id in catalogue.entries and f"us:{eccn}" in catalogue.entries:
            catalogue.links.append(Link(jp_id, eccn, (f"known analogue: {article}",), 0.8))
            catalogue.only_us.pop(eccn, None)
    linked_jp = {link.jp_id for link in catalogue.links}
    catalogue.only_jp = {}
    for entry in entries:
        if entry.kind == "ordinance" or entry.id in linked_jp:
            continue
        if kou_of(entry.jp_item) == "16":
            catalogue.only_jp[entry.id] = "catch-all (16の項, HS headings): Japan-only by construction"
        elif entry.kind in ("export_order", "fx_order") and "（" in entry.jp_item:
            catalogue.only_jp[entry.id] = "no ECCN link found by structure, thresholds or terms"
    del linked_eccns


__all__ = ["build_crosswalk", "in_scope", "kou_of", "us_only_reason"]
