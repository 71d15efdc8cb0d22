"""The ASGI entry point: production, so the checkout's development .env is never read."""

import os

from django.core.asgi import get_asgi_application

# Settings read the checkout's .env (make setup's DJANGO_DEBUG=1 and development key) unless
# DJANGO_ENV_FILE says otherwise; none for a server, whatever folder it starts in. This runs
# before get_asgi_application() loads the settings.
os.environ.setdefault("DJANGO_ENV_FILE", "")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()
