"""Start-up: production refuses insecure settings; the CLI migrates, creates the first admin once, verifies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = "k" * 60


def _import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL"))}
    clean.update({"TECHGUARD_DATA_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-c", "import techguard.web.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
                          env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("env", "complaint"), [
    ({}, "TECHGUARD_SECRET_KEY"),
    ({"TECHGUARD_SECRET_KEY": "short"}, "TECHGUARD_SECRET_KEY"),
    ({"TECHGUARD_SECRET_KEY": "django-insecure-" + GOOD_KEY}, "TECHGUARD_SECRET_KEY"),
    ({"TECHGUARD_SECRET_KEY": GOOD_KEY, "TECHGUARD_DEBUG": "1", "TECHGUARD_ALLOWED_HOSTS": "x.org"}, "DEBUG"),
    ({"TECHGUARD_SECRET_KEY": GOOD_KEY}, "TECHGUARD_ALLOWED_HOSTS"),
    ({"TECHGUARD_SECRET_KEY": GOOD_KEY, "TECHGUARD_ALLOWED_HOSTS": "*"}, "TECHGUARD_ALLOWED_HOSTS"),
])
def test_production_refuses_insecure_defaults(tmp_path, env, complaint):
    result = _import_settings(tmp_path, TECHGUARD_ENV="production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr


def test_production_accepts_explicit_settings(tmp_path):
    result = _import_settings(tmp_path, TECHGUARD_ENV="production", TECHGUARD_SECRET_KEY=GOOD_KEY,
                              TECHGUARD_ALLOWED_HOSTS="export.example.ac.jp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['export.example.ac.jp']"


def test_development_keeps_a_generated_secret_key_in_the_data_dir(tmp_path):
    assert _import_settings(tmp_path).returncode == 0
    key = (tmp_path / "web-secret-key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "web-secret-key").stat().st_mode)[-3:] == "600"


def test_sqlite_is_wal_with_immediate_transactions():
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_cli_migrates_and_prints_generated_admin_password_once(tmp_path):
    """`web migrate` then the first-admin step of `web serve`, in a fresh data directory (real subprocesses)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TECHGUARD_", "DATABASE_URL", "DJANGO_"))}
    clean["TECHGUARD_DATA_DIR"] = str(tmp_path)
    run = [str(Path(sys.executable).parent / "techguard")]
    migrate = subprocess.run([*run, "web", "migrate"], env=clean, capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "techguard.sqlite3").exists()
    code = ("from techguard.web import bootstrap; bootstrap.setup(); c = bootstrap.ensure_admin(); "
            "print(c.created, c.username, c.password)")
    first = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)
    created, username, password = first.stdout.split()
    assert (created, username) == ("True", "admin") and len(password) >= 12
    second = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)
    assert second.stdout.split() == ["False", "admin", "None"]
    verify = subprocess.run([*run, "audit", "verify"], env=clean, capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and "intact: 1 events" in verify.stdout


def test_every_static_file_the_base_template_links_is_found() -> None:
    # the development server (make run) and collectstatic both go through the staticfiles finders
    from django.contrib.staticfiles import finders

    base = (Path(__file__).resolve().parents[2] / "src/techguard/web/templates/base.html").read_text()
    import re

    linked = re.findall(r"{% static '([^']+)' %}", base)
    assert "web/style.css" in linked
    for name in linked:
        assert finders.find(name), f"static file {name} is not found by the staticfiles finders"
