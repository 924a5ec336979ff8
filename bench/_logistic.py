"""The one fit behind the benchmarks' fitted models (bench/fit_pair_model.py, bench/fit_research_choice.py):
an L2-penalised logistic regression by Newton's method — deterministic, no randomness — optionally on
standardised features, folded back into weights on the raw values."""

from __future__ import annotations

import numpy as np


def newton(
    x: np.ndarray, y: np.ndarray, *, l2: float, iterations: int, tolerance: float
) -> tuple[np.ndarray, float]:
    """Weights and bias of ``x``'s columns; the bias is not penalised."""
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < tolerance:
            break
    return beta[:-1], float(beta[-1])


def standardised(
    x: np.ndarray, y: np.ndarray, *, l2: float, iterations: int, tolerance: float
) -> tuple[np.ndarray, float]:
    """:func:`newton` on standardised columns (so the penalty weighs every feature alike), returned as weights
    and bias on the raw values; a constant column gets weight 0."""
    mean, spread = x.mean(axis=0), x.std(axis=0)
    constant = spread < 1e-9
    spread[constant] = 1.0
    weights, bias = newton((x - mean) / spread, y, l2=l2, iterations=iterations, tolerance=tolerance)
    weights = weights / spread
    weights[constant] = 0.0
    return weights, bias - float(np.sum(weights * mean))
