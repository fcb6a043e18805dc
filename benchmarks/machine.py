"""The machine a benchmark ran on: hardware, versions and load, for the report."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path

from benchmarks.config import DATABASE, PYTHON
from benchmarks.server import postgres_version


def _first_line_starting(path: str, prefix: str) -> str | None:
    """The first line of ``path`` that starts with ``prefix``; None if absent or unreadable."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line
    except OSError:
        pass
    return None


def _versions() -> list[str]:
    """Python, Django, gunicorn, DRF and SQLite versions of the virtualenv, in that order."""
    return subprocess.run(
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


def machine_info() -> dict:
    cpu_line = _first_line_starting("/proc/cpuinfo", "model name")
    cpu = cpu_line.split(":", 1)[1].strip() if cpu_line else "unknown"
    memory_line = _first_line_starting("/proc/meminfo", "MemTotal")
    memory = f"{int(memory_line.split()[1]) / 1024 / 1024:.1f} GiB" if memory_line else "unknown"
    versions = _versions()
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
        # What the site read during the run (BENCH_DATABASE), for the report's headings.
        "database": postgres_version() if DATABASE == "postgres" else f"SQLite {versions[4]}",
        "wrk": wrk_version.split(" [")[0].strip() or "wrk",
    }


def load_average() -> float:
    return round(os.getloadavg()[0], 2)
