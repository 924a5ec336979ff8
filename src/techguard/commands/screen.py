"""``techguard screen``: screen one name or a file of names against restricted-party lists.

Stable contract (an outside evaluation uses it)::

    techguard screen QUERIES.csv --list FILE [--list FILE …] [--list-format FMT] --top K --output OUT.jsonl
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
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

from techguard.i18n import multilingual
from techguard.lists.errors import ListError
from techguard.lists.model import Party
from techguard.matching import Match, Query, QueryFileError, ResultWriter, Screener, loading, read_queries
from techguard.matching.batch import (
    estimate_rows,
    flatten,
    result_record,
    screen_lines,
    screen_stream,
)
from techguard.matching.hits import json_text
from techguard.matching.repeat_cache import REPEAT_CACHE_BYTES, RepeatCache


def register(app: typer.Typer) -> None:
    app.command(
        "screen",
        help=(
            "Screen a name (--name) or a CSV/XLSX file of names (id,name[,kind,country,dob]) against "
            "restricted-party lists. 取引審査: 名前をリストと照合します."
        ),
    )(screen)


def load_list_files(paths: list[Path], list_format: str | None) -> list[Party]:
    """Parse every ``--list`` file (see :func:`techguard.matching.loading.load_list_files`)."""
    return loading.load_list_files(paths, list_format, warn=_warn)


def load_active_snapshots() -> list[Party]:
    return loading.load_active_snapshots()


def screener_for(
    lists: list[Path] | None,
    list_format: str | None = None,
    bridges: list[Path] | None = None,
    *,
    use_cache: bool = True,
) -> Screener:
    """The screener over ``--list`` files or the active snapshots, through the on-disk index cache."""
    return loading.screener_for(lists, list_format, bridges, use_cache=use_cache, warn=_warn)


def _warn(message: str) -> None:
    typer.echo(message, err=True)


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
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local (this machine's cores) or spark (needs techguard[spark] and Java 17) / 実行エンジン",
        ),
    ] = "local",
    master: Annotated[
        str, typer.Option("--master", help="With --engine spark: the Spark master URL, e.g. local[2]")
    ] = "local[2]",
    index_cache: Annotated[
        bool,
        typer.Option(
            "--index-cache/--no-index-cache",
            help="Reuse the index built from the same lists (kept in the data directory) / 索引キャッシュを使う",
        ),
    ] = True,
    repeat_cache_mb: Annotated[
        float,
        typer.Option(
            "--repeat-cache-mb",
            min=0.0,
            help="With --output: memory for the places of repeated names' results, kept in a temporary file "
            "(TMPDIR), each name then screened once (0: screen every row) / 重複名の結果の索引に使うメモリ (MB)",
        ),
    ] = REPEAT_CACHE_BYTES / 2**20,
) -> None:
    if (queries is None) == (name is None):
        typer.echo(f"{multilingual('error')}: " + multilingual("give either a QUERIES file or --name (not both)"), err=True)
        raise typer.Exit(2)
    if engine not in ("local", "spark") or (engine == "spark" and queries is None):
        typer.echo(f"{multilingual('error')}: " + multilingual("--engine is 'local' or 'spark' (spark: for a QUERIES file)"),
                   err=True)
        raise typer.Exit(2)
    try:
        if engine == "spark":
            assert queries is not None
            _screen_file_spark(queries, lists, list_format, bridges, top, min_score, output, master)
            return
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
            raise ListError(f"{queries}: " + _missing_query_file(queries))
        _screen_file(screener, queries, top, min_score, output, workers or os.cpu_count() or 1,
                     int(repeat_cache_mb * 2**20))
    except OSError as exc:
        # unreadable inputs, an output that cannot be created: the file and the reason, not a traceback
        typer.echo(f"{multilingual('error')}: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    except (ListError, QueryFileError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        typer.echo(f"{multilingual('error')}: {message}", err=True)
        raise typer.Exit(1) from None


def _screen_file(
    screener: Screener,
    path: Path,
    top: int,
    min_score: float,
    output: Path | None,
    workers: int,
    repeat_cache_bytes: int = REPEAT_CACHE_BYTES,
) -> None:
    """Stream ``path`` through the screener: queries are read a chunk at a time and each result is
    written as it comes (memory stays flat whatever the file's size)."""
    queries = read_queries(path)
    stderr = Console(stderr=True)
    if output is None:
        for query, matches in screen_stream(
            screener, queries, top=top, min_score=min_score, workers=workers
        ):
            typer.echo(json_text(result_record(query, matches, top)))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    # a file can be read twice: a first pass marks the repeated queries, each then screened once
    with RepeatCache(max_bytes=repeat_cache_bytes) as repeats:
        if repeat_cache_bytes:
            repeats.survey(read_queries(path))
        screened, alerts = _write_lines(screener, queries, top, min_score, output, workers, repeats,
                                        estimate_rows(path), stderr)  # fmt: skip
    stderr.print(
        multilingual("{screened} names screened, {alerts} with an alert (threshold {threshold})", screened=screened,
                     alerts=alerts, threshold=screener.threshold) + f" → {output}"
    )
    if repeats.disk_error is not None:  # the results are whole; only repeats were screened again
        stderr.print(multilingual("repeated names were screened again: their results could not be kept on disk "
                                  "({reason})", reason=repeats.disk_error))  # fmt: skip


def _write_lines(
    screener: Screener,
    queries: Iterable[Query],
    top: int,
    min_score: float,
    output: Path,
    workers: int,
    repeats: RepeatCache,
    total: int | None,
    stderr: Console,
) -> tuple[int, int]:
    """Screen ``queries`` into ``output`` with a progress bar; the rows written and how many alerted. A
    failure leaves no half-written output (an earlier file of that name is kept)."""
    writer = ResultWriter(output, top)
    screened = alerts = 0
    columns = (
        TextColumn(multilingual("screening")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=stderr, transient=True) as progress:
            task = progress.add_task("screen", total=total)
            for _query, line, alerted in screen_lines(
                screener,
                queries,
                top=top,
                min_score=min_score,
                workers=workers,
                progress=lambda n: progress.advance(task, n),
                cache=repeats,
            ):
                writer.write_json_line(line)  # built and serialised in the workers
                screened += 1
                alerts += alerted
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return screened, alerts


def _screen_file_spark(
    path: Path,
    lists: list[Path] | None,
    list_format: str | None,
    bridges: list[Path] | None,
    top: int,
    min_score: float,
    output: Path | None,
    master: str,
) -> None:
    """``--engine spark``: the same rows and results as the local engine, screened by Spark executors."""
    if not path.is_file():
        raise ListError(f"{path}: " + _missing_query_file(path))
    try:
        from techguard.spark.screen import screen_file, spark_session
    except ImportError as error:
        raise ListError(f"--engine spark needs pyspark: pip install 'techguard[spark]' ({error})") from None
    from pyspark.sql import SparkSession

    owned = SparkSession.getActiveSession() is None  # a session the caller started is left running
    spark = spark_session(master)
    writer = None
    try:
        write: Callable[[str], None]
        if output is None:
            write = typer.echo
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            writer = ResultWriter(output, top)
            write = writer.write_json_line
        stderr = Console(stderr=True)
        with Progress(TextColumn(multilingual("screening") + " (spark)"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=stderr, transient=True) as progress:  # fmt: skip
            task = progress.add_task("screen", total=estimate_rows(path))
            count = screen_file(
                spark, path, write, lists=lists, list_format=list_format, bridges=bridges, top=top,
                min_score=min_score, progress=lambda n: progress.advance(task, n),
            )  # fmt: skip
        if writer is not None:
            writer.close()
            stderr.print(multilingual("{count} names screened with Spark ({master})", count=count, master=master)
                         + f" → {output}")
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        if owned:
            spark.stop()


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


def _missing_query_file(path: Path) -> str:
    if path.is_dir():
        return multilingual("query file is a folder, not a file")
    return multilingual("query file not found")
