"""``techguard web``: serve the case app, run its worker, migrate, create an administrator."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

web_app = typer.Typer(help="The case workflow web app. ウェブアプリ.", no_args_is_help=True)


def _announce_admin(created: bool, username: str, password: str | None) -> None:
    if created and password:
        typer.secho("First administrator created — this password is shown only once:", fg="yellow", bold=True)
        typer.echo(f"  username: {username}\n  password: {password}")
    elif created:
        typer.echo(f"First administrator {username!r} created with TECHGUARD_ADMIN_PASSWORD.")
    else:
        typer.echo(f"Log in as an administrator (e.g. {username!r}); `techguard web createadmin` adds another.")


@web_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    worker: Annotated[bool, typer.Option(help="Run the background worker in this process.")] = True,
) -> None:
    """Migrate, make sure an administrator exists, start the worker thread and serve."""
    from techguard.web import bootstrap

    bootstrap.setup()
    bootstrap.migrate()
    credentials = bootstrap.ensure_admin()
    from django.conf import settings
    from django.core.management import call_command

    typer.echo(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
               f"{settings.DATABASES['default']['NAME']}")
    _announce_admin(credentials.created, credentials.username, credentials.password)
    typer.echo(f"Open http://{host}:{port}/ and log in.")
    if worker:
        from techguard.web.screening.jobs import run_forever

        threading.Thread(target=run_forever, name="techguard-worker", daemon=True).start()
    # insecure_serving: runserver serves the static files itself even with DEBUG off (development server only)
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, insecure_serving=True)


@web_app.command("worker")
def worker() -> None:
    """Run the background worker (batch screening) until interrupted."""
    from techguard.web import bootstrap

    bootstrap.setup()
    from techguard.web.screening.jobs import run_forever

    try:
        run_forever()
    except KeyboardInterrupt:
        typer.echo("worker stopped")


@web_app.command("migrate")
def migrate() -> None:
    """Create or upgrade the database tables."""
    from techguard.web import bootstrap

    bootstrap.setup()
    bootstrap.migrate(verbosity=1)


@web_app.command("createadmin")
def createadmin(
    username: Annotated[str, typer.Option(prompt=True, help="Login name.")],
    email: Annotated[str, typer.Option(help="E-mail for notifications.")] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, envvar="TECHGUARD_ADMIN_PASSWORD")
    ] = "",
) -> None:
    """Create an administrator account."""
    from techguard.web import bootstrap

    bootstrap.setup()
    bootstrap.migrate()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from techguard.web.accounts.models import Profile, Role
    from techguard.web.audit.chain import record

    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        typer.secho(f"user {username!r} already exists", fg="red", err=True)
        raise typer.Exit(1)
    with transaction.atomic():
        user = user_model.objects.create_superuser(username=username, email=email, password=password)
        Profile.objects.update_or_create(user=user, defaults={"role": Role.ADMINISTRATOR})
        record("user.created", obj=user, changes={"username": username, "role": "administrator"},
               reason="created with techguard web createadmin")
    typer.echo(f"administrator {username!r} created")


def register(app: typer.Typer) -> None:
    app.add_typer(web_app, name="web")


__all__ = ["register"]
