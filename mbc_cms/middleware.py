"""Security headers on every response, with a per-request nonce for inline JSON-LD; gzip for
public reads, kept away from anything a BREACH-style attack could read."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:{media_origins}; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script without this request's nonce), plus
    Permissions-Policy. Django's SecurityMiddleware and XFrameOptionsMiddleware add nosniff,
    Referrer-Policy and frame protection."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Images in an S3 bucket or behind a CDN come from there (settings.media_storage).
        self.media_origins = "".join(f" {origin}" for origin in settings.MEDIA_ORIGINS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        # A 304 leaves the browser's stored copy in use, with the nonce of the policy stored
        # beside it: a new policy here would replace that one and block the copy's scripts.
        if response.status_code != 304:
            response.setdefault(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.format(
                    nonce=request.csp_nonce, media_origins=self.media_origins
                ),
            )
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def csp_nonce(request: HttpRequest) -> dict:
    """Template context processor: ``csp_nonce`` for the one allowed inline script."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


# Text worth compressing: HTML, JSON, XML and Atom, plain text (robots.txt), CSS and scripts.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "application/vnd.oai.openapi",
)
# Never compressed: where signed-in staff work, and unpublished text or credentials travel.
UNCOMPRESSED_PATHS = ("/admin/", "/api/v1/editorial/", "/api/v1/auth/", "/preview/")


class CompressionMiddleware(GZipMiddleware):
    """Gzip (with Django's random-length padding, "Heal the Breach") for public reads only.

    BREACH recovers a secret from the compressed size of responses that also echo text the
    attacker chose, by making the victim's browser send many requests. So a response is
    compressed only when it cannot hold both (docs/architecture.md, "Compression"):

    - a GET or HEAD: the answers to form posts echo what was posted beside a CSRF token;
    - with no session cookie: signed-in staff see unpublished text and their own searches;
    - outside the admin, the editorial API, the token endpoint and previews (unpublished
      text, tokens; the editorial API's strong ETags are compared byte for byte in If-Match,
      and compression would make them weak);
    - with no CSRF token in the body, unless it is a cached public page
      (``articles.caching.cached_page``): the same bytes for every reader but the nonce (they
      carry no CSRF token: the feedback form is checked by origin, ``articles.origin``), and
      the one public page with a form, the article, echoes nothing of the request;
    - text, not already encoded (WhiteNoise, above this middleware, serves static files with
      their own pre-compressed copies; images are compressed already).
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not self.compressible(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def compressible(request: HttpRequest, response: HttpResponse) -> bool:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(UNCOMPRESSED_PATHS)
            and (
                not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                or getattr(response, "public_page", False)
            )
            and content_type.startswith(COMPRESSIBLE_TYPES)
        )
