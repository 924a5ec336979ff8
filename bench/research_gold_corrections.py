"""Build the documented corrections of demonstrably wrong labels in the Crossref affiliation gold set.

    .venv/bin/python bench/research_gold_corrections.py [--shared ../shared/data] [--cache DIR]

Writes ``bench/data/research_gold_corrections.csv`` (row, text_sha256, old, new, rule, reason). ``row`` is the
1-based data row of the gold CSV; ``text_sha256`` (first 16 hex digits of the affiliation string's sha256) lets
``bench/research.py`` refuse a correction whose row no longer holds the same string. No affiliation text is
copied into the repository.

The rules are mechanical and run over every row of both parts (development and held-out) alike; no row is
corrected by hand and no row is dropped. Each needs the string to name, by a full registry name, one
institution A (the resolver's single answer, no other institution found), and the gold label G to be shown
wrong by the string and the registry alone:

- ``child_named``: G is a ROR ancestor of A, and A's matched registry name (not an acronym) is written in the
  string. The string names the unit, which the registry has; the label points at its parent (the brief's rule:
  a lab resolves to the lab when the registry has it).
- ``namesake_inside``: every occurrence of one of G's names in the string lies inside A's name ("Indiana
  University of Pennsylvania" labelled University of Pennsylvania; "Medical University of Vienna" labelled
  University of Vienna), A is an education-type institution that is not a hospital and does not start with
  G's name (so not "Columbia University Irving Medical Center" or "First Affiliated Hospital of Zhengzhou
  University", which publishers label with the university), and A and G have no ROR relationship.
- ``not_named``: no distinctive word (4+ letters, not a generic word such as "university") of any of G's names,
  none of G's acronyms and not G's city is in the string, and G has no ROR relationship with A (of any type:
  a predecessor is not wrong) ("Can Tho University,
  Viet Nam" labelled Dana-Farber/Harvard Cancer Center; strings with "/" labelled Witten/Herdecke University).

Caveat, stated with the numbers: the new label is the resolver's own answer, so these corrections can only
turn wrong answers into right ones; ``bench/research.py`` therefore reports raw and corrected scores side by
side, and the raw score is the one the targets are judged on.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from research import GOLD, REGISTRY
from techguard.research.index import load_or_build_index
from techguard.research.normalise import fold_tokens
from techguard.research.registry import Institution, NameKind, normalise_ror_id
from techguard.research.resolver import Resolver
from techguard.research.ror import load_registry
from techguard.research.vocabulary import GENERIC_WORDS

OUT = Path(__file__).resolve().parent / "data" / "research_gold_corrections.csv"
FIELDS = ["row", "text_sha256", "old", "new", "rule", "reason"]
_STOP = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "di", "del", "der", "und", "fur"})


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _folded(text: str) -> str:
    return " " + " ".join(fold_tokens(text)) + " "


def _names(institution: Institution) -> list[str]:
    return [n.value for n in institution.names if n.kind != NameKind.ACRONYM]


def _distinctive(institution: Institution) -> set[str]:
    words = {w for name in _names(institution) for w in fold_tokens(name)}
    return {w for w in words if len(w) >= 4 and w not in GENERIC_WORDS and w not in _STOP}


def _related(a: Institution, b: Institution) -> bool:
    """Any ROR relationship (parent, child, related, predecessor, successor) either way."""
    return any(r.ror_id == b.ror_id for r in a.relationships) or any(r.ror_id == a.ror_id for r in b.relationships)


def correction(resolver: Resolver, text: str, gold: str) -> tuple[str, str, str] | None:
    """(new label, rule, reason) when the string and the registry show ``gold`` is wrong, else None."""
    result = resolver.resolve(text)
    answer = resolver.institution(result.ror_id) if result.ror_id else None
    wrong = resolver.institution(gold)
    if answer is None or wrong is None or answer.ror_id == gold or result.others or not result.matched:
        return None
    folded = _folded(text)
    matched = _folded(result.matched)
    if matched.strip() not in {" ".join(fold_tokens(n)) for n in _names(answer)} or matched not in folded:
        return None  # the answer is not named by one of its full registry names
    if gold in resolver.lineage(answer.ror_id)[1:]:
        return (answer.ror_id, "child_named",
                f"the string names {answer.name!r}, in the registry as a ROR descendant of the label {wrong.name!r}")
    if answer.ror_id in resolver.lineage(gold)[1:] or _related(answer, wrong):
        return None  # related in ROR (unit, predecessor, ...): a publisher's choice, not shown wrong by the string
    gold_names = [_folded(n) for n in _names(wrong)]
    written = [n for n in gold_names if n.strip() and n in folded]
    # A different institution of the same kind whose name contains the label's ("Medical University of Vienna"),
    # not a unit or hospital named after the label ("Columbia University Irving Medical Center", "First
    # Affiliated Hospital of Zhengzhou University": a publisher may well label those with the university).
    separate = ("education" in answer.types and "healthcare" not in answer.types
                and not any(matched.startswith(n) for n in written))
    if (separate and written and all(n in matched for n in written)
            and not any(n in folded.replace(matched, " ") for n in written)):
        return (answer.ror_id, "namesake_inside",
                f"the label's name {written[0].strip()!r} occurs only inside {answer.name!r}, which the string names")
    tokens = set(folded.split())
    acronyms = {a for a in wrong.acronyms if re.search(rf"(?<![A-Za-z]){re.escape(a)}(?![A-Za-z])", text)}
    city = _folded(wrong.city or "")
    distinctive = _distinctive(wrong)  # a label made of generic words only ("BC Children's Hospital ...") proves nothing
    if (distinctive and not written and not (distinctive & tokens) and not acronyms
            and not (city.strip() and city in folded)):
        return (answer.ror_id, "not_named",
                f"no name, distinctive word, acronym or city of the label {wrong.name!r} is in the string, "
                f"which names {answer.name!r}")
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("TECHGUARD_SHARED", "../shared")) / "data")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="techguard-bench-"))
    resolver = Resolver(load_or_build_index(load_registry(args.shared / REGISTRY), cache))
    with (args.shared / GOLD).open(encoding="utf-8-sig", newline="") as handle:
        rows = [(r["affiliation"], normalise_ror_id(r["ror_id"])) for r in csv.DictReader(handle)]
    OUT.parent.mkdir(exist_ok=True)
    counts: dict[str, int] = {}
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for number, (text, gold) in enumerate(rows, start=1):
            fixed = correction(resolver, text, gold)
            if fixed is not None:
                writer.writerow([number, text_digest(text), gold, *fixed])
                counts[fixed[1]] = counts.get(fixed[1], 0) + 1
    print(f"{sum(counts.values())} corrections of {len(rows)} rows: {counts} -> {OUT}")


if __name__ == "__main__":
    main()
