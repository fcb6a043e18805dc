"""The site under test: its SQLite database, its environment and the gunicorn serving it.

:func:`seed_database` migrates and seeds a fresh database through ``manage.py``;
:class:`Gunicorn` runs the server in its own process group and always stops it.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.config import API_RATE, GUNICORN, HOST, PYTHON, ROOT, WORKERS, HarnessError, log


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
            # Never answer 429 to the single benchmark client (see API_RATE in config).
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


def seed_database(env: dict, extra: int, log_file: Path) -> dict:
    """Migrate, seed ``extra`` synthetic articles and collect static files; return the timings."""
    log(f"scale {extra:,}: migrate, seed_demo --extra {extra} (log: {log_file})")
    timings = {}
    timings["migrate_s"] = round(manage(env, "migrate", "--noinput", log_file=log_file), 1)
    timings["seed_s"] = round(manage(env, "seed_demo", "--extra", str(extra), log_file=log_file), 1)
    timings["collectstatic_s"] = round(
        manage(env, "collectstatic", "--noinput", "-v0", log_file=log_file), 1
    )
    log(f"seeded in {timings['seed_s']:.0f} s")
    return timings


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


def count_live_articles(db_path: Path) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute(
            "SELECT COUNT(*) FROM articles_publishedarticle WHERE live_until IS NULL"
        ).fetchone()[0]


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
        self._start()
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

    def _start(self) -> None:
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
