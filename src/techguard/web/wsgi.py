"""WSGI entry point: ``techguard.web.wsgi:application`` (``techguard web serve`` runs gunicorn on it).

Everything a first request would otherwise load is loaded here, once: the screener (list index and the language
resources behind it), every view module (the URLconf), the compiled templates and the translation catalogues.
Under ``gunicorn --preload`` this runs in the master before it forks, so every worker starts warm and shares
those pages, instead of each one spending a second of CPU and its first users' time on them.
"""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
application = get_wsgi_application()


def _load_views_templates_and_catalogues() -> None:
    from django.conf import settings
    from django.template import TemplateSyntaxError, engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every view module and the API's schemas
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Cases")
    package = Path(__file__).resolve().parent
    engine = engines["django"]
    template_dirs: list[str] = engine.engine.dirs  # type: ignore[attr-defined]  # DjangoTemplates' Engine
    for directory in [*map(Path, template_dirs), *get_app_template_dirs("templates")]:
        if not directory.resolve().is_relative_to(package):
            continue  # only this project's templates; third-party apps' are loaded when used
        for path in sorted(directory.rglob("*.html")):
            try:
                engine.get_template(path.relative_to(directory).as_posix())
            except TemplateSyntaxError:
                continue  # a page of an optional app that is not installed (e.g. single sign-on off): never shown


# Load the screening index (from its on-disk cache) before the first request, not during it.
from techguard.web.screening.services import warm_up  # noqa: E402

warm_up()
_load_views_templates_and_catalogues()
