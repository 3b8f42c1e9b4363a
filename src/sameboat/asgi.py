"""ASGI entry point (kept for completeness; serve with gunicorn sync workers, see DESIGN.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sameboat.settings")
application = get_asgi_application()
