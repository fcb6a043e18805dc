"""The Markdown report of a benchmark run, its verdict line, and its place in the docs.

:func:`render_report` turns the raw results (the dict also written as JSON) into the tables
that :func:`write_doc` puts between the markers in ``docs/performance.md``.
"""

from __future__ import annotations

from benchmarks.config import (
    API_RATE,
    CONNECTIONS,
    DOC,
    DOC_END,
    DOC_START,
    ROUND_SECONDS,
    ROUNDS,
    THREADS,
    WARMUP_SECONDS,
    WORKERS,
)
from benchmarks.measure import Row

HEADER = (
    "| path | bytes | req/s | p50 ms | p99 ms | floor req/s | floor p99 ms | ratio | target "
    "| result |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
)


def table_line(row: Row) -> str:
    result = row.verdict + (f" ({'; '.join(row.problems)})" if row.problems else "")
    floor_p99 = row.floor.get("p99_ms")
    return (
        f"| {row.name} `{row.path}` | {row.bytes:,} | {row.app['rps']:,.0f} | "
        f"{row.app['p50_ms']:.1f} | {row.app['p99_ms']:.1f} | {row.floor['rps']:,.0f} | "
        f"{'' if floor_p99 is None else f'{floor_p99:.1f}'} | {row.ratio:.2f} | "
        f"{row.target} | {result} |"
    )


def database_of(machine: dict) -> str:
    """The database a report's run used; reports from before ``BENCH_DATABASE`` were all
    SQLite's."""
    return machine.get("database") or f"SQLite {machine['sqlite']}"


def search_plan_line(plan: dict) -> list[str]:
    """What the report says of the search query's plan (only PostgreSQL runs record one)."""
    if not plan:
        return []
    reads = "reads" if plan["uses_gin_index"] else "does **not** read"
    return [
        "",
        f"The search page's query for `pain` {reads} the GIN index `snapshot_search` "
        "(`EXPLAIN` after `ANALYZE`, in the JSON).",
    ]


def render_scale(scale: dict, database: str = "SQLite") -> str:
    lines = [
        f"### {scale['extra']:,} synthetic articles ({scale['articles']:,} published in all), "
        f"{database}",
        "",
        f"Seeding took {scale['timings']['seed_s']:.0f} s; load average "
        f"{scale['load_before']} before the runs, {scale['load_after']} after.",
    ]
    lines += search_plan_line(scale.get("search_plan") or {})
    if scale["rows"]:
        lines += ["", "Cached (the same URL repeatedly):", "", HEADER]
        lines += [table_line(Row(**row)) for row in scale["rows"]]
    if scale["uncached"]:
        lines += [
            "",
            "Cache misses (a second gunicorn that keeps nothing in the cache, "
            "`DJANGO_PUBLIC_CACHE_SECONDS=0`, and for the synthetic article rows a random one "
            "of the synthetic articles each request; the floor measured on that server in "
            "alternating rounds):",
            "",
            HEADER,
        ]
        lines += [table_line(Row(**row)) for row in scale["uncached"]]
    for section in scale.get("sections", []):
        lines += ["", f"{section['title']}:", ""]
        if section.get("note"):
            lines += [section["note"], ""]
        lines += [HEADER] + [table_line(Row(**row)) for row in section["rows"]]
    return "\n".join(lines)


def render_report(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Run {m['date']} by `make bench` in {report['total_s'] / 60:.1f} minutes.",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}",
        f"- Python {m['python']}, Django {m['django']}, DRF {m['drf']}, gunicorn "
        f"{m['gunicorn']} ({WORKERS} sync workers), {m['wrk']}",
        f"- Database: {database_of(m)}",
        f"- Load: `wrk -c{CONNECTIONS} -t{THREADS}` on 127.0.0.1; per path {ROUNDS} rounds of "
        f"{ROUND_SECONDS} s alternating with its floor, after {WARMUP_SECONDS} s of warm-up each",
        f"- API throttle rates set to `{API_RATE}` for the run",
    ]
    paths = report.get("settings", {}).get("paths")
    if paths:
        lines.append(f"- Only the rows matching `BENCH_PATHS={','.join(paths)}`")
    lines += [
        "",
        f"**Verdict: {report['verdict']}**",
        "",
    ]
    for scale in report["scales"]:
        lines += [render_scale(scale, database_of(m)), ""]
    return "\n".join(lines).rstrip() + "\n"


def _judged_rows(scale: dict) -> list[tuple[str, dict]]:
    """Every row of a scale with its kind: cached, cache miss, or a further section's."""
    rows = [("", row) for row in scale["rows"]]
    rows += [("miss: ", row) for row in scale.get("uncached", [])]
    rows += [
        (f"{section['title']}: ", row)
        for section in scale.get("sections", [])
        for row in section["rows"]
    ]
    return rows


def verdict(scales: list[dict]) -> str:
    failed = [
        f"{kind}{row['name']} at {scale['extra']:,} ({'; '.join(row['problems'])})"
        for scale in scales
        for kind, row in _judged_rows(scale)
        if row["verdict"] == "FAIL"
    ]
    judged = sum(1 for s in scales for _, row in _judged_rows(s) if row["verdict"] != "info")
    if not failed:
        return f"all {judged} targets met"
    return f"{len(failed)} of {judged} targets missed: " + ", ".join(failed)


def write_doc(text: str) -> None:
    if not DOC.exists():
        DOC.write_text(f"# Performance\n\n{DOC_START}\n{DOC_END}\n")
    content = DOC.read_text()
    if DOC_START not in content or DOC_END not in content:
        content = content.rstrip() + f"\n\n## Latest results\n\n{DOC_START}\n{DOC_END}\n"
    before, rest = content.split(DOC_START, 1)
    _, after = rest.split(DOC_END, 1)
    DOC.write_text(f"{before}{DOC_START}\n{text}{DOC_END}{after}")
