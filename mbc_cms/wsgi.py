"""WSGI entry point: `gunicorn mbc_cms.wsgi:application`."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mbc_cms.settings")

application = get_wsgi_application()

# The site's code is imported now, not on the first request (the URLconf imports every view),
# and then frozen: left out of the garbage collector's full passes, which would otherwise walk
# these hundred thousand objects that live as long as the process. A worker's caches filling
# up after it starts (templates, prepared reads) set off a full pass that paused it for 60–180
# ms, the first seconds' slowest answers; with the code frozen, a pass walks only what came
# after it (Python's documentation of gc.freeze).
get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
gc.collect()
gc.freeze()
