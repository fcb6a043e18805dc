"""What is measured and how it is judged: the paths, their targets and one result row each.

:func:`measure_path` runs a path against its same-size floor in alternating rounds and judges
it against its :class:`Target`; :func:`measure_uncached` gives the informational cache-miss
row. Each row is logged as soon as it is measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.config import ROUND_SECONDS, ROUNDS, WARMUP_SECONDS, HarnessError, log
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


def uncached_specs(specs: list[PathSpec], extra: int) -> list[PathSpec]:
    rotated = {
        "article (synthetic)": "/articles/synthetic-article-{n}/",
        "API detail": "/api/v1/articles/synthetic-article-{n}/",
    }
    result = []
    for spec in specs:
        if spec.name in rotated:
            result.append(PathSpec(spec.name, rotated[spec.name], Target(), rotate=extra))
        else:
            result.append(PathSpec(spec.name, spec.path, Target()))
    return result


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
    """The floor route answering as many bytes as ``spec``'s page, and that size."""
    status, body = fetch(base + spec.path)
    if status != 200:
        raise HarnessError(f"{spec.path} answered {status} before the run")
    size = len(body)
    floor_url = f"{base}/__floor__/{size}/"
    floor_status, floor_body = fetch(floor_url)
    if floor_status != 200 or len(floor_body) != size:
        raise HarnessError(f"the floor route answered {floor_status} ({len(floor_body)} bytes)")
    return floor_url, size


def measure_path(base: str, spec: PathSpec) -> Row:
    floor_url, size = _floor_url(base, spec)
    # Warm-up: both workers import, connect and fill their page caches.
    wrk(base + spec.path, WARMUP_SECONDS)
    wrk(floor_url, WARMUP_SECONDS)
    app, floor = Measurement(), Measurement()
    for _ in range(ROUNDS):
        app.add(wrk(base + spec.path, ROUND_SECONDS))
        floor.add(wrk(floor_url, ROUND_SECONDS))
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


def measure_uncached(base: str, spec: PathSpec, floor_rps: float, size: int) -> Row:
    """Measured on a server that keeps nothing (``DJANGO_PUBLIC_CACHE_SECONDS=0``), so every
    request is a cache miss. (A unique query parameter no longer is: cache keys use only the
    parameters a view reads.)"""
    args = [f"rotate={spec.rotate}"] if spec.rotate else []
    app = Measurement()
    app.add(wrk(base + spec.path, ROUND_SECONDS, *args))
    ratio = app.rps / floor_rps if floor_rps else 0.0
    problems = [f"{app.non_2xx} non-2xx"] if app.non_2xx else []
    if not app.requests:
        problems.append(f"no response completed in {ROUND_SECONDS} s")
    row = Row(
        spec.name,
        spec.path,
        size,
        "info",
        summary(app),
        {"rps": round(floor_rps, 1), "p99_ms": None},
        round(ratio, 3),
        "FAIL" if problems else "info",
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
