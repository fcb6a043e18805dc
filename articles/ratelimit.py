"""Fixed-window rate limits counted in the cache: the public API and reader feedback.

A window is a fixed stretch of time (a minute for ``120/minute``); each client's requests in
it are counted with ``cache.add`` and ``cache.incr``, two cheap operations, where DRF's own
throttles read, trim and store a list of request times on every request. A client can burst
up to twice the rate across a window boundary, which is acceptable for abuse protection.
"""

import math
import time

from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

# DRF's reading of the client address, which honours REST_FRAMEWORK["NUM_PROXIES"]
# (DJANGO_PROXY_COUNT): behind N proxies, the Nth address from the right of X-Forwarded-For.
_ADDRESS = BaseThrottle()


def client_address(request: HttpRequest) -> str:
    """The client's IP address, as far as the configured number of proxies lets us know it."""
    return _ADDRESS.get_ident(request) or "unknown"


def api_rate(scope: str) -> tuple[int, int]:
    """``(requests, seconds)`` of a public API scope (``anon`` or ``partner``), read from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at call time."""
    return SimpleRateThrottle.parse_rate(None, api_settings.DEFAULT_THROTTLE_RATES[scope])


def hit(key: str, limit: int, window: int) -> int | None:
    """Count one request for ``key``; None while within ``limit`` requests per ``window``
    seconds, else the whole seconds until the window ends (for ``Retry-After``)."""
    now = time.time()
    slot = f"rate:{key}:{int(now // window)}"
    if cache.add(slot, 1, window + 1):
        count = 1
    else:
        try:
            count = cache.incr(slot)
        except ValueError:  # the entry expired between add and incr
            cache.set(slot, 1, window + 1)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(window - now % window))
