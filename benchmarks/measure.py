"""What is measured and how it is judged: the paths, their targets and one result row each.

:func:`measure_path` runs a path against its same-size floor in alternating rounds and judges
it against its :class:`Target`; the cache-miss rows (``uncached_specs``) are measured the same
way on a server that caches nothing. Each row is logged as soon as it is measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.config import (
    ROUND_SECONDS,
    ROUNDS,
    WARMUP_SECONDS,
    WORKERS,
    HarnessError,
    log,
    selected,
)
from benchmarks.load import Measurement, wrk
from benchmarks.server import fetch


@dataclass
class Target:
    min_ratio: float | None = None
    max_p99_ms: float | None = None

    def describe(self) -> str:
        parts = []
        if self.min_ratio is not None:
            parts.append(f"≥{self.min_ratio:g}× floor")
        if self.max_p99_ms is not None:
            parts.append(f"p99<{self.max_p99_ms:g} ms")
        return ", ".join(parts) or "info"


@dataclass
class PathSpec:
    name: str
    path: str
    target: Target
    rotate: int = 0  # for the cache-miss rows: "{n}" in the path becomes 1..rotate
    # wrk's connections for this path and its floor (default CONNECTIONS): a latency target
    # is measured with one connection per worker, where p99 is the time a request takes, not
    # the time it queues behind 31 others.
    connections: int | None = None


@dataclass
class Row:
    name: str
    path: str
    bytes: int
    target: str
    app: dict
    floor: dict
    ratio: float
    verdict: str
    problems: list[str]


def path_specs(slugs: dict) -> list[PathSpec]:
    page = Target(min_ratio=0.8, max_p99_ms=100)
    return [
        PathSpec("home", "/", Target(min_ratio=0.5)),
        PathSpec("article (synthetic)", f"/articles/{slugs['synthetic']}/", page),
        PathSpec("article (demo)", f"/articles/{slugs['demo']}/", page),
        PathSpec("API detail", f"/api/v1/articles/{slugs['synthetic']}/", page),
        PathSpec("API list", "/api/v1/articles/", Target(min_ratio=0.5)),
        PathSpec("search", "/search/?q=pain", Target(max_p99_ms=200)),
        PathSpec("topic", f"/topics/{slugs['topic']}/", Target()),
    ]


# Targets of a cache miss (issue 19), measured against the floor side by side like the rest.
MISS_PAGE = Target(min_ratio=0.25)
MISS_LIST = Target(min_ratio=0.15)
MISS_TOPIC = Target(min_ratio=0.1)
MISS_SEARCH = Target(max_p99_ms=50)
# A page of the topic list well past the first: its cost must not grow with the articles.
TOPIC_PAGE = 5


def uncached_specs(specs: list[PathSpec], extra: int) -> list[PathSpec]:
    """The cache-miss rows: every path of ``specs`` with its miss target (the synthetic
    article rows on a random article each request), plus a later page of the topic."""
    rotated = {
        "article (synthetic)": "/articles/synthetic-article-{n}/",
        "API detail": "/api/v1/articles/synthetic-article-{n}/",
    }
    targets = {
        "home": MISS_LIST,
        "article (synthetic)": MISS_PAGE,
        "article (demo)": MISS_PAGE,
        "API detail": MISS_PAGE,
        "API list": MISS_LIST,
        "search": MISS_SEARCH,
        "topic": MISS_TOPIC,
    }
    result = []
    for spec in specs:
        target = targets.get(spec.name, Target())
        if spec.name in rotated:
            result.append(PathSpec(spec.name, rotated[spec.name], target, rotate=extra))
        elif spec.name == "search":
            name = f"search, {WORKERS} connections"
            result.append(PathSpec(name, spec.path, target, connections=WORKERS))
        else:
            result.append(PathSpec(spec.name, spec.path, target))
        if spec.name == "topic":
            paged = f"{spec.path}?page={TOPIC_PAGE}"
            result.append(PathSpec(f"topic, page {TOPIC_PAGE}", paged, MISS_TOPIC))
    return result


def select(specs: list[PathSpec], patterns: list[str]) -> list[PathSpec]:
    """The rows of ``specs`` that ``BENCH_PATHS`` asks for (all of them without patterns).

    Applied to each table's final rows, after ``uncached_specs`` derived the miss rows from
    every path, so a miss row that has no cached twin ("topic, page 5") can be asked for by
    its own name, and a miss row keeps the target and shape it has in a full run."""
    return [spec for spec in specs if selected(spec.name, patterns)]


def judge(spec: PathSpec, app: Measurement, ratio: float) -> tuple[str, list[str]]:
    problems = []
    if not app.requests:
        problems.append("no response completed")
    if app.non_2xx:
        problems.append(f"{app.non_2xx} non-2xx")
    if app.socket_errors:
        problems.append(f"{app.socket_errors} socket errors")
    target = spec.target
    if target.min_ratio is not None and ratio < target.min_ratio:
        problems.append(f"ratio {ratio:.2f} < {target.min_ratio:g}")
    if target.max_p99_ms is not None and app.p99 >= target.max_p99_ms:
        problems.append(f"p99 {app.p99:.0f} ms ≥ {target.max_p99_ms:g}")
    if problems:
        return "FAIL", problems
    if target.min_ratio is None and target.max_p99_ms is None:
        return "info", problems
    return "PASS", problems


def summary(m: Measurement) -> dict:
    return {
        "rps": round(m.rps, 1),
        "p50_ms": round(m.p50, 2),
        "p99_ms": round(m.p99, 2),
        "worst_p99_ms": round(m.worst_p99, 2),
        "requests": m.requests,
        "statuses": m.statuses,
        "socket_errors": m.socket_errors,
        "rounds_p99_ms": [round(v, 2) for v in m.p99_ms],
    }


def _floor_url(base: str, spec: PathSpec) -> tuple[str, int]:
    """The floor route answering as many bytes as ``spec``'s page, and that size (of the
    first article, for a rotating path)."""
    status, body = fetch(base + spec.path.replace("{n}", "1"))
    if status != 200:
        raise HarnessError(f"{spec.path} answered {status} before the run")
    size = len(body)
    floor_url = f"{base}/__floor__/{size}/"
    floor_status, floor_body = fetch(floor_url)
    if floor_status != 200 or len(floor_body) != size:
        raise HarnessError(f"the floor route answered {floor_status} ({len(floor_body)} bytes)")
    return floor_url, size


def measure_path(base: str, spec: PathSpec) -> Row:
    """``spec`` against the floor of its size, in alternating rounds after a warm-up (on the
    server that keeps nothing, every request of the path is a cache miss)."""
    floor_url, size = _floor_url(base, spec)
    args = [f"rotate={spec.rotate}"] if spec.rotate else []
    many = spec.connections
    # Warm-up: both workers import, connect and fill their page caches.
    wrk(base + spec.path, WARMUP_SECONDS, *args, connections=many)
    wrk(floor_url, WARMUP_SECONDS, connections=many)
    app, floor = Measurement(), Measurement()
    for _ in range(ROUNDS):
        app.add(wrk(base + spec.path, ROUND_SECONDS, *args, connections=many))
        floor.add(wrk(floor_url, ROUND_SECONDS, connections=many))
    ratio = app.rps / floor.rps if floor.rps else 0.0
    verdict, problems = judge(spec, app, ratio)
    row = Row(
        spec.name,
        spec.path,
        size,
        spec.target.describe(),
        summary(app),
        summary(floor),
        round(ratio, 3),
        verdict,
        problems,
    )
    print_row(row)
    return row


def print_row(row: Row) -> None:
    log(
        f"{row.name:<22} {row.bytes:>7,} B  {row.app['rps']:>8,.0f} req/s  "
        f"p50 {row.app['p50_ms']:>7.1f} ms  p99 {row.app['p99_ms']:>7.1f} ms "
        f"(worst round {row.app['worst_p99_ms']:.1f})  "
        f"floor {row.floor['rps']:>8,.0f}  ratio {row.ratio:.2f}  {row.verdict} "
        f"{'; '.join(row.problems)}"
    )
