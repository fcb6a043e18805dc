"""Who a client is, and fixed-window rate limits per client: the public API and reader feedback.

``client_address`` is the app's one reading of the client's address: rate limits, feedback
and django-axes' lock-outs (``AXES_CLIENT_IP_CALLABLE``) all use it, so a client cannot be
one address to the rate limiter and another to the lock-out.

A window is a fixed stretch of time (a minute for ``120/minute``); each client's requests in
it are counted, where DRF's own throttles read, trim and store a list of request times on
every request. A client can burst up to twice the rate across a window boundary, which is
acceptable for abuse protection. The counts must be the same for every worker process, or
each gunicorn worker would give a client its own allowance:

- with a shared cache (``REDIS_URL``) they are counted in it with ``cache.add`` and
  ``cache.incr``;
- with the default per-process memory cache, in a small table in a memory-mapped file that
  all worker processes of the site on this machine share (``CounterFile``). An update takes
  a few microseconds under an ``fcntl`` lock, less than a count in the memory cache.
"""

import errno
import fcntl
import functools
import hashlib
import ipaddress
import logging
import math
import mmap
import os
import stat
import struct
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from . import stamp

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)
def _normalised_address(text: str) -> str | None:
    """``text`` as an IP address in its one canonical spelling, or None if it is none."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, as far as the configured proxies let us know it (None when
    the server gives no address, as on a Unix socket without a proxy).

    Behind N proxies (``DJANGO_PROXY_COUNT``, read as REST_FRAMEWORK["NUM_PROXIES"]) it is
    the Nth address from the right of X-Forwarded-For: the one our outermost proxy appended.
    Addresses to its left are whatever the client chose to send. When that entry is not an
    address (a request that bypassed the proxy), the connecting address is used instead.
    """
    proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") if proxies else None
    if forwarded:
        hops = forwarded.split(",")
        address = _normalised_address(hops[-min(proxies, len(hops))].strip())
        if address is not None:
            return address
    return _normalised_address(request.META.get("REMOTE_ADDR", ""))


def api_rate(scope: str) -> tuple[int, int]:
    """``(requests, seconds)`` of a public API scope (``anon`` or ``partner``), read from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at call time."""
    return SimpleRateThrottle.parse_rate(None, api_settings.DEFAULT_THROTTLE_RATES[scope])


class CounterFile:
    """Fixed-window counters shared by the processes of one machine: a hash table of
    ``SLOTS`` slots in a memory-mapped file.

    A slot holds a key's digest, the end of its window (Unix seconds) and its count; a key
    lives in the first free or expired slot of the ``PROBES`` slots from its digest's place.
    When all of them hold live counts of other keys, the count that ends soonest is dropped
    (that client's count starts again), which needs tens of thousands of clients in one
    window. Every access holds an exclusive ``lockf`` lock on the file, which excludes other
    processes, and a thread lock, which excludes this process's other threads (``lockf``
    locks belong to the process)."""

    SLOT = struct.Struct("<16sqI4x")
    SLOTS = 1 << 16
    PROBES = 16
    SIZE = SLOTS * SLOT.size

    def __init__(self, path: Path) -> None:
        # O_NOFOLLOW and the owner check: in a shared temporary directory another user could
        # have put a link or a file of theirs at this name.
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                raise PermissionError(errno.EPERM, "not a regular file of this user", str(path))
            if info.st_size < self.SIZE:
                os.ftruncate(descriptor, self.SIZE)
            self._map = mmap.mmap(descriptor, self.SIZE)
        except BaseException:
            os.close(descriptor)
            raise
        self._descriptor = descriptor
        self._lock = threading.Lock()

    def count(self, key: str, window: int, now: float) -> int:
        """Count one event for ``key`` in the current window of ``window`` seconds; return
        the events counted in that window so far, this one included."""
        end = (int(now) // window + 1) * window
        digest = hashlib.blake2b(f"{window}:{key}".encode(), digest_size=16).digest()
        start = int.from_bytes(digest[:8], "little") % self.SLOTS
        with self._lock:
            fcntl.lockf(self._descriptor, fcntl.LOCK_EX)
            try:
                return self._count(digest, start, end, now)
            finally:
                fcntl.lockf(self._descriptor, fcntl.LOCK_UN)

    def _count(self, digest: bytes, start: int, end: int, now: float) -> int:
        slot, table = self.SLOT, self._map
        reusable: int | None = None
        soonest: tuple[int, int] | None = None  # (window end, offset) of the live count
        for probe in range(self.PROBES):
            offset = (start + probe) % self.SLOTS * slot.size
            stored, stored_end, count = slot.unpack_from(table, offset)
            if stored == digest:
                count = count + 1 if stored_end == end else 1
                slot.pack_into(table, offset, digest, end, min(count, 0xFFFFFFFF))
                return count
            if stored_end <= now:
                reusable = offset if reusable is None else reusable
                if stored_end == 0:
                    break  # never used, so no key was ever placed further on
            elif soonest is None or stored_end < soonest[0]:
                soonest = (stored_end, offset)
        offset = reusable if reusable is not None else soonest[1]
        slot.pack_into(table, offset, digest, end, 1)
        return 1

    def clear(self) -> None:
        """Forget every count (tests do, between tests)."""
        with self._lock:
            fcntl.lockf(self._descriptor, fcntl.LOCK_EX)
            try:
                # Zero pages without writing them: no process reads the map meanwhile, since
                # every access holds the lock.
                os.ftruncate(self._descriptor, 0)
                os.ftruncate(self._descriptor, self.SIZE)
            finally:
                fcntl.lockf(self._descriptor, fcntl.LOCK_UN)

    def close(self) -> None:
        self._map.close()
        os.close(self._descriptor)


# This process's open counter files by path; None where the file could not be opened.
_counter_files: dict[Path, CounterFile | None] = {}


def _forget_counter_files() -> None:
    """A forked child opens its own: a thread lock held at the fork would never be released."""
    for counters in _counter_files.values():
        if counters is not None:
            counters.close()
    _counter_files.clear()


os.register_at_fork(after_in_child=_forget_counter_files)


def shared_counters() -> CounterFile | None:
    """The counter file of this site on this machine, or None when the cache is shared
    (REDIS_URL) or the file cannot be opened (then each process counts on its own)."""
    if not stamp.cache_is_per_process():
        return None
    path = stamp.site_file(".rates")
    try:
        return _counter_files[path]
    except KeyError:
        pass
    try:
        counters = CounterFile(path)
    except OSError as error:
        logger.error(
            "Cannot open the rate-limit counters %s (%s): each worker process counts on its "
            "own, so a client gets up to one allowance per worker. Set REDIS_URL or make the "
            "temporary directory writable.",
            path,
            error,
        )
        counters = None
    _counter_files[path] = counters
    return counters


def clear_counts() -> None:
    """Forget every count of this site (tests do, with the cache, between tests)."""
    counters = shared_counters()
    if counters is not None:
        counters.clear()


def _count_in_cache(key: str, window: int, now: float) -> int:
    slot = f"rate:{key}:{int(now // window)}"
    if cache.add(slot, 1, window + 1):
        return 1
    try:
        return cache.incr(slot)
    except ValueError:  # the entry expired between add and incr
        cache.set(slot, 1, window + 1)
        return 1


@functools.lru_cache(maxsize=4)
def _hash_key(secret: str) -> bytes:
    return hashlib.sha256(f"mbc_cms.ratelimit:{secret}".encode()).digest()


def private_key(key: str) -> str:
    """``key`` as the counters hold it: a keyed BLAKE2b hash (keyed with a digest of the
    secret key), so no client address is stored in clear in the shared cache or the counter
    file, and nobody without the secret key can test a guessed address against them."""
    return hashlib.blake2b(
        key.encode(), key=_hash_key(settings.SECRET_KEY), digest_size=16
    ).hexdigest()


def hit(key: str, limit: int, window: int) -> int | None:
    """Count one request for ``key``; None while within ``limit`` requests per ``window``
    seconds, else the whole seconds until the window ends (for ``Retry-After``). The key is
    stored only as its ``private_key``."""
    now = time.time()
    key = private_key(key)
    counters = shared_counters()
    if counters is not None:
        count = counters.count(key, window, now)
    else:
        count = _count_in_cache(key, window, now)
    if count <= limit:
        return None
    return max(1, math.ceil(window - now % window))
