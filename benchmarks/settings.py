"""Benchmark-only settings: the production settings plus the framework-floor URL.

``make bench`` serves the site with ``DJANGO_SETTINGS_MODULE=benchmarks.settings``. Everything
(middleware, caches, database, security settings) comes from ``mbc_cms.settings`` unchanged;
only the root URLconf differs, adding ``/__floor__/<size>/`` (``benchmarks/floor_urls.py``).
The production URLconf never exposes that route.
"""

from mbc_cms.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor_urls"
