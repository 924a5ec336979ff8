"""Numbers and thresholds in legal text and in researchers' queries.

The 貨物等省令 writes numbers positionally in kanji with 「、」 as thousands separator and 「・」 as the decimal
point (「一、〇〇〇」 = 1000, 「〇・一ケルビン」 = 0.1 K, 「五〇兆個」 = 5×10¹³); the CCL writes ``5 × 10 3 Gy``
(the eCFR's superscript flattened), ``1,000`` and ``0.1 K``. Both become :class:`Parameter` values in one
base unit per quantity, so a query's "100 mK" can be compared with 「〇・一ケルビン」.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_KANJI_DIGIT = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
                "八": "8", "九": "9"}
_MYRIAD = {"万": 1e4, "億": 1e8, "兆": 1e12}
# A positional kanji number: digits with 、 (thousands) and ・ (decimal point) between digits.
_KANJI_RUN = re.compile(r"[〇一二三四五六七八九](?:[〇一二三四五六七八九]|[、・](?=[〇一二三四五六七八九]))*")


def kanji_digits_to_ascii(text: str) -> str:
    """Rewrite positional kanji numbers as ASCII: 「一、〇〇〇」 → ``1000``, 「〇・一」 → ``0.1``.

    Single kanji that are words (「一又は二以上」, 「第一号」) are rewritten too; callers use the result only to
    find quantities, never to show. Grouping commas (「、」 between digit groups of three) are dropped.
    """

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        # 「、」 is a thousands separator only when followed by exactly three digits
        parts = re.split(r"、", run)
        if len(parts) > 1 and not all(len(p.split("・")[0]) == 3 for p in parts[1:]):
            return "、".join("".join(_KANJI_DIGIT.get(c, c) for c in p).replace("・", ".") for p in parts)
        return "".join(_KANJI_DIGIT.get(c, c) for c in "".join(parts)).replace("・", ".")

    return _KANJI_RUN.sub(replace, text)


@dataclass(frozen=True, slots=True)
class Unit:
    quantity: str  # "frequency", "temperature", …
    base: str  # the base unit values are stored in
    factor: float  # value in this unit × factor = value in base
    offset: float = 0.0  # for °C → K


def _u(quantity: str, base: str, factor: float, offset: float = 0.0) -> Unit:
    return Unit(quantity, base, factor, offset)


# NFKC turns the micro sign (U+00B5) into Greek mu (U+03BC): both are accepted
_PREFIX_EN = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "m": 1e-3, "µ": 1e-6, "μ": 1e-6, "u": 1e-6,
              "n": 1e-9, "p": 1e-12}
_PREFIX_JA = {"": 1.0, "キロ": 1e3, "メガ": 1e6, "ギガ": 1e9, "テラ": 1e12, "ペタ": 1e15, "ミリ": 1e-3,
              "マイクロ": 1e-6, "ナノ": 1e-9, "ピコ": 1e-12, "フェムト": 1e-15}

# Unit words → Unit (prefixes are applied separately). Longest alternatives first in the regex.
_UNITS_JA: dict[str, Unit] = {
    "サンプリング毎秒": _u("sample rate", "Sa/s", 1.0),
    "サンプル毎秒": _u("sample rate", "Sa/s", 1.0),
    "ヘルツ": _u("frequency", "Hz", 1.0),
    "ケルビン": _u("temperature", "K", 1.0),
    "度": _u("temperature", "K", 1.0, 273.15),
    "ビット": _u("resolution", "bit", 1.0),
    "ワット": _u("power", "W", 1.0),
    "メートル毎秒": _u("speed", "m/s", 1.0),
    "メートル": _u("length", "m", 1.0),
    "秒": _u("time", "s", 1.0),
    "グレイ": _u("dose", "Gy", 1.0),
    "パーセント": _u("ratio", "%", 1.0),
    "グラム": _u("mass", "kg", 1e-3),
    "テスラ": _u("magnetic field", "T", 1.0),
    "パスカル": _u("pressure", "Pa", 1.0),
    "デシベル": _u("level", "dB", 1.0),
    "ボルト": _u("voltage", "V", 1.0),
    "アンペア": _u("current", "A", 1.0),
    "ジュール": _u("energy", "J", 1.0),
    "電子ボルト": _u("particle energy", "eV", 1.0),
    "実効テラ演算": _u("APP", "WT", 1.0),
    "画素": _u("pixels", "px", 1.0),
    "ニュートン": _u("force", "N", 1.0),
    "キュービット": _u("qubits", "qubit", 1.0),
    "量子ビット": _u("qubits", "qubit", 1.0),
    "軸": _u("axes", "axis", 1.0),
}
_UNITS_EN: dict[str, Unit] = {
    "Hz": _u("frequency", "Hz", 1.0),
    "S/s": _u("sample rate", "Sa/s", 1.0),
    "Sps": _u("sample rate", "Sa/s", 1.0),
    "SPS": _u("sample rate", "Sa/s", 1.0),
    "sps": _u("sample rate", "Sa/s", 1.0),
    "Sa/s": _u("sample rate", "Sa/s", 1.0),
    "fps": _u("frequency", "Hz", 1.0),
    "frames per second": _u("frequency", "Hz", 1.0),
    "samples per second": _u("sample rate", "Sa/s", 1.0),
    "K": _u("temperature", "K", 1.0),
    "kelvin": _u("temperature", "K", 1.0),
    "°C": _u("temperature", "K", 1.0, 273.15),
    "℃": _u("temperature", "K", 1.0, 273.15),
    "bit": _u("resolution", "bit", 1.0),
    "bits": _u("resolution", "bit", 1.0),
    "W": _u("power", "W", 1.0),
    "m/s": _u("speed", "m/s", 1.0),
    "m": _u("length", "m", 1.0),
    "s": _u("time", "s", 1.0),
    "Gy": _u("dose", "Gy", 1.0),
    "%": _u("ratio", "%", 1.0),
    "percent": _u("ratio", "%", 1.0),
    "g": _u("mass", "kg", 1e-3),
    "T": _u("magnetic field", "T", 1.0),
    "Pa": _u("pressure", "Pa", 1.0),
    "dB": _u("level", "dB", 1.0),
    "dBm": _u("power level", "dBm", 1.0),
    "V": _u("voltage", "V", 1.0),
    "A": _u("current", "A", 1.0),
    "J": _u("energy", "J", 1.0),
    "eV": _u("particle energy", "eV", 1.0),
    "WT": _u("APP", "WT", 1.0),
    "TOPS": _u("operations", "OPS", 1e12),
    "FLOPS": _u("operations", "OPS", 1.0),
    "N": _u("force", "N", 1.0),
    "qubits": _u("qubits", "qubit", 1.0),
    "qubit": _u("qubits", "qubit", 1.0),
    "axes": _u("axes", "axis", 1.0),
    "axis": _u("axes", "axis", 1.0),
    "pixels": _u("pixels", "px", 1.0),
    "I/O": _u("I/O count", "io", 1.0),
}

_NUMBER = r"(?P<num>[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:\s*[×x]\s*10\s*(?P<exp>[-−]?\d+))?)"
_JA_UNIT_RE = "|".join(sorted(map(re.escape, _UNITS_JA), key=len, reverse=True))
_JA_PREFIX_RE = "|".join(p for p in _PREFIX_JA if p)
_EN_UNIT_RE = "|".join(sorted(map(re.escape, _UNITS_EN), key=len, reverse=True))

_JA_QUANTITY = re.compile(
    rf"(?P<neg>零下|マイナス)?{_NUMBER}\s*(?P<myr>[万億兆])?\s*(?P<prefix>{_JA_PREFIX_RE})?(?P<unit>{_JA_UNIT_RE})"
    r"(?P<tail>を超える|を超え|以上|以下|未満|より低い|より高い|を超えない|より小さい|より大きい|より短い|より長い)?"
)
_EN_BEFORE = (
    r"(?P<before>exceeding|more than|greater than|higher than|above|over|at least|not exceeding|"
    r"less than|lower than|below|under|up to|equal to or (?:more|greater|less) than|≥|>=|>|≤|<=|<)?\s*"
)
_EN_QUANTITY = re.compile(
    _EN_BEFORE
    + _NUMBER
    + rf"[\s-]*(?P<prefix>[kKMGTmµμunp])?(?P<unit>{_EN_UNIT_RE})(?![A-Za-z])"
    + r"(?:\s*\([^)]{0,20}\))?,?(?P<after>\s+or (?:more|higher|greater|above|less|lower|below))?",
)

_COMPARATOR_JA = {"を超える": ">", "を超え": ">", "以上": ">=", "以下": "<=", "未満": "<", "より低い": "<",
                  "より高い": ">", "を超えない": "<=", "より小さい": "<", "より大きい": ">", "より短い": "<",
                  "より長い": ">"}


@dataclass(frozen=True, slots=True)
class Parameter:
    """One quantity a control turns on: ``frequency > 4.0e10 Hz`` with the words it was read from."""

    quantity: str
    comparator: str  # ">", ">=", "<", "<=", "=" (a number in a query, or a threshold without a direction)
    value: float
    unit: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"quantity": self.quantity, "comparator": self.comparator, "value": self.value,
                "unit": self.unit, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Parameter:
        return cls(str(data["quantity"]), str(data["comparator"]), float(str(data["value"])), str(data["unit"]),
                   str(data["text"]))


def _number(match: re.Match[str]) -> float:
    raw = match.group("num").replace(",", "").replace("−", "-")
    exp = match.group("exp")
    if exp:
        base = raw.split("×")[0].split("x")[0].strip()
        return float(base) * 10.0 ** int(exp.replace("−", "-"))
    return float(raw)


def parameters_ja(text: str) -> list[Parameter]:
    """Quantities with units in Japanese legal or query text (kanji numerals are normalised first)."""
    normalised = unicodedata.normalize("NFKC", kanji_digits_to_ascii(text))
    out: list[Parameter] = []
    for match in _JA_QUANTITY.finditer(normalised):
        unit = _UNITS_JA[match.group("unit")]
        value = _number(match)
        if match.group("myr"):
            value *= _MYRIAD[match.group("myr")]
        value *= _PREFIX_JA[match.group("prefix") or ""]
        if match.group("neg"):
            value = -value
        value = value * unit.factor + unit.offset
        comparator = _COMPARATOR_JA.get(match.group("tail") or "", "=")
        out.append(Parameter(unit.quantity, comparator, value, unit.base, match.group(0)))
    return out


def parameters_en(text: str) -> list[Parameter]:
    """Quantities with units in English legal or query text (``exceeding 40 GHz``, ``100 mK``, ``1,000 I/O``)."""
    normalised = unicodedata.normalize("NFKC", text)
    out: list[Parameter] = []
    for match in _EN_QUANTITY.finditer(normalised):
        unit_word = match.group("unit")
        prefix = match.group("prefix") or ""
        if unit_word not in _UNITS_EN:
            continue
        unit = _UNITS_EN[unit_word]
        # "m" alone after a prefix letter is ambiguous (mm vs "m" prefix); only prefix SI units
        value = _number(match) * _PREFIX_EN.get(prefix, 1.0)
        if unit_word in ("%", "bit", "bits", "qubits", "qubit", "axes", "axis", "pixels", "I/O", "WT", "dB",
                         "dBm", "°C", "℃", "fps", "frames per second") and prefix:
            continue
        value = value * unit.factor + unit.offset
        before = (match.group("before") or "").lower()
        after = (match.group("after") or "").strip().lower()
        comparator = "="
        if before in ("exceeding", "more than", "greater than", "higher than", "above", "over", ">"):
            comparator = ">"
        elif before in ("at least", "≥", ">=", "equal to or more than", "equal to or greater than"):
            comparator = ">="
        elif before in ("less than", "lower than", "below", "under", "<"):
            comparator = "<"
        elif before in ("not exceeding", "up to", "≤", "<=", "equal to or less than"):
            comparator = "<="
        elif after.endswith(("more", "higher", "greater", "above")):
            comparator = ">="
        elif after.endswith(("less", "lower", "below")):
            comparator = "<="
        out.append(Parameter(unit.quantity, comparator, value, unit.base, match.group(0).strip()))
    return out


# Counts the lists state without a unit ("input/outputs of greater than 700", 「入出力数が七〇〇を超える」):
# the noun decides what is counted. (noun pattern, count unit)
_COUNT_NOUNS_EN = (
    (r"(?:digital )?(?:input/outputs?|i/os?|user i/os?|ios)", "io"),
    (r"channels?", "channel"),
    (r"(?:terminals?|pins?)", "pin"),
)
_COUNT_NOUNS_JA = (
    (r"(?:デジタル)?入出力(?:数|ピン数|ピン)?|I/O", "io"),
    (r"チャネル(?:の数|数)?|チャンネル(?:の数|数)?", "channel"),
    (r"端子数|ピン数", "pin"),
)
_EN_COMPARE = {"greater than": ">", "more than": ">", "exceeding": ">", "over": ">", "at least": ">=",
               "less than": "<", "fewer than": "<"}
_JA_COMPARE = {"を超える": ">", "を超え": ">", "以上": ">=", "未満": "<", "以下": "<="}
_NUM = r"(\d+(?:,\d{3})*)"


def counts(text: str) -> list[Parameter]:
    """Unit-less counts tied to a counted noun, in legal text (with a comparator) or a query (without)."""
    normalised = unicodedata.normalize("NFKC", kanji_digits_to_ascii(text))
    lowered = normalised.lower()
    out: list[Parameter] = []
    for noun, unit in _COUNT_NOUNS_EN:
        compare = "|".join(map(re.escape, _EN_COMPARE))
        for m in re.finditer(rf"\b{noun}\b[^.;]{{0,30}}?\b({compare})\s+{_NUM}", lowered):
            out.append(Parameter(f"{unit} count", _EN_COMPARE[m.group(1)], float(m.group(2).replace(",", "")), unit,
                                 m.group(0)))
        for m in re.finditer(rf"{_NUM}\s+(?:[a-z-]+\s+)?{noun}\b", lowered):
            out.append(Parameter(f"{unit} count", "=", float(m.group(1).replace(",", "")), unit, m.group(0)))
    for noun, unit in _COUNT_NOUNS_JA:
        compare = "|".join(map(re.escape, _JA_COMPARE))
        for m in re.finditer(rf"(?:{noun})が{_NUM}(?:本|個|ピン)?({compare})?", normalised, re.I):
            comparator = _JA_COMPARE.get(m.group(2) or "", "=")
            out.append(Parameter(f"{unit} count", comparator, float(m.group(1).replace(",", "")), unit, m.group(0)))
        for m in re.finditer(rf"{_NUM}\s*(?:本の|個の)?(?:{noun})", normalised, re.I):
            out.append(Parameter(f"{unit} count", "=", float(m.group(1).replace(",", "")), unit, m.group(0)))
    return out


def parameters(text: str) -> list[Parameter]:
    """Quantities in text of either language (both readers; duplicates by value and unit dropped)."""
    seen: set[tuple[str, str, float]] = set()
    out: list[Parameter] = []
    for parameter in [*parameters_ja(text), *parameters_en(text), *counts(text)]:
        key = (parameter.unit, parameter.comparator, round(parameter.value, 12))
        if key not in seen:
            seen.add(key)
            out.append(parameter)
    return out


def check(threshold: Parameter, measured: list[Parameter]) -> tuple[str, Parameter | None]:
    """``meets`` / ``fails`` / ``unknown`` for one threshold against the query's numbers of the same unit."""
    same = [m for m in measured if m.unit == threshold.unit]
    if not same or threshold.comparator == "=":
        return "unknown", None
    value = same[0].value
    ok = {
        ">": value > threshold.value,
        ">=": value >= threshold.value,
        "<": value < threshold.value,
        "<=": value <= threshold.value,
    }[threshold.comparator]
    return ("meets" if ok else "fails"), same[0]


__all__ = ["Parameter", "check", "counts", "kanji_digits_to_ascii", "parameters", "parameters_en", "parameters_ja"]
