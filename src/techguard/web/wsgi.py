"""WSGI entry point: ``techguard.web.wsgi:application`` (serve with gunicorn/waitress in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techguard.web.settings")
application = get_wsgi_application()
