"""Caching of public pages and API responses, invalidated whenever public content changes.

Every cache key carries the current *generation* of public content. Publishing,
unpublishing and editing a topic, trial or reviewer profile start a new generation (after the
transaction commits), so no stale page or API answer is served afterwards. A scheduled
publication changes what readers see without any write at that moment, so a generation also
expires by itself at the next scheduled go-live or go-dark time.

Cached HTML keeps two per-request values out of the cache: the Content-Security-Policy nonce
and the CSRF token of the feedback form are stored as placeholders and filled in for each
response, so every reader still gets a fresh nonce and their own CSRF token.
"""

import datetime
import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

STATE_KEY = "public-content:state"
NONCE_PLACEHOLDER = "__MBC_CSP_NONCE__"
CSRF_PLACEHOLDER = "__MBC_CSRF_TOKEN__"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
KEPT_HEADERS = ("Content-Type", "X-Robots-Tag", "Content-Language")


def _compute_state(now: datetime.datetime) -> dict:
    """A new generation, the time it stops being valid, and the last public change."""
    from .models import ClinicalTrial, PublishedArticle, Topic

    moments = PublishedArticle.objects.aggregate(
        started=Max("go_live_at", filter=Q(go_live_at__lte=now)),
        ended=Max("live_until", filter=Q(live_until__lte=now)),
        next_start=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        next_end=Min("live_until", filter=Q(live_until__gt=now)),
    )
    topics = Topic.objects.aggregate(latest=Max("updated_at"))["latest"]
    trials = ClinicalTrial.objects.aggregate(latest=Max("updated_at"))["latest"]
    past = [moments["started"], moments["ended"], topics, trials]
    upcoming = [moments["next_start"], moments["next_end"]]
    return {
        "generation": uuid.uuid4().hex,
        "valid_until": min((m for m in upcoming if m is not None), default=None),
        "last_change": max((m for m in past if m is not None), default=None),
    }


def public_state() -> dict:
    """The current generation of public content (computed at most once per change)."""
    now = timezone.now()
    state = cache.get(STATE_KEY)
    if state is None or (state["valid_until"] is not None and now >= state["valid_until"]):
        state = _compute_state(now)
        cache.set(STATE_KEY, state, None)
    return state


def last_public_change() -> datetime.datetime | None:
    """When anything readers can see last changed (the Last-Modified of public responses)."""
    return public_state()["last_change"]


def invalidate() -> None:
    """Start a new generation now and again once the transaction commits: a request that
    read the old data in between must not leave a stale generation behind."""
    cache.delete(STATE_KEY)
    transaction.on_commit(lambda: cache.delete(STATE_KEY))


def cache_key(request: HttpRequest, kind: str) -> str:
    """The key of a public answer: the address is hashed, so that any query string a client
    sends makes a short key of safe characters (a cache backend may refuse others)."""
    query = request.META.get("QUERY_STRING", "")
    address = f"{request.get_host()}:{request.path}?{query}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"public:{public_state()['generation']}:{kind}:{digest}"


def _freeze(request: HttpRequest, response: HttpResponse) -> dict:
    content = response.content
    nonce = getattr(request, "csp_nonce", "")
    if nonce:
        content = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
    content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER.encode() + rb"\3", content)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return {"content": content, "status": response.status_code, "headers": headers}


def _thaw(request: HttpRequest, entry: dict) -> HttpResponse:
    content: bytes = entry["content"]
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), request.csp_nonce.encode())
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page from the cache; a miss renders it and stores it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = cache_key(request, "page")
        entry = cache.get(key)
        if entry is not None:
            return _thaw(request, entry)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            cache.set(key, _freeze(request, response), settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapper


def cached_data(request: HttpRequest, kind: str, produce: Callable[[], object]) -> object:
    """Cache a serialised API payload (rendering stays per request, for content negotiation)."""
    key = cache_key(request, kind)
    data = cache.get(key)
    if data is None:
        data = produce()
        cache.set(key, data, settings.PUBLIC_CACHE_SECONDS)
    return data
