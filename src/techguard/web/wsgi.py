"""WSGI entry point: ``techguard.web.wsgi:application`` (``techguard web serve`` runs gunicorn on it).

The screener (list index and the language resources behind it) is built here, once: under
``gunicorn --preload`` in the master before it forks, so every worker starts warm and shares those pages,
instead of each one spending seconds on its first screening request.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
application = get_wsgi_application()


def _warm_screener() -> None:
    from techguard.web.screening.services import ScreeningUnavailable, get_screener

    try:
        get_screener()
    except ScreeningUnavailable as exc:  # no lists yet: the first screening after an import builds it
        logging.getLogger("techguard.web").info("screener not built at start: %s", exc)


_warm_screener()
