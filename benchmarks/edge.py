"""The edge rows of ``make bench``: the article page through Varnish against nginx serving a
static file of the same size, measured side by side in alternating rounds.

For a scale's database this starts gunicorn (as for the cached rows), Varnish in front of it
with the repository's VCL (``deploy/varnish/run-edge.sh``) and nginx serving, from a temporary
folder, files of exactly as many bytes as Varnish answers. nginx sending a file from memory is
the ceiling a reader could get from this machine; the target is the article page through
Varnish at half of it or better. Rows:

- ``article via Varnish (gzip)``: what browsers get (``Accept-Encoding: gzip``, the copy
  Varnish stores), against nginx sending a file of the gzipped size: **≥ 0.5×** nginx;
- ``article via Varnish (identity)``: a client without gzip (Varnish unzips each answer),
  against a file of the full size: informational;
- ``API detail via Varnish (gzip)``: informational.

Before measuring, each path must come from Varnish's cache (a second request shows two ids in
``X-Varnish``); if it does not (an app that sends no surrogate keys), the row fails saying so.
``BENCH_EDGE=0`` leaves the rows out, and ``BENCH_PATHS`` keeps only the rows it names (when
it names none of them, Varnish and nginx are not even started). Varnish and nginx are
Debian's (the Makefile's bench target installs them as it installs wrk).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from benchmarks.config import (
    CONNECTIONS,
    HOST,
    LUA_SCRIPT,
    PATHS,
    ROOT,
    ROUND_SECONDS,
    ROUNDS,
    THREADS,
    WARMUP_SECONDS,
    HarnessError,
    log,
    selected,
)
from benchmarks.load import Measurement
from benchmarks.measure import PathSpec, Row, Target, judge, print_row, summary
from benchmarks.server import Gunicorn, free_port

EDGE = os.environ.get("BENCH_EDGE", "1") == "1"
RUN_EDGE = ROOT / "deploy" / "varnish" / "run-edge.sh"
GZIP = {"Accept-Encoding": "gzip"}
TARGET_RATIO = 0.5


def edge_sections(env: dict, slugs: dict, log_file: Path) -> list[dict]:
    """The edge section of one scale's report (none with ``BENCH_EDGE=0``): its rows, as
    ``benchmarks.reporting`` renders and judges the sections of a scale."""
    if not EDGE or not edge_paths(slugs):
        return []
    return [
        {
            "title": "Through the edge cache",
            "note": NOTE,
            "rows": measure_edge(env, slugs, log_file),
        }
    ]


NOTE = (
    "Varnish with `deploy/varnish/default.vcl` in front of the same gunicorn, against nginx "
    "serving a static file of the same number of bytes in alternating rounds: the *floor* "
    "columns are nginx's (`benchmarks/edge.py`)."
)


def edge_paths(slugs: dict, patterns: list[str] = PATHS) -> list[tuple]:
    """The edge rows ``BENCH_PATHS`` asks for: (name, path, request headers, target ratio)."""
    paths = [
        ("article via Varnish (gzip)", f"/articles/{slugs['synthetic']}/", GZIP, TARGET_RATIO),
        ("article via Varnish (identity)", f"/articles/{slugs['synthetic']}/", {}, None),
        ("API detail via Varnish (gzip)", f"/api/v1/articles/{slugs['synthetic']}/", GZIP, None),
    ]
    return [path for path in paths if selected(path[0], patterns)]


def measure_edge(env: dict, slugs: dict, log_file: Path) -> list[dict]:
    """The edge rows for one scale (dicts, as the report keeps rows)."""
    _check_tools()
    port = free_port()
    paths = edge_paths(slugs)
    with (
        Gunicorn(env, port, log_file),
        varnish(f"{HOST}:{port}") as edge_base,
        tempfile.TemporaryDirectory(prefix="mbc-bench-nginx-") as folder,
    ):
        log(f"edge: Varnish on {edge_base} in front of gunicorn on {HOST}:{port}")
        files = Path(folder) / "www"
        files.mkdir()
        rows, sizes = [], {}
        for name, path, headers, _ in paths:
            sizes[name], cached = _served_size(edge_base + path, headers)
            (files / f"{sizes[name]}.html").write_bytes(b"x" * sizes[name])
            if not cached:
                log(f"edge: {path} is not cached by Varnish (does the app send xkey?)")
            sizes[name] = (sizes[name], cached)
        with nginx(Path(folder), files) as static_base:
            log(f"edge: nginx on {static_base} serving same-size files")
            for name, path, headers, ratio in paths:
                size, cached = sizes[name]
                rows.append(
                    _measure(
                        name,
                        edge_base + path,
                        f"{static_base}/{size}.html",
                        headers,
                        size,
                        Target(min_ratio=ratio),
                        cached,
                    )
                )
    return [asdict(row) for row in rows]


def _check_tools() -> None:
    for tool in ("varnishd", "nginx"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"):
            raise HarnessError(f"{tool} is not installed: sudo apt-get install varnish nginx")


def _served_size(url: str, headers: dict) -> tuple[int, bool]:
    """The bytes Varnish sends for ``url`` with ``headers``, and whether it came from the cache."""
    cached = False
    for _ in range(3):
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.status != 200:
                raise HarnessError(f"{url} answered {response.status} through Varnish")
            cached = len(response.headers.get("X-Varnish", "").split()) == 2
            encoding = response.headers.get("Content-Encoding")
    if headers.get("Accept-Encoding") == "gzip" and encoding == "gzip":
        gzip.decompress(body)  # a whole gzip stream
    return len(body), cached


def _wrk(url: str, seconds: int, headers: dict) -> dict:
    command = ["wrk", f"-c{CONNECTIONS}", f"-t{THREADS}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(LUA_SCRIPT), url]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise HarnessError(f"wrk gave no result for {url}: {completed.stdout}{completed.stderr}")


def _measure(
    name: str,
    url: str,
    static_url: str,
    headers: dict,
    size: int,
    target: Target,
    cached: bool,
) -> Row:
    _wrk(url, WARMUP_SECONDS, headers)
    _wrk(static_url, WARMUP_SECONDS, headers)
    edge, static = Measurement(), Measurement()
    for _ in range(ROUNDS):
        edge.add(_wrk(url, ROUND_SECONDS, headers))
        static.add(_wrk(static_url, ROUND_SECONDS, headers))
    ratio = edge.rps / static.rps if static.rps else 0.0
    path = "/" + url.split("/", 3)[3]
    verdict, problems = judge(PathSpec(name, path, target), edge, ratio)
    if not cached:
        verdict, problems = "FAIL", [*problems, "not cached by Varnish"]
    row = Row(
        name,
        path,
        size,
        target.describe().replace("floor", "nginx"),
        summary(edge),
        summary(static),
        round(ratio, 3),
        verdict,
        problems,
    )
    print_row(row)
    return row


@contextmanager
def varnish(backend: str):
    started = subprocess.run(
        [str(RUN_EDGE), "--background", "--backend", backend],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if started.returncode != 0:
        raise HarnessError(f"Varnish did not start: {started.stderr}")
    values = dict(part.split("=", 1) for part in started.stdout.split())
    try:
        yield values["VARNISH_URL"]
    finally:
        subprocess.run([str(RUN_EDGE), "--stop", values["VARNISH_DIR"]], timeout=60, check=False)


@contextmanager
def nginx(folder: Path, files: Path):
    """nginx serving ``files`` on a free loopback port, as a static site is served: sendfile,
    keep-alive, no access log, one worker process per CPU."""
    port = free_port()
    for sub in ("tmp", "logs"):
        (folder / sub).mkdir(exist_ok=True)
    # As root, nginx's workers run as nobody: they must be able to read the files.
    for directory in (folder, files):
        directory.chmod(0o755)
    for file in files.iterdir():
        file.chmod(0o644)
    temp = folder / "tmp"
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""worker_processes auto;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type text/html;
    server {{
        listen {HOST}:{port};
        root {files};
        location = /healthz {{ return 200 "ok\\n"; }}
    }}
}}
"""
    )
    binary = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    error_log = (folder / "logs" / "error.log").read_text(errors="replace")
                    raise HarnessError(f"nginx did not start: {error_log[-2000:]}") from None
                time.sleep(0.1)
        yield f"http://{HOST}:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
