"""WSGI entry point for the newsroom."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.settings import require_secret_key  # noqa: E402

require_secret_key()
application = get_wsgi_application()
