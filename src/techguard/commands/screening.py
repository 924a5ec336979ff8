"""``techguard screening``: the web app's continuous re-screening, for cron or a systemd timer.

    techguard screening rescreen          # nightly: every active party against what changed since the last run
"""

from __future__ import annotations

import typer

from techguard.i18n import multilingual

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
        typer.secho(f"{multilingual('re-screening failed')}: {type(exc).__name__}: {exc}", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(multilingual(
        "re-screened {parties} parties against {changed} added/changed entries: {tasks} new review tasks",
        parties=run.parties, changed=run.changed_entries, tasks=run.new_tasks))


def register(app: typer.Typer) -> None:
    app.add_typer(screening_app, name="screening")
__all__ = ["register"]
