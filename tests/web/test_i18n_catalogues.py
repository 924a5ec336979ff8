"""The translations: every Japanese catalogue complete, every message of the code translated, a new language
added by a catalogue alone (docs/admin-guide.md, Translations).

The extraction tests scan the whole web app and the cores (a few seconds); they are not marked ``slow`` so they
run in every ``make test``. When one fails, its message lists each msgid without Japanese and where it is used:
add those entries to the catalogue of the app that uses them (append at the end of its ``django.po``, or of
``src/techguard/locale/ja/LC_MESSAGES/techguard.po`` for the cores).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from techguard import i18n
from techguard._build import compile_catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "techguard"
WEB = SRC / "web"
JA_CATALOGUES = sorted(p for p in SRC.rglob("*.po") if p.parent.parent.name == "ja")

# Django's gettext functions (django.utils.translation) and the cores' (techguard.i18n): name -> argument spec
_DJANGO_KEYWORDS: dict[str, Any] = {
    "_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None, "N_": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}
_CORE_KEYWORDS: dict[str, Any] = {
    "gettext": None, "gettext_noop": None, "N_": None, "ngettext": (1, 2), "multilingual": None,
    "Message": None,  # techguard.i18n.Message(msgid, values)
}


# --- (a) the catalogues themselves -------------------------------------------------------------------------------

_ENTRY_KEY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _raw_keys(path: Path) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry as written — Babel's reader merges duplicates, so read the file itself."""
    keys: list[tuple[str | None, str]] = []
    field, context, msgid = "", None, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):  # obsolete entries are not compiled
            continue
        if (match := _ENTRY_KEY.match(line)) is not None:
            name, text = match.groups()
            if field == "msgid" and name != "msgid":  # the msgid is complete: record it once
                if msgid:  # the header has an empty msgid
                    keys.append((context, msgid))
                context = None
            if name == "msgctxt":
                context = text
            elif name == "msgid":
                msgid = text
            field = name if name != "msgctxt" else "msgctxt"
            if name == "msgctxt":
                context = text
        elif (match := _CONTINUATION.match(line)) is not None:
            if field == "msgid":
                msgid += match.group(1)
            elif field == "msgctxt":
                context = (context or "") + match.group(1)
    return keys


@pytest.mark.parametrize("po_path", JA_CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_japanese_catalogue_is_complete(po_path: Path) -> None:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    keys = _raw_keys(po_path)
    duplicates = sorted({key for key in keys if keys.count(key) > 1}, key=str)
    assert not untranslated, f"{po_path}: entries without Japanese: {untranslated}"
    assert not fuzzy, f"{po_path}: fuzzy entries (left out of the .mo): {fuzzy}"
    assert not duplicates, f"{po_path}: msgids given more than once (msgfmt refuses the file): {duplicates}"


def test_duplicate_check_sees_duplicates(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Yes"\nmsgstr "はい"\n\nmsgid "Yes"\nmsgstr "はい"\n\n'
                  'msgctxt "answer"\nmsgid "Yes"\nmsgstr "はい"\n\nmsgid ""\n"No"\nmsgstr "いいえ"\n', encoding="utf-8")
    assert _raw_keys(po) == [(None, "Yes"), (None, "Yes"), ("answer", "Yes"), (None, "No")]


# --- (b) every message in the code has Japanese ---------------------------------------------------------------------

Message = tuple[str | None, str | tuple[str, ...]]  # (context, msgid or (singular, plural))


def _python_messages(path: Path, keywords: dict[str, Any]) -> Iterator[tuple[Message, int]]:
    with path.open("rb") as handle:
        for lineno, message, _comments, context in extract("python", handle, keywords=keywords):
            yield (context, message), lineno


def _template_messages(path: Path) -> Iterator[tuple[Message, int]]:
    # Django's own template-to-Python step (what makemessages runs), then Babel's Python extractor: no GNU gettext
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for lineno, message, _comments, context in extract("python", io.BytesIO(code.encode("utf-8")),
                                                       keywords=_DJANGO_KEYWORDS):
        yield (context, message), lineno


def _web_messages() -> dict[Message, list[str]]:
    found: dict[Message, list[str]] = {}
    for path in sorted(WEB.rglob("*")):
        if "migrations" in path.parts or "__pycache__" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            messages = _python_messages(path, _DJANGO_KEYWORDS)
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            messages = _template_messages(path)
        else:
            continue
        for message, lineno in messages:
            found.setdefault(message, []).append(f"{path.relative_to(SRC.parent)}:{lineno}")
    return found


def _core_messages() -> dict[Message, list[str]]:
    found: dict[Message, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if WEB in path.parents or path.name == "i18n.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "techguard.i18n" not in text:
            continue
        for message, lineno in _python_messages(path, _CORE_KEYWORDS):
            found.setdefault(message, []).append(f"{path.relative_to(SRC.parent)}:{lineno}")
    return found


def _catalogue_key(message: Message) -> str | tuple[str, int]:
    context, msgid = message
    singular = msgid[0] if isinstance(msgid, tuple) else msgid
    key = f"{context}\x04{singular}" if context else singular
    return (key, 0) if isinstance(msgid, tuple) else key


def _report(missing: dict[Message, list[str]]) -> str:
    lines = [f"{len(missing)} msgid(s) without Japanese (add them to the app's ja django.po / techguard.po):"]
    for (context, msgid), where in sorted(missing.items(), key=lambda item: item[1][0]):
        shown = msgid[0] if isinstance(msgid, tuple) else msgid
        lines.append(f"  {where[0]}{' (+' + str(len(where) - 1) + ')' if len(where) > 1 else ''}: "
                     f"{'[' + context + '] ' if context else ''}{shown!r}")
    return "\n".join(lines)


def test_extraction_finds_template_python_and_plural_messages() -> None:
    messages = _web_messages()
    assert (None, "Log in") in messages  # {% translate %} in registration/login.html
    assert any(isinstance(msgid, tuple) for _context, msgid in messages)  # ngettext / blocktranslate count
    assert len(messages) > 300


def test_every_web_message_has_japanese() -> None:
    catalog = trans_real.translation("ja")._catalog  # the merged catalogue Django serves for ja
    missing = {m: where for m, where in _web_messages().items() if _catalogue_key(m) not in catalog}
    assert not missing, _report(missing)


def test_every_core_message_has_japanese() -> None:
    translations = i18n.translations("ja")
    catalog: dict[Any, str] = translations._catalog  # type: ignore[attr-defined]  # GNUTranslations' mapping
    messages = _core_messages()
    assert (None, "Licence required.") in messages  # rules/text.py, marked with N_
    assert (None, "{source} is {days} days old (limit {limit})") in messages  # commands/lists.py, multilingual()
    missing = {m: where for m, where in messages.items() if _catalogue_key(m) not in catalog}
    assert not missing, _report(missing)


# --- (c) a third language is a catalogue, not a code change -----------------------------------------------------


@pytest.fixture()
def xx_locale(tmp_path: Path) -> Path:
    """A throw-away language ``xx`` with one web message and one core message translated."""
    messages = tmp_path / "xx" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: xx\\n"\n\n'
    (messages / "django.po").write_text(header + 'msgid "Log in"\nmsgstr "XX-LOGIN"\n', encoding="utf-8")
    (messages / "techguard.po").write_text(header + 'msgid "Licence required."\nmsgstr "XX-LICENCE"\n',
                                           encoding="utf-8")
    compile_catalogue(messages / "django.po")
    compile_catalogue(messages / "techguard.po")
    return tmp_path


def test_languages_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from techguard.web import settings as web_settings

    monkeypatch.setenv("TECHGUARD_LANGUAGES", "en,ja,fr,xx:Test language")
    assert [code for code, _name in web_settings._languages()] == ["en", "ja", "fr", "xx"]
    monkeypatch.setenv("TECHGUARD_LANGUAGES", "en,xx")
    with pytest.raises(ImproperlyConfigured, match="'xx' is not a code Django knows"):
        web_settings._languages()
    monkeypatch.setenv("TECHGUARD_LANGUAGES", "ja")
    with pytest.raises(ImproperlyConfigured, match="must include 'en'"):
        web_settings._languages()


@pytest.mark.django_db
def test_a_third_language_needs_only_its_catalogue(xx_locale: Path) -> None:
    from django.conf import settings

    with override_settings(LANGUAGES=[*settings.LANGUAGES, ("xx", "Test language")],
                           LOCALE_PATHS=[xx_locale, *settings.LOCALE_PATHS]):
        page = Client(headers={"accept-language": "xx"}).get("/login/")
        assert page.status_code == 200
        assert "XX-LOGIN" in page.content.decode()
        with translation.override("ja"):  # the other languages are untouched
            assert translation.gettext("Log in") != "XX-LOGIN"


def test_a_third_language_reaches_the_cores(xx_locale: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.LOCALE_PATHS_VARIABLE, str(xx_locale))
    assert "xx" in i18n.available_languages()
    assert i18n.gettext("Licence required.", "xx") == "XX-LICENCE"
    assert i18n.gettext("Not subject to the EAR: no US licence is needed.", "xx").startswith("Not subject")  # msgid
    with pytest.raises(i18n.UnknownLanguage, match="'yy'"):
        i18n.gettext("Licence required.", "yy")


def test_uncompiled_catalogues_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from techguard.web import translation_checks

    messages = tmp_path / "web" / "locale" / "ja" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = messages / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    monkeypatch.setattr(translation_checks, "SOURCE", tmp_path)
    [warning] = translation_checks.catalogues_compiled()
    assert warning.id == "techguard.i18n.W001" and "web/locale/ja/LC_MESSAGES/django.po" in warning.msg
    compile_catalogue(po)
    assert translation_checks.catalogues_compiled() == []
