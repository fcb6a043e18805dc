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


def bust(path: str, n: int) -> str:
    """``path``, after emptying the cache so that it is a miss (``n`` is unused, kept for
    the call sites); the generation of public content is kept, as on a real miss."""
    from django.core.cache import cache

    cache.clear()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print every query of a miss")
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/healthz")
    counter = 0
    for path in args.paths:
        print(f"\n=== {path}")
        for label in ("miss", "hit"):
            if label == "miss":
                counter += 1
                url = bust(path, counter)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{label}: {response.status_code}, {len(response.content):,} bytes, "
                f"{elapsed:.1f} ms, {len(queries)} queries"
            )
            if label == "miss":
                tables = Counter(
                    q["sql"].split(" FROM ", 1)[1].split()[0] if " FROM " in q["sql"] else "?"
                    for q in queries.captured_queries
                )
                print(f"      queries by table: {dict(tables)}")
                if args.sql:
                    for q in queries.captured_queries:
                        print(f"      [{q['time']}s] {q['sql'][:400]}")
        timings = []
        profiler = cProfile.Profile()
        for _ in range(args.repeat):
            counter += 1
            started = time.perf_counter()
            profiler.enable()
            client.get(bust(path, counter))
            profiler.disable()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"{args.repeat} misses: median {timings[len(timings) // 2]:.1f} ms, "
            f"max {timings[-1]:.1f} ms (profiled, so slower than served)"
        )
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
