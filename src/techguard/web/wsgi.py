"""WSGI entry point: ``techguard.web.wsgi:application`` (``techguard web serve`` runs gunicorn on it).

The screener (list index and the language resources behind it) is built here, once: under
``gunicorn --preload`` in the master before it forks, so every worker starts warm and shares those pages,
instead of each one spending seconds on its first screening request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
application = get_wsgi_application()

# Load the screening index (from its on-disk cache) before the first request, not during it.
from techguard.web.screening.services import warm_up  # noqa: E402

warm_up()
