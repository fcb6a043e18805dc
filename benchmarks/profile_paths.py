"""Query counts and a cProfile of the benchmarked paths, in one process, without gunicorn.

    DATABASE_URL=sqlite:////abs/bench-10000.sqlite3 \\
        .venv/bin/python -m benchmarks.profile_paths [--repeat 50] [--top 25] [PATH ...]

Use a database seeded the way ``make bench`` seeds one (``BENCH_KEEP_DB=1 make bench`` keeps
it under ``benchmarks/results/``). For every path it prints the time and the SQL queries of a
cache miss (the cache emptied first) and of a cache hit (the same URL again), then profiles
``--repeat`` misses and prints the functions with the most cumulative time. Requests go through
the whole middleware stack with the production settings (``DJANGO_DEBUG=0``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import time
from collections import Counter

DEFAULT_PATHS = [
    "/",
    "/articles/synthetic-article-5000/",
    "/api/v1/articles/synthetic-article-5000/",
    "/api/v1/articles/",
    "/search/?q=pain",
]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    os.environ.setdefault("DJANGO_API_ANON_RATE", "1000000/second")
    os.environ.setdefault("DJANGO_API_PARTNER_RATE", "1000000/second")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def bust(path: str) -> str:
    """``path``, after emptying the cache so that it is a miss; the generation of public
    content is kept, as on a real miss."""
    from django.core.cache import cache

    cache.clear()
    return path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print every query of a miss")
    return parser.parse_args()


def timed_get(client, label: str, url: str) -> list[dict]:
    """Request ``url``, print its status, size, time and query count; return its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    print(
        f"{label}: {response.status_code}, {len(response.content):,} bytes, "
        f"{elapsed:.1f} ms, {len(queries)} queries"
    )
    return queries.captured_queries


def print_queries(queries: list[dict], sql: bool) -> None:
    """The number of queries per table, and with ``sql`` every query itself."""
    tables = Counter(
        q["sql"].split(" FROM ", 1)[1].split()[0] if " FROM " in q["sql"] else "?" for q in queries
    )
    print(f"      queries by table: {dict(tables)}")
    if sql:
        for q in queries:
            print(f"      [{q['time']}s] {q['sql'][:400]}")


def profile_misses(client, path: str, repeat: int, top: int) -> None:
    """Profile ``repeat`` misses of ``path``; print their median and maximum time and the
    ``top`` functions by cumulative time."""
    timings = []
    profiler = cProfile.Profile()
    for _ in range(repeat):
        started = time.perf_counter()
        profiler.enable()
        client.get(bust(path))
        profiler.disable()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"{repeat} misses: median {timings[len(timings) // 2]:.1f} ms, "
        f"max {timings[-1]:.1f} ms (profiled, so slower than served)"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main() -> None:
    args = parse_args()
    setup()

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/healthz")
    for path in args.paths:
        print(f"\n=== {path}")
        print_queries(timed_get(client, "miss", bust(path)), args.sql)
        timed_get(client, "hit", path)
        profile_misses(client, path, args.repeat, args.top)


if __name__ == "__main__":
    main()
