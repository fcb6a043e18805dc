"""Where ``make bench`` finds its tools and writes its results, and the knobs it reads.

Every knob is an environment variable read once at import (see ``benchmarks/run.py`` for the
list); :class:`HarnessError` and :func:`log` are shared by every module of the harness.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
LUA_SCRIPT = BENCH_DIR / "report.lua"
DOC = ROOT / "docs" / "performance.md"
DOC_START = "<!-- bench:results:start -->"
DOC_END = "<!-- bench:results:end -->"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "10000,100000").split(",") if s.strip()]
ROUND_SECONDS = env_int("BENCH_ROUND_SECONDS", 5)
ROUNDS = env_int("BENCH_ROUNDS", 3)
WARMUP_SECONDS = env_int("BENCH_WARMUP_SECONDS", 2)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 32)
THREADS = env_int("BENCH_THREADS", 2)
WORKERS = env_int("BENCH_WORKERS", 2)
# DRF keeps one list of request times per client and scope, as long as the rate's window:
# with a per-minute window and one benchmark client at thousands of requests a second, that
# list grows to tens of thousands of entries that are unpickled and pickled on every API
# request, a cost real clients (at most 120 or 1,200 entries each) never pay. A per-second
# window never throttles either, and keeps the list near its production size.
API_RATE = os.environ.get("BENCH_API_RATE", "1000000/second")
UNCACHED = os.environ.get("BENCH_UNCACHED", "1") == "1"
CACHED = os.environ.get("BENCH_CACHED", "1") == "1"
WRITE_DOCS = os.environ.get("BENCH_WRITE_DOCS", "1") == "1"
KEEP_DB = os.environ.get("BENCH_KEEP_DB", "0") == "1"
# Which database the site under test reads: a fresh SQLite file per scale (the default), or a
# fresh database per scale on the throwaway PostgreSQL cluster that ``make bench`` starts
# with ``.ci/with-postgres`` when this is ``postgres`` (it hands the cluster over in
# ``DATABASE_URL``).
DATABASE_KINDS = ("sqlite", "postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "").strip().lower() or "sqlite"


def path_patterns(value: str) -> list[str]:
    """``BENCH_PATHS`` as a list of lower-case patterns: comma-separated, blanks dropped."""
    return [part.strip().lower() for part in value.split(",") if part.strip()]


def selected(name: str, patterns: list[str]) -> bool:
    """Whether the row called ``name`` is measured: every row when no pattern is given,
    otherwise the rows whose name contains one of the patterns (case ignored), so that
    ``search`` picks both the cached search row and the cache-miss one ("search, 2
    connections") without the caller having to know how each table names it."""
    folded = name.lower()
    return not patterns or any(pattern in folded for pattern in patterns)


# Measure only the rows whose names match (``BENCH_PATHS=search``; empty: every row).
PATHS = path_patterns(os.environ.get("BENCH_PATHS", ""))


class HarnessError(RuntimeError):
    """The benchmark could not run (as opposed to a target that was missed)."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
