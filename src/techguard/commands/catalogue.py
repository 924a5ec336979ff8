"""``techguard catalogue update|status|build`` and ``techguard classify``: thin adapters over techguard.catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

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
        raise _fail(f"catalogue not changed / カタログは更新されていません: {exc}") from None
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
        raise _fail(f"update failed, previous catalogue kept / 更新失敗（前のカタログを継続）: {exc}") from None
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


def register(app: typer.Typer) -> None:
    app.add_typer(catalogue_app, name="catalogue")


__all__ = ["register"]
