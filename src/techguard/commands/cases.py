"""``techguard cases``: the web app's case jobs, for cron or a systemd timer.

    techguard cases licence-reminders     # nightly: expired licences flipped, reminders 90/30/7 days before expiry
"""

from __future__ import annotations

import typer

cases_app = typer.Typer(help="Jobs of the web app's cases (licence reminders). 事前確認の定期処理.",
                        no_args_is_help=True)


@cases_app.command("licence-reminders")
def licence_reminders() -> None:
    """Mark granted licences past their "valid until" as expired (audited) and e-mail the case's officers and
    researcher 90, 30 and 7 days before a licence expires — each reminder once."""
    from techguard.web import bootstrap

    bootstrap.setup()
    from techguard.web.licences import reminders

    try:
        run = reminders.send_reminders()
    except Exception as exc:  # a database or mail set-up problem: say what failed, exit non-zero for the timer
        typer.secho(f"licence reminders failed / 許可期限通知失敗: {type(exc).__name__}: {exc}", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{len(run.flipped)} licences marked expired, {len(run.sent)} reminders sent ({run.emails} e-mails) / "
        f"期限切れ {len(run.flipped)} 件、期限通知 {len(run.sent)} 件（メール {run.emails} 通）"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")


__all__ = ["register"]
