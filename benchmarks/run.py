"""``make bench``: load-test the public site and API under gunicorn against the framework floor.

For each scale (synthetic published articles on top of the demo content) this:

1. creates a fresh database (a SQLite file under ``benchmarks/results/``, or with
   ``BENCH_DATABASE=postgres`` a database on the throwaway PostgreSQL cluster ``make bench``
   starts), migrates it and runs ``seed_demo --extra N``; collects static files; on
   PostgreSQL, analyzes it and records whether the search page's query reads the GIN index;
2. starts ``gunicorn mbc_cms.wsgi:application --workers 2`` on a free loopback port with the
   production settings (``DJANGO_DEBUG=0``) plus the benchmark-only floor route
   (``DJANGO_SETTINGS_MODULE=benchmarks.settings``), and waits for ``/healthz``;
3. for every path: checks it answers 200, measures its body size, warms it up, then runs
   ``wrk`` against the path and against the floor (a trivial view returning the same number
   of bytes through the same middleware) in alternating rounds, so that both see the same
   machine conditions;
4. measures every path once more on a second gunicorn that keeps nothing in the cache
   (``DJANGO_PUBLIC_CACHE_SECONDS=0``: a cache miss every time), against the floor in
   alternating rounds as above, judged by the cache-miss targets;
5. stops gunicorn (its whole process group, also on failure or Ctrl-C).

It prints a table per scale and a verdict line, writes the tables between the markers in
``docs/performance.md`` and the raw numbers to ``benchmarks/results/bench-<time>.json``.
A failed target is a result, not an error: the exit status is 0 unless the harness itself
broke (a command failed, gunicorn did not start, wrk is missing, a path did not answer).

Environment knobs: ``BENCH_SCALES`` (default ``10000,100000``), ``BENCH_ROUND_SECONDS`` (5),
``BENCH_ROUNDS`` (3), ``BENCH_WARMUP_SECONDS`` (2), ``BENCH_CONNECTIONS`` (32),
``BENCH_THREADS`` (2), ``BENCH_WORKERS`` (2), ``BENCH_API_RATE`` (``1000000/second``),
``BENCH_UNCACHED`` (``1``: also measure cache misses), ``BENCH_CACHED`` (``1``; ``0``
measures the cache misses only), ``BENCH_WRITE_DOCS`` (``1``),
``BENCH_KEEP_DB`` (``0``: delete each scale's database afterwards), ``BENCH_DATABASE``
(``sqlite``; ``postgres``), ``BENCH_PATHS`` (empty: every row; ``search``: only the rows whose
names contain ``search``, comma-separated patterns, case ignored).

This module is the main flow; the harness's other modules are ``config`` (paths and knobs),
``server`` (database, environment, gunicorn), ``load`` (wrk and its measurements),
``measure`` (paths, targets and result rows), ``machine`` and ``reporting`` (the report).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.config import (
    API_RATE,
    CACHED,
    CONNECTIONS,
    DATABASE,
    DATABASE_KINDS,
    DOC,
    GUNICORN,
    HOST,
    KEEP_DB,
    LUA_SCRIPT,
    PATHS,
    RESULTS_DIR,
    ROOT,
    ROUND_SECONDS,
    ROUNDS,
    SCALES,
    THREADS,
    UNCACHED,
    WARMUP_SECONDS,
    WORKERS,
    WRITE_DOCS,
    HarnessError,
    log,
    selected,
)
from benchmarks.edge import edge_paths, edge_sections
from benchmarks.machine import load_average, machine_info
from benchmarks.measure import (
    PathSpec,
    Row,
    measure_path,
    path_specs,
    select,
    uncached_specs,
)
from benchmarks.reporting import render_report, verdict, write_doc
from benchmarks.server import (
    Gunicorn,
    count_live_articles,
    drop_database,
    free_port,
    fresh_database,
    pick_slugs,
    search_plan,
    seed_database,
    server_env,
)


def run_scale(extra: int) -> dict:
    """Seed a fresh database with ``extra`` synthetic articles, measure every path on it."""
    database_url, log_file = _fresh_scale_files(extra)
    env = server_env(database_url)
    timings = seed_database(env, extra, log_file)
    plan = search_plan(env, log_file)
    slugs = pick_slugs(database_url, extra)
    articles = count_live_articles(database_url)
    load_before = load_average()
    started = time.monotonic()
    specs = path_specs(slugs)
    cached = select(specs, PATHS) if CACHED else []
    misses = select(uncached_specs(specs, extra), PATHS) if UNCACHED else []
    rows = _measure_cached(env, cached, log_file, load_before) if cached else []
    uncached = _measure_cache_misses(env, misses, log_file) if misses else []
    # Further sections of this scale's report join here, each {"title", "note", "rows"}
    # (the edge tier's rows through Varnish: benchmarks/edge.py).
    sections: list[dict] = []
    sections += edge_sections(env, slugs, log_file)
    timings["load_s"] = round(time.monotonic() - started, 1)
    if not KEEP_DB:
        drop_database(database_url)
    return {
        "extra": extra,
        "search_plan": plan,
        "articles": articles,
        "slugs": slugs,
        "timings": timings,
        "load_before": load_before,
        "load_after": load_average(),
        "rows": [asdict(row) for row in rows],
        "uncached": [asdict(row) for row in uncached],
        "sections": sections,
    }


def _fresh_scale_files(extra: int) -> tuple[str, Path]:
    """This scale's ``DATABASE_URL`` (an empty database) and its emptied log file."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    suffix = "" if DATABASE == "sqlite" else f"-{DATABASE}"
    log_file = RESULTS_DIR / f"bench-{extra}{suffix}.log"
    log_file.write_text("")
    return fresh_database(extra), log_file


def _measure_cached(
    env: dict, specs: list[PathSpec], log_file: Path, load_before: float
) -> list[Row]:
    """Every path against its floor on a normal gunicorn (the rows the targets apply to)."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    with Gunicorn(env, port, log_file):
        log(f"gunicorn up on {base} (load average {load_before})")
        return [measure_path(base, spec) for spec in specs]


def _measure_cache_misses(env: dict, specs: list[PathSpec], log_file: Path) -> list[Row]:
    """Every miss row (``uncached_specs``) on a gunicorn that caches nothing (every request a
    miss), against its floor on that server in alternating rounds, judged by the miss
    targets."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    with Gunicorn({**env, "DJANGO_PUBLIC_CACHE_SECONDS": "0"}, port, log_file):
        log(f"cache misses: gunicorn keeping nothing up on {base}")
        return [measure_path(base, spec) for spec in specs]


def row_names() -> list[str]:
    """The name of every row a full run measures, in every table (the names do not depend
    on the scale or the slugs picked)."""
    slugs = {"demo": "demo", "synthetic": "synthetic-article-1", "topic": "topic"}
    specs = path_specs(slugs)
    names = [spec.name for spec in specs + uncached_specs(specs, 1)]
    names += [path[0] for path in edge_paths(slugs, [])]
    return list(dict.fromkeys(names))


def check_knobs(database: str = DATABASE, patterns: list[str] = PATHS) -> None:
    """Refuse a database the harness does not know, and a ``BENCH_PATHS`` that names no row
    (which would seed a database for nothing), before anything is seeded."""
    if database not in DATABASE_KINDS:
        raise HarnessError(
            f"BENCH_DATABASE={database!r}: expected one of {', '.join(DATABASE_KINDS)}"
        )
    if patterns and not any(selected(name, patterns) for name in row_names()):
        raise HarnessError(
            f"BENCH_PATHS={','.join(patterns)!r} matches no row; rows: {', '.join(row_names())}"
        )


def _check_tools() -> None:
    if not LUA_SCRIPT.exists() or not GUNICORN.exists():
        raise HarnessError("run through `make bench` (needs .venv and benchmarks/report.lua)")
    try:
        subprocess.run(["wrk", "--version"], capture_output=True)
    except FileNotFoundError as exc:
        raise HarnessError("wrk is not installed: sudo apt-get install wrk") from exc


def _write_results(report: dict, text: str) -> None:
    """The JSON and Markdown files under ``benchmarks/results/``, the console, the docs."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / f"bench-{stamp}.md").write_text(text)
    print()
    print(text)
    if WRITE_DOCS:
        write_doc(text)
        log(f"tables written to {DOC.relative_to(ROOT)}")


def main() -> int:
    check_knobs()
    _check_tools()
    started = time.monotonic()
    machine = machine_info()
    log(f"machine: {machine['nproc']} CPUs, {machine['cpu']}, {machine['memory']}")
    log(f"database: {machine['database']}")
    log(f"scales: {', '.join(f'{s:,}' for s in SCALES)}")
    if PATHS:
        log(f"rows: {', '.join(name for name in row_names() if selected(name, PATHS))}")
    scales = [run_scale(extra) for extra in SCALES]
    report = {
        "machine": machine,
        "settings": {
            "connections": CONNECTIONS,
            "threads": THREADS,
            "workers": WORKERS,
            "rounds": ROUNDS,
            "round_seconds": ROUND_SECONDS,
            "warmup_seconds": WARMUP_SECONDS,
            "api_rate": API_RATE,
            "database": DATABASE,
            "paths": PATHS,
        },
        "scales": scales,
        "total_s": round(time.monotonic() - started, 1),
    }
    report["verdict"] = verdict(scales)
    _write_results(report, render_report(report))
    print(f"VERDICT: {report['verdict']} (total {report['total_s'] / 60:.1f} min)")
    return 0


def _terminate(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds the with-blocks, so gunicorn is stopped


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main())
    except HarnessError as error:
        print(f"bench: harness error: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        sys.exit(130)
