"""Fit the research choice model (src/techguard/research/data/choice_model.json) on the development part.

    PYTHONPATH=src .venv/bin/python bench/fit_research_choice.py [--shared ../shared/data] [--cache DIR]

Rows: the *development* part of the Crossref affiliation set (``bench/research.py``'s split; the held-out
part is never read here). Examples: every institution named in a development string that names two or more,
labelled 1 when it is the string's label (a string whose label is none of them gives only 0s: answering
there is wrong, which the abstention threshold must learn too). The fit is Newton's method on an
L2-penalised logistic regression over standardised features (no randomness), folded back into weights on
the raw values. The threshold (below it the string stays "ambiguous") is the one that maximises precision +
recall on loaded rows of the whole development part in 5-fold cross-validation (folds by a hash of the
string), i.e. abstention is kept only where it raises precision more than it costs recall. The script prints
the cross-validated figures of the rule alone and of the model at each threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _logistic import standardised

from research import GOLD, REGISTRY, gold_rows, held_out
from techguard.research.choice import FEATURES, MODEL_FILE
from techguard.research.index import INDEX_VERSION, load_or_build_index
from techguard.research.resolver import Resolver
from techguard.research.ror import load_registry

L2 = 1.0
ITERATIONS = 50
FOLDS = 5
VERSION = f"ror-index-v{INDEX_VERSION}/choice-lr-1"
OUT = Path(__file__).resolve().parents[1] / "src" / "techguard" / "research" / MODEL_FILE
THRESHOLDS = [round(0.05 * k, 2) for k in range(0, 15)]


@dataclass
class Row:
    text: str
    gold: str
    loaded: bool
    rule: str | None  # the resolver's answer with the hand-written rule only
    ids: list[str]  # institutions named, when two or more
    x: np.ndarray  # their features


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights on the raw feature values and bias (standardised for the fit)."""
    return standardised(x, y, l2=L2, iterations=ITERATIONS, tolerance=1e-9)


def examples(rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    multi = [r for r in rows if r.ids]
    x = np.vstack([r.x for r in multi])
    y = np.asarray([float(i == r.gold) for r in multi for i in r.ids])
    return x, y


def answers(
    rows: list[Row], weights: np.ndarray, bias: float, threshold: float, *, hybrid: bool = False
) -> list[str | None]:
    """The model's answers; ``hybrid``: the rule's answer where the rule answers, the model's only where the
    rule leaves the string "ambiguous"."""
    out: list[str | None] = []
    for r in rows:
        if not r.ids or (hybrid and r.rule is not None):
            out.append(r.rule)
            continue
        p = 1.0 / (1.0 + np.exp(-(r.x @ weights + bias)))
        best = int(np.argmax(p))
        out.append(r.ids[best] if p[best] >= threshold else None)
    return out


def score(rows: list[Row], got: list[str | None]) -> tuple[float, float, int, int]:
    answered = sum(g is not None for g in got)
    correct = sum(g == r.gold for r, g in zip(rows, got, strict=True))
    loaded_correct = sum(g == r.gold for r, g in zip(rows, got, strict=True) if r.loaded)
    return correct / max(1, answered), loaded_correct / max(1, sum(r.loaded for r in rows)), correct, answered


def fold_of(text: str) -> int:
    return int(hashlib.sha256(("fold:" + text).encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("TECHGUARD_SHARED", "../shared")) / "data"
    )
    parser.add_argument(
        "--cache", type=Path, default=Path(os.environ.get("TECHGUARD_DATA_DIR", "/tmp")) / "bench"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the figures, do not write the model")
    args = parser.parse_args()
    registry = load_registry(args.shared / REGISTRY)
    index = load_or_build_index(registry, args.cache)
    loaded = {i.ror_id for i in index.institutions}
    resolver = Resolver(index, choice=False)
    rows: list[Row] = []
    for text, gold in gold_rows(args.shared / GOLD):
        if held_out(text):
            continue  # never read here
        candidates = resolver.choice_candidates(text)
        rows.append(
            Row(
                text,
                gold,
                gold in loaded,
                resolver.resolve(text).ror_id,
                [c.ror_id for c in candidates],
                np.asarray([c.values for c in candidates], dtype=np.float64).reshape(-1, len(FEATURES)),
            )
        )
    multi = [r for r in rows if r.ids]
    print(
        f"development rows: {len(rows)}; naming two or more institutions: {len(multi)}; "
        f"label among them: {sum(r.gold in r.ids for r in multi)}"
    )
    rule = score(rows, [r.rule for r in rows])
    print(
        f"rule only: precision {rule[0]:.4f} recall (loaded) {rule[1]:.4f} ({rule[2]} of {rule[3]} answers)"
    )
    multi_rule = score(multi, [r.rule for r in multi])
    print(f"  on strings naming several: precision {multi_rule[0]:.4f} ({multi_rule[2]} of {multi_rule[3]})")

    # Cross-validated answers for every threshold: each fold scored by a model fitted on the other folds.
    cv: dict[float, list[str | None]] = {t: [None] * len(rows) for t in THRESHOLDS}
    cv_hybrid: dict[float, list[str | None]] = {t: [None] * len(rows) for t in THRESHOLDS}
    for fold in range(FOLDS):
        train = [r for r in rows if fold_of(r.text) != fold]
        weights, bias = fit(*examples(train))
        test = [k for k, r in enumerate(rows) if fold_of(r.text) == fold]
        for t in THRESHOLDS:
            got = answers([rows[k] for k in test], weights, bias, t)
            for k, g in zip(test, got, strict=True):
                cv[t][k] = g
            got = answers([rows[k] for k in test], weights, bias, t, hybrid=True)
            for k, g in zip(test, got, strict=True):
                cv_hybrid[t][k] = g
    print("cross-validated (5 folds) on the development part:")
    print("| threshold | precision | recall (loaded) | correct | answered | on strings naming several |")
    print("|---|---|---|---|---|---|")
    best_t, best_sum = 0.0, -1.0
    for t in THRESHOLDS:
        p, r, c, a = score(rows, cv[t])
        mp = score(multi, [g for row, g in zip(rows, cv[t], strict=True) if row.ids])
        print(f"| {t:.2f} | {p:.4f} | {r:.4f} | {c} | {a} | {mp[0]:.4f} ({mp[2]} of {mp[3]}) |")
        if p + r > best_sum + 1e-9:
            best_t, best_sum = t, p + r
    print(f"threshold (max precision + recall on loaded rows, cross-validated): {best_t:.2f}")
    print(
        "hybrid (the rule where it answers, the model only where the rule says 'ambiguous'), cross-validated:"
    )
    for t in THRESHOLDS:
        p, r, c, a = score(rows, cv_hybrid[t])
        print(f"| {t:.2f} | {p:.4f} | {r:.4f} | {c} | {a} |")

    weights, bias = fit(*examples(rows))
    for name, weight in sorted(zip(FEATURES, weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:22s} {weight:+.3f}")
    p, r, c, a = score(rows, answers(rows, weights, bias, best_t))
    print(
        f"fitted on all development rows, at {best_t:.2f}: precision {p:.4f} recall (loaded) {r:.4f} "
        f"({c} of {a}) — in-sample, the cross-validated figures above are the ones to judge"
    )
    if args.dry_run:
        return
    model = {
        "version": VERSION,
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(bias, 6),
        "threshold": best_t,
        "fitted_on": {
            "strings": len(multi),
            "candidates": int(sum(len(r.ids) for r in multi)),
            "l2": L2,
            "rows": "development part of the Crossref affiliation set (bench/research.py)",
        },
    }
    OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
