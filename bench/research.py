"""Benchmark: affiliation string -> ROR id on the Crossref publisher-asserted gold set.

    .venv/bin/python bench/research.py [--shared ../shared/data] [--cache DIR] [--errors N]

The gold rows are split by a hash of the affiliation string into a *development* part (3/4, the only part
looked at while changing the resolver) and a *held-out* part (1/4, reported, never read row by row). A second
labelled set, Japanese renderings of the Chinese, Korean and Russian institutions on the designation lists
(generated from the lists' names and the registry's labels by ``tests/research/research_renderings.py``), is
scored the same way.

Reports, for the resolver and for a baseline (exact lookup of each folded comma segment, first hit wins):
precision@1 (correct / answered), the same on the rows whose gold institution is in the loaded registry (the
issue's measure: an answer on a row whose institution the extract lacks is always wrong, and says nothing of
the resolver with the whole registry), recall (correct / all rows), recall on rows whose gold institution is in the
loaded registry (the shared registry holds 51k of ROR's ~120k records), recall on the rows whose string writes
one of the gold institution's registry names (``GoldFacts.writes``: "resolvable" read as "the string names it"), and the no-match behaviour on rows whose
gold institution is not loaded (answering nothing there is right; answering is always wrong).
Also registry load and index times (cold and cached) and peak memory. Nothing here is learnt from the gold file.

Both parts are also scored with the documented corrections of demonstrably wrong labels applied
(``bench/data/research_gold_corrections.csv``, built by mechanical rules over every row by
``bench/research_gold_corrections.py``); the raw scores stay the ones the targets are judged on.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from techguard.research.index import NameIndex, load_or_build_index
from techguard.research.normalise import fold
from techguard.research.registry import normalise_ror_id
from techguard.research.resolution import Resolution
from techguard.research.resolver import Resolver
from techguard.research.ror import load_registry

GOLD = "research/affiliation_gold/20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs.csv"
REGISTRY = "research/ror/ror_records_union.jsonl.gz"


@dataclass
class Score:
    rows: int = 0
    answered: int = 0
    correct: int = 0
    loaded_rows: int = 0
    loaded_correct: int = 0
    loaded_answered: int = 0
    written_rows: int = 0  # rows whose string writes one of the gold institution's registry names
    written_correct: int = 0
    unloaded_rows: int = 0
    unloaded_no_match: int = 0
    named: int = 0  # gold is the answer or one of the other institutions the resolver found in the string
    seconds: float = 0.0

    def line(self, name: str) -> str:
        precision = self.correct / self.answered if self.answered else 0.0
        # the measure: precision and recall "on the rows whose institution is in the registry"
        loaded_precision = self.loaded_correct / self.loaded_answered if self.loaded_answered else 0.0
        return (f"| {name} | {precision:.3f} | {loaded_precision:.3f} | {self.correct / self.rows:.3f} | "
                f"{self.loaded_correct / self.loaded_rows:.3f} | "
                f"{self.written_correct / max(1, self.written_rows):.3f} | {self.answered / self.rows:.3f} | "
                f"{self.unloaded_no_match / max(1, self.unloaded_rows):.3f} | "
                f"{self.named / self.rows:.3f} | {1000 * self.seconds / self.rows:.2f} |")


def baseline(index: NameIndex) -> Callable[[str], tuple[str | None, tuple[str, ...]]]:
    """Exact lookup of each folded comma segment; the first segment with a hit wins (display name first)."""

    def resolve(text: str) -> tuple[str | None, tuple[str, ...]]:
        for segment in text.replace(";", ",").split(","):
            postings = index.names.get(fold(segment))
            if postings:
                best = min(postings, key=lambda p: (p.kind != "ror_display", p.kind != "label"))
                return index.institution(best).ror_id, ()
        return None, ()

    return resolve


@dataclass
class GoldFacts:
    """What the loaded registry says of a gold row, independent of any resolver: whether its institution is
    loaded, and whether the string writes one of that institution's registry names (a label, alias or acronym
    of three characters or more, folded, as whole words) — the rows a resolver can be asked to resolve
    ("Food Process Engineering" labelled Wageningen University & Research is not one)."""

    loaded: set[str]
    names_of: dict[str, set[str]]

    @classmethod
    def of(cls, index: NameIndex) -> GoldFacts:
        names_of: dict[str, set[str]] = {}
        for table, case in ((index.names, str), (index.acronyms, str.lower)):
            for key, postings in table.items():
                if len(key) >= 3:
                    for posting in postings:
                        names_of.setdefault(index.institution(posting).ror_id, set()).add(case(key))
        return cls({i.ror_id for i in index.institutions}, names_of)

    def writes(self, text: str, gold: str) -> bool:
        folded = f" {fold(text)} "
        return any(f" {name} " in folded for name in self.names_of.get(gold, ()))


def run(resolve: Callable[[str], tuple[str | None, tuple[str, ...]]], rows: list[tuple[str, str]], facts: GoldFacts,
        errors: list[tuple[str, str, str | None]] | None) -> Score:
    score = Score()
    for text, gold in rows:
        started = time.perf_counter()
        got, others = resolve(text)
        score.seconds += time.perf_counter() - started  # the resolver's time alone, not the scoring's
        score.rows += 1
        score.named += gold == got or gold in others
        in_registry = gold in facts.loaded
        if in_registry and facts.writes(text, gold):
            score.written_rows += 1
            score.written_correct += got == gold
        score.loaded_rows += in_registry
        score.unloaded_rows += not in_registry
        if got is not None:
            score.answered += 1
            score.loaded_answered += in_registry
            if got == gold:
                score.correct += 1
                score.loaded_correct += in_registry
            elif errors is not None:
                errors.append((text, gold, got))
        elif not in_registry:
            score.unloaded_no_match += 1
        elif errors is not None:
            errors.append((text, gold, None))
    return score


def held_out(text: str) -> bool:
    """A fixed quarter of the gold rows, chosen by the string's hash (not by anything the resolver sees)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[-1] in "cdef"


def gold_rows(path: Path) -> list[tuple[str, str]]:
    """(affiliation string, ROR id) of every gold row, in file order."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(r["affiliation"], normalise_ror_id(r["ror_id"])) for r in csv.DictReader(handle)]


CORRECTIONS = Path(__file__).resolve().parent / "data" / "research_gold_corrections.csv"


def corrected(rows: list[tuple[str, str]], path: Path) -> tuple[list[tuple[str, str]], int]:
    """The gold rows with the documented label corrections applied (``bench/research_gold_corrections.py``:
    row, text digest, old, new, rule, reason); refuses a correction whose row holds another string or label."""
    out = list(rows)
    with path.open(encoding="utf-8", newline="") as handle:
        fixes = list(csv.DictReader(handle))
    for fix in fixes:
        number = int(fix["row"])
        text, gold = rows[number - 1]
        if hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] != fix["text_sha256"] or gold != fix["old"]:
            raise SystemExit(f"{path}: row {number} no longer matches the gold file (rebuild the corrections)")
        out[number - 1] = (text, fix["new"])
    return out, len(fixes)


def japanese_rows(shared: Path, resolver: Resolver) -> list[tuple[str, str]]:
    """The generated Japanese renderings (see the module docstring) as (text, ROR id) rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "research"))
    from research_renderings import korean_universities, renderings  # the tests' generator, one copy

    return [(r.text, r.ror_id) for r in (*renderings(shared, resolver), *korean_universities(resolver))]


def breakdown(scored: list[tuple[Resolution, str]], loaded: set[str], resolver: Resolver) -> str:
    """Where the wrong answers and misses come from (general categories, nothing learnt from them)."""
    wrong: Counter[str] = Counter()
    single = [0, 0]  # answered, correct: strings in which one institution was found
    for res, gold in scored:
        if res.ror_id is None:
            continue
        if not res.others:
            single[0] += 1
            single[1] += res.ror_id == gold
        if res.ror_id == gold:
            continue
        if gold not in loaded:
            wrong["gold institution not in the registry extract"] += 1
        elif gold in res.others:
            wrong["gold named too, another one chosen"] += 1
        elif gold in resolver.lineage(res.ror_id)[1:] or res.ror_id in resolver.lineage(gold)[1:]:
            wrong["gold is a ROR parent/child of the answer"] += 1
        else:
            wrong["other"] += 1
    lines = [f"precision@1 on strings naming one institution: {single[1] / max(1, single[0]):.3f} "
             f"({single[0]} answers); wrong answers by kind:"]
    lines += [f"- {kind}: {count}" for kind, count in wrong.most_common()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("TECHGUARD_SHARED", "../shared")) / "data")
    parser.add_argument("--cache", type=Path, default=None, help="index cache directory (default: a temp dir)")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong answers and misses")
    parser.add_argument("--choice", action="store_true",
                        help="choose among several institutions named with the fitted choice model "
                             "(research/choice.py, fitted by bench/fit_research_choice.py) instead of the rule")
    parser.add_argument("--development-only", action="store_true",
                        help="score the development part and the Japanese renderings only (no held-out figures)")
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="techguard-bench-"))

    started = time.perf_counter()
    registry = load_registry(args.shared / REGISTRY)
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    index = load_or_build_index(registry, cache)
    first_index = time.perf_counter() - started
    started = time.perf_counter()
    load_or_build_index(registry, cache)
    cached_index = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = gold_rows(args.shared / GOLD)
    facts = GoldFacts.of(index)
    loaded = facts.loaded

    resolver = Resolver(index, choice=args.choice)
    errors: list[tuple[str, str, str | None]] = []
    def ours_resolve(text: str) -> tuple[str | None, tuple[str, ...]]:
        result = resolver.resolve(text)
        return result.ror_id, result.others

    dev_rows = [row for row in rows if not held_out(row[0])]
    held_rows = [row for row in rows if held_out(row[0])]
    fixed_rows, fixes = corrected(rows, CORRECTIONS)
    if args.development_only:
        # Everything below on the development part only: no held-out figure is computed.
        rows, fixed_rows, held_rows = dev_rows, [row for row in fixed_rows if not held_out(row[0])], []
    ours = run(ours_resolve, rows, facts, None)
    base = run(baseline(index), rows, facts, None)
    # --errors prints wrong answers of the development part only: the held-out rows are never read one by one.
    ours_dev, ours_held = run(ours_resolve, dev_rows, facts, errors), run(ours_resolve, held_rows, facts, None)
    base_held = run(baseline(index), held_rows, facts, None)
    fixed_dev = [row for row in fixed_rows if not held_out(row[0])]
    fixed_held = [row for row in fixed_rows if held_out(row[0])]
    ours_fixed_dev = run(ours_resolve, fixed_dev, facts, None)
    ours_fixed_held = run(ours_resolve, fixed_held, facts, None)
    japanese = japanese_rows(args.shared, resolver)
    ours_ja, base_ja = run(ours_resolve, japanese, facts, None), run(baseline(index), japanese, facts, None)

    print(f"registry: {len(registry)} records ({len(index.institutions)} indexed, withdrawn skipped), "
          f"{len(index.names)} name keys, {len(index.acronyms)} acronym keys")
    print(f"parse {parsed:.2f} s; index build (cold) {first_index:.2f} s; index from cache {cached_index:.2f} s; "
          f"peak RSS {peak_mb:.0f} MB")
    print(f"gold rows: {len(rows)}; gold institution loaded: {ours.loaded_rows}; not loaded: {ours.unloaded_rows}; "
          f"documented label corrections: {fixes} ({CORRECTIONS.name})")
    print()
    print("| method | precision@1 | precision@1 (gold loaded) | recall | recall (gold loaded) "
          "| recall (gold's name written) | answered | no-match when gold not loaded | gold among institutions found "
          "| ms/row |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(ours.line("techguard resolver" + (", choice model" if args.choice else "")
                    + (", development part" if args.development_only else "")))
    print(base.line("baseline: exact folded segment"))
    print(ours_dev.line(f"techguard resolver, development part ({len(dev_rows)} rows)"))
    if held_rows:
        print(ours_held.line(f"techguard resolver, held-out part ({len(held_rows)} rows)"))
        print(base_held.line("baseline, held-out part"))
    print(ours_fixed_dev.line(f"techguard resolver, development part, corrected labels "
                              f"({sum(a != b for a, b in zip(dev_rows, fixed_dev, strict=True))} rows relabelled)"))
    if held_rows:
        print(ours_fixed_held.line(f"techguard resolver, held-out part, corrected labels "
                                   f"({sum(a != b for a, b in zip(held_rows, fixed_held, strict=True))} rows "
                                   "relabelled)"))
    print(ours_ja.line(f"techguard resolver, Japanese renderings ({len(japanese)} rows)"))
    print(base_ja.line("baseline, Japanese renderings"))
    print()
    print("Answers kept at a minimum score (the score is not tuned on this file; the default threshold is "
          f"{resolver.min_score}):")
    print()
    print("| minimum score | precision@1 | recall | recall (gold loaded) |")
    print("|---|---|---|---|")
    scored = [(resolver.resolve(text), gold) for text, gold in rows]
    for threshold in (0.8, 0.85, 0.9, 0.95, 1.0):
        kept = [(res.ror_id, gold) for res, gold in scored if res.ror_id is not None and res.score >= threshold]
        good = sum(got == gold for got, gold in kept)
        good_loaded = sum(got == gold for got, gold in kept if gold in loaded)
        print(f"| {threshold:.2f} | {good / max(1, len(kept)):.3f} | {good / len(rows):.3f} | "
              f"{good_loaded / ours.loaded_rows:.3f} |")
    print()
    print(breakdown(scored, loaded, resolver))
    if args.errors:
        names = {i.ror_id: i.name for i in index.institutions}
        for text, gold, got in errors[: args.errors]:
            print(f"{'MISS ' if got is None else 'WRONG'} {text!r}\n      gold={names.get(gold, gold)!r} "
                  f"got={names.get(got, got) if got else None!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
