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


def register(app: typer.Typer) -> None:
    app.add_typer(catalogue_app, name="catalogue")


__all__ = ["register"]
