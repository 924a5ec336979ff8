"""The explanations' fast rounding gives the very float the builtin gives (the output bytes depend on it)."""

from __future__ import annotations

import math
import struct

from hypothesis import given
from hypothesis import strategies as st

from techguard.matching.rounding import rounded


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


@given(st.floats(allow_nan=False), st.integers(min_value=0, max_value=6))
def test_same_float_as_builtin(value: float, digits: int) -> None:
    assert _bits(rounded(value, digits)) == _bits(round(value, digits))


@given(st.integers(min_value=-10**8, max_value=10**8), st.integers(min_value=1, max_value=4))
def test_halves_and_their_neighbours(whole: int, digits: int) -> None:
    # values at and next to a decimal half, where a scaled-and-floored rounding would go wrong
    half = (whole + 0.5) / 10**digits
    for value in (half, math.nextafter(half, math.inf), math.nextafter(half, -math.inf)):
        assert _bits(rounded(value, digits)) == _bits(round(value, digits))


def test_signed_zero_and_specials() -> None:
    assert _bits(rounded(-0.00001, 4)) == _bits(-0.0)
    assert _bits(rounded(0.00001, 4)) == _bits(0.0)
    assert rounded(math.inf, 4) == math.inf
    assert math.isnan(rounded(math.nan, 4))
    assert rounded(0.59571234, 4) == 0.5957
