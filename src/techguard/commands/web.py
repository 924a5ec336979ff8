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


def _gunicorn_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gunicorn") is not None


@web_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    worker: Annotated[bool, typer.Option(help="Run the background worker in this process.")] = True,
    workers: Annotated[int, typer.Option("--workers", min=0, max=64,
                                         help="gunicorn processes (0: 2 per CPU core).")] = 0,
    dev: Annotated[bool, typer.Option("--dev", help="Django's development server instead of gunicorn.")] = False,
) -> None:
    """Migrate, make sure an administrator exists, start the worker thread and serve (gunicorn when installed)."""
    import os

    use_gunicorn = not dev and _gunicorn_available()
    if not use_gunicorn:
        # the development server starts a thread per request: persistent connections would pile up there
        os.environ["TECHGUARD_CONN_MAX_AGE"] = "0"
    from techguard.web import bootstrap

    bootstrap.setup()
    bootstrap.migrate()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    try:
        credentials = bootstrap.ensure_admin()
    except ValidationError as exc:
        typer.secho("TECHGUARD_ADMIN_PASSWORD refused: " + " ".join(exc.messages), fg="red", err=True)
        raise typer.Exit(1) from None

    typer.echo(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
               f"{settings.DATABASES['default']['NAME']}")
    _announce_admin(credentials.created, credentials.username, credentials.password)
    if not dev and not use_gunicorn:
        typer.secho("gunicorn is not installed (pip install 'techguard[web]'): serving with Django's development "
                    "server instead.", fg="yellow", err=True)
    typer.echo(f"Open http://{host}:{port}/ and log in.")
    if worker:
        from techguard.web.screening.jobs import run_forever

        threading.Thread(target=run_forever, name="techguard-worker", daemon=True).start()
    if not use_gunicorn:
        # insecure_serving: runserver serves the static files itself even with DEBUG off (development server only)
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, insecure_serving=True)
        return
    _run_gunicorn(host, port, workers or 2 * (os.cpu_count() or 1))


def gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line: every setting but the address and the process count comes from
    ``techguard.web.gunicorn_conf`` (gthread workers, preload, timeouts, recycling), as in deploy/."""
    import sys

    return [sys.executable, "-m", "gunicorn", "--config", "python:techguard.web.gunicorn_conf",
            "techguard.web.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
            "--error-logfile", "-"]


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    """gunicorn in a child process: ``workers`` processes of ``TECHGUARD_GUNICORN_THREADS`` threads (default 4),
    one persistent database connection per thread."""
    import os
    import signal
    import subprocess

    from django.core.management import call_command
    from django.db import connections

    from techguard import config
    from techguard.web import gunicorn_conf

    # No proxy in front when started this way: gunicorn's processes serve the collected static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()
    env = dict(os.environ, TECHGUARD_DATA_DIR=str(config.data_dir()), TECHGUARD_SERVE_STATIC="1",
               DJANGO_SETTINGS_MODULE="techguard.web.settings")
    command = gunicorn_command(host, port, workers)
    typer.echo(f"gunicorn: {workers} worker processes × {gunicorn_conf.threads} threads")
    server = subprocess.Popen(command, env=env)

    def stop(signum: int, frame: object) -> None:  # SIGTERM/SIGHUP to this process stops gunicorn too
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait(timeout=60)
    if server.returncode not in (0, -15, None):
        raise typer.Exit(server.returncode)


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
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from techguard.web.accounts.models import Profile, Role
    from techguard.web.audit.chain import record

    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        typer.secho(f"user {username!r} already exists", fg="red", err=True)
        raise typer.Exit(1)
    try:  # the same validators as the web app's password forms (AUTH_PASSWORD_VALIDATORS)
        validate_password(password, user=user_model(username=username, email=email))
    except ValidationError as exc:
        typer.secho("password refused: " + " ".join(exc.messages), fg="red", err=True)
        raise typer.Exit(1) from None
    with transaction.atomic():
        user = user_model.objects.create_superuser(username=username, email=email, password=password)
        Profile.objects.update_or_create(user=user, defaults={"role": Role.ADMINISTRATOR})
        record("user.created", obj=user, changes={"username": username, "role": "administrator"},
               reason="created with techguard web createadmin")
    typer.echo(f"administrator {username!r} created")


def register(app: typer.Typer) -> None:
    app.add_typer(web_app, name="web")


__all__ = ["register"]
