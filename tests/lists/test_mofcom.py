"""China MOFCOM lists, third-party JSON parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import get_format
from techguard.lists.formats.mofcom import address_country, parse_mofcom_json
from techguard.lists.model import Name, NameType, PartyKind


def _record(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "cn-uel-1",
        "entity_name": "Test Defense Corp",
        "aliases": ["测试防务公司"],
        "addresses": ["日本东京都中央区筑地5丁目6番4号（邮编：104-0045）"],
        "entity_type": "organization",
        "list_id": "cn-unreliable-entity-list",
        "source_list_name": "不可靠实体清单 (Unreliable Entity List)",
        "reason": "不可靠実体清単に認定",
        "date_added": "2025-01-02",
        "source_url": "https://www.mofcom.gov.cn/x.html",
    }
    base.update(overrides)
    return base


def _json(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "cn.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_record_fields(tmp_path: Path) -> None:
    group = _record(
        id="cn-uel-2",
        entity_name="哈德森技术公司（Hudson Technologies Co.）等6家实体",
        aliases=[],
        addresses=["Voie de Liege 33, Herstal, Belgium（邮编：B-4040）"],
        list_id="cn-export-control-list",
    )
    result = parse_mofcom_json([_json(tmp_path, [_record(), group, _record(entity_name="Other Corp")])])
    first, second, third = result.parties
    assert first.key == "cn_mofcom:cn-uel-1"
    assert first.list == "cn_unreliable_entity"
    assert first.kind is PartyKind.ORGANISATION
    assert first.names == (Name("测试防务公司", NameType.CHINESE, "zh"),)
    assert first.countries == ("JP",)
    assert first.addresses[0].country_name == "日本"
    assert first.listed_on == "2025-01-02"
    assert second.list == "cn_export_control"
    assert second.name.startswith("哈德森")
    assert second.names == (Name("Hudson Technologies Co.", NameType.ENGLISH, "en"),)
    assert second.countries == ("BE",)
    assert third.source_id == "cn-uel-1#2"  # the snapshot reuses ids; the second use is kept apart
    assert result.counts["ids_repeated"] == 1
    assert result.counts["chinese_english_pairs"] == 2
    assert result.counts["chinese_only_names"] == 1
    assert any("used again" in w for w in result.warnings)


def test_address_country() -> None:
    assert address_country("美国加利福尼亚州圣地亚哥") == ("US", "美国")
    assert address_country("1 Main St, Springfield, United States.") == ("US", "United States")
    assert address_country("Somewhere unknown") == (None, None)


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        (_record(list_id="cn-other-list"), "list_id", "unknown list_id"),
        (_record(entity_name=""), "entity_name", "required field"),
        (_record(aliases=[1]), "aliases", "list of strings"),
        (_record(entity_type="vessel"), "entity_type", "unknown entity_type"),
        (_record(id=None), "id", "required field"),
    ],
)
def test_faults(tmp_path: Path, record: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ListFormatError, match=message) as err:
        parse_mofcom_json([_json(tmp_path, [record])])
    assert err.value.field == field


def test_registered() -> None:
    assert get_format("mofcom_json").default_source == "cn_mofcom"


def test_real_snapshot(shared: Path) -> None:
    result = parse_mofcom_json([shared / "lists" / "cn_mofcom_lists_2026-07-19"])
    counts = result.counts
    assert len(result.parties) == counts["records"] == 240
    assert counts["chinese_english_pairs"] == 234
    assert counts["list_cn_export_control"] == 139
    assert counts["list_cn_unreliable_entity"] == 61
    assert counts["list_cn_attention"] == 40
    assert len({p.source_id for p in result.parties}) == 240
    subaru = next(p for p in result.parties if p.name == "SUBARU Corporation")
    assert subaru.names == (Name("斯巴鲁株式会社", NameType.CHINESE, "zh"),)
    assert subaru.list == "cn_attention"
    assert counts["addresses_without_country"] == 0
