"""The determination memo stands an audit: labelled facts, outcomes as text, the rule tables and list snapshots
the checks ran on, the decision's reason, conditions and the 決裁欄 — in Japanese with the font embedded."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from techguard.web.cases.labels import fact_rows, outcome_label, value_text


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _font_files(pdf: bytes) -> list[str]:
    """For every font of every page: which embedded font-file key its descriptor carries (or "none")."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts = [font] + [f.get_object() for f in font.get("/DescendantFonts", [])]
            descriptors = [f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f]
            keys = [k for d in descriptors for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in d]
            found.append(keys[0] if keys else f"none:{font.get('/BaseFont')}")
    return found


@pytest.fixture()
def decided_case(make_case: Any, login: Any, users: dict[str, Any], data_dir: Any) -> Any:
    from techguard.web.cases.models import ApprovalOutcome, Case, CaseApproval
    from techguard.web.cases.provenance import current_provenance

    case = make_case("alice")
    # what workflow.run_checks stores once the lead wires it (assessment["provenance"] = current_provenance())
    case.assessment = {**case.assessment, "provenance": current_provenance()}
    case.save(update_fields=["assessment"])
    login("alice").post(f"/cases/{case.pk}/submit/")
    CaseApproval.objects.create(case=case, order=1, step_label="部局長確認", user=users["chen"],
                                outcome=ApprovalOutcome.APPROVED, comment="部局として問題なし")
    CaseApproval.objects.create(case=case, order=2, step_label="最終判断", user=users["omar"],
                                outcome=ApprovalOutcome.APPROVED)
    response = login("olga").post(f"/cases/{case.pk}/review/", {
        "decision": "approved_with_conditions", "comment": "研究室見学は公開区域に限る",
        "conditions": "実験装置の操作手順は説明しない",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    return Case.objects.get(pk=case.pk)


def test_japanese_memo_has_labels_outcomes_reason_and_approvers(decided_case, login):
    response = login("alice").get(f"/cases/{decided_case.pk}/memo.pdf?lang=ja")
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for label in ("案件番号", "研究者", "部局", "提出日時", "判断日時", "国籍", "所属・雇用主", "貨物・技術の内容",
                  "行為の種類", "関係者のスクリーニング", "適用した規則の版", "スクリーニングに使用したリストの版",
                  "自動判定の実行日時", "決裁欄"):
        assert label in text, label
    assert "物理学科" in text  # the department's Japanese name
    assert "中国 (CN)" in text and "日本 (JP)" in text  # countries by name, the code kept
    assert "Li Wei (受領者)" in text and "University (所属・雇用主)" in text  # party roles translated
    assert "(recipient)" not in text and "(employer)" not in text
    assert "Li Wei" in text and "Northwest Polytechnical University" in text
    # the reason (audited with the decision), the conditions and both signed approval steps
    assert "研究室見学は公開区域に限る" in text
    assert "実験装置の操作手順は説明しない" in text
    assert "部局長確認" in text and "chen" in text and "最終判断" in text and "omar" in text
    assert "部局として問題なし" in text
    # both outcomes as Japanese text, never as the engine's code after the jurisdiction's name
    with translation.override("ja"):
        for key, name in (("us_ear", "米国（EAR）"), ("jp_fefta", "日本（外為法）")):
            code = decided_case.assessment[key]["outcome"]
            assert f"{name}: {outcome_label(code)}" in text
            assert f"{name}: {code}" not in text
            assert outcome_label(code) != code
    # the rule tables' own dates, not the day the memo was printed
    for table, date in decided_case.assessment["tables_as_of"].items():
        assert table in text and date in text
    assert "許可が必要" in text or "許可不要" in text or "判定未了" in text or "対象外" in text


def test_memo_embeds_its_fonts(decided_case, login):
    from techguard.web.pdf_font import font_path

    if font_path() is None:
        pytest.skip("no CJK TrueType font installed (scripts/ensure-build-deps.sh installs one)")
    for lang in ("ja", "en"):
        pdf = login("alice").get(f"/cases/{decided_case.pk}/memo.pdf?lang={lang}").content
        fonts = _font_files(pdf)
        assert fonts and all(f == "/FontFile2" for f in fonts), fonts


def test_english_memo_has_english_labels_and_list_snapshots(decided_case, login, data_dir):
    from techguard.web.cases.models import Case

    # a list snapshot recorded at checking time is named with its date, snapshot and hash
    assessment = dict(decided_case.assessment)
    assessment["provenance"] = {**assessment["provenance"], "lists": [{
        "source": "us_csl", "title_en": "Consolidated Screening List", "title_ja": "統合スクリーニングリスト",
        "as_of": "2026-11-30", "snapshot_id": "us_csl-20261130", "sha256": "ab" * 32,
        "retrieved_at": "2026-12-01T03:00:00+00:00", "entries": 3,
    }]}
    Case.objects.filter(pk=decided_case.pk).update(assessment=assessment)
    text = _text(login("alice").get(f"/cases/{decided_case.pk}/memo.pdf?lang=en").content)
    assert "Nationality" in text and "Employer or affiliation" in text and "Approvals" in text
    assert "Consolidated Screening List" in text and "2026-11-30" in text and "us_csl-20261130" in text
    assert "abababababababab" in text
    assert "Reason" in text and "研究室見学は公開区域に限る" in text
    ja = _text(login("alice").get(f"/cases/{decided_case.pk}/memo.pdf?lang=ja").content)
    assert "統合スクリーニングリスト" in ja


def test_memo_says_when_list_versions_were_not_recorded(make_case, login):
    from techguard.web.cases.models import Case

    case = make_case("alice")
    # a case checked before provenance was recorded
    Case.objects.filter(pk=case.pk).update(
        assessment={k: v for k, v in case.assessment.items() if k != "provenance"})
    text = _text(login("alice").get(f"/cases/{case.pk}/memo.pdf?lang=ja").content)
    assert "記録なし（この版より前に自動判定が実行されたため）" in text
    assert "自動判定の実行日時" in text and "(監査ログによる)" in text  # when, from the case.checked event
    assert "まだ判断されていません" in text and "決裁はまだありません" in text
    english = _text(login("alice").get(f"/cases/{case.pk}/memo.pdf?lang=en").content)
    assert "Not recorded (the checks ran before this version recorded them)" in english


def test_current_provenance_names_the_active_snapshots_and_table_dates(data_dir):
    from techguard.lists.store import SnapshotStore
    from techguard.rules.engine import tables_as_of
    from techguard.web.cases.provenance import current_provenance

    watch = data_dir / "watch.csv"
    watch.write_text("id,name,kind,countries\n1,Example Dual Use Ltd,organisation,CN\n", encoding="utf-8")
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    SnapshotStore(data_dir / "lists", now=lambda: now).import_files([watch], "simple_csv")
    provenance = current_provenance()
    assert provenance["rule_tables"] == dict(sorted(tables_as_of().items()))
    assert provenance["checked_at"][:4].isdigit()
    (entry,) = provenance["lists"]
    assert entry["source"] == "custom" and len(entry["sha256"]) == 64 and entry["snapshot_id"]
    assert entry["retrieved_at"].startswith("2026-12-01")


def test_fact_rows_label_known_paths_and_show_unknown_paths():
    with translation.override("ja"):
        rows = fact_rows({"recipient": {"citizenships": ["CN"], "jp_resident": False}, "visit": {"stay_days": 30}})
        assert ("recipient.citizenships", "国籍", "中国 (CN)") in rows
        assert ("recipient.jp_resident", "受領者は居住者", "いいえ") in rows
        assert ("visit.stay_days", "visit.stay_days", "30") in rows  # unknown path shown as the path
        assert value_text("release") == "技術の開示（みなし輸出）"
        assert outcome_label("licence_required") == "許可が必要"
        assert outcome_label("some_future_code") == "some_future_code"


def test_case_page_shows_outcomes_as_text(make_case, login, users):
    from techguard.web.accounts.models import Profile

    Profile.objects.filter(user=users["alice"]).update(language="ja")
    case = make_case("alice")
    page = login("alice").get(f"/cases/{case.pk}/").content.decode()
    with translation.override("ja"):
        for key in ("us_ear", "jp_fefta"):
            code = case.assessment[key]["outcome"]
            assert f'data-code="{code}">{outcome_label(code)}</span>' in page

