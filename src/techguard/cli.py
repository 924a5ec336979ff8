"""The ``techguard`` command line: thin adapters over the core packages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from techguard import __version__, config, native

app = typer.Typer(
    name="techguard",
    help="Export-control screening and determinations (US EAR / Japan 外為法). 安全保障輸出管理ツール.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"techguard {__version__}; screening hot path {native.check().describe()}")
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
    from techguard.commands import cases  # the web app's case jobs (licence reminders)

    cases.register(app)

    from techguard.commands import catalogue

    catalogue.register(app)


_register_commands()


# The extras a command may need (pyproject's optional dependencies): a missing one is named with its
# install command instead of a traceback. Imports of these packages happen only inside the commands.
_EXTRAS = {
    "django": "web", "ninja": "web", "psycopg": "web", "reportlab": "web", "dj_database_url": "web",
    "django_htmx": "web", "simple_history": "web", "django_tasks": "web",
    "pyspark": "spark", "pandas": "spark", "pyarrow": "parquet",
}  # fmt: skip


def main() -> None:
    try:
        app()
    except ModuleNotFoundError as error:
        extra = _EXTRAS.get((error.name or "").split(".")[0])
        if extra is None:
            raise
        typer.echo(
            f"error / エラー: this command needs {error.name}: pip install 'techguard[{extra}]' "
            "/ 追加パッケージが必要です",
            err=True,
        )
        raise SystemExit(1) from None


__all__ = ["app", "main"]
