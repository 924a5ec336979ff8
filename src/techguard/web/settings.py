"""Django settings for the techguard case app, read from the environment.

``TECHGUARD_ENV=production`` refuses every insecure default: the secret key, ``DEBUG`` and the allowed hosts
must all be given explicitly. In development a random secret key is generated once and kept in the data
directory, so sessions survive restarts without a key ever being committed.

Environment:
  TECHGUARD_ENV            development (default) | production
  TECHGUARD_SECRET_KEY     required in production (at least 50 characters)
  TECHGUARD_DEBUG          "1"/"true" to enable; refused in production
  TECHGUARD_ALLOWED_HOSTS  comma separated; required in production, "*" refused there
  DATABASE_URL             e.g. postgres://user@host:5432/techguard (default: SQLite in the data directory)
  TECHGUARD_RETENTION_YEARS  record retention (default 5, EAR 15 CFR 762.6)
  TECHGUARD_EMAIL_BACKEND / TECHGUARD_EMAIL_HOST / TECHGUARD_DEFAULT_FROM_EMAIL
  TECHGUARD_LANGUAGES      the languages offered, comma separated (default "en,ja"); a third language needs only
                           its catalogues (docs/admin-guide.md, Translations), no code change
  TECHGUARD_LOCALE_PATHS   extra catalogue directories (os.pathsep separated), searched before the built-in ones
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from techguard import config
from techguard.i18n import extra_locale_dirs

BASE_DIR = Path(__file__).resolve().parent
ENVIRONMENT = os.environ.get("TECHGUARD_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"TECHGUARD_ENV must be 'development' or 'production', got {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def _secret_key() -> str:
    given = os.environ.get("TECHGUARD_SECRET_KEY", "").strip()
    if PRODUCTION:
        if len(given) < 50 or given.startswith("django-insecure"):
            raise ImproperlyConfigured(
                "TECHGUARD_SECRET_KEY must be set to a random value of at least 50 characters in production"
            )
        return given
    if given:
        return given
    key_file = config.data_dir() / "web-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("TECHGUARD_DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("TECHGUARD_DEBUG must not be enabled in production")

_hosts = [h.strip() for h in os.environ.get("TECHGUARD_ALLOWED_HOSTS", "").split(",") if h.strip()]
if PRODUCTION:
    if not _hosts or "*" in _hosts:
        raise ImproperlyConfigured("TECHGUARD_ALLOWED_HOSTS must list the served host names in production (no '*')")
    ALLOWED_HOSTS = _hosts
else:
    ALLOWED_HOSTS = _hosts or ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "ninja",
    "techguard.web.audit",
    "techguard.web.accounts",
    "techguard.web.cases",
    "techguard.web.screening",
    "techguard.web.researchsec",
    "techguard.web.classification",
    "techguard.web.licences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "techguard.web.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "techguard.web.urls"
WSGI_APPLICATION = "techguard.web.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "techguard.web.accounts.context.role",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
]


def _database() -> dj_database_url.DBConfig:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        db = dj_database_url.parse(url, conn_max_age=_CONN_MAX_AGE, conn_health_checks=_CONN_MAX_AGE > 0)
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db["OPTIONS"] = _SQLITE_OPTIONS
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(config.data_dir() / "techguard.sqlite3"),
        "OPTIONS": _SQLITE_OPTIONS,
        "CONN_MAX_AGE": _CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": _CONN_MAX_AGE > 0,
    }


# Persistent connections: one per serving thread, kept this many seconds and health-checked before reuse.
# Under gunicorn (gthread: a fixed pool of threads per process) the connections are bounded by --workers ×
# TECHGUARD_GUNICORN_THREADS (+1 per background worker). `web serve --dev` sets 0: Django's threaded development
# server starts a thread per request and never closes a finished thread's connection, which is how it once held
# all 100 PostgreSQL connections.
_CONN_MAX_AGE = int(os.environ.get("TECHGUARD_CONN_MAX_AGE", "600"))


# One writer at a time: every transaction takes SQLite's write lock up front (BEGIN IMMEDIATE), so two
# writers queue on busy_timeout instead of failing half-way with "database is locked". WAL lets readers go on.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON",
}

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("TECHGUARD_PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"


def _languages() -> list[tuple[str, Any]]:
    """``LANGUAGES`` from ``TECHGUARD_LANGUAGES``: codes Django knows take Django's name, translated by Django's own
    catalogues (the labels are in the accounts migrations, so they stay these); any other code is written
    ``code:Name`` (``en,ja,vi`` or ``en,ja,xx:Test``)."""
    from django.conf.locale import LANG_INFO

    languages: list[tuple[str, Any]] = []
    for entry in os.environ.get("TECHGUARD_LANGUAGES", "en,ja").split(","):
        code, _sep, name = (part.strip() for part in entry.partition(":"))
        if not code:
            continue
        if name:
            languages.append((code, name))
        elif code in LANG_INFO:
            languages.append((code, _(LANG_INFO[code]["name"])))
        else:
            raise ImproperlyConfigured(f"TECHGUARD_LANGUAGES: {code!r} is not a code Django knows; write {code}:Name")
    if LANGUAGE_CODE not in {code for code, _name in languages}:
        raise ImproperlyConfigured(f"TECHGUARD_LANGUAGES must include {LANGUAGE_CODE!r} (the source language)")
    return languages


LANGUAGES = _languages()
# catalogues kept outside the package first (TECHGUARD_LOCALE_PATHS, shared with the cores' techguard.i18n)
LOCALE_PATHS = [*extra_locale_dirs(), BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TECHGUARD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# the project-wide stylesheet lives beside the settings, not inside one app
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = os.environ.get("TECHGUARD_STATIC_ROOT") or str(config.data_dir() / "static")
# Case attachments: under the data directory, never served directly (downloads check permission and hash)
MEDIA_ROOT = os.environ.get("TECHGUARD_MEDIA_ROOT") or str(config.data_dir() / "media")

EMAIL_BACKEND = os.environ.get(
    "TECHGUARD_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("TECHGUARD_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("TECHGUARD_DEFAULT_FROM_EMAIL", "techguard@localhost")

if PRODUCTION:
    SESSION_COOKIE_SECURE = not _flag("TECHGUARD_INSECURE_COOKIES")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TECHGUARD_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The country the institution exports from; forms default the provider and the place of release to it.
TECHGUARD_HOME_COUNTRY = os.environ.get("TECHGUARD_HOME_COUNTRY", "JP").strip().upper()
TECHGUARD_RETENTION_YEARS = int(os.environ.get("TECHGUARD_RETENTION_YEARS", "5"))
TECHGUARD_LIST_STALE_DAYS = int(os.environ.get("TECHGUARD_LIST_STALE_DAYS", "14"))
# A batch job whose worker has not written a heartbeat for this long is taken to be dead and is resumed.
TECHGUARD_JOB_STALE_SECONDS = int(os.environ.get("TECHGUARD_JOB_STALE_SECONDS", "60"))
TECHGUARD_BATCH_CHUNK = int(os.environ.get("TECHGUARD_BATCH_CHUNK", "50"))


# --- production stack: TLS proxy, HSTS, CSP, request ids, structured logs (see docs/admin-guide.md) ---
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (the proxy must overwrite any client value).
if _flag("TECHGUARD_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
if PRODUCTION and not _flag("TECHGUARD_INSECURE_COOKIES"):
    SECURE_HSTS_SECONDS = int(os.environ.get("TECHGUARD_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("TECHGUARD_HSTS_SUBDOMAINS")
    SECURE_SSL_REDIRECT = _flag("TECHGUARD_SSL_REDIRECT")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page's scripts are served from /static/ (htmx and the API docs included); nothing remote.
TECHGUARD_CSP = os.environ.get(
    "TECHGUARD_CSP",
    # style attributes (progress bars, htmx indicators) are allowed; scripts only from /static/ plus the one
    # inline handler of the language switcher, by its hash.
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-hashes' 'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
MIDDLEWARE.insert(0, "techguard.web.observability.RequestIdMiddleware")
MIDDLEWARE.insert(2, "techguard.web.observability.SecurityHeadersMiddleware")
# gunicorn started by `techguard web serve` (no proxy in front) serves the collected static files itself.
TECHGUARD_SERVE_STATIC = _flag("TECHGUARD_SERVE_STATIC")

_LOG_HANDLERS: dict[str, dict[str, object]] = {
    "stderr": {"class": "logging.StreamHandler", "formatter": "json" if PRODUCTION else "plain",
               "filters": ["request_id"]},
}
if os.environ.get("TECHGUARD_LOG_FILE"):
    _LOG_HANDLERS["file"] = {"class": "logging.handlers.WatchedFileHandler", "filename": os.environ["TECHGUARD_LOG_FILE"],
                             "formatter": "json", "filters": ["request_id"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "techguard.web.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "techguard.web.observability.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": _LOG_HANDLERS,
    "loggers": {
        "techguard": {"handlers": list(_LOG_HANDLERS), "level": os.environ.get("TECHGUARD_LOG_LEVEL", "INFO"),
                      "propagate": False},
        # server errors (500s with their traceback) and security warnings, also with DEBUG off
        "django.request": {"handlers": list(_LOG_HANDLERS), "level": "ERROR", "propagate": False},
        "django.security": {"handlers": list(_LOG_HANDLERS), "level": "WARNING", "propagate": False},
    },
}

# --- accounts: links in e-mail, single sign-on, training records (docs/admin-guide.md) ---
from techguard.web.accounts import sso_settings as _sso  # noqa: E402

# TECHGUARD_SITE_URL: the address users open (scheme + host, no path), e.g. https://techguard.example.ac.jp.
# Every notification e-mail links to the case with it. Default: https://<first allowed host> in production,
# http://127.0.0.1:8000 in development.
SITE_URL = _sso.site_url(PRODUCTION, ALLOWED_HOSTS)
_sso_config = _sso.from_environment(SITE_URL)
INSTALLED_APPS += [*_sso_config.apps, "techguard.web.training"]
MIDDLEWARE += _sso_config.middleware
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", *_sso_config.backends]
globals().update(_sso_config.values)
_CONTEXT_PROCESSORS.append("techguard.web.accounts.sso_settings.login_context")
# Invitation and password-reset links stay valid this long (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("TECHGUARD_INVITATION_DAYS", "7")) * 24 * 3600
# API tokens stop working this many days after they are issued (revocable before on the Tokens page).
TECHGUARD_TOKEN_DAYS = int(os.environ.get("TECHGUARD_TOKEN_DAYS", "90"))
# Login throttling (failed logins are audit events): per username, and 4× this per client address.
TECHGUARD_LOGIN_MAX_FAILURES = int(os.environ.get("TECHGUARD_LOGIN_MAX_FAILURES", "5"))
TECHGUARD_LOGIN_WINDOW_MINUTES = int(os.environ.get("TECHGUARD_LOGIN_WINDOW_MINUTES", "15"))
