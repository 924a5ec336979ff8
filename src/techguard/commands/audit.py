"""``techguard audit``: verify the hash-chained audit trail; apply the retention period."""

from __future__ import annotations

from typing import Annotated

import typer

audit_app = typer.Typer(help="The audit trail of the web app. 監査ログ.", no_args_is_help=True)


@audit_app.command("verify")
def verify() -> None:
    """Recompute every event's keyed hash and compare the head with the signed checkpoints; exit 1 at a break."""
    from techguard.web import bootstrap

    bootstrap.setup()
    from techguard.web.audit.chain import verify_full as verify_chain  # the page then shows when it ran

    report = verify_chain()
    if report.ok:
        typer.echo(f"audit chain intact: {report.events} events")
        for warning in report.warnings:
            typer.secho(f"warning: {warning}", fg="yellow", err=True)
        return
    typer.secho(f"audit chain BROKEN at event {report.first_bad_id}: {report.problem}", fg="red", err=True)
    raise typer.Exit(1)


@audit_app.command("purge")
def purge(
    years: Annotated[int | None, typer.Option(help="Retention in years (default TECHGUARD_RETENTION_YEARS, 5).")]
    = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be deleted.")] = False,
) -> None:
    """Delete decided cases past the retention period; each deletion is itself audited."""
    from techguard.web import bootstrap

    bootstrap.setup()
    from techguard.web.audit.retention import purge_expired

    references = purge_expired(years=years, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    typer.echo(f"{verb} {len(references)} case(s){': ' if references else ''}{', '.join(references)}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


__all__ = ["register"]
