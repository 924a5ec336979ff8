"""Messages of the cores (no Django) in the user's language: the standard library's ``gettext``.

The cores write their messages in English (the msgid); translations live in gettext catalogues, one per
language, ``src/techguard/locale/<lang>/LC_MESSAGES/techguard.po`` (domain ``techguard``), compiled to ``.mo``
at install (``scripts/compile_messages.py``). A third language is a new catalogue, not a code change: copy
``ja/LC_MESSAGES/techguard.po`` to ``<lang>/…``, translate, compile. Catalogues outside the package are found
through ``TECHGUARD_LOCALE_PATHS`` (directories separated by ``os.pathsep``, searched before the package's own;
the web app reads the same variable for its Django catalogues).

Messages that interpolate values use named ``{placeholders}`` filled after translation, so translators may
reorder them: ``gettext("Unknown country {text!r}", lang).format(text=...)``.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

DOMAIN = "techguard"
SOURCE_LANGUAGE = "en"  # the msgids are English: no catalogue needed for it
PACKAGE_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALE_PATHS_VARIABLE = "TECHGUARD_LOCALE_PATHS"


class UnknownLanguage(ValueError):
    """No ``techguard`` catalogue for ``lang`` (and it is not the English source language)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        super().__init__(
            f"no translations for language {lang!r}: available {', '.join(available_languages())}"
            f" (add locale/{lang}/LC_MESSAGES/{DOMAIN}.po and run scripts/compile_messages.py)"
        )


def extra_locale_dirs() -> tuple[Path, ...]:
    """The directories named by ``TECHGUARD_LOCALE_PATHS`` (catalogues kept outside the installed package)."""
    return tuple(Path(p) for p in os.environ.get(LOCALE_PATHS_VARIABLE, "").split(os.pathsep) if p)


def locale_dirs() -> tuple[Path, ...]:
    """Where catalogues are looked for: ``TECHGUARD_LOCALE_PATHS`` first, then the package's own."""
    return (*extra_locale_dirs(), PACKAGE_LOCALE_DIR)


def _base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()  # "ja-JP" / "ja_JP" -> "ja"; regional forms share one


def available_languages() -> tuple[str, ...]:
    """English plus every language with a compiled ``techguard`` catalogue, sorted."""
    found = {SOURCE_LANGUAGE}
    for directory in locale_dirs():
        if directory.is_dir():
            found.update(p.parent.parent.name for p in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple(sorted(found))


@lru_cache(maxsize=32)
def _translations(lang: str, dirs: tuple[Path, ...]) -> _gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    for directory in dirs:
        mo = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.is_file():
            with mo.open("rb") as handle:
                return _gettext.GNUTranslations(handle)
    raise UnknownLanguage(lang)


def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of ``lang`` ("ja", "ja-JP", "en" …); :class:`UnknownLanguage` when there is none.

    Within a catalogue, a message not yet translated falls back to its English msgid (gettext's rule); the
    web test ``tests/web/test_i18n_catalogues.py`` keeps the shipped catalogues complete.
    """
    return _translations(_base(lang), locale_dirs())


def gettext(message: str, lang: str) -> str:
    """``message`` (its English msgid) in ``lang``."""
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int, lang: str) -> str:
    return translations(lang).ngettext(singular, plural, count)


def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction where it is defined (tables of messages) and translated later."""
    return message


N_ = gettext_noop


def output_languages() -> tuple[str, ...]:
    """The languages of command-line messages: ``TECHGUARD_LANGUAGES`` (the web app's setting; default ``en,ja``)
    in its order, those with a catalogue. A ``code:Name`` entry counts by its code."""
    configured = [entry.partition(":")[0].strip() for entry in os.environ.get("TECHGUARD_LANGUAGES", "en,ja").split(",")]
    available = set(available_languages())
    return tuple(code for code in configured if code in available) or (SOURCE_LANGUAGE,)


def multilingual(message: str, **values: object) -> str:
    """``message`` in every output language, joined by " / " ("activated / 更新しました"): the command line has no
    user setting, so it speaks all of them; ``values`` fill the message's ``{placeholders}`` (a localizable value in
    the language of its sentence)."""
    texts: list[str] = []
    for lang in output_languages():
        text = gettext(message, lang).format(**{key: _in(value, lang) for key, value in values.items()})
        if text not in texts:  # an untranslated message is shown once
            texts.append(text)
    return " / ".join(texts)


class Localizable(Protocol):
    """A message that can be given in any language (:class:`Message`, ``CountryError`` …)."""

    def localized(self, lang: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Message:
    """A message kept as its English msgid and the values of its ``{placeholders}``, rendered when the language is
    known: :meth:`localized` in one language (a web page, an API answer), ``str()`` in every output language
    (:func:`multilingual`: "the end … / 滞在終了日…") for the command line, logs and exceptions."""

    msgid: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def localized(self, lang: str) -> str:
        """The message in ``lang``; a value that is itself localizable (a phrase, :class:`Joined`) is given in
        ``lang`` too."""
        values = {key: _in(value, lang) for key, value in self.values.items()}
        return gettext(self.msgid, lang).format(**values)

    def __str__(self) -> str:
        texts: list[str] = []
        for lang in output_languages():  # as multilingual(), each value in the same language as its sentence
            text = self.localized(lang)
            if text not in texts:
                texts.append(text)
        return " / ".join(texts)


def _in(value: Any, lang: str) -> Any:
    localized = getattr(value, "localized", None)
    return localized(lang) if callable(localized) else value


@dataclass(frozen=True, slots=True)
class Joined:
    """Items (codes, names) listed with the language's separator (", "; "、" in Japanese), as a message value."""

    items: tuple[str, ...]

    def localized(self, lang: str) -> str:
        return gettext(", ", lang).join(self.items)


@dataclass(frozen=True, slots=True)
class Messages:
    """Several messages about one thing, joined by ``separator`` (a msgid: "; " by default, " and " is "、及び"
    in Japanese) in each language."""

    parts: tuple[Localizable, ...]
    separator: str = "; "

    def localized(self, lang: str) -> str:
        return gettext(self.separator, lang).join(part.localized(lang) for part in self.parts)

    def __str__(self) -> str:
        return self.separator.join(str(part) for part in self.parts)


__all__ = [
    "DOMAIN",
    "LOCALE_PATHS_VARIABLE",
    "N_",
    "Joined",
    "Localizable",
    "Message",
    "Messages",
    "UnknownLanguage",
    "available_languages",
    "extra_locale_dirs",
    "gettext",
    "gettext_noop",
    "locale_dirs",
    "multilingual",
    "ngettext",
    "output_languages",
    "translations",
]
