"""In-process cost of a rate-limited public API request answered from the cache.

    DATABASE_URL=sqlite:////abs/seeded.sqlite3 \\
        .venv/bin/python -m benchmarks.rate_limit_cost [--number 2000] [--repeat 7]

Any seeded database works (``manage.py seed_demo``). Requests go through the whole middleware
stack with the production settings (``DJANGO_DEBUG=0``, no ``REDIS_URL``), as in
``benchmarks.profile_paths``; the anonymous rate is set so high that nothing is refused, so
every request pays for counting and none for a 429. For each path it prints the best and the
median of ``--repeat`` runs of ``--number`` cached hits, in microseconds per request, and the
same for one ``ratelimit.hit`` call alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import timeit

from benchmarks.profile_paths import setup

PATHS = ["/api/v1/articles/", "/api/v1/topics/", "/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=PATHS)
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")  # pages render without collectstatic
    setup()

    from django.test import Client

    from articles import ratelimit

    client = Client(HTTP_HOST="127.0.0.1")
    for path in args.paths:
        assert client.get(path).status_code == 200, path  # a miss, stored for the hits below
        runs = timeit.repeat(lambda p=path: client.get(p), number=args.number, repeat=args.repeat)
        per_request = [run / args.number * 1e6 for run in runs]
        print(
            f"{path:24} cached hit: best {min(per_request):7.1f} µs, "
            f"median {statistics.median(per_request):7.1f} µs"
        )
    runs = timeit.repeat(
        lambda: ratelimit.hit("bench:198.51.100.7", 10**9, 60), number=20000, repeat=args.repeat
    )
    per_call = [run / 20000 * 1e6 for run in runs]
    print(
        f"{'ratelimit.hit':24} alone:      best {min(per_call):7.1f} µs, "
        f"median {statistics.median(per_call):7.1f} µs"
    )


if __name__ == "__main__":
    main()
