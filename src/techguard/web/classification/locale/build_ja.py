"""Write this app's Japanese catalogue (django.po + django.mo) from the table below (no gettext needed).

Run: python src/techguard/web/classification/locale/build_ja.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

JA = {
    "Classification": "該非判定",
    "Classification search": "該非判定の候補検索",
    "Describe the item in your own words (function, key numbers). The candidates are for the export-control officer, who decides.":
        "品目を自分の言葉で記述してください（機能・主な数値）。候補は輸出管理担当者の判断材料で、判定は担当者が行います。",
    "Description": "説明",
    "Language": "言語",
    "auto": "自動",
    "Search": "検索",
    "Item master": "品目マスタ",
    "Not listed suggested — the officer decides and records the reason.": "非該当の可能性 — 判定と理由の記録は担当者が行います。",
    "Item number (項番)": "項番",
    "Ordinance article": "貨物等省令の条項",
    "Score": "スコア",
    "Text, thresholds and why": "条文・閾値・根拠",
    "query": "入力値",
    "Item name": "品名",
    "Reasons": "理由",
    "Confirm this classification": "この分類で確定",
    "No entry matched.": "一致する項目がありません。",
    "None fits: record as not listed": "該当なし: 非該当として記録",
    "Record as not listed (EAR99 / 非該当)": "非該当（EAR99）として記録",
    "Confirmed by": "確認者",
    "As of": "時点",
    "Review": "要確認",
    "entry changed: review": "条文が変更: 要確認",
    "None yet.": "まだありません。",
    "The catalogue entries this classification cites have changed since it was confirmed; review it.":
        "この判定が引用する条文が確定後に変更されました。確認してください。",
    "Legal texts as of": "法令の時点",
    "Classification confirmed.": "該非判定を確定しました。",
    # the 該非判定 step of a case (cases/_classify.html)
    "Classify the item / 該非判定": "該非判定 / Classify the item",
    "Proposed by the researcher": "研究者の提案",
    "None fits (該当なし)": "該当なし（None fits）",
    "Confirmed by the officer": "担当者が確定",
    "Show candidates": "候補を表示",
    "Propose this classification": "この分類を提案",
    "Officer: confirm or change the classification": "担当者: 分類を確定または変更",
    "Confirm and re-run the checks": "確定して判定を再実行",
    "Pick a candidate or “none fits”.": "候補か「該当なし」を選んでください。",
    "Your proposed classification was recorded; the officer confirms it.": "分類の提案を記録しました。輸出管理担当者が確定します。",
    "Classification confirmed and the checks re-run.": "該非判定を確定し、判定を再実行しました。",
}


def main() -> None:
    here = Path(__file__).resolve().parent / "ja" / "LC_MESSAGES"
    here.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(locale="ja", domain="django", project="techguard.web.classification")
    for msgid, msgstr in JA.items():
        catalog.add(msgid, msgstr)
    with (here / "django.po").open("wb") as handle:
        write_po(handle, catalog)
    with (here / "django.mo").open("wb") as handle:
        write_mo(handle, catalog)


if __name__ == "__main__":
    main()
