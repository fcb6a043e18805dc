"""Caching of public pages and API responses, invalidated whenever public content changes.

Every cache key carries the current *generation* of public content. Publishing,
unpublishing and editing a topic, trial or reviewer profile start a new generation (at once
and again after the transaction commits), so no stale page or API answer is served afterwards.
A scheduled publication changes what readers see without any write at that moment, so a
generation also expires by itself at the next scheduled go-live or go-dark time, and at the
next local midnight: a page's review status (its "due for review" notice, the API's
``review_status``) and the overdue limit follow the date.

Before a new generation is worked out, ``public_state_expiring`` is sent (with ``timed_out``:
whether the generation ended by itself, at a scheduled go-live or go-dark time or at
midnight): the read-time sweep of pages past the overdue limit (``reviews.workflow.overdue``)
listens, so it runs at most once per generation and process, never on a cache hit; so does
the notice to translators whose source went live on schedule (``reviews.translations``). A
receiver's failure is logged; the reader still gets their page.

Processes that do not share a cache (the default per-process memory cache with several
gunicorn workers) learn about a new generation from a *stamp file* (``articles.stamp``):
``invalidate()`` sets its modification time, and every request compares it with the one its
generation was made from (one ``stat`` call). With Redis (``REDIS_URL``) the generation itself
is shared.

Cached HTML keeps the Content-Security-Policy nonce out of the cache: it is stored as a
placeholder and filled in for each response. Reader pages carry nothing else of the reader's
(no CSRF token: the feedback form is checked by origin, ``articles.origin``), so they set no
cookie and a caching proxy may share them (``articles.edge``). Each stored answer keeps the
surrogate keys its view named (``articles.edge.tag``), so a hit sends the same ``xkey``.

Cache keys use only the query parameters a view reads: ``?utm_source=...`` or a random
parameter cannot make every request a cache miss.

Cached pages answer conditional requests as the API does (``ConditionalGetMiddleware`` does the
comparing): their ``ETag`` is a digest of the stored bytes, placeholders and all, so the nonce
filled in for each response does not change it, and their ``Last-Modified`` is the last public
change. The CSP header is left off a 304 (``SecurityHeadersMiddleware``), so the browser
keeps the one whose nonce its stored copy carries.
"""

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Max, Q
from django.dispatch import Signal, receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from . import edge
from .choices import DUE_SOON_DAYS
from .stamp import cache_is_per_process, read_stamp, touch_stamp

logger = logging.getLogger(__name__)

STATE_KEY = "public-content:state"
NONCE_PLACEHOLDER = "__MBC_CSP_NONCE__"
KEPT_HEADERS = ("Content-Type", "X-Robots-Tag", "Content-Language")
# The query parameters public pages read: search terms, page numbers, the feedback thanks,
# the trial list's filters.
PAGE_PARAMETERS = (
    "q",
    "page",
    "p",
    "feedback",
    "status",
    "phase",
    "condition",
    "intervention",
    "country",
)


# --- The generation of public content ----------------------------------------------------

# Sent (robustly) before a new generation is worked out.
public_state_expiring = Signal()


def _latest(queryset, field: str, **lookup) -> datetime.datetime | None:
    """The largest (or with ``-``-less ordering, smallest) value of an indexed column: an
    ORDER BY ... LIMIT 1 walks the index, where MAX(...) FILTER (...) reads every row."""
    return (
        queryset.filter(**lookup)
        .order_by(field)
        .values_list(field.lstrip("-"), flat=True)[:1]
        .first()
    )


def next_local_midnight(now: datetime.datetime) -> datetime.datetime:
    """The start of tomorrow in the site's time zone."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def _last_review_status_change(snapshots, now: datetime.datetime) -> datetime.datetime | None:
    """The last local midnight at which a live page's review status moved on (to due soon,
    or to overdue): what readers see changed then, with no write."""
    today = timezone.localdate(now)
    soon = datetime.timedelta(days=DUE_SOON_DAYS)
    latest = snapshots.live(now).aggregate(
        overdue=Max("next_review_due", filter=Q(next_review_due__lt=today)),
        due_soon=Max("next_review_due", filter=Q(next_review_due__lte=today + soon)),
    )
    days = [
        *([latest["overdue"] + datetime.timedelta(days=1)] if latest["overdue"] else []),
        *([latest["due_soon"] - soon] if latest["due_soon"] else []),
    ]
    if not days:
        return None
    return timezone.make_aware(datetime.datetime.combine(max(days), datetime.time.min))


def _last_image_change(now: datetime.datetime) -> datetime.datetime | None:
    """The last edit of a library image, or the last local midnight at which an image's
    rights ended (pages stopped showing it then, with no write)."""
    from .models import Image

    today = timezone.localdate(now)
    latest = Image.objects.aggregate(
        edited=Max("updated_at"),
        ended=Max("rights_expire_on", filter=Q(rights_expire_on__lt=today)),
    )
    moments = [latest["edited"]] if latest["edited"] else []
    if latest["ended"]:
        day_after = latest["ended"] + datetime.timedelta(days=1)
        moments.append(timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min)))
    return max(moments, default=None)


def _compute_state(now: datetime.datetime) -> dict:
    """A new generation, the time it stops being valid, and the last public change."""
    from reviews.models import ReviewerProfile

    from .models import ClinicalTrial, PublishedArticle, Topic

    snapshots = PublishedArticle.objects.all()
    past = [
        _latest(snapshots, "-go_live_at", go_live_at__lte=now),
        _latest(snapshots, "-live_until", live_until__lte=now),
        _latest(Topic.objects.all(), "-updated_at"),
        _latest(ClinicalTrial.objects.all(), "-updated_at"),
        # The editorial policy page lists the reviewers' profiles.
        _latest(ReviewerProfile.objects.all(), "-updated_at"),
        _last_review_status_change(snapshots, now),
        _last_image_change(now),
    ]
    upcoming = [
        _latest(snapshots, "go_live_at", go_live_at__gt=now),
        _latest(snapshots, "live_until", live_until__gt=now),
        next_local_midnight(now),
    ]
    return {
        "generation": secrets.token_hex(6),
        "computed_at": now,
        "valid_until": min((m for m in upcoming if m is not None), default=None),
        "last_change": max((m for m in past if m is not None), default=None),
    }


@receiver(setting_changed)
def _forget_configuration(*, setting: str, **kwargs) -> None:
    if setting in ("CACHES", "DATABASES", "PUBLIC_STAMP_FILE"):
        _local_state.clear()


# The state, when the cache is per process: kept as a Python object, with no (un)pickling.
_local_state: dict[str, dict] = {}


def public_state(request: HttpRequest | None = None) -> dict:
    """The current generation of public content (computed at most once per change and
    process), remembered on ``request`` for the rest of it."""
    state = getattr(request, "_public_state", None)
    if state is not None:
        return state
    now = timezone.now()
    local = cache_is_per_process()
    stamp = read_stamp() if local else None
    state = _local_state.get(STATE_KEY) if local else cache.get(STATE_KEY)
    timed_out = state is not None and (
        state["valid_until"] is not None and now >= state["valid_until"]
    )
    if state is None or state["stamp"] != stamp or timed_out:
        _before_new_generation(timed_out=timed_out)
        if timed_out and settings.EDGE_PURGE_URLS and "computed_at" in state:
            # Scheduled versions went live or dark since: drop what the proxies fetched of
            # them in between (their s-maxage already ended at that moment).
            edge.purge(edge.went_live_or_dark(state["computed_at"], now))
        now = timezone.now()
        stamp = read_stamp() if local else None
        state = _compute_state(now) | {"stamp": stamp}
        if local:
            _local_state[STATE_KEY] = state
        else:
            cache.set(STATE_KEY, state, None)
    if request is not None:
        request._public_state = state
    return state


def _before_new_generation(*, timed_out: bool) -> None:
    """``timed_out``: the generation ended by itself (a scheduled go-live or go-dark time,
    or midnight), not because something was written."""
    for receiver_function, error in public_state_expiring.send_robust(
        sender=None, timed_out=timed_out
    ):
        if isinstance(error, Exception):
            logger.error(
                "%s failed before a new generation of public content; pages are still served.",
                getattr(receiver_function, "__qualname__", receiver_function),
                exc_info=error,
            )


def still_current(request: HttpRequest) -> bool:
    """Whether the generation ``request`` was answered from is still the current one: an
    answer read while a change committed may be of the old content, and must not be kept by
    a caching proxy that has just been purged of it (``articles.edge``). One ``stat`` call
    (or one cache read with Redis)."""
    state = getattr(request, "_public_state", None)
    if state is None:
        return True
    if cache_is_per_process():
        return state["stamp"] == read_stamp() and _local_state.get(STATE_KEY) is state
    current = cache.get(STATE_KEY)
    return current is not None and current["generation"] == state["generation"]


def last_public_change(request: HttpRequest | None = None) -> datetime.datetime | None:
    """When anything readers can see last changed (the Last-Modified of public responses)."""
    return public_state(request)["last_change"]


def _start_new_generation() -> None:
    _local_state.clear()
    cache.delete(STATE_KEY)
    touch_stamp()


def forget_state() -> None:
    """Forget this process's generation (tests do, between databases)."""
    _local_state.clear()


def invalidate(edge_keys: Iterable[str] = (edge.ALL,)) -> None:
    """Start a new generation now and again once the transaction commits: a request that
    read the old data in between must not leave a stale generation behind. The caching
    proxies drop their copies tagged with ``edge_keys`` (by default, all) once it commits."""
    _start_new_generation()
    transaction.on_commit(_start_new_generation)
    edge.purge(edge_keys)


# --- Keys ------------------------------------------------------------------------------


def cache_key(request: HttpRequest, kind: str, parameters: Iterable[str]) -> str:
    """The key of a public answer: generation, host, path and the values of ``parameters``
    in the query string (others are ignored), hashed into a short key of safe characters."""
    wanted = set(parameters)
    query = sorted((name, values) for name, values in request.GET.lists() if name in wanted)
    address = f"{request.get_host()}:{request.path}?{query!r}"
    digest = hashlib.blake2b(address.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"public:{public_state(request)['generation']}:{kind}:{digest.hexdigest()}"


# --- Cached pages --------------------------------------------------------------------------


def _digest(content: bytes, headers: dict) -> str:
    """A page's ETag, 128 bits of SHA-256: OpenSSL's SHA-256 uses the processor's SHA
    instructions where it has them, about three times faster here than Python's bundled
    BLAKE2 on a 20 KB page (which every page missing from the cache hashes)."""
    identity = repr(sorted(headers.items())).encode() + b"\n" + content
    return hashlib.sha256(identity).hexdigest()[:32]


def _freeze(request: HttpRequest, response: HttpResponse) -> dict:
    content = response.content
    nonce = getattr(request, "csp_nonce", "")
    if nonce:
        content = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return {
        "content": content,
        "status": response.status_code,
        "headers": headers,
        "digest": _digest(content, headers),
        "edge_keys": edge.collected(request),
    }


def _set_validators(request: HttpRequest, response: HttpResponse, entry: dict) -> None:
    """The ``ETag`` and ``Last-Modified`` of a cached page (see the module's docstring)."""
    digest = entry.get("digest") or _digest(entry["content"], entry["headers"])
    response["ETag"] = f'"{digest}"'
    last_change = last_public_change(request)
    if last_change is not None:
        response["Last-Modified"] = http_date(last_change.timestamp())


def _thaw(request: HttpRequest, entry: dict) -> HttpResponse:
    content: bytes = entry["content"]
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), request.csp_nonce.encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    _set_validators(request, response, entry)
    edge.tag(request, *entry.get("edge_keys", ()))
    response.public_page = True
    return response


def cached_page_answer(request: HttpRequest) -> HttpResponse | None:
    """The stored answer to a GET of a public page, if there is one, with its validators.
    The request remembers its key and that it was looked for: ``PublicCacheMiddleware``
    looks first, and the view's ``cached_page`` then neither looks again nor hashes the key
    again on a miss."""
    if request.method not in ("GET", "HEAD"):
        return None
    key = request._public_page_key = cache_key(request, "page", PAGE_PARAMETERS)
    entry = cache.get(key)
    return None if entry is None else _thaw(request, entry)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page from the cache; a miss renders it and stores it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = getattr(request, "_public_page_key", None)
        if key is None:  # not looked for yet (no PublicCacheMiddleware above the view)
            answer = cached_page_answer(request)
            if answer is not None:
                return answer
            key = request._public_page_key
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            entry = _freeze(request, response)
            cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
            _set_validators(request, response, entry)
            # The same bytes for every reader but the nonce: safe to compress
            # (mbc_cms.middleware.CompressionMiddleware).
            response.public_page = True
        return response

    wrapper.cached_page = True  # PublicCacheMiddleware must look for it (tests check)
    return wrapper


# --- Cached API answers ----------------------------------------------------------------------

API_KEPT_HEADERS = ("Content-Type", "Allow", "Vary", "Cache-Control")


def get_api_answer(request: HttpRequest, key: str) -> HttpResponse | None:
    """A stored public API answer, as the bytes and headers first sent, its keys and its
    ``Last-Modified``."""
    entry = cache.get(key)
    if entry is None:
        return None
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    edge.tag(request, *entry.get("edge_keys", ()))
    # The generation's last change, as the answer was sent: the key names the generation.
    last_modified = entry.get("last_modified")
    if last_modified is None:
        last_change = last_public_change(request)
        last_modified = last_change and http_date(last_change.timestamp())
    if last_modified:
        response["Last-Modified"] = last_modified
    return response


def store_api_answer(request: HttpRequest, key: str, response: HttpResponse) -> None:
    headers = {name: response[name] for name in API_KEPT_HEADERS if response.has_header(name)}
    entry = {
        "content": response.content,
        "status": response.status_code,
        "headers": headers,
        "edge_keys": edge.collected(request),
        "last_modified": response.get("Last-Modified", ""),
    }
    cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)


def cached_data(
    request: HttpRequest, kind: str, parameters: Iterable[str], produce: Callable[[], object]
) -> object:
    """Cache a serialised API payload (rendered per request, for content negotiation), with
    the surrogate keys named while producing it."""
    key = cache_key(request, kind, parameters)
    stored = cache.get(key)
    if stored is None:
        stored = (produce(), edge.collected(request))
        cache.set(key, stored, settings.PUBLIC_CACHE_SECONDS)
    data, keys = stored
    edge.tag(request, *keys)
    return data


# --- Counts per generation -------------------------------------------------------------------

# How many rows a public list has changes only with a new generation (a publication, a
# scheduled go-live or go-dark, midnight): pagination counts once per list, generation and
# process instead of on every cache miss. Bounded, so that crafted filters cannot grow it.
MAX_REMEMBERED_COUNTS = 2_000
_counts: dict = {"generation": None, "counts": {}}


def generation_count(request: HttpRequest | None, key: str, count: Callable[[], int]) -> int:
    """``count()`` of the list named ``key``, worked out at most once per generation of public
    content and process."""
    generation = public_state(request)["generation"]
    if _counts["generation"] != generation:
        _counts["generation"], _counts["counts"] = generation, {}
    counts = _counts["counts"]
    if key not in counts:
        if len(counts) >= MAX_REMEMBERED_COUNTS:
            counts.clear()
        counts[key] = count()
    return counts[key]


# --- Values per generation ------------------------------------------------------------------

# What every list page reads whole and only a new generation can change: the topic tree (a
# topic's save or deletion starts a new generation, ``articles.signals``). Keyed by names
# written in the code, so it holds a few values at most.
_values: dict = {"generation": None, "values": {}}


def generation_value(request: HttpRequest | None, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, worked out at most once per generation of public content and process,
    and shared by every request of that generation: callers must not change what it returns.
    ``key`` names what is computed (a constant, never a value from the request)."""
    generation = public_state(request)["generation"]
    if _values["generation"] != generation:
        _values["generation"], _values["values"] = generation, {}
    values = _values["values"]
    if key not in values:
        values[key] = compute()
    return values[key]


def list_key(request: HttpRequest, parameters: Iterable[str]) -> str:
    """The name of the list ``request`` shows, for ``generation_count``: its host, path and the
    values of ``parameters`` (those that choose its rows; not the page number)."""
    wanted = set(parameters)
    query = sorted((name, values) for name, values in request.GET.lists() if name in wanted)
    return f"{request.get_host()}:{request.path}?{query!r}"


class CountedPaginator(Paginator):
    """A paginator told how many items there are (from ``generation_count``)."""

    def __init__(self, object_list, per_page, *args, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
