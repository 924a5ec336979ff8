"""The one text layer: folding, script detection, decoding users' files and country names.

Plain typed Python (no Django), used alike by lists, matching, research, rules, the CLI and the web forms,
so each of these things is done one way only.
"""

from __future__ import annotations

from techguard import native
from techguard.text.countries import (
    AmbiguousCountry,
    CountryError,
    UnknownCountry,
    country_name,
    known_codes,
    resolve_countries,
    resolve_country,
    to_iso2,
)
from techguard.text.decode import DecodedText, TextEncodingError, decode_text, read_text
from techguard.text.fold import fold, split_cjk_runs, strip_accents
from techguard.text.scripts import Script, char_script, is_cjk, scripts_of

# compiled frozen dataclasses pickle through their constructor (techguard.native)
native.register_pickling("techguard.text")

__all__ = [
    "AmbiguousCountry",
    "CountryError",
    "DecodedText",
    "Script",
    "TextEncodingError",
    "UnknownCountry",
    "char_script",
    "country_name",
    "decode_text",
    "fold",
    "is_cjk",
    "known_codes",
    "read_text",
    "resolve_countries",
    "resolve_country",
    "scripts_of",
    "split_cjk_runs",
    "strip_accents",
    "to_iso2",
]
