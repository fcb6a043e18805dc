"""Security headers on every response, with a per-request nonce for inline JSON-LD."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
