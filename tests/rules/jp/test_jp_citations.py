"""The provisions the engine cites exist in e-Gov's XML of 外為法 and 輸出令 and say what the engine relies on."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

FEFTA = "324AC0000000228_20250601_504AC0000000068.xml"
EXPORT_ORDER = "324CO0000000378_20260214_507CO0000000376.xml"
IROHA = "イロハニホヘト"


def provision(root: ET.Element, article: str, paragraph: str = "1", item: str = "", subitem: str = "") -> str:
    found = [
        a for a in root.iter("Article") if a.get("Num") == article and a.find("ArticleTitle") is not None
    ]
    assert found, f"第{article}条 not found"
    node = found[0].find(f"Paragraph[@Num='{paragraph}']")
    assert node is not None, f"第{article}条{paragraph}項 not found"
    if item:
        node = node.find(f"Item[@Num='{item}']")
        assert node is not None, f"第{article}条{paragraph}項{item}号 not found"
    if subitem:
        node = node.find(f"Subitem1[@Num='{IROHA.index(subitem) + 1}']")
        assert node is not None, f"第{article}条{paragraph}項{item}号{subitem} not found"
    return re.sub(r"\s+", "", "".join(node.itertext()))


@pytest.fixture(scope="module")
def fefta(shared: Path) -> ET.Element:
    return ET.parse(shared / "rules" / "egov_xml" / FEFTA).getroot()


@pytest.fixture(scope="module")
def export_order(shared: Path) -> ET.Element:
    return ET.parse(shared / "rules" / "egov_xml" / EXPORT_ORDER).getroot()


def test_fefta_25_1_has_both_limbs(fefta: ET.Element) -> None:
    text = provision(fefta, "25")
    assert (
        "特定国」という。）において提供することを目的とする取引を行おうとする居住者若しくは非居住者" in text
    )  # 前段
    assert "特定技術を特定国の非居住者に提供することを目的とする取引を行おうとする居住者" in text  # 後段


def test_fefta_6_defines_residents(fefta: ET.Element) -> None:
    assert "本邦内に住所又は居所を有する自然人" in provision(fefta, "6", "1", "5")
    assert "居住者以外の自然人及び法人" in provision(fefta, "6", "1", "6")


def test_fefta_48_1_is_the_goods_licence(fefta: ET.Element) -> None:
    assert (
        "特定の種類の貨物の輸出をしようとする者は、政令で定めるところにより、経済産業大臣の許可"
        in provision(fefta, "48")
    )


def test_export_order_1_3_reaches_group_a_only_by_notice(export_order: ET.Element) -> None:
    text = provision(export_order, "1", "3")
    assert "一六の項の中欄に掲げる貨物を別表第三に掲げる地域を仕向地として" in text
    assert "法第四十八条第二項" in text


def test_export_order_4_1_3_and_4_are_the_catch_all_exemptions(export_order: ET.Element) -> None:
    assert "一六の項（一）に掲げる貨物" in provision(export_order, "4", "1", "3")
    assert "核兵器等の開発等のために用いられるおそれ" in provision(export_order, "4", "1", "3", "イ")
    assert "一の項の中欄に掲げる貨物" in provision(export_order, "4", "1", "3", "ハ")
    item4 = provision(export_order, "4", "1", "4")
    assert "一六の項（二）に掲げる貨物" in item4
    # ハ (conventional 用途) only for 別表第三の二 destinations: elsewhere イ, ロ and ニ only
    assert (
        "別表第三の二に掲げる地域以外の地域を仕向地として輸出しようとする場合にあつては、イ、ロ及びニ"
        in item4
    )


def test_export_order_4_1_5_is_the_small_value_exemption(export_order: ET.Element) -> None:
    text = provision(export_order, "4", "1", "5")
    assert "五から一三まで又は一五の項の中欄に掲げる貨物" in text
    assert "百万円（別表第三の三に掲げる貨物にあつては、五万円）以下" in text
    assert "別表第四に掲げる地域以外の地域を仕向地" in text


def test_export_order_4_2_3_group_a_exempt_unless_informed(export_order: ET.Element) -> None:
    assert "通知を受けたとき" in provision(export_order, "4", "2", "3")


def test_fefta_25_3_1_i_covers_taking_recorded_media_abroad(fefta: ET.Element) -> None:
    assert "特定技術を内容とする情報が記載され、又は記録された文書、図画又は記録媒体" in provision(
        fefta, "25", "3"
    )
