"""WSGI entry point: ``techguard.web.wsgi:application`` (serve with gunicorn/waitress in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
application = get_wsgi_application()

# Load the screening index (from its on-disk cache) before the first request, not during it.
from techguard.web.screening.services import warm_up  # noqa: E402

warm_up()
