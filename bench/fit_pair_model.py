"""Fit the pair model (src/techguard/matching/data/pair_model.json) on labelled pairs from the lists.

    .venv/bin/python bench/fit_pair_model.py [--pairs-cache FILE]

Reproducible: the pairs come from bench/pairs.py (seeded sampling, split by party), the fit is Newton's
method on an L2-penalised logistic regression (no randomness) over the features and their pairwise products
(standardised for the fit, then folded back into plain weights on the raw values). The fitted model's bias is then moved so that
its best-F1 probability on the *fitting* pairs lands on the screening threshold (0.80): an alert then means
the model's best trade-off between misses and false alerts, whatever the scripts. Held-out pairs (parties
never used for fitting) are only scored, and the result printed; bench/screening.py reports them too.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _logistic import standardised
from pairs import Pair, build_pairs, calibration_names, fitting_and_held_out

from techguard.matching import ALGORITHM_VERSION, DEFAULT_THRESHOLD
from techguard.matching.pair_model import FEATURES, GENERIC_ONLY_CAP, MODEL_FILE, PairModel
from techguard.matching.screener import MODEL_FLOOR, judged_score

L2 = 10.0  # 1 gave product weights that extrapolate far from the pairs (an alignment of 0.14 at 0.95)
OFFSET_STEP = 0.05
# The fitting synthetic names are a fifth of the benchmark's and each keeps every candidate from the floor up,
# so their count is a noisy, lenient estimate: the model must alert on a tenth fewer of them than the
# alignment score alone did (at "no more", 3.06 per 1,000 on the 50,000 against 2.90)
CALIBRATION_SHARE = 0.9
ITERATIONS = 30
OUT = Path(__file__).resolve().parents[1] / "src" / "techguard" / "matching" / MODEL_FILE


def _matrix(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray([p.features for p in pairs], dtype=np.float64)
    y = np.asarray([p.label for p in pairs], dtype=np.float64)
    return x, y


def expand(x: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The features followed by every product of two of them (i ≤ j)."""
    n = x.shape[1]
    products = [(i, j) for i in range(n) for j in range(i, n)]
    return np.hstack([x, *[(x[:, i] * x[:, j])[:, None] for i, j in products]]), products


def fit_quadratic(
    x: np.ndarray, y: np.ndarray, l2: float = L2
) -> tuple[np.ndarray, list[tuple[int, int, float]], float]:
    """Linear weights, product weights and bias on the raw feature values."""
    design, products = expand(x)
    raw, bias = standardised(design, y, l2=l2, iterations=ITERATIONS, tolerance=1e-8)
    n = x.shape[1]
    interactions = [(i, j, float(w)) for (i, j), w in zip(products, raw[n:], strict=True) if abs(w) > 1e-6]
    return raw[:n], interactions, bias


def quadratic_probabilities(
    x: np.ndarray, weights: np.ndarray, interactions: list[tuple[int, int, float]], bias: float
) -> np.ndarray:
    z = x @ weights + bias
    for i, j, w in interactions:
        z = z + w * x[:, i] * x[:, j]
    return 1.0 / (1.0 + np.exp(-z))


def probabilities(x: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ weights + bias)))


def prf(scores: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float, float]:
    predicted = scores >= threshold
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    grid = np.linspace(0.05, 0.95, 181)
    return float(max(grid, key=lambda t: prf(scores, y, t)[2]))


def synthetic_alerts(pairs: list[Pair], score: Callable[[Pair], float]) -> tuple[int, int]:
    """Synthetic names (on no list) with a candidate at or above the threshold, and names seen."""
    alerted: dict[str, bool] = {}
    for pair in pairs:
        alerted[pair.query] = alerted.get(pair.query, False) or score(pair) >= DEFAULT_THRESHOLD
    return sum(alerted.values()), len(alerted)


def default_scorer(model: PairModel) -> Callable[[Pair], float]:
    """The default screener's name score of a pair (as Screener._best_key_match gives it)."""
    generic_only = FEATURES.index("generic_only")

    def score(pair: Pair) -> float:
        alignment = min(pair.raw_score, GENERIC_ONLY_CAP) if pair.features[generic_only] else pair.raw_score
        if pair.judged and alignment >= getattr(pair, "floor", MODEL_FLOOR):
            return judged_score(alignment, model.probability(pair.features), DEFAULT_THRESHOLD)
        return alignment

    return score


def calibrate_person_offset(model: PairModel, synthetic: list[Pair]) -> PairModel:
    """Lower persons' log-odds until the default screener alerts on at most CALIBRATION_SHARE of the fitting
    synthetic names the alignment score alone alerted on: the model may turn names down, never add alerts."""
    generic_only = FEATURES.index("generic_only")

    def alignment(pair: Pair) -> float:
        return min(pair.raw_score, GENERIC_ONLY_CAP) if pair.features[generic_only] else pair.raw_score

    allowed, names = synthetic_alerts(synthetic, alignment)
    offset = 0.0
    while True:
        candidate = replace(model, person_offset=offset)
        alerts, _ = synthetic_alerts(synthetic, default_scorer(candidate))
        if alerts <= CALIBRATION_SHARE * allowed or offset < -5:
            print(f"person offset {offset:+.2f}: {alerts} of {names} fitting synthetic names alert "
                  f"(alignment alone: {allowed})")  # fmt: skip
            return candidate
        offset -= OFFSET_STEP


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs-cache", type=Path, help="pickle of bench/pairs.py output (development)")
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args()
    if args.pairs_cache and args.pairs_cache.exists():
        pairs: list[Pair] = pickle.loads(args.pairs_cache.read_bytes())
    else:
        pairs = build_pairs()
        if args.pairs_cache:
            args.pairs_cache.write_bytes(pickle.dumps(pairs))
    fitting, held_out = fitting_and_held_out(pairs)
    x, y = _matrix(fitting)
    weights, interactions, bias = fit_quadratic(x, y, args.l2)
    best = best_threshold(quadratic_probabilities(x, weights, interactions, bias), y)
    # move the bias so that the best-F1 point is the screening threshold
    bias += math.log(best / (1 - best)) * -1 + math.log(DEFAULT_THRESHOLD / (1 - DEFAULT_THRESHOLD))
    hx, hy = _matrix(held_out)
    for label, (mx, my) in (("fitting", (x, y)), ("held-out", (hx, hy))):
        p, r, f = prf(quadratic_probabilities(mx, weights, interactions, bias), my, DEFAULT_THRESHOLD)
        print(f"{label}: {len(my)} pairs ({int(my.sum())} positive): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    version = f"{ALGORITHM_VERSION}/pairs-lr2-{args.l2:g}"
    fitted = PairModel(
        version=version, weights=tuple(float(w) for w in weights), bias=bias, threshold=DEFAULT_THRESHOLD,
        interactions=tuple(interactions), _quadratic=_quadratic(interactions),
    )  # fmt: skip
    fitted = calibrate_person_offset(fitted, calibration_names(pairs))
    for label, chosen in (("fitting", fitting), ("held-out", held_out)):
        score = default_scorer(fitted)
        labels = np.asarray([p.label for p in chosen], dtype=np.float64)
        p, r, f = prf(np.asarray([score(pair) for pair in chosen]), labels, DEFAULT_THRESHOLD)
        print(f"default screener, {label}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    model = {
        "version": version,
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "interactions": [[i, j, round(w, 6)] for i, j, w in interactions],
        "bias": round(bias, 6),
        "threshold": DEFAULT_THRESHOLD,
        "person_offset": round(fitted.person_offset, 6),
        "fitted_on": {"pairs": len(fitting), "positive": int(y.sum()), "l2": args.l2},
    }
    OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    for name, weight in sorted(zip(FEATURES, weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:28s} {weight:+.3f}")
    print(f"wrote {OUT}")


def _quadratic(interactions: list[tuple[int, int, float]]) -> np.ndarray:
    quadratic = np.zeros((len(FEATURES), len(FEATURES)))
    for i, j, weight in interactions:
        quadratic[i, j] += weight
    return quadratic


if __name__ == "__main__":
    main()
