"""``techguard assess`` and ``techguard rules update|status``: thin adapters over :mod:`techguard.rules`."""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml

from techguard import limits
from techguard.i18n import multilingual
from techguard.text.decode import TextEncodingError, decode_text

if TYPE_CHECKING:
    from techguard.matching import Screener

rules_app = typer.Typer(
    help="Rule tables for the determinations (US EAR / 外為法): update from eCFR / e-Gov, show their dates.",
    no_args_is_help=True,
)


class OutputFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


class _YamlInt(int):
    """A YAML integer that remembers how it was written: ``hs_code: 0101`` must stay "0101", not 65."""

    text: str

    def __str__(self) -> str:
        return self.text


class _YamlFloat(float):
    """A YAML float that remembers how it was written: ``hs_code: 8542.10`` must stay "8542.10"."""

    text: str

    def __str__(self) -> str:
        return self.text


class _ActivityLoader(yaml.SafeLoader):
    """Safe YAML that keeps numbers' text (for code-like fields) and rejects a key given twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, multilingual("key {key!r} given twice", key=key), key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _number_with_text(kind: type[_YamlInt] | type[_YamlFloat]) -> Any:
    base = yaml.SafeLoader.construct_yaml_int if kind is _YamlInt else yaml.SafeLoader.construct_yaml_float

    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        value = kind(base(loader, node))
        value.text = node.value
        return value

    return construct


_ActivityLoader.add_constructor("tag:yaml.org,2002:int", _number_with_text(_YamlInt))
# YAML 1.2 booleans only: under YAML 1.1 ``to_country: NO`` (Norway) or ``ON`` would read as false/true.
_ActivityLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ActivityLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_ActivityLoader.add_constructor("tag:yaml.org,2002:float", _number_with_text(_YamlFloat))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(multilingual("key {key!r} given twice", key=key))
        data[key] = value
    return data


def _load_document(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise typer.BadParameter(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = decode_text(raw, path).text
    except TextEncodingError as error:
        raise typer.BadParameter(str(error)) from None
    if not text.strip():
        raise typer.BadParameter(f"{path}: " + multilingual("empty file (expected an activity mapping)"))
    try:
        if path.suffix.lower() == ".json":
            limits.check_json_nesting(text)
            return json.loads(text, object_pairs_hook=_unique_keys)
        limits.check_yaml_expansion(text)  # alias bombs and deep nesting, before anything is built
        return yaml.load(text, Loader=_ActivityLoader)  # a SafeLoader subclass: safe
    except limits.InputLimitError as exc:
        raise typer.BadParameter(f"{path.name}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"{path}: line {exc.lineno}: invalid JSON ({exc.msg})") from None
    except ValueError as exc:  # a duplicate key in JSON, or a YAML value its tag cannot read (!!int "x")
        label = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise typer.BadParameter(f"{path}: invalid {label} ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise typer.BadParameter(f"{path}: {where}invalid YAML ({getattr(exc, 'problem', exc)})") from None


def assess_command(
    activity_file: Annotated[
        Path, typer.Argument(help="Activity in YAML or JSON (see docs/determinations.md).")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Apply the rules in force on this date (YYYY-MM-DD).")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="json (stable contract) or text.")] = (
        OutputFormat.JSON
    ),
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Language of --format text: en, ja, or any language with a techguard catalogue (docs: Translations).",
        ),
    ] = "ja",
    screen: Annotated[
        bool | None,
        typer.Option(
            "--screen/--no-screen",
            help="Screen the recipient, its employer and the end user against the lists (default: when a list "
            "snapshot is active or --list is given). 当事者のリスト照合.",
        ),
    ] = None,
    lists: Annotated[
        list[Path] | None,
        typer.Option(
            "--list", help="List file or directory to screen against instead of the active snapshots."
        ),
    ] = None,
) -> None:
    """Determine US EAR and Japan 外為法 licence requirements for one activity. 該非・許可要否の判定."""
    from techguard.rules import ActivityError, activity_from_mapping, assess, render_text

    date = None
    if as_of is not None:
        try:
            date = dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(f"--as-of {as_of!r}: expected a date YYYY-MM-DD") from None
    from techguard.i18n import available_languages

    if output is OutputFormat.TEXT and lang not in available_languages():
        raise typer.BadParameter(f"--lang {lang!r}: available {', '.join(available_languages())}")
    data = _load_document(activity_file)
    try:
        activity = activity_from_mapping(data, source=str(activity_file))
    except ActivityError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    assessment = assess(activity, as_of=date, screener=_screener(screen, lists or []))
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(assessment.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(assessment, lang=lang), nl=False)


def _screener(screen: bool | None, lists: list[Path]) -> Screener | None:
    """The screener for the activity's parties: from --list files, else the active snapshots; None when off.

    An explicit --screen with nothing to screen against is an error rather than a silent "no hits"."""
    if screen is False:
        return None
    from techguard.commands.screen import screener_for
    from techguard.lists import default_store
    from techguard.lists.errors import ListError

    if screen is None and not lists and not default_store().active():
        return None  # no list loaded and screening not asked for: a step says the parties were not screened
    try:
        return screener_for(lists or None)  # the same on-disk index cache as `techguard screen`
    except ListError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@rules_app.command("update")
def update_command(
    us: Annotated[bool, typer.Option("--us", help="Update the US tables from the eCFR (Title 15).")] = False,
    jp: Annotated[bool, typer.Option("--jp", help="Update the Japanese tables from e-Gov.")] = False,
    date: Annotated[
        str | None,
        typer.Option("--date", help="eCFR issue date to fetch (default: latest issue of Title 15)."),
    ] = None,
) -> None:
    """Download the official texts and regenerate the rule tables (both when neither flag is given)."""
    if not us and not jp:
        us = jp = True
    if us:
        from techguard.rules.us.ecfr import EcfrError, update_us_tables

        try:
            written = update_us_tables(issue_date=date)
        except EcfrError as exc:
            typer.echo(f"error: US update failed: {exc}", err=True)
            raise typer.Exit(1) from None
        for path in written:
            typer.echo(f"wrote {path}")
    if jp:
        from techguard.rules.jp.update import UpdateError, update_tables

        try:
            for jp_path in update_tables():
                typer.echo(f"wrote {jp_path}")
        except UpdateError as exc:
            typer.echo(f"error: JP update failed: {exc}", err=True)
            raise typer.Exit(1) from None


@rules_app.command("status")
def status_command() -> None:
    """Show each rule table and the date of the text it came from. 規則テーブルの基準日."""
    from techguard.rules.engine import tables_as_of
    from techguard.rules.us.tables import active_tables
    from techguard.rules.validity import RULES

    us = active_tables()
    typer.echo(f"US tables ({'updated copy: ' + us.source if us.source != 'package' else 'packaged'}):")
    for name, value in sorted(tables_as_of().items()):
        typer.echo(f"  {name}: {value}")
    typer.echo(multilingual("Rule versions (valid from – to; citation)") + ":")
    for rule, versions in RULES.items():
        for held in versions:
            until = held.valid_to.isoformat() if held.valid_to else "in force"
            typer.echo(f"  {rule}: {held.valid_from.isoformat()} – {until}; {held.citation}")


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
    app.add_typer(rules_app, name="rules")


__all__ = ["register"]
