"""``techguard research``: institution registry, affiliation resolution, designation lists, reconciliation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from techguard import config
from techguard.i18n import multilingual
from techguard.text.decode import TextEncodingError, read_text

if TYPE_CHECKING:
    from techguard.research.disclosures import Disclosure
    from techguard.research.reconcile import Flag
    from techguard.research.resolver import Resolver

research_app = typer.Typer(
    help="Research security: resolve affiliations to institutions and their designations. 研究セキュリティ.",
    no_args_is_help=True,
)
registry_app = typer.Typer(help="The ROR institution registry. 機関レジストリ.", no_args_is_help=True)
designations_app = typer.Typer(help="Designation and assessment lists. 指定リスト.", no_args_is_help=True)
research_app.add_typer(registry_app, name="registry")
research_app.add_typer(designations_app, name="designations")


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def _read_affiliations(path: Path) -> list[tuple[str, str]]:
    """``id,affiliation`` rows from a CSV in UTF-8, UTF-8 with BOM or CP932 (',', ';' or tab separated).

    Header names are matched without regard to case or surrounding spaces. Wholly blank lines are skipped;
    every other row is kept, an empty or missing affiliation included (it resolves to no match), so that
    the output has one row per input row, in order."""
    try:
        text = read_text(path).text
    except TextEncodingError as error:
        raise _fail(str(error)) from None
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=lambda d: (header_line.count(d), d == ","))
    from techguard.csvstrict import CsvFormatError, header_of, read_records

    header = header_of(text, delimiter)
    if "id" not in header or "affiliation" not in header:
        raise _fail(f"{path}, line 1: " + multilingual("header must contain 'id' and 'affiliation' (got {header})",
                                                       header=header))
    try:  # strict: an unquoted comma in an affiliation is an error with its line, not a shifted row
        return [(row.get("id", ""), row.get("affiliation", "")) for _, row in read_records(text, str(path), delimiter)]
    except CsvFormatError as error:
        raise _fail(str(error)) from None


@research_app.command("resolve")
def resolve_command(
    affiliations: Annotated[Path, typer.Argument(help="CSV with header id,affiliation", exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON lines, one object per input row")],
    registry: Annotated[Path | None, typer.Option("--registry", help="ROR file to use instead of the imported one",
                                                  exists=True, dir_okay=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date for list memberships (default today)")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="add matched text and explanation to each row")] = False,
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0,
                                             help="answers scoring lower become no-match (default 0.8)")] = 0.8,
) -> None:
    """Resolve affiliation strings to ROR institutions with their designations. 所属文字列を機関に名寄せ."""
    import zipfile

    from techguard.lists.errors import ListError
    from techguard.research.store import RegistryMissing, open_resolver

    if as_of is not None:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise _fail(f"--as-of {as_of!r}: " + multilingual("expected a date YYYY-MM-DD")) from None
    rows = _read_affiliations(affiliations)
    try:
        resolver = open_resolver(config.data_dir(), registry)
    except RegistryMissing as exc:
        raise _fail(str(exc)) from exc
    except ListError as exc:  # ListFormatError names the file and the line/record
        raise _fail(f"error: registry: {exc}") from None
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        # a corrupt or truncated .gz/.zip: name the registry file rather than show a traceback
        raise _fail(f"error: {registry or 'the imported registry'}: cannot read the registry ({exc})") from None
    resolver.min_score = min_score
    matched = ambiguous = 0
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = output.open("w", encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{output}: " + multilingual("cannot write ({reason})", reason=exc.strerror)) from None
    with handle:
        for row_id, text in rows:
            resolution = resolver.resolve(text, as_of=as_of)
            data = resolution.as_dict()
            record = {"id": row_id, "ror_id": data["ror_id"], "name": data["name"], "country": data["country"],
                      "score": data["score"], "designations": data["designations"],
                      "assessments": data["assessments"], "status": data["status"]}
            if data["candidates"]:
                record["candidates"] = data["candidates"]
            ambiguous += resolution.status == "ambiguous"
            if explain:
                record.update(matched=data["matched"], others=data["others"], explanation=data["explanation"])
            matched += resolution.ror_id is not None
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    typer.echo(multilingual("{rows} rows, {matched} resolved, {ambiguous} ambiguous, {unresolved} not resolved (check"
                            " by hand)", rows=len(rows), matched=matched, ambiguous=ambiguous,
                            unresolved=len(rows) - matched - ambiguous) + f" -> {output}")


@registry_app.command("import")
def registry_import(
    file: Annotated[Path, typer.Argument(help="ROR v2 data dump (.zip/.json) or simplified .jsonl(.gz)",
                                         exists=True, dir_okay=False)],
) -> None:
    """Import a ROR registry file into the data directory and build its index. ROR データの取り込み."""
    from techguard.lists.errors import ListFormatError
    from techguard.research.store import import_registry

    try:
        info = import_registry(file, config.data_dir())
    except ListFormatError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"imported {info['records']} institutions from {file.name} (sha256 {str(info['sha256'])[:12]}…)")


@designations_app.command("import")
def designations_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    list_name: Annotated[str, typer.Option("--list", help="us_1286 | us_1260h | ca_nro | aspi_cdut")],
) -> None:
    """Import a designation (or ASPI assessment) list; see docs/research-security.md for formats."""
    from techguard.lists.errors import ListFormatError
    from techguard.research.designations import READERS, DesignationBook, read_list

    if list_name not in READERS:
        raise _fail(f"--list must be one of {', '.join(READERS)}")
    try:
        entries = read_list(list_name, file)
    except ListFormatError as exc:
        raise _fail(str(exc)) from exc
    path = DesignationBook.save_list(config.data_dir(), list_name, entries)
    editions = sorted({e.edition for e in entries})
    typer.echo(f"imported {len(entries)} entries of {list_name} (editions: {', '.join(editions)}) -> {path}")


@designations_app.command("update")
def designations_update(
    lists: Annotated[list[str] | None, typer.Argument(
        help="us_1286 us_1260h ca_nro us_entity_list jp_eul (default: all)")] = None,
    force: Annotated[bool, typer.Option("--force", help="accept a list that shrank by more than 20 %")] = False,
    url: Annotated[list[str] | None, typer.Option("--url", help="LIST=URL to fetch instead of the default")] = None,
) -> None:
    """Fetch the designation lists from their official publishers (online). 指定リストを公式サイトから更新.

    A partial, corrupt or empty download is refused and the previous version stays active. Offline, use
    'research designations import'."""
    from techguard.lists.update import UpdateStatus
    from techguard.research.updates import update_designations

    urls: dict[str, str] = {}
    for item in url or []:
        name, sep, value = item.partition("=")
        if not sep or not value:
            raise _fail(f"--url {item!r}: " + multilingual("expected LIST=URL"))
        urls[name] = value
    try:
        reports = update_designations(config.data_dir(), lists or None, force=force, urls=urls)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    for report in reports:
        typer.echo(f"{report.source:<15} {report.status.value:<10} {report.message}")
    if any(r.status in (UpdateStatus.REFUSED, UpdateStatus.FAILED) for r in reports):
        raise typer.Exit(code=1)


@research_app.command("validate")
def validate_command(
    disclosure: Annotated[Path, typer.Argument(help="disclosure JSON", exists=True, dir_okay=False)],
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date (default today)")] = None,
) -> None:
    """Check a disclosure: structure, certifications, MFTRP questionnaire, Japan notification cases. 開示の検証."""
    from techguard.research.designations import DesignationBook
    from techguard.research.disclosures import DisclosureError, load_disclosure, validate
    from techguard.research.normalise import fold

    # §1286 names in force for the MFTRP list prong (a plain folded-name comparison; no registry needed).
    on = as_of or dt.date.today().isoformat()
    names = frozenset(fold(n) for e in DesignationBook.load_saved(config.data_dir())
                      if e.list == "us_1286" and e.in_force(on) for n in (e.name, *e.aliases))
    try:
        issues = validate(load_disclosure(disclosure), as_of=as_of, section_1286=names)
    except DisclosureError as exc:
        raise _fail(str(exc)) from exc
    for issue in issues:
        typer.echo(f"{issue.severity:8} {issue.path}: {issue.message}")
    typer.echo(f"{len(issues)} issue(s)")
    if any(i.severity == "error" for i in issues):
        raise typer.Exit(code=1)


@research_app.command("reconcile")
def reconcile_command(
    disclosure: Annotated[Path, typer.Option("--disclosure", help="disclosure JSON", exists=True, dir_okay=False)],
    orcid: Annotated[str, typer.Option("--orcid", help="the person's ORCID iD")],
    works: Annotated[list[Path] | None, typer.Option(
        "--works", help="saved OpenAlex / Crossref / ORCID JSON, or OpenAlex works / authorships as JSON lines "
                        "(.jsonl[.gz]) or Parquet, read streaming", exists=True, dir_okay=False)] = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="fetch from OpenAlex, Crossref and ORCID (online)")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="flags as JSON (default stdout)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ignore works after this ISO date")] = None,
    registry: Annotated[Path | None, typer.Option("--registry", exists=True, dir_okay=False)] = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="local (stream the --works files here) or spark (Spark tasks read them: one per JSON-lines "
                         "file, one per Parquet row group; needs techguard[spark] and Java 17) / 実行エンジン")] = "local",
    master: Annotated[str, typer.Option(
        "--master", help="With --engine spark: the Spark master URL, e.g. local[2]")] = "local[2]",
) -> None:
    """Compare declared affiliations with those printed on the person's works. 申告と論文所属の突合."""
    import httpx

    from techguard.research.disclosures import DisclosureError, load_disclosure
    from techguard.research.publications import PublicationFormatError, fetch_observations, iter_observations
    from techguard.research.reconcile import reconcile
    from techguard.research.store import RegistryMissing, open_resolver

    if engine not in ("local", "spark") or (engine == "spark" and not works):
        raise _fail("--engine is 'local' or 'spark' (spark: for --works files) / "
                    "--engine は local か spark（spark は --works のファイル用）")
    try:
        declared = load_disclosure(disclosure)
        resolver = open_resolver(config.data_dir(), registry)
        flags: list[Flag] = []
        count = 0
        if engine == "spark":
            flags, count = _reconcile_spark(declared, works or [], orcid, as_of, resolver, master)
            observed = []
        else:
            observed = [o for path in works or [] for o in iter_observations(path, orcid)]
        if fetch:
            with httpx.Client(timeout=30.0, follow_redirects=True) as client:
                observed += fetch_observations(orcid, client)
    except (DisclosureError, PublicationFormatError, RegistryMissing, httpx.HTTPError) as exc:
        raise _fail(str(exc)) from exc
    if not observed and not count:
        raise _fail("no works given: pass --works FILE or --fetch / 論文データがありません")
    # Files first, then fetched works: the order (and so the output) of the local engine.
    flags += reconcile(declared, observed, as_of, resolver=resolver) if observed else []
    observed_count = count + len(observed)
    text = json.dumps([f.as_dict() for f in flags], ensure_ascii=False, indent=1)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        counts = {t: sum(f.triage.value == t for f in flags) for t in ("escalate", "review", "notify", "none")}
        typer.echo(f"{observed_count} observed affiliations, {len(flags)} flag(s) {counts} -> {output}")
    else:
        typer.echo(text)


def _reconcile_spark(
    declared: Disclosure, works: list[Path], orcid: str, as_of: str | None, resolver: Resolver, master: str
) -> tuple[list[Flag], int]:
    """``--engine spark``: the --works files read by Spark tasks; the same flags as the local engine."""
    try:
        from pyspark.sql import SparkSession

        from techguard.spark.research import reconcile_files
        from techguard.spark.screen import spark_session
    except ImportError as error:
        raise _fail(f"--engine spark needs pyspark: pip install 'techguard[spark]' ({error})") from None
    owned = SparkSession.getActiveSession() is None  # a session the caller started is left running
    spark = spark_session(master)
    try:
        return reconcile_files(spark, declared, works, orcid, resolver=resolver, as_of=as_of)
    finally:
        if owned:
            spark.stop()


def register(app: typer.Typer) -> None:
    app.add_typer(research_app, name="research")


__all__ = ["register"]
