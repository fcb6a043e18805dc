"""Answer repeated public reads from the cache as early as it is safe to.

``PublicCacheMiddleware`` sits after the middleware that shape every public response
(security headers, CORS, conditional GET, frame protection, host validation, the CSRF cookie)
and before URL resolution and the middleware that only signed-in users need (authentication,
messages, django-axes). A cached page or public API answer is served from there; so is an
anonymous JSON read of the API's article list or detail that no cache holds, whose answer
needs none of what follows (``articles.api.views.early_plain_answer``). Anything else goes on
to the view, which stores its answer for next time (``articles.caching.cached_page``,
``articles.api.views.serve_public_answer``). This is Django's per-site cache pattern, keyed
on the generation of public content.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mbc_cms import languages

from . import caching, edge
from .api.views import cached_api_answer, early_plain_answer

PUBLIC_API = re.compile(r"^/api/v1/(articles|topics|trials)(/|$)")
# Where the cached pages are (``cached_page`` views; a test keeps this list complete). Other
# paths pay nothing for this middleware but a string comparison.
PAGE_PREFIXES = ("/articles/", "/topics/", "/trials/", "/search/", "/feed/", "/about/")
PAGE_PATHS = frozenset({"/", "/sitemap.xml", "/robots.txt"})
# Every page under a language prefix (/es/…) is a reader page (mbc_cms.languages).
LANGUAGE_PREFIXES = tuple(
    f"/{code}/" for code in languages.codes() if code != languages.default_language()
)


def is_public_address(path: str) -> bool:
    """A reader page or a public API address: what a caching proxy may share."""
    if path.startswith("/api/"):
        return PUBLIC_API.match(path) is not None
    return (
        path in PAGE_PATHS or path.startswith(PAGE_PREFIXES) or path.startswith(LANGUAGE_PREFIXES)
    )


class EdgeHeadersMiddleware:
    """``Cache-Control`` and surrogate keys (``xkey``) for the caching proxy, on every answer
    but static files (``articles.edge``): placed above everything that may set a cookie or
    turn an answer into a 304, so that it sees the answer as it leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        edge.set_headers(request, response, public_address=is_public_address(request.path_info))
        return response


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        answer = None
        if request.method in ("GET", "HEAD"):
            path = request.path_info
            if is_public_address(path):
                if path.startswith("/api/"):
                    answer = cached_api_answer(request)
                    if answer is None:
                        answer = early_plain_answer(request)
                else:
                    answer = caching.cached_page_answer(request)
        return self.get_response(request) if answer is None else answer
