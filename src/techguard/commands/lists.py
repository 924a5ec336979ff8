"""``techguard lists …``: update, import, inspect, diff and roll back restricted-party list snapshots."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from techguard.i18n import N_, Message, multilingual
from techguard.lists import default_store
from techguard.lists.errors import ListError
from techguard.lists.snapshot import SnapshotInfo
from techguard.lists.sources import SOURCES
from techguard.lists.store import SnapshotStore
from techguard.lists.update import UpdateStatus

lists_app = typer.Typer(
    name="lists",
    help="Restricted-party lists: update, import, status, diff, roll back. 該非・取引審査用リストの管理.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")


def _store() -> SnapshotStore:
    return default_store(prepare=_index_before_switch)


def _index_before_switch(store: SnapshotStore, snapshots: Sequence[SnapshotInfo]) -> None:
    """Build and cache the screening index of the lists about to be active, before the switch, so that the
    first check after it — the web app's or the CLI's — loads the index instead of building it."""
    import time

    from techguard.matching.loading import cache_index_of

    started = time.perf_counter()
    cache_index_of(store, snapshots, warn=lambda message: typer.echo(message, err=True))
    typer.echo(multilingual("screening index ready ({seconds} s)", seconds=f"{time.perf_counter() - started:.1f}"),
               err=True)


def _console() -> Console:
    return Console(soft_wrap=True, highlight=False)


@contextmanager
def _clear_errors(prefix: str = N_("error")) -> Iterator[None]:
    """Turn the errors an officer can fix into one line on stderr and exit code 1 (no traceback)."""
    try:
        yield
    except (ListError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        typer.echo(f"{multilingual(prefix)}: {message}", err=True)
        raise typer.Exit(1) from None


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _warn_stale(infos: list[SnapshotInfo]) -> None:
    for info in infos:
        if not info.stale:
            continue
        official = SOURCES.get(info.source)
        if official is not None and official.updatable:
            how = multilingual("run 'techguard lists update {source}'", source=info.source)
        elif official is not None:
            how = multilingual("download the current file from {page} and run 'techguard lists import'",
                               page=official.landing_page)
        else:
            how = multilingual("import a current file with 'techguard lists import'")
        if info.age_days is None:
            message = multilingual(
                "{source} has no known publication date, so it counts as out of date"
                " (give --published YYYY-MM-DD if the file carries no date)", source=info.source)
            typer.echo(f"{multilingual('warning')}: {message}; {how}", err=True)
            continue
        message = multilingual("{source} is {days} days old (limit {limit})", source=info.source,
                               days=info.age_days, limit=info.max_age_days)
        typer.echo(f"{multilingual('warning')}: {message}; {how}", err=True)


_UPDATE_LABELS = {
    UpdateStatus.ACTIVATED: N_("activated"),
    UpdateStatus.UNCHANGED: N_("unchanged"),
    UpdateStatus.REFUSED: N_("refused"),
    UpdateStatus.FAILED: N_("failed"),
}


@lists_app.command("update")
def update_command(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Source codes (default: every downloadable list).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Accept a list that lost more entries than allowed.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
) -> None:
    """Download the official current lists and activate them. 公式サイトから最新リストを取得します."""
    with _clear_errors():
        reports = _store().update(sources or None, force=force)
    if as_json:
        _echo_json([r.to_json() for r in reports])
    else:
        for report in reports:
            label = multilingual(_UPDATE_LABELS[report.status])
            stream_err = not report.ok
            typer.echo(f"{report.source}: {label}: {report.message}", err=stream_err)
            if not report.ok and report.previous_id:
                typer.echo(f"{report.source}: " + multilingual("snapshot {snapshot} stays active",
                                                               snapshot=report.previous_id), err=True)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


@lists_app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="The list file(s), or a folder of OFAC CSVs.")],
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Format code (see 'lists formats'); guessed if omitted."),
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source code to store it under.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the file was downloaded from.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Accept a list that lost more entries than allowed.")
    ] = False,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The publisher's date for this edition (YYYY-MM-DD), as given on its web page; overrides a date "
            "read from the file. Without it, a file that carries no date is of unknown age and counts as stale. "
            "公表日.",
        ),
    ] = None,
) -> None:
    """Load local file(s) as a new snapshot (offline update). ローカルファイルからリストを取り込みます."""
    with _clear_errors(N_("import refused")):
        if format is None:
            from techguard.lists.detect import detect_format

            format = detect_format(files[0])
            typer.echo(f"format: {format} ({multilingual('detected')})", err=True)
        info = _store().import_files(
            files, format, source=source, source_url=url, force=force, published=published
        )
    typer.echo(f"{info.source}: " + multilingual(
        "activated {snapshot}: {entries} entries, {names} names, published {published}, sha256 {sha}",
        snapshot=info.snapshot_id, entries=info.entries, names=info.names,
        published=info.as_of or Message(N_("unknown (no publisher date)")),
        sha=info.sha256[:12]))
    for warning in info.warnings:
        typer.echo(f"{multilingual('warning')}: {warning}", err=True)
    _warn_stale([info])


@lists_app.command("status")
def status_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list of the active snapshots.")
    ] = False,
) -> None:
    """Show the active snapshot of every list and its age. 使用中のリストと鮮度を表示します."""
    with _clear_errors():
        infos = _store().active()
        if as_json:
            _echo_json([i.to_json() for i in infos])
            _warn_stale(infos)
            return
    if not infos:
        typer.echo(multilingual("no lists yet: run 'techguard lists update' or 'techguard lists import FILE'"),
                   err=True)
        return
    table = Table(title=multilingual("Active lists"))
    for header in (N_("source"), N_("title"), N_("entries"), N_("names"), N_("published"), N_("age"), "sha256",
                   N_("stale")):
        table.add_column(multilingual(header))
    for info in infos:
        title = SOURCES[info.source].title_en if info.source in SOURCES else info.source
        table.add_row(
            info.source,
            title,
            str(info.entries),
            str(info.names),
            info.as_of_text,
            "?" if info.age_days is None else f"{info.age_days} d",
            info.sha256[:12],
            "⚠ stale" if info.stale else "",
        )
    _console().print(table)
    _warn_stale(infos)


@lists_app.command("history")
def history_command(
    source: Annotated[str, typer.Argument(help="Source code.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List every stored snapshot of a source, newest first. 過去のスナップショット一覧."""
    with _clear_errors():
        infos = _store().history(source)
    if as_json:
        _echo_json([i.to_json() for i in infos])
        return
    if not infos:
        typer.echo(multilingual("no snapshots of {source}", source=source), err=True)
        raise typer.Exit(1)
    for info in infos:
        mark = "*" if info.active else " "
        typer.echo(
            f"{mark} {info.snapshot_id}  {info.entries:>7} entries  published {info.as_of_text}  "
            f"retrieved {info.retrieved_at}  sha256 {info.sha256[:12]}"
        )


@lists_app.command("activate")
def activate_command(
    source: Annotated[str, typer.Argument(help="Source code.")],
    snapshot_id: Annotated[str, typer.Argument(help="Snapshot id (see 'lists history').")],
) -> None:
    """Make an earlier (or later) snapshot the active one: roll back. 指定したスナップショットに戻します."""
    with _clear_errors():
        info = _store().activate(source, snapshot_id)
    typer.echo(f"{source}: " + multilingual("{snapshot} is now active ({entries} entries)", snapshot=info.snapshot_id,
                                            entries=info.entries))


@lists_app.command("diff")
def diff_command(
    source: Annotated[str, typer.Argument(help="Source code.")],
    from_id: Annotated[
        str | None, typer.Option("--from", help="Older snapshot (default: the one before).")
    ] = None,
    to_id: Annotated[
        str | None, typer.Option("--to", help="Newer snapshot (default: the active one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Added, removed and changed entries between two snapshots. 差分（追加・削除・変更）を表示します."""
    with _clear_errors():
        diff = _store().diff(source, from_id, to_id)
    if as_json:
        _echo_json(diff.to_json())
        return
    typer.echo(f"{source}: {diff.old_id} → {diff.new_id}: {diff.summary()}")
    for party in diff.added:
        typer.echo(f"+ {party.source_id}  {party.name}")
    for party in diff.removed:
        typer.echo(f"- {party.source_id}  {party.name}")
    for change in diff.changed:
        typer.echo(f"~ {change.source_id}  {change.name}")
        for field in change.changes:
            typer.echo(f"    {field.field}: {_short(field.old)} → {_short(field.new)}")


def _short(value: Any, limit: int = 120) -> str:
    text = "∅" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lists_app.command("formats")
def formats_command() -> None:
    """The list file formats techguard reads. 対応ファイル形式."""
    from techguard.lists.formats import all_formats

    for code, fmt in sorted(all_formats().items()):
        typer.echo(f"{code:<16} → {fmt.default_source:<14} {fmt.description}")


@lists_app.command("sources")
def sources_command(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The official lists, their publishers and download URLs. 対象リストと公式URL."""
    if as_json:
        _echo_json(
            [
                {
                    "code": s.code,
                    "title_en": s.title_en,
                    "title_ja": s.title_ja,
                    "publisher": s.publisher,
                    "format": s.format,
                    "urls": list(s.urls),
                    "landing_page": s.landing_page,
                    "covers": s.covers,
                    "updatable": s.updatable,
                    "covered_by": s.covered_by,
                    "max_age_days": s.max_age_days,
                }
                for s in SOURCES.values()
            ]
        )
        return
    for s in SOURCES.values():
        how = "auto" if s.updatable else (f"covered by {s.covered_by}" if s.covered_by else "import by hand")
        typer.echo(f"{s.code:<14} {s.title_en} / {s.title_ja}")
        typer.echo(f"{'':<14} {s.publisher}; format {s.format}; update: {how}")
        typer.echo(f"{'':<14} {s.urls[0] if s.urls else s.landing_page}")


@lists_app.command("export")
def export_command(
    format: Annotated[str, typer.Option("--format", "-f", help="Export format (ftm_json).")] = "ftm_json",
    sources: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only these sources (repeatable; default: all active)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the active lists (FollowTheMoney JSON lines). 使用中のリストを書き出します."""
    if format != "ftm_json":
        typer.echo(f"{multilingual('error')}: " + multilingual("cannot export as {format!r}; supported: ftm_json",
                                                               format=format), err=True)
        raise typer.Exit(1)
    from techguard.lists.formats.ftm import write_ftm

    with _clear_errors():
        parties = _store().load_parties(sources or None)
    if output is None:
        write_ftm(parties, sys.stdout)
        return
    with output.open("w", encoding="utf-8") as fh:
        count = write_ftm(parties, fh)
    typer.echo(f"wrote {count} entities for {len(parties)} parties to {output}", err=True)


__all__ = ["lists_app", "register"]
