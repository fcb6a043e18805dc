"""The feedback form's protection without a CSRF token: the browser's own word on where the
post comes from.

Reader pages carry no CSRF token and set no cookie, so that a caching proxy may share them
(``articles.edge``). The one form they hold, "Was this helpful?", is protected instead by the
origin the browser sends with every POST: ``Origin`` (sent by every current browser with a
form post), else ``Referer``, must be this site's own (the scheme and host of the request,
as ``CsrfViewMiddleware`` compares them, or one of ``CSRF_TRUSTED_ORIGINS``), and a
``Sec-Fetch-Site: cross-site`` is refused whatever the rest says. A page on another site
cannot make a visitor's browser send a post that passes, and scripts that forge the headers
gain nothing a CSRF token would have stopped: the form needs no sign-in, and the rate limit
per client, the honeypot field and the triage by editors still apply.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: HttpRequest) -> bool:
    """Whether the browser says ``request`` comes from a page of this site."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return False
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent or sent == "null":
        return False
    origin = _origin_of(sent)
    if origin is None:
        return False
    try:
        own = f"{request.scheme}://{request.get_host()}".lower()
    except Exception:  # DisallowedHost and the like: not ours
        return False
    trusted = {o.lower().rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS}
    return origin == own or origin in trusted
