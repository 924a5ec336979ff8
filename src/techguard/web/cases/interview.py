"""The interview: turn the engine's missing facts into form fields typed from the activity model.

A missing fact names a dotted path in :class:`techguard.rules.activity.Activity` (``recipient.citizenships``);
the field type comes from the dataclass annotations, so a new fact the engine asks for needs no new form code.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from techguard.rules.activity import Activity


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # "bool" | "choice" | "list" | "date" | "number" | "text"
    choices: tuple[str, ...] = ()
    item_choices: tuple[str, ...] = ()  # for a list of enum values


@functools.cache
def field_spec(path: str) -> FieldSpec:
    """The type of the activity field at ``path``; KeyError when there is no such field. Cached: the activity
    model is fixed for the process, and resolving its type hints costs milliseconds on every case page."""
    tp: Any = Activity
    for part in path.split("."):
        tp = _unwrap(tp)
        if not (dataclasses.is_dataclass(tp) and isinstance(tp, type)):
            raise KeyError(path)
        hints = typing.get_type_hints(tp)
        if part not in hints:
            raise KeyError(path)
        tp = hints[part]
    tp = _unwrap(tp)
    if typing.get_origin(tp) is tuple:
        inner = typing.get_args(tp)[0]
        if isinstance(inner, type) and issubclass(inner, StrEnum):
            return FieldSpec("list", item_choices=tuple(m.value for m in inner))
        return FieldSpec("list")
    if tp is bool:
        return FieldSpec("bool")
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return FieldSpec("choice", choices=tuple(m.value for m in tp))
    if tp in (float, int):
        return FieldSpec("number")
    if tp.__name__ == "date":
        return FieldSpec("date")
    if tp is str:
        return FieldSpec("text")
    raise KeyError(path)  # a nested object: the engine should ask for its leaves


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return inner
    return tp


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def get_path(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# Labels for the activity model's enum values (the values themselves are the engine's vocabulary).
CHOICE_LABELS = {
    "citizen": _("citizen"),
    "permanent_resident": _("permanent resident"),
    "protected_individual": _("protected individual (asylee/refugee)"),
    "temporary_visa": _("temporary visa"),
    "none": _("none"),
    "unknown": _("not known"),
    "nuclear": _("nuclear"),
    "missile": _("missiles"),
    "chemical_biological": _("chemical or biological weapons"),
    "military": _("military"),
    "military_intelligence": _("military intelligence"),
    "advanced_computing": _("advanced computing / supercomputers"),
    "semiconductor_manufacturing": _("semiconductor manufacturing"),
    "civil": _("civil use only"),
    "commodity": _("goods"),
    "software": _("software"),
    "technology": _("technology"),
    "submitted": _("submitted for publication"),
    "intended": _("intended to be published"),
    "result": _("a result of the research"),
    "input": _("an input to the research"),
    "person": _("person"),
    "organisation": _("organisation"),
}


def _label(value: str) -> Any:
    return CHOICE_LABELS.get(value, value.replace("_", " "))


def _field_name(path: str) -> str:
    return "fact__" + path.replace(".", "__")


class MissingFactsForm(forms.Form):
    """One field per missing fact, labelled with the engine's question in the user's language."""

    def __init__(self, missing: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ja = (get_language() or "en").startswith("ja")
        self.paths: dict[str, str] = {}
        seen = set()
        for fact in missing:
            path = fact["field"]
            if path in seen:
                continue
            seen.add(path)
            try:
                spec = field_spec(path)
            except KeyError:
                continue
            label = fact.get("question_ja") if ja else fact.get("question_en")
            name = _field_name(path)
            self.paths[name] = path
            self.fields[name] = _form_field(spec, label or path, fact.get("why", ""))

    def facts(self) -> dict[str, Any]:
        """Answered facts by dotted path (unanswered ones are left out, so they stay "not known")."""
        out: dict[str, Any] = {}
        for name, path in self.paths.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            out[path] = value.isoformat() if hasattr(value, "isoformat") else value
        return out


def _form_field(spec: FieldSpec, label: str, why: str) -> forms.Field:
    common: dict[str, Any] = {"label": label, "required": False, "help_text": why}
    if spec.kind == "bool":
        return forms.TypedChoiceField(
            choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: {"yes": True, "no": False}.get(v),
            empty_value=None,
            **common,
        )
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", _("Not known")), *[(c, _label(c)) for c in spec.choices]], **common)
    if spec.kind == "list" and spec.item_choices:
        return forms.MultipleChoiceField(
            choices=[(c, _label(c)) for c in spec.item_choices], widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if spec.kind == "list":
        return CommaListField(**common)
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == "number":
        return forms.FloatField(**common)
    return forms.CharField(max_length=300, **common)


class CommaListField(forms.CharField):
    """Comma- or space-separated values; country codes are upper-cased."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip().upper() if len(part.strip()) == 2 else part.strip()
                for part in text.replace("、", ",").replace(" ", ",").split(",") if part.strip()]


__all__ = ["CommaListField", "FieldSpec", "MissingFactsForm", "field_spec", "get_path", "set_path"]
