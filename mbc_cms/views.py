"""Project-level views: the health check."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles import stamp

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether this process can serve readers correctly: 200 when the database is
    reachable and a publication reaches every worker process's cache, else 503. ``checks``
    names each check's result; ``database`` repeats its own for older monitors."""
    checks = {"database": "ok", "cache_invalidation": "ok"}
    detail = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check: database unreachable: %s", exc)
        checks["database"] = "unreachable"
        detail = {"detail": "The database cannot be reached."}
    problem = stamp.invalidation_problem()
    if problem is not None:
        logger.warning("Health check: %s", problem)
        checks["cache_invalidation"] = problem
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": checks["database"],
            **detail,
            "checks": checks,
        },
        status=200 if healthy else 503,
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico; the icon is a static SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/ (an address no API route matches), else the site's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503 (JSON under /api/), anything else the 500 page.

    Django calls this inside its exception handler, so the exception is still current.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": "The service is temporarily unavailable. Please try again shortly."},
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)
