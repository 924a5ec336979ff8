"""``round(value, digits)`` for the explanations' numbers, without Python's decimal conversion.

An explanation rounds ~35 numbers per reported match (scores, each word pair's similarity, the pair model's
terms); the builtin ``round(x, n)`` formats the exact decimal expansion and parses it back (≈ 0.4 µs), which
was a measurable part of a batch's time. Scaling, taking the nearest integer and dividing gives the same double
whenever the scaled value is clearly off a half (the division of two exact numbers is correctly rounded, as
the builtin's parse is); near a half, or for huge or non-finite values, the builtin decides.
"""

from __future__ import annotations

import math

_SCALES = (1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0)
# |scaled| below this: its rounding error (≤ 2^-53 relative) is far under the tie margin below
_MAX_SCALED = 1e9
_TIE_MARGIN = 1e-6


def rounded(value: float, digits: int) -> float:
    """The same float as ``round(value, digits)`` (0 ≤ digits ≤ 6), sign of zero included."""
    scaled = value * _SCALES[digits]
    if not -_MAX_SCALED < scaled < _MAX_SCALED:
        return round(value, digits)  # huge, infinite or NaN
    below = math.floor(scaled)
    if abs(scaled - below - 0.5) < _TIE_MARGIN:
        return round(value, digits)  # a (near) half: round half to even on the exact decimal value
    nearest = below + 1.0 if scaled - below > 0.5 else float(below)
    return math.copysign(nearest / _SCALES[digits], value)


__all__ = ["rounded"]
