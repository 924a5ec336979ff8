"""``techguard screening``: the web app's continuous re-screening, for cron or a systemd timer.

    techguard screening rescreen          # nightly: every active party against what changed since the last run
"""

from __future__ import annotations

import typer

screening_app = typer.Typer(help="Continuous re-screening of the web app's parties. 再スクリーニング.",
                            no_args_is_help=True)


@screening_app.command("rescreen")
def rescreen() -> None:
    """Re-screen every active party (open/approved cases, party master) against the entries added or changed
    since the last re-screen; new potential matches open review tasks and notify the officers."""
    from techguard.web import bootstrap

    bootstrap.setup()
    from techguard.web.screening import rescreen as continuous

    try:
        run = continuous.run("nightly")
    except Exception as exc:  # a missing list store etc.: say what failed, exit non-zero for the timer's log
        typer.secho(f"re-screening failed / 再スクリーニング失敗: {type(exc).__name__}: {exc}", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"re-screened {run.parties} parties against {run.changed_entries} added/changed entries: "
        f"{run.new_tasks} new review tasks / {run.parties} 件を再スクリーニング（変更 {run.changed_entries} 件）、"
        f"新規審査 {run.new_tasks} 件"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(screening_app, name="screening")
__all__ = ["register"]
