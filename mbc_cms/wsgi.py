"""WSGI entry point: `gunicorn mbc_cms.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mbc_cms.settings")

application = get_wsgi_application()
