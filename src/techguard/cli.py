"""The ``techguard`` command line: thin adapters over the core packages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from techguard import __version__, config

app = typer.Typer(
    name="techguard",
    help="Export-control screening and determinations (US EAR / Japan 外為法). 安全保障輸出管理ツール.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"techguard {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="TECHGUARD_DATA_DIR",
            help="Where list snapshots and the database live (default: the per-user data directory).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    config.set_data_dir(data_dir)


def _register_commands() -> None:
    from techguard.commands import audit, lists, research, rules, screen, web

    for module in (lists, screen, rules, research, web, audit):
        module.register(app)
    from techguard.commands import screening  # the web app's continuous re-screening

    screening.register(app)


_register_commands()


def main() -> None:
    app()


__all__ = ["app", "main"]
