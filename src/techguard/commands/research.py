"""``techguard research``: institution registry, affiliation resolution, designation lists, reconciliation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer

from techguard import config

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
    """``id,affiliation`` rows from a CSV in UTF-8, UTF-8 with BOM or CP932."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _fail(f"{path}: not UTF-8 or CP932 text / UTF-8・CP932 ではありません")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "id" not in header or "affiliation" not in header:
        raise _fail(f"{path}, line 1: header must contain 'id' and 'affiliation' (got {header}) / "
                    "ヘッダーに id と affiliation が必要です")
    rows = []
    for number, row in enumerate(reader, start=2):
        clean = {(k or "").strip(): v for k, v in row.items()}
        if clean.get("affiliation") is None:
            raise _fail(f"{path}, line {number}, field 'affiliation': missing value")
        rows.append((clean.get("id") or "", clean["affiliation"] or ""))
    return rows


@research_app.command("resolve")
def resolve_command(
    affiliations: Annotated[Path, typer.Argument(help="CSV with header id,affiliation", exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON lines, one object per input row")],
    registry: Annotated[Path | None, typer.Option("--registry", help="ROR file to use instead of the imported one",
                                                  exists=True, dir_okay=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date for list memberships (default today)")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="add matched text and explanation to each row")] = False,
) -> None:
    """Resolve affiliation strings to ROR institutions with their designations. 所属文字列を機関に名寄せ."""
    from techguard.research.store import RegistryMissing, open_resolver

    rows = _read_affiliations(affiliations)
    try:
        resolver = open_resolver(config.data_dir(), registry)
    except RegistryMissing as exc:
        raise _fail(str(exc)) from exc
    matched = 0
    with output.open("w", encoding="utf-8") as handle:
        for row_id, text in rows:
            resolution = resolver.resolve(text, as_of=as_of)
            data = resolution.as_dict()
            record = {"id": row_id, "ror_id": data["ror_id"], "name": data["name"], "country": data["country"],
                      "score": data["score"], "designations": data["designations"],
                      "assessments": data["assessments"]}
            if explain:
                record.update(matched=data["matched"], others=data["others"], explanation=data["explanation"])
            matched += resolution.ror_id is not None
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    typer.echo(f"{len(rows)} rows, {matched} resolved, {len(rows) - matched} no match -> {output}")


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


def register(app: typer.Typer) -> None:
    app.add_typer(research_app, name="research")


__all__ = ["register"]
