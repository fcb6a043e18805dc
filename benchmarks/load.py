"""Load generation with ``wrk`` and the sums of its results over several rounds.

:func:`wrk` runs one round through ``report.lua`` and returns its JSON result;
:class:`Measurement` adds rounds up and gives req/s, p50, p99 and the failures.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from dataclasses import dataclass, field

from benchmarks.config import CONNECTIONS, LUA_SCRIPT, THREADS, HarnessError
from benchmarks.server import fetch


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


def wrk(url: str, seconds: int, *script_args: str, connections: int | None = None) -> dict:
    """``wrk`` on ``url`` for ``seconds``: ``CONNECTIONS`` connections, or ``connections``."""
    connections = connections or CONNECTIONS
    command = [
        "wrk",
        f"-c{connections}",
        f"-t{min(THREADS, connections)}",
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
