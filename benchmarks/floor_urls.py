"""The production URLconf plus the *framework floor*: a trivial view returning N bytes.

The floor is what the same gunicorn, settings and middleware can serve when the view itself
does nothing: every measured path is compared with the floor for its own response size.
Used only through ``benchmarks.settings``.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mbc_cms import urls as production
from mbc_cms.urls import handler404, handler500  # noqa: F401  (the same error handlers)

MAX_FLOOR_BYTES = 10_000_000


def floor(request: HttpRequest, size: int) -> HttpResponse:
    """``size`` bytes of body and nothing else: no database, no cache, no template."""
    if size > MAX_FLOOR_BYTES:
        size = MAX_FLOOR_BYTES
    return HttpResponse(b"x" * size, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("__floor__/<int:size>/", floor, name="bench-floor"),
    # The production patterns themselves, not ``include``d: they hold ``i18n_patterns``,
    # which Django allows only in the root URLconf.
    *production.urlpatterns,
]
