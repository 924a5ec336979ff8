"""Legal forms (Co., Ltd., LLC, JSC, OOO, AO, 株式会社, (株), 有限公司, 集团, ...) kept as a feature.

A legal form says little about *which* company is meant but a lot about how the name is written:
"AO X" and "X JOINT STOCK COMPANY" are the same form in two languages. So forms are taken out of the
tokens that are compared and kept as classes (``jsc``, ``llc``, ...) that agree or disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from techguard.text.fold import fold
from techguard.text.scripts import is_cjk

# Forms this short are common name words or initials elsewhere; they count only at either end of a name.
_EDGE_ONLY_MAX_LEN = 3
# Short forms that are also personal names or words (Sá, Ao, Pat, Sue, Ano, Co): when the name as written is
# known they must be written like a form (capitals or a dot) to count.
_NAME_LIKE = frozenset(
    {"ao", "sa", "as", "ab", "ag", "co", "oy", "nv", "kk", "tov", "too", "est", "pat", "nao", "pao", "sue",
     "ano", "sti", "spa", "sae"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LegalFormTable:
    latin: dict[tuple[str, ...], str]  # token sequence → class
    cjk: tuple[tuple[str, str], ...]  # (form, class), longest first
    max_phrase: int


@lru_cache(maxsize=1)
def table() -> LegalFormTable:
    latin: dict[tuple[str, ...], str] = {}
    cjk: list[tuple[str, str]] = []
    text = resources.files("techguard.matching").joinpath("data/legal_forms.tsv").read_text("utf-8")
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            klass, form = line.split("\t")
        except ValueError:
            raise ValueError(f"legal_forms.tsv line {line_no}: expected 'class<TAB>form'") from None
        if any(is_cjk(c) for c in form):
            from techguard.text.han import fold_han

            cjk.append((fold_han(form), klass))
        else:
            latin[tuple(fold(form).split())] = klass
    cjk.sort(key=lambda item: -len(item[0]))
    return LegalFormTable(latin=latin, cjk=tuple(cjk), max_phrase=max(len(k) for k in latin))


def split_legal_forms(
    tokens: tuple[str, ...], written: str | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Take legal forms out of folded Latin tokens: ``(core tokens, legal-form classes)``.

    Never empties a name: a name that is only a legal form ("COMPANY") keeps its tokens. When the name as
    ``written`` is given, a short form (AO, SA, CO, ...) only counts if it is written like one — in
    capitals or with a dot (``S.A.``, ``Co.``, ``PAO``) — so "Thomas Sá" keeps its surname.
    """
    forms = table()
    core: list[str] = []
    classes: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        for size in range(min(forms.max_phrase, n - i), 0, -1):
            phrase = tokens[i : i + size]
            klass = forms.latin.get(phrase)
            if klass is None:
                continue
            short = len("".join(phrase)) <= _EDGE_ONLY_MAX_LEN
            at_edge = i == 0 or i + size == n
            if short and not at_edge:
                continue
            ambiguous = short and "".join(phrase) in _NAME_LIKE
            if ambiguous and written is not None and not _written_as_form(phrase, written):
                continue
            classes.append(klass)
            i += size
            break
        else:
            core.append(tokens[i])
            i += 1
    if not core:
        return tokens, ()
    return tuple(core), tuple(classes)


def _written_as_form(phrase: tuple[str, ...], written: str) -> bool:
    letters = r"\.?\s*".join(re.escape(c) for c in "".join(phrase))
    capitals = re.compile(r"(?<![^\W\d_])" + letters.upper() + r"\.?(?![^\W\d_])")
    dotted = re.compile(r"(?<![^\W\d_])" + letters + r"\.", re.IGNORECASE)
    return bool(capitals.search(written) or dotted.search(written))


def split_cjk_legal_forms(run: str) -> tuple[str, tuple[str, ...]]:
    """Strip legal forms from the start and end of one unspaced CJK run (already Han-folded):
    ``三菱重工业株式会社`` → (``三菱重工业``, (``jsc``,))."""
    start, end, classes = cjk_legal_form_span(run)
    return run[start:end], classes


def cjk_legal_form_span(run: str) -> tuple[int, int, tuple[str, ...]]:
    """Like :func:`split_cjk_legal_forms` but gives the ``[start, end)`` of the core, so the same cut can
    be applied to the run as written (OpenCC folding keeps one character per character)."""
    classes: list[str] = []
    start, end = 0, len(run)
    changed = True
    while changed and end > start:
        changed = False
        core = run[start:end]
        for form, klass in table().cjk:
            if len(form) >= len(core):
                continue
            if core.endswith(form):
                end -= len(form)
            elif core.startswith(form):
                start += len(form)
            else:
                continue
            classes.append(klass)
            changed = True
            break
    return start, end, tuple(classes)


def forms_agree(query: frozenset[str], listed: frozenset[str]) -> bool | None:
    """``True`` when both name the same form, ``False`` when both name incompatible forms, else ``None``.

    The generic company forms (ltd, jsc, llc) are compatible with each other: translators render
    株式会社 as "Co., Ltd." as often as "Corporation". "group" is a naming habit, not a legal form.
    """
    q = query - {"group"}
    c = listed - {"group"}
    if not q or not c:
        return None
    if q & c:
        return True
    generic = {"ltd", "jsc", "llc"}
    if q <= generic and c <= generic:
        return None
    return False


__all__ = [
    "LegalFormTable",
    "cjk_legal_form_span",
    "forms_agree",
    "split_cjk_legal_forms",
    "split_legal_forms",
    "table",
]
