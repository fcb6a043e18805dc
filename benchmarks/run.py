"""``make bench``: load-test the public site and API under gunicorn against the framework floor.

For each scale (synthetic published articles on top of the demo content) this:

1. creates a fresh SQLite database under ``benchmarks/results/``, migrates it and runs
   ``seed_demo --extra N``; collects static files;
2. starts ``gunicorn mbc_cms.wsgi:application --workers 2`` on a free loopback port with the
   production settings (``DJANGO_DEBUG=0``) plus the benchmark-only floor route
   (``DJANGO_SETTINGS_MODULE=benchmarks.settings``), and waits for ``/healthz``;
3. for every path: checks it answers 200, measures its body size, warms it up, then runs
   ``wrk`` against the path and against the floor (a trivial view returning the same number
   of bytes through the same middleware) in alternating rounds, so that both see the same
   machine conditions;
4. measures every path once more on a second gunicorn that keeps nothing in the cache
   (``DJANGO_PUBLIC_CACHE_SECONDS=0``: a cache miss every time): informational rows;
5. stops gunicorn (its whole process group, also on failure or Ctrl-C).

It prints a table per scale and a verdict line, writes the tables between the markers in
``docs/performance.md`` and the raw numbers to ``benchmarks/results/bench-<time>.json``.
A failed target is a result, not an error: the exit status is 0 unless the harness itself
broke (a command failed, gunicorn did not start, wrk is missing, a path did not answer).

Environment knobs: ``BENCH_SCALES`` (default ``10000,100000``), ``BENCH_ROUND_SECONDS`` (5),
``BENCH_ROUNDS`` (3), ``BENCH_WARMUP_SECONDS`` (2), ``BENCH_CONNECTIONS`` (32),
``BENCH_THREADS`` (2), ``BENCH_WORKERS`` (2), ``BENCH_API_RATE`` (``1000000/second``),
``BENCH_UNCACHED`` (``1``: also measure cache misses), ``BENCH_WRITE_DOCS`` (``1``),
``BENCH_KEEP_DB`` (``0``: delete each scale's database afterwards).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
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
WRITE_DOCS = os.environ.get("BENCH_WRITE_DOCS", "1") == "1"
KEEP_DB = os.environ.get("BENCH_KEEP_DB", "0") == "1"


class HarnessError(RuntimeError):
    """The benchmark could not run (as opposed to a target that was missed)."""


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
class Measurement:
    requests: int = 0
    duration_s: float = 0.0
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.p50_ms) if self.p50_ms else 0.0

    @property
    def p99(self) -> float:
        # Rounds cannot be merged exactly. The median of the rounds' p99 keeps one round
        # disturbed by something else on the machine from deciding the result (the JSON
        # keeps every round, and the floor's p99 in the same rounds shows such noise).
        return statistics.median(self.p99_ms) if self.p99_ms else 0.0

    @property
    def worst_p99(self) -> float:
        return max(self.p99_ms) if self.p99_ms else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(n for code, n in self.statuses.items() if not code.startswith("2"))

    def add(self, result: dict) -> None:
        self.requests += result["requests"]
        self.duration_s += result["duration_us"] / 1e6
        self.p50_ms.append(result["p50_us"] / 1000)
        self.p99_ms.append(result["p99_us"] / 1000)
        for code, n in result["statuses"].items():
            self.statuses[code] = self.statuses.get(code, 0) + n
        errors = result["errors"]
        self.socket_errors += errors["connect"] + errors["read"] + errors["write"]
        self.socket_errors += errors["timeout"]


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


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# Machine --------------------------------------------------------------------------------------


def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = subprocess.run(
        [
            str(PYTHON),
            "-c",
            "import django, gunicorn, rest_framework, sqlite3, sys; "
            "print(sys.version.split()[0], django.get_version(), gunicorn.__version__, "
            "rest_framework.__version__, sqlite3.sqlite_version)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": versions[0],
        "django": versions[1],
        "gunicorn": versions[2],
        "drf": versions[3],
        "sqlite": versions[4],
        "wrk": wrk_version.split(" [")[0].strip() or "wrk",
    }


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# Database and server ----------------------------------------------------------------------------


def server_env(db_path: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{db_path}",
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Never answer 429 to the single benchmark client (see API_RATE above).
            "DJANGO_API_ANON_RATE": API_RATE,
            "DJANGO_API_PARTNER_RATE": API_RATE,
            "PYTHONPATH": str(ROOT),
        }
    )
    # The benchmark measures the default per-process cache, not a Redis the caller runs.
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict, *args: str, log_file: Path) -> float:
    started = time.monotonic()
    with log_file.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        completed = subprocess.run(
            [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    if completed.returncode != 0:
        raise HarnessError(f"manage.py {' '.join(args)} failed; see {log_file}")
    return time.monotonic() - started


def remove_db(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def pick_slugs(db_path: Path, extra: int) -> dict:
    with sqlite3.connect(db_path) as db:
        demo = [
            row[0]
            for row in db.execute(
                "SELECT slug FROM articles_publishedarticle WHERE live_until IS NULL "
                "AND slug NOT LIKE 'synthetic-article-%' ORDER BY id"
            )
        ]
        topic = db.execute(
            "SELECT slug FROM articles_topic WHERE parent_id IS NULL ORDER BY position, name"
        ).fetchone()
    preferred = "what-is-metastatic-breast-cancer"
    return {
        "demo": preferred if preferred in demo else demo[0],
        "synthetic": f"synthetic-article-{max(1, extra // 2)}",
        "topic": topic[0],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Gunicorn:
    """gunicorn in its own process group, always stopped on exit from the ``with`` block."""

    def __init__(self, env: dict, port: int, log_file: Path) -> None:
        self.env, self.port, self.log_file = env, port, log_file
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        out = self.log_file.open("a")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "mbc_cms.wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"{HOST}:{self.port}",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited at start; see {self.log_file}")
            try:
                if fetch(f"http://{HOST}:{self.port}/healthz", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise HarnessError(f"gunicorn did not answer /healthz in 60 s; see {self.log_file}")

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=5)


# Load generation --------------------------------------------------------------------------------


def drain(url: str) -> None:
    """Wait until gunicorn has answered everything still queued from the last run.

    wrk stops after its duration, but requests already accepted keep the sync workers busy;
    with slow (cache-miss) paths that backlog would otherwise eat into the next measurement.
    A health check queues behind it, so its answer means the backlog is gone.
    """
    base = url.split("/", 3)
    try:
        fetch(f"{base[0]}//{base[2]}/healthz", timeout=300)
    except OSError as exc:
        raise HarnessError(f"gunicorn stopped answering after a run: {exc}") from exc


def wrk(url: str, seconds: int, *script_args: str) -> dict:
    command = [
        "wrk",
        f"-c{CONNECTIONS}",
        f"-t{THREADS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_SCRIPT),
        url,
    ]
    if script_args:
        command += ["--", *script_args]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    drain(url)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise HarnessError(f"wrk gave no result for {url}: {completed.stdout}{completed.stderr}")


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


def measure_path(base: str, spec: PathSpec) -> Row:
    status, body = fetch(base + spec.path)
    if status != 200:
        raise HarnessError(f"{spec.path} answered {status} before the run")
    size = len(body)
    floor_url = f"{base}/__floor__/{size}/"
    floor_status, floor_body = fetch(floor_url)
    if floor_status != 200 or len(floor_body) != size:
        raise HarnessError(f"the floor route answered {floor_status} ({len(floor_body)} bytes)")
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


# Reporting --------------------------------------------------------------------------------------

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


def print_row(row: Row) -> None:
    log(
        f"{row.name:<22} {row.bytes:>7,} B  {row.app['rps']:>8,.0f} req/s  "
        f"p50 {row.app['p50_ms']:>7.1f} ms  p99 {row.app['p99_ms']:>7.1f} ms "
        f"(worst round {row.app['worst_p99_ms']:.1f})  "
        f"floor {row.floor['rps']:>8,.0f}  ratio {row.ratio:.2f}  {row.verdict} "
        f"{'; '.join(row.problems)}"
    )


def render_scale(scale: dict) -> str:
    lines = [
        f"### {scale['extra']:,} synthetic articles ({scale['articles']:,} published in all)",
        "",
        f"Seeding took {scale['timings']['seed_s']:.0f} s; load average "
        f"{scale['load_before']} before the runs, {scale['load_after']} after.",
        "",
        "Cached (the same URL repeatedly; the targets apply here):",
        "",
        HEADER,
    ]
    lines += [table_line(Row(**row)) for row in scale["rows"]]
    if scale["uncached"]:
        lines += [
            "",
            "Cache misses (informational: a second gunicorn that keeps nothing in the cache, "
            "`DJANGO_PUBLIC_CACHE_SECONDS=0`, and for the article rows a random one of the "
            "synthetic articles; ratio against the same-size floor above):",
            "",
            HEADER,
        ]
        lines += [table_line(Row(**row)) for row in scale["uncached"]]
    return "\n".join(lines)


def render_report(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Run {m['date']} by `make bench` in {report['total_s'] / 60:.1f} minutes.",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}",
        f"- Python {m['python']}, Django {m['django']}, DRF {m['drf']}, gunicorn "
        f"{m['gunicorn']} ({WORKERS} sync workers), SQLite {m['sqlite']}, {m['wrk']}",
        f"- Load: `wrk -c{CONNECTIONS} -t{THREADS}` on 127.0.0.1; per path {ROUNDS} rounds of "
        f"{ROUND_SECONDS} s alternating with its floor, after {WARMUP_SECONDS} s of warm-up each",
        f"- API throttle rates set to `{API_RATE}` for the run",
        "",
        f"**Verdict: {report['verdict']}**",
        "",
    ]
    for scale in report["scales"]:
        lines += [render_scale(scale), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_doc(text: str) -> None:
    if not DOC.exists():
        DOC.write_text(f"# Performance\n\n{DOC_START}\n{DOC_END}\n")
    content = DOC.read_text()
    if DOC_START not in content or DOC_END not in content:
        content = content.rstrip() + f"\n\n## Latest results\n\n{DOC_START}\n{DOC_END}\n"
    before, rest = content.split(DOC_START, 1)
    _, after = rest.split(DOC_END, 1)
    DOC.write_text(f"{before}{DOC_START}\n{text}{DOC_END}{after}")


# Main -----------------------------------------------------------------------------------------


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


def run_scale(extra: int) -> dict:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    db_path = RESULTS_DIR / f"bench-{extra}.sqlite3"
    log_file = RESULTS_DIR / f"bench-{extra}.log"
    log_file.write_text("")
    remove_db(db_path)
    env = server_env(db_path)
    timings = {}
    log(f"scale {extra:,}: migrate, seed_demo --extra {extra} (log: {log_file})")
    timings["migrate_s"] = round(manage(env, "migrate", "--noinput", log_file=log_file), 1)
    timings["seed_s"] = round(manage(env, "seed_demo", "--extra", str(extra), log_file=log_file), 1)
    timings["collectstatic_s"] = round(
        manage(env, "collectstatic", "--noinput", "-v0", log_file=log_file), 1
    )
    log(f"seeded in {timings['seed_s']:.0f} s")
    slugs = pick_slugs(db_path, extra)
    with sqlite3.connect(db_path) as db:
        articles = db.execute(
            "SELECT COUNT(*) FROM articles_publishedarticle WHERE live_until IS NULL"
        ).fetchone()[0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    load_before = load_average()
    rows, uncached = [], []
    started = time.monotonic()
    with Gunicorn(env, port, log_file):
        log(f"gunicorn up on {base} (load average {load_before})")
        specs = path_specs(slugs)
        for spec in specs:
            rows.append(measure_path(base, spec))
    if UNCACHED:
        port = free_port()
        base = f"http://{HOST}:{port}"
        with Gunicorn({**env, "DJANGO_PUBLIC_CACHE_SECONDS": "0"}, port, log_file):
            log(f"cache misses (informational): gunicorn keeping nothing up on {base}")
            by_name = {row.name: row for row in rows}
            for spec in uncached_specs(specs, extra):
                known = by_name[spec.name]
                uncached.append(measure_uncached(base, spec, known.floor["rps"], known.bytes))
    timings["load_s"] = round(time.monotonic() - started, 1)
    if not KEEP_DB:
        remove_db(db_path)
    return {
        "extra": extra,
        "articles": articles,
        "slugs": slugs,
        "timings": timings,
        "load_before": load_before,
        "load_after": load_average(),
        "rows": [asdict(row) for row in rows],
        "uncached": [asdict(row) for row in uncached],
    }


def verdict(scales: list[dict]) -> str:
    failed = [
        f"{row['name']} at {scale['extra']:,} ({'; '.join(row['problems'])})"
        for scale in scales
        for row in scale["rows"]
        if row["verdict"] == "FAIL"
    ]
    judged = sum(1 for s in scales for row in s["rows"] if row["verdict"] != "info")
    if not failed:
        return f"all {judged} targets met"
    return f"{len(failed)} of {judged} targets missed: " + ", ".join(failed)


def main() -> int:
    if not LUA_SCRIPT.exists() or not GUNICORN.exists():
        raise HarnessError("run through `make bench` (needs .venv and benchmarks/report.lua)")
    try:
        subprocess.run(["wrk", "--version"], capture_output=True)
    except FileNotFoundError as exc:
        raise HarnessError("wrk is not installed: sudo apt-get install wrk") from exc
    started = time.monotonic()
    machine = machine_info()
    log(f"machine: {machine['nproc']} CPUs, {machine['cpu']}, {machine['memory']}")
    log(f"scales: {', '.join(f'{s:,}' for s in SCALES)}")
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
        },
        "scales": scales,
        "total_s": round(time.monotonic() - started, 1),
    }
    report["verdict"] = verdict(scales)
    text = render_report(report)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / f"bench-{stamp}.md").write_text(text)
    print()
    print(text)
    if WRITE_DOCS:
        write_doc(text)
        log(f"tables written to {DOC.relative_to(ROOT)}")
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
