"""techguard.i18n: the cores' messages from gettext catalogues, a new language by catalogue alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from techguard import i18n
from techguard._build import compile_catalogue
from techguard.rules.result import Overall
from techguard.text.countries import AmbiguousCountry, UnknownCountry, resolve_country


def test_japanese_comes_from_the_catalogue() -> None:
    assert i18n.gettext("Licence required.", "ja") == "許可が必要です。"
    assert i18n.gettext("Licence required.", "ja-JP") == "許可が必要です。"  # regional forms share the language
    assert i18n.gettext("Licence required.", "en") == "Licence required."
    with pytest.raises(i18n.UnknownLanguage, match=r"'tlh'.*available en, ja"):
        i18n.gettext("Licence required.", "tlh")


def test_command_line_speaks_every_output_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TECHGUARD_LANGUAGES", raising=False)
    assert i18n.multilingual("activated") == "activated / 更新しました"
    assert i18n.multilingual("{source} is {days} days old (limit {limit})", source="x", days=9, limit=7) == (
        "x is 9 days old (limit 7) / x のリストが古くなっています（9日経過、上限7日）")
    monkeypatch.setenv("TECHGUARD_LANGUAGES", "en")
    assert i18n.multilingual("activated") == "activated"
    monkeypatch.setenv("TECHGUARD_LANGUAGES", "en,ja")
    assert i18n.multilingual("not a message anyone translated") == "not a message anyone translated"  # once


def test_overall_sentence_in_each_language() -> None:
    overall = Overall("required", ("us_ear", "jp_fefta"), approval=False)
    assert overall.text_en == "Authorisation needed: US (EAR) and Japan (外為法) — a licence (see each side for" \
        " exceptions to review)."
    assert overall.text_ja == "米国（EAR）・日本（外為法）の許可が必要です。"
    data = overall.to_json()
    assert data["text_ja"] == overall.text_ja and data["text"] == {"en": overall.text_en, "ja": overall.text_ja}


def test_country_errors_in_each_language() -> None:
    with pytest.raises(AmbiguousCountry) as caught:
        resolve_country("Korea")
    assert caught.value.localized("ja") == "「Korea」は複数の国を指します: 韓国（KR）、北朝鮮（KP） のどれかをコードか正式な国名で入力してください"
    assert str(caught.value).startswith("'Korea' is ambiguous: it may mean KR (South Korea), KP (North Korea);")
    with pytest.raises(UnknownCountry) as unknown:
        resolve_country("Atlantis")
    assert unknown.value.localized("en") == "unknown country 'Atlantis': write an ISO code (JP, US, CN) or a country name"


def test_a_new_language_is_a_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "techguard.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "{text!r} is ambiguous: it may mean {names}; write the code or the full name"\n'
        'msgstr "{text!r} est ambigu : {names} ; écrivez le code ou le nom complet"\n'
        'msgid "activated"\nmsgstr "activée"\n', encoding="utf-8")
    compile_catalogue(messages / "techguard.po")
    monkeypatch.setenv(i18n.LOCALE_PATHS_VARIABLE, str(tmp_path))
    monkeypatch.setenv("TECHGUARD_LANGUAGES", "en,ja,fr")
    assert i18n.available_languages() == ("en", "fr", "ja")
    with pytest.raises(AmbiguousCountry) as caught:
        resolve_country("Korea")
    assert caught.value.localized("fr") == "'Korea' est ambigu : KR (Corée du Sud), KP (Corée du Nord) ; écrivez le" \
        " code ou le nom complet"  # country names from CLDR, untranslated separators in English
    assert i18n.multilingual("activated") == "activated / 更新しました / activée"
    assert Overall("not_required", ("us_ear",)).to_json()["text"]["fr"].startswith("No licence")  # msgid fallback


def test_findings_are_messages_in_every_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A determination's findings are msgids with values: finding / finding_ja as before (the JSON contract), and
    ``findings`` in every language with a catalogue — a third language needs only its techguard.po."""
    from techguard.rules.activity import activity_from_mapping
    from techguard.rules.engine import assess
    from techguard.rules.result import Step

    step = Step.of("r", "c", "Japanese national living abroad ({countries}): a non-resident.",
                   countries=i18n.Joined(("US", "DE")))
    assert step.finding == "Japanese national living abroad (US, DE): a non-resident."
    assert step.finding_ja == "外国（US、DE）に住所を有する日本人は非居住者である。"  # the list separator too
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "techguard.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Destination is Japan: not an export."\nmsgstr "La destination est le Japon : pas une exportation."\n'
        'msgid ", "\nmsgstr " ; "\n', encoding="utf-8")
    compile_catalogue(messages / "techguard.po")
    monkeypatch.setenv(i18n.LOCALE_PATHS_VARIABLE, str(tmp_path))
    assert step.localized("fr") == "Japanese national living abroad (US ; DE): a non-resident."  # msgid fallback
    activity = activity_from_mapping({"activity": "export", "from_country": "JP", "to_country": "JP",
                                      "item": {"type": "commodity", "description": "x"}})
    data = assess(activity).to_json()
    [goods] = [s for s in data["jp_fefta"]["steps"] if s["finding"] == "Destination is Japan: not an export."]
    assert goods["finding_ja"] == "仕向地が本邦であり、輸出に当たらない。"
    assert goods["findings"] == {"en": goods["finding"], "fr": "La destination est le Japon : pas une exportation.",
                                 "ja": goods["finding_ja"]}
