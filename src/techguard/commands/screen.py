"""``techguard screen``: screen one name or a file of names against restricted-party lists.

Stable contract (an outside evaluation uses it)::

    techguard screen QUERIES.csv --list FILE [--list FILE …] [--list-format FMT] --top K --output OUT.jsonl
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from techguard.lists.errors import ListError
from techguard.lists.model import Party
from techguard.matching import Match, Query, QueryFileError, ResultWriter, Screener, read_queries
from techguard.matching.batch import estimate_rows, flatten, result_record, screen_stream


def register(app: typer.Typer) -> None:
    app.command(
        "screen",
        help=(
            "Screen a name (--name) or a CSV/XLSX file of names (id,name[,kind,country,dob]) against "
            "restricted-party lists. 取引審査: 名前をリストと照合します."
        ),
    )(screen)


def load_list_files(paths: list[Path], list_format: str | None) -> list[Party]:
    """Parse every ``--list`` file (a directory for multi-file formats such as OFAC's CSVs).

    A directory that is not one multi-file list (e.g. METI's PDFs and workbook together) is read file by
    file, each in its detected format; files of no known format are named on stderr, and a directory with
    none at all is an error."""
    from techguard.lists.formats import get_format

    parties: list[Party] = []
    seen: set[Path] = set()  # a file given twice (or as a file and within its folder) is read once
    for path in paths:
        if not path.exists():
            raise ListError(f"{path}: list file not found / リストファイルがありません")
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        files = [f for f in files if f.resolve() not in seen]
        seen.update(f.resolve() for f in files)
        if not files:
            continue
        if list_format is not None:
            groups = {list_format: files}
        elif path.is_dir():
            groups = _detect_each(path, files)
        else:
            groups = {_detect(path): files}
        for code, group in groups.items():
            parties.extend(get_format(code).parse(group).parties)
    return parties


def _detect(path: Path) -> str:
    from techguard.lists.detect import detect_format

    try:
        return detect_format(path)
    except ListError as error:
        # detect's hint names 'lists import --format'; this command's option is --list-format
        raise ListError(
            f"{error} [techguard screen: --list-format FMT / 形式は --list-format で指定]"
        ) from None


def _detect_each(directory: Path, files: list[Path]) -> dict[str, list[Path]]:
    from techguard.lists.detect import detect_format

    try:
        return {detect_format(directory): files}
    except ListError:
        pass
    groups: dict[str, list[Path]] = {}
    skipped: list[str] = []
    for file in files:
        try:
            groups.setdefault(detect_format(file), []).append(file)
        except ListError:
            skipped.append(file.name)
    if not groups:
        raise ListError(
            f"{directory}: no file of a known list format in this folder / 既知の形式のリストがありません "
            "(see 'techguard lists formats', or give --list-format)"
        )
    if skipped:
        typer.echo(f"warning / 警告: {directory}: skipped, format unknown: {', '.join(skipped)}", err=True)
    return groups


def load_active_snapshots() -> list[Party]:
    from techguard.lists import default_store

    parties = default_store().load_parties()
    if not parties:
        # screening against nothing would report every name as clear
        raise ListError(
            "no list snapshot is active, nothing to screen against / 有効なリストがありません "
            "(run 'techguard lists update' or 'techguard lists import', or give --list FILE)"
        )
    return parties


def _list_file_roles(lists: list[Path], bridges: list[Path]) -> list[tuple[str, Path]]:
    """Every file the build reads, in the order it reads them, labelled by role, position and name (the
    grouping of a folder's files depends on which folder was given)."""
    roles: list[tuple[str, Path]] = []
    for role, paths in (("list", lists), ("bridge", bridges)):
        for position, path in enumerate(paths):
            if not path.exists():
                raise ListError(f"{path}: list file not found / リストファイルがありません")
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
            roles.extend((f"{role}:{position}:{'dir/' if path.is_dir() else ''}{f.name}", f) for f in files)
    return roles


def screener_for(
    lists: list[Path] | None,
    list_format: str | None = None,
    bridges: list[Path] | None = None,
    *,
    use_cache: bool = True,
) -> Screener:
    """The screener over ``--list`` files (default: the active snapshots), from the on-disk index cache
    when one was built from the same inputs (file / snapshot SHA-256 hashes) by the same algorithm."""
    from techguard.matching.index_cache import cached_screener, key_for_files, key_for_snapshots

    def build() -> Screener:
        parties = load_list_files(lists, list_format) if lists else load_active_snapshots()
        if not parties:
            raise ListError(f"the --list files hold no entries: {', '.join(map(str, lists or []))}")
        bridge_parties = load_list_files(bridges, None) if bridges else []
        return Screener.build(parties, bridges=bridge_parties)

    if not use_cache:
        return build()
    if lists:
        key = key_for_files(_list_file_roles(lists, bridges or []), [("list_format", list_format or "")])
    else:
        from techguard.lists import default_store

        active = default_store().active()
        if not active:
            load_active_snapshots()  # raises the "no list snapshot is active" error
        key = key_for_snapshots(active, key_for_files(_list_file_roles([], bridges or [])).inputs)
    return cached_screener(key, build, warn=lambda message: typer.echo(message, err=True))


def screen(
    queries: Annotated[
        Path | None,
        typer.Argument(
            help="CSV, XLSX or Parquet with a header id,name[,kind,country,dob] (CSV: UTF-8, BOM, CP932)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Screen one name / 一件の名前を照合")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="person | organisation | vessel | aircraft")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO country code (corroboration only)")
    ] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="Date or year of birth (persons)")] = None,
    identifier: Annotated[
        str | None, typer.Option("--id", help="An identifier (passport, registration, IMO)")
    ] = None,
    lists: Annotated[
        list[Path] | None,
        typer.Option(
            "--list", help="List file or directory to screen against (repeatable); default: active snapshots"
        ),
    ] = None,
    list_format: Annotated[
        str | None, typer.Option("--list-format", help="Format code of the --list files (default: detected)")
    ] = None,
    bridges: Annotated[
        list[Path] | None,
        typer.Option(
            "--bridge",
            help="Bilingual list file used only to translate Japanese/Chinese queries (e.g. METI's list, "
            "MOFCOM's); repeatable, format detected",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Best candidates per name (0: none)")] = 5,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Lowest score reported")
    ] = 0.3,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output .jsonl, .csv, .xlsx or .parquet (default: JSON lines on stdout)"),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Processes for files (0 = all cores)")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="With --name: print the result as JSON")] = False,
    index_cache: Annotated[
        bool,
        typer.Option(
            "--index-cache/--no-index-cache",
            help="Reuse the index built from the same lists (kept in the data directory) / 索引キャッシュを使う",
        ),
    ] = True,
) -> None:
    if (queries is None) == (name is None):
        typer.echo("error / エラー: give either a QUERIES file or --name (not both)", err=True)
        raise typer.Exit(2)
    try:
        screener = screener_for(lists, list_format, bridges, use_cache=index_cache)
        if name is not None:
            query = Query(name=name, kind=kind, country=country, dob=dob, identifier=identifier)
            matches = screener.screen(query, top=top, min_score=min_score)
            if as_json:
                typer.echo(json.dumps(result_record(query, matches, top), ensure_ascii=False, indent=2))
            else:
                _print_table(query, flatten(matches, top), screener.threshold)
            return
        assert queries is not None
        if not queries.is_file():
            what = "is a folder, not a file" if queries.is_dir() else "not found"
            raise ListError(f"{queries}: query file {what} / 照合ファイルがありません")
        _screen_file(screener, queries, top, min_score, output, workers or os.cpu_count() or 1)
    except OSError as exc:
        # unreadable inputs, an output that cannot be created: the file and the reason, not a traceback
        typer.echo(f"error / エラー: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    except (ListError, QueryFileError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        typer.echo(f"error / エラー: {message}", err=True)
        raise typer.Exit(1) from None


def _screen_file(
    screener: Screener, path: Path, top: int, min_score: float, output: Path | None, workers: int
) -> None:
    """Stream ``path`` through the screener: queries are read a chunk at a time and each result is
    written as it comes (memory stays flat whatever the file's size)."""
    queries = read_queries(path)
    stderr = Console(stderr=True)
    if output is None:
        for query, matches in screen_stream(
            screener, queries, top=top, min_score=min_score, workers=workers
        ):
            typer.echo(json.dumps(result_record(query, matches, top), ensure_ascii=False))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    writer = ResultWriter(output, top)
    screened = alerts = 0
    columns = (
        TextColumn("screening / 照合中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=stderr, transient=True) as progress:
            task = progress.add_task("screen", total=estimate_rows(path))
            for query, matches in screen_stream(
                screener,
                queries,
                top=top,
                min_score=min_score,
                workers=workers,
                progress=lambda n: progress.advance(task, n),
            ):
                writer.write(query, matches)
                screened += 1
                alerts += any(m.alert for m in matches)
        writer.close()
    except BaseException:
        writer.abort()  # no half-written output; an earlier file of that name is kept
        raise
    stderr.print(
        f"{screened} names screened, {alerts} with an alert (threshold {screener.threshold}) → {output}\n"
        f"{screened} 件を照合、アラート {alerts} 件"
    )


def _print_table(query: Query, matches: list[Match], threshold: float) -> None:
    console = Console(highlight=False)
    table = Table(title=f"{query.name} — threshold / 閾値 {threshold}", show_lines=True)
    for column in ("#", "score", "alert", "list", "id", "listed name", "matched name", "why / 根拠"):
        table.add_column(column)
    for rank, match in enumerate(matches, 1):
        table.add_row(
            str(rank),
            f"{match.score:.3f}",
            "[bold red]ALERT[/]" if match.alert else "",
            match.party.list,
            match.party.source_id,
            match.party.name,
            match.matched_name,
            _why(match),
        )
    if not matches:
        console.print(f"no candidates ≥ min score / 候補なし: {query.name}")
        return
    console.print(table)


def _why(match: Match) -> str:
    e = match.explanation
    parts = [f"{w['query']}={w['listed']} ({w['how']} {w['similarity']})" for w in e["words"]]
    if e["unmatched_query_words"]:
        parts.append("query only: " + " ".join(e["unmatched_query_words"]))
    if e["unmatched_listed_words"]:
        parts.append("listed only: " + " ".join(e["unmatched_listed_words"]))
    legal = e["legal_form"]
    if legal["query"] or legal["listed"]:
        parts.append(f"legal form {legal['query']}/{legal['listed']}")
    for feature, detail in e["features"].items():
        parts.append(f"{feature}: {'agrees' if detail.get('agree') else 'differs'}")
    if e.get("bridged_via"):
        parts.append(f"via {e['bridged_via']}")
    return "\n".join(parts)
