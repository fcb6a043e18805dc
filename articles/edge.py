"""The caching reverse proxy in front of the site (Varnish, ``deploy/varnish/``): what it may
keep, for how long, under which surrogate keys, and the purges that drop stale copies.

**Headers.** ``EdgeHeadersMiddleware`` (``articles.middleware``) gives every anonymous GET or
HEAD of a public page or public API answer that is a 200, 301, 304 or 404 and sets no cookie
``Cache-Control: public, max-age=0, s-maxage=S`` and an ``xkey`` header; everything else gets
``private, no-store`` (an answer at another address keeps a ``Cache-Control`` of its own,
like the admin's or the media files', unless it sets a cookie). Browsers revalidate
with the ``ETag``; the proxy keeps a copy ``S`` seconds: ``settings.EDGE_MAX_AGE`` at most, and
never past the end of the current generation of public content (the next scheduled go-live or
go-dark time, or midnight: ``articles.caching``), so no copy outlives the moment its page is
due to change even if a purge is lost.

An answer read while a change committed (its generation of public content ended during the
request) is ``private, no-store``: it may show the old content, and reach the proxy after the
purge that was to drop it.

**Surrogate keys.** The views and selectors that build an answer name what it shows with
``tag`` and ``tag_articles`` into a per-request collector; the cached answer stores the keys
with its bytes (``articles.caching``), so a cache hit sends the same ``xkey`` as the miss.
``all`` is on every cacheable answer; ``article-<pk>`` for every article whose content the
answer shows (its page, each card in a list, the language versions linked as alternates);
``topic-<pk>``, ``trial-<pk>``; ``list`` on every listing; ``missing`` on every 404, purged by
each publication (the address may now exist).

**Purges.** ``purge(keys)`` runs inside the transaction of the change: it writes one
``EdgePurge`` row per proxy (``settings.EDGE_PURGE_URLS``; none configured, nothing is
written) and, once the transaction commits, sends ``PURGE /`` with ``xkey-purge: <keys>`` to
each at once, waiting ``EDGE_PURGE_TIMEOUT`` seconds at most, so that the proxies dropped the
old copies before the publishing request returns (a proxy that did not answer is left to the
background for the next 30 seconds: a dead proxy costs the changes of a process one timeout).
The changes of one transaction share one row per proxy. Failures never fail the change: the row
stays pending and ``manage.py purge_edge`` (and each pass of ``deliver_webhooks``) retries it
with the webhooks' backoff, until it is delivered or a day old (abandoned: every copy it was
for has long expired by itself). The admin lists the purges that keep failing.
"""

from __future__ import annotations

import datetime
import http.client
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial, wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import EdgePurge

logger = logging.getLogger(__name__)

ALL = "all"
LIST = "list"
MISSING = "missing"
HEADER = "xkey"
PURGE_HEADER = "xkey-purge"
CACHEABLE_STATUSES = frozenset({200, 301, 304, 404})
PRIVATE = "private, no-store"
MAX_HEADER_LENGTH = 4000
USER_AGENT = "mbc-cms-edge-purge/1"
# Far longer than one purge can take: a lease that runs out means its runner died.
LEASE = datetime.timedelta(minutes=1)
RETRY_BASE = datetime.timedelta(seconds=5)
RETRY_CAP = datetime.timedelta(minutes=5)
# Past this, every copy the purge was for has expired by itself (s-maxage ≤ EDGE_MAX_AGE).
ABANDON_AFTER = datetime.timedelta(days=1)

Status = EdgePurge.Status


def article_key(article_id: int) -> str:
    return f"article-{article_id}"


def topic_key(topic_id: int) -> str:
    return f"topic-{topic_id}"


def trial_key(trial_id: int) -> str:
    return f"trial-{trial_id}"


# --- Collecting the keys of an answer ----------------------------------------------------


def _collector(request) -> set[str]:
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    keys = request.__dict__.get("edge_keys")
    if keys is None:
        keys = request.edge_keys = set()
    return keys


def tag(request, *keys: str) -> None:
    """Name surrogate keys of what the answer to ``request`` shows."""
    _collector(request).update(keys)


def tag_articles(request, snapshots: Iterable) -> None:
    """``article-<pk>`` for each snapshot shown (a ``PublishedArticle`` or its ``article_id``)."""
    _collector(request).update(
        article_key(getattr(snapshot, "article_id", snapshot)) for snapshot in snapshots
    )


def listing(view):
    """Tag the answers of ``view`` (a list of articles: the feed, the sitemap) ``list``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        tag(request, LIST)
        return view(request, *args, **kwargs)

    return wrapper


def collected(request) -> frozenset[str]:
    """The keys named so far for ``request``'s answer."""
    return frozenset(_collector(request))


# --- Headers -------------------------------------------------------------------------------


def authenticated(request: HttpRequest) -> bool:
    """A request that carries credentials: its answer is never shared."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def shared_max_age(request: HttpRequest) -> int:
    """Seconds a proxy may keep a public answer: ``EDGE_MAX_AGE`` at most, and never past
    the end of the current generation of public content (whole seconds, rounded down)."""
    from .caching import public_state

    seconds = settings.EDGE_MAX_AGE
    valid_until = public_state(request)["valid_until"]
    if valid_until is not None:
        left = int((valid_until - timezone.now()).total_seconds())
        seconds = max(0, min(seconds, left))
    return seconds


def _still_current(request: HttpRequest) -> bool:
    from .caching import still_current

    return still_current(request)


def _varies_on_cookie(response: HttpResponse) -> bool:
    vary = response.get("Vary", "")
    return any(part.strip().lower() == "cookie" for part in vary.split(","))


def _header_value(keys: set[str]) -> str:
    """The keys as one header line. A long list (a page of 100 trials and the articles citing
    them) is cut to ``all list``: every change that alters a listing purges ``list`` anyway,
    and proxies refuse overlong headers (Varnish: 8 KB)."""
    value = " ".join(sorted(keys))
    if len(value) > MAX_HEADER_LENGTH and LIST in keys:
        return f"{ALL} {LIST}"
    return value


def set_headers(request: HttpRequest, response: HttpResponse, *, public_address: bool) -> None:
    """The edge headers of ``response`` (see the module's docstring)."""
    shared = (
        public_address
        and request.method in ("GET", "HEAD")
        and response.status_code in CACHEABLE_STATUSES
        and not authenticated(request)
        and not response.cookies
        and not _varies_on_cookie(response)
        and "private" not in response.get("Cache-Control", "")
        and _still_current(request)
    )
    if shared:
        keys = {ALL, *collected(request)}
        if response.status_code == 404:
            keys.add(MISSING)
        response["Cache-Control"] = f"public, max-age=0, s-maxage={shared_max_age(request)}"
        response[HEADER] = _header_value(keys)
        return
    if HEADER in response:
        del response[HEADER]
    if public_address or "Cache-Control" not in response or response.cookies:
        response["Cache-Control"] = PRIVATE


# --- Purging -------------------------------------------------------------------------------


@dataclass
class _Batch:
    """The purges of one transaction: one row per proxy, whose keys grow with each change."""

    ids: list[int]
    keys: set[str]
    send: Callable[[], None] | None = None


def _joined(keys: set[str]) -> str:
    return ALL if ALL in keys else " ".join(sorted(keys))


def purge(keys: Iterable[str]) -> None:
    """Drop the copies tagged with any of ``keys`` from every proxy: one outbox row per proxy,
    written in the current transaction, sent once it commits (see the module's docstring).
    Several changes in one transaction (an import, a sync) share the rows and the sending."""
    urls = settings.EDGE_PURGE_URLS
    keys = set(keys)
    if not urls or not keys:
        return
    db = transaction.get_connection()
    batch: _Batch | None = getattr(db, "edge_purge_batch", None)
    if (
        batch is not None
        and db.in_atomic_block
        and any(callback is batch.send for _, callback, _ in db.run_on_commit)
    ):
        batch.keys |= keys
        EdgePurge.objects.filter(pk__in=batch.ids).update(keys=_joined(batch.keys))
        return
    ids = [EdgePurge.objects.create(url=url, keys=_joined(keys)).pk for url in urls]
    batch = _Batch(ids=ids, keys=keys)
    batch.send = partial(_deliver_now, ids)
    db.edge_purge_batch = batch
    transaction.on_commit(batch.send, robust=True)


def article_changed_keys(article_id: int, *, trial_ids: Iterable[int] = ()) -> list[str]:
    """The keys a publication or unpublication of ``article_id`` purges: its pages (and those
    linking them as alternates), every list, every 404 (the address may exist now), and the
    pages of the trials it cites."""
    return [article_key(article_id), LIST, MISSING, *map(trial_key, trial_ids)]


def went_live_or_dark(since: datetime.datetime, until: datetime.datetime) -> list[str]:
    """The keys of the articles whose scheduled version went live, or whose live version
    ended, in (``since``, ``until``]: purged when the app notices that its generation of
    public content ended by itself (the s-maxage cap already stops proxies keeping those
    pages past that moment; this clears what they fetched in between)."""
    from django.db.models import Q

    from .models import PublishedArticle

    article_ids = set(
        PublishedArticle.objects.filter(
            Q(go_live_at__gt=since, go_live_at__lte=until)
            | Q(live_until__gt=since, live_until__lte=until)
        ).values_list("article_id", flat=True)
    )
    if not article_ids:
        return []
    return [LIST, MISSING, *map(article_key, sorted(article_ids))]


@dataclass
class PurgeReport:
    """What one pass of :func:`deliver_due` did."""

    sent: int = 0
    delivered: int = 0
    retrying: int = 0
    abandoned: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} purges sent: {self.delivered} delivered, {self.retrying} to retry, "
            f"{self.abandoned} abandoned."
        )


def send(url: str, keys: str, *, timeout: float) -> str:
    """``PURGE`` ``keys`` at the proxy ``url``; "" when it answered 2xx, else why not. Never
    raises for network trouble."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    try:
        conn = connection_class(parts.hostname, parts.port, timeout=timeout)
        try:
            conn.request(
                "PURGE",
                parts.path or "/",
                headers={PURGE_HEADER: keys, "User-Agent": USER_AGENT, "Connection": "close"},
            )
            status = conn.getresponse().status
        finally:
            conn.close()
    except (OSError, http.client.HTTPException, ValueError) as failure:
        return f"{type(failure).__name__}: {failure}"[:500]
    return "" if 200 <= status < 300 else f"HTTP {status}"


def _claim(candidates, at: datetime.datetime) -> list[EdgePurge]:
    """Lease ``candidates`` to this runner (a compare-and-set on ``next_attempt_at``, safe
    on any database): concurrent runners pass over a purge another one is sending."""
    claimed = []
    for row in candidates:
        won = EdgePurge.objects.filter(
            pk=row.pk, status=Status.PENDING, next_attempt_at=row.next_attempt_at
        ).update(next_attempt_at=at + LEASE)
        if won:
            claimed.append(row)
    return claimed


def _record(row: EdgePurge, error: str, *, at: datetime.datetime) -> str:
    from .webhooks import retry_delay

    row.attempts += 1
    row.last_error = error
    if not error:
        row.status, row.done_at = Status.DELIVERED, at
    elif at - row.created_at >= ABANDON_AFTER:
        row.status = Status.ABANDONED
    else:
        row.next_attempt_at = at + retry_delay(row.attempts, base=RETRY_BASE, cap=RETRY_CAP)
    row.save(update_fields=["attempts", "last_error", "status", "done_at", "next_attempt_at"])
    return row.status


def _attempt(rows: list[EdgePurge], *, timeout: float, report: PurgeReport) -> None:
    for row in rows:
        error = send(row.url, row.keys, timeout=timeout)
        status = _record(row, error, at=timezone.now())
        report.sent += 1
        if status == Status.DELIVERED:
            report.delivered += 1
        elif status == Status.ABANDONED:
            report.abandoned += 1
            logger.warning("Purge %s of %s at %s abandoned: %s", row.pk, row.keys, row.url, error)
        else:
            report.retrying += 1


# Proxies that did not answer this process lately (URL → time.monotonic() until which they are
# left to the background): a dead proxy costs the changes of this process one timeout, not one
# each.
_unreachable_until: dict[str, float] = {}
UNREACHABLE_FOR = 30.0  # seconds


def _deliver_now(ids: list[int]) -> None:
    """The first attempt, right after the change commits; a failure is left to the outbox."""
    try:
        now, clock = timezone.now(), time.monotonic()
        pending = EdgePurge.objects.filter(pk__in=ids, status=Status.PENDING)
        rows = _claim([r for r in pending if _unreachable_until.get(r.url, 0) <= clock], now)
        for row in rows:
            error = send(row.url, row.keys, timeout=settings.EDGE_PURGE_TIMEOUT)
            if error and not error.startswith("HTTP "):
                _unreachable_until[row.url] = time.monotonic() + UNREACHABLE_FOR
            else:
                _unreachable_until.pop(row.url, None)
            _record(row, error, at=timezone.now())
    except Exception:
        logger.exception("Purging the edge caches failed; manage.py purge_edge will retry.")


def deliver_due(*, limit: int = 100) -> PurgeReport:
    """Send up to ``limit`` pending purges that are due, and record each outcome. Call it
    outside a transaction, so that claims commit before sending."""
    report = PurgeReport()
    now = timezone.now()
    with transaction.atomic():
        candidates = EdgePurge.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        rows = _claim(list(candidates[:limit]), now)
    _attempt(rows, timeout=settings.EDGE_PURGE_TIMEOUT, report=report)
    return report
