"""``techguard catalogue update|status|build`` and ``techguard classify``: thin adapters over techguard.catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from techguard.i18n import multilingual

catalogue_app = typer.Typer(
    help="The control catalogue (CCL + 輸出令/外為令/貨物等省令): build, update from eCFR/e-Gov, status. 該非カタログ",
    no_args_is_help=True,
)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@catalogue_app.command("build")
def build(
    sources: Annotated[
        list[Path],
        typer.Option("--from", help="Directory with saved source files (eCFR/e-Gov XML or their renderings)."),
    ],
) -> None:
    """Build the catalogue from saved files; the previous catalogue stays if this fails. 保存済みの法令から作成"""
    from techguard.catalogue.build import build_from_dirs
    from techguard.catalogue.model import CatalogueError
    from techguard.catalogue.store import save

    try:
        catalogue = build_from_dirs(sources)
        path = save(catalogue)
    except CatalogueError as exc:
        raise _fail(f"{multilingual('catalogue not changed')}: {exc}") from None
    typer.echo(f"catalogue written: {path}")
    typer.echo(json.dumps(catalogue.counts(), ensure_ascii=False))


@catalogue_app.command("update")
def update() -> None:
    """Download the CCL (eCFR) and 輸出令/外為令/貨物等省令 (e-Gov) and rebuild. 最新の法令で更新"""
    import httpx

    from techguard.catalogue.build import build_online
    from techguard.catalogue.model import CatalogueError
    from techguard.catalogue.store import save

    try:
        with httpx.Client(timeout=120.0, follow_redirects=True, headers={"User-Agent": "techguard"}) as client:
            catalogue = build_online(client)
        path = save(catalogue)
    except CatalogueError as exc:
        raise _fail(f"{multilingual('update failed, previous catalogue kept')}: {exc}") from None
    typer.echo(f"catalogue written: {path}")
    typer.echo(json.dumps(catalogue.counts(), ensure_ascii=False))


@catalogue_app.command("status")
def status() -> None:
    """Show which catalogue is in force: sources, text dates, counts. 現在のカタログ"""
    from techguard.catalogue.model import CatalogueError
    from techguard.catalogue.store import status as catalogue_status

    try:
        typer.echo(json.dumps(catalogue_status(), ensure_ascii=False, indent=1))
    except CatalogueError as exc:
        raise _fail(str(exc)) from None


@catalogue_app.command("confirm-link")
def confirm_link(
    jp_id: Annotated[str, typer.Argument(help="Japanese entry id, e.g. 'jp:export_order:7の項（1）'.")],
    eccn: Annotated[str, typer.Argument(help="ECCN or paragraph, e.g. 3A001.a.5.")],
    officer: Annotated[str, typer.Option(help="Who confirms / 確認者.")],
    reason: Annotated[str, typer.Option(help="Why / 理由.")],
    reject: Annotated[bool, typer.Option("--reject", help="Reject the link instead of confirming it.")] = False,
) -> None:
    """Confirm or reject a crosswalk link (kept in confirmations.json). 対応関係の確認"""
    from techguard.catalogue.confirmations import record_link
    from techguard.catalogue.model import CatalogueError
    from techguard.catalogue.store import load

    try:
        record = record_link(load(), jp_id, eccn, officer=officer, reason=reason, reject=reject)
    except CatalogueError as exc:
        raise _fail(str(exc), 2) from None
    typer.echo(json.dumps(record, ensure_ascii=False))


@catalogue_app.command("crosswalk")
def crosswalk(
    jp_item: Annotated[str | None, typer.Argument(help="Show links of one 項番 or ECCN only.")] = None,
) -> None:
    """Print crosswalk links (computed and confirmed) as JSON lines. 項番とECCNの対応"""
    from techguard.catalogue.confirmations import effective_links
    from techguard.catalogue.model import CatalogueError
    from techguard.catalogue.store import load

    try:
        catalogue = load()
        links = effective_links(catalogue)
    except CatalogueError as exc:
        raise _fail(str(exc)) from None
    for link in links:
        entry = catalogue.entries[link.jp_id]
        if jp_item and jp_item not in (entry.jp_item, link.eccn, link.eccn[:5]):
            continue
        typer.echo(json.dumps({"jp_item": entry.jp_item, "jp_article": entry.jp_article, **link.to_dict()},
                              ensure_ascii=False))


def _text_answer(answer: dict[str, Any], query: str) -> str:
    lines = [f"query: {query}", str(answer["message"])]
    candidate: dict[str, Any]
    for rank, candidate in enumerate(answer["candidates"], start=1):
        lines.append(f"{rank}. ECCN {candidate['eccn'] or '-'} | {candidate['jp_item'] or '-'} "
                     f"{candidate['jp_article']} | score {candidate['score']}")
        lines.append(f"   {candidate['text'][:160]}")
        for check in candidate["parameters"]:
            lines.append(f"   [{check['result']}] {check['entry']}: {check['threshold']}"
                         + (f" (query: {check['query_value']:g} {check['unit']})" if check["query_value"] is not None
                            else ""))
        for why in candidate["why"]:
            lines.append(f"   - {why}")
    if answer["not_listed_suggested"]:
        lines.append(multilingual("not listed suggested (officer decides)"))
    return "\n".join(lines)


def classify(
    query: Annotated[str, typer.Argument(help="A description of the item, or a CSV file with id,query columns.")],
    lang: Annotated[str | None, typer.Option("--lang", help="ja or en (default: from the query's script).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="How many candidates.")] = 5,
    output_format: Annotated[str, typer.Option("--format", help="json or text.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", help="JSONL output for a CSV of queries.")] = None,
) -> None:
    """Find the control-list entries for an item described in your own words. 該非判定の候補検索"""
    from techguard.catalogue.model import CatalogueError
    from techguard.catalogue.search import current_searcher, read_queries

    if lang not in (None, "ja", "en"):
        raise _fail("--lang must be ja or en", 2)
    if output_format not in ("json", "text"):
        raise _fail("--format must be json or text", 2)
    path = Path(query)
    is_file = len(query) < 4096 and query.lower().endswith(".csv")
    try:
        if is_file:
            if not path.is_file():
                raise CatalogueError(f"{path}: no such file")
            rows = read_queries(path.read_bytes(), str(path))
        searcher = current_searcher()
        if not is_file:
            answer = searcher.search(query, top=top, lang=lang).to_dict()
            typer.echo(json.dumps(answer, ensure_ascii=False, indent=1) if output_format == "json"
                       else _text_answer(answer, query))
            return
    except CatalogueError as exc:
        raise _fail(str(exc), 2) from None
    failed = 0
    handle = output.open("w", encoding="utf-8") if output else None
    try:
        for identifier, text, line in rows:
            try:
                record = searcher.search(text, top=top, lang=lang).to_dict(identifier)
            except CatalogueError as exc:
                failed += 1
                record = {"id": identifier, "candidates": [], "not_listed_suggested": False,
                          "error": f"{path}, line {line}, field 'query': {exc}"}
                typer.echo(f"error: {record['error']}", err=True)
            line_out = json.dumps(record, ensure_ascii=False)
            if handle:
                handle.write(line_out + "\n")
            else:
                typer.echo(line_out)
    finally:
        if handle:
            handle.close()
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(catalogue_app, name="catalogue")
    app.command("classify")(classify)


__all__ = ["register"]
