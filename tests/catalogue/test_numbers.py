from __future__ import annotations

import pytest

from techguard.catalogue.numbers import Parameter, check, kanji_digits_to_ascii, parameters_en, parameters_ja


@pytest.mark.parametrize(
    ("text", "expected"),
    [("一、〇〇〇", "1000"), ("〇・一", "0.1"), ("五、〇〇〇、〇〇〇", "5000000"), ("一二五度", "125度"),
     ("一、二", "1、2")],
)
def test_kanji_digits(text: str, expected: str) -> None:
    assert kanji_digits_to_ascii(text) == expected


def test_japanese_thresholds_are_read_with_units_and_direction() -> None:
    [p] = parameters_ja("〇・一ケルビン以下で動作するもの")
    assert (p.unit, p.comparator, p.value) == ("K", "<=", pytest.approx(0.1))
    adc = parameters_ja("分解能が一二ビット以上一四ビット未満のものであって、サンプルレートが四〇〇メガサンプリング毎秒を超えるもの")
    assert [(q.unit, q.comparator, q.value) for q in adc] == [
        ("bit", ">=", 12.0), ("bit", "<", 14.0), ("Sa/s", ">", 4e8)]
    [cold] = parameters_ja("零下五五度未満の温度")
    assert cold.unit == "K" and cold.value == pytest.approx(218.15)
    [big] = parameters_ja("一平方センチメートル当たり五〇兆個以上のもの。一、〇〇〇ワットを超える")
    assert big.unit == "W" and big.value == 1000


def test_english_thresholds_and_query_numbers() -> None:
    [dose] = parameters_en("A total dose of 5 × 10 3 Gy (Si), or higher;")
    assert (dose.comparator, dose.value) == (">=", 5000.0)
    [f] = parameters_en("frequencies exceeding 2.7 GHz")
    assert (f.comparator, f.value, f.unit) == (">", 2.7e9, "Hz")
    query = parameters_en("dilution fridge reaching 10 mK, ADC 12-bit 3 GS/s")
    assert [(q.unit, q.value) for q in query] == [("K", pytest.approx(0.01)), ("bit", 12.0), ("Sa/s", 3e9)]


def test_check_compares_same_unit_only() -> None:
    threshold = Parameter("temperature", "<=", 0.1, "K", "0.1 K以下")
    assert check(threshold, parameters_en("10 mK"))[0] == "meets"
    assert check(threshold, parameters_en("4 K"))[0] == "fails"
    assert check(threshold, parameters_en("3 GHz"))[0] == "unknown"


def test_unitless_counts_are_tied_to_their_noun() -> None:
    from techguard.catalogue.numbers import counts

    [legal] = counts("A maximum number of single-ended digital input/outputs of greater than 700; or")
    assert (legal.unit, legal.comparator, legal.value) == ("io", ">", 700.0)
    [ja] = counts("シングルエンド方式の最大デジタル入出力数が七〇〇を超えるもの")
    assert (ja.unit, ja.comparator, ja.value) == ("io", ">", 700.0)
    [query] = counts("Xilinx Artix-7 FPGA with 300 user I/O")
    assert check(legal, [query])[0] == "fails"
    assert counts("I/Oが2,000本のFPGA")[0].value == 2000.0


def test_micro_sign_and_sample_rate_spellings() -> None:
    # NFKC turns the micro sign into Greek mu; both must read as 10⁻⁶
    assert [(p.unit, p.value) for p in parameters_en("600 µW and 4 μm")] == [("W", 6e-4), ("m", 4e-6)]
    assert [p.value for p in parameters_en("3.2 GSa/s, 500 Msps")] == [3.2e9, 5e8]
    assert parameters_en("30 fps")[0].unit == "Hz"
