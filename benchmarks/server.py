"""The site under test: its database, its environment and the gunicorn serving it.

:func:`fresh_database` gives each scale an empty database: a SQLite file under
``benchmarks/results/``, or with ``BENCH_DATABASE=postgres`` a database ``bench_<N>`` on the
throwaway PostgreSQL cluster ``make bench`` started (``.ci/with-postgres``, which stops it at
the end whatever happens). :func:`seed_database` migrates and seeds it through ``manage.py``;
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
from urllib.parse import urlsplit, urlunsplit

import psycopg

from benchmarks.config import (
    API_RATE,
    DATABASE,
    GUNICORN,
    HOST,
    PYTHON,
    RESULTS_DIR,
    ROOT,
    WORKERS,
    HarnessError,
    log,
)


def postgres_server_url() -> str:
    """The URL of the cluster ``make bench`` started for ``BENCH_DATABASE=postgres``.

    The harness creates and drops whole databases there, so it only accepts the throwaway
    cluster of ``.ci/with-postgres`` (which also sets ``PGHOST``), never a ``DATABASE_URL``
    that merely happens to be in the caller's environment."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("PGHOST"):
        raise HarnessError(
            "BENCH_DATABASE=postgres runs through `make bench`, which starts a throwaway "
            "PostgreSQL with .ci/with-postgres"
        )
    return url


def with_database_name(url: str, name: str) -> str:
    """``url`` (a PostgreSQL server URL) pointing at the database ``name``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(extra: int) -> str:
    """The ``DATABASE_URL`` of an empty database for the scale of ``extra`` articles."""
    if DATABASE == "postgres":
        name = f"bench_{extra}"
        _postgres_admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        return with_database_name(postgres_server_url(), name)
    db_path = RESULTS_DIR / f"bench-{extra}.sqlite3"
    remove_db(db_path)
    return f"sqlite:///{db_path}"


def drop_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        remove_db(Path(url.removeprefix("sqlite:///")))
    else:
        _postgres_admin(f"DROP DATABASE IF EXISTS {urlsplit(url).path.lstrip('/')}")


def _postgres_admin(*statements: str) -> None:
    """Run ``statements`` on the cluster's ``postgres`` database (outside a transaction, as
    ``CREATE DATABASE`` needs)."""
    admin = with_database_name(postgres_server_url(), "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def query(url: str, sql: str) -> list[tuple]:
    """The rows of ``sql`` (portable SQL, no parameters) on the database at ``url``."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(sql).fetchall()
    with psycopg.connect(url) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def postgres_version() -> str:
    """ "PostgreSQL 15.x": the server of this run, as the report names it."""
    admin = with_database_name(postgres_server_url(), "postgres")
    return f"PostgreSQL {query(admin, 'SHOW server_version')[0][0].split()[0]}"


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
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


def pick_slugs(database_url: str, extra: int) -> dict:
    demo = [
        row[0]
        for row in query(
            database_url,
            "SELECT slug FROM articles_publishedarticle WHERE live_until IS NULL "
            "AND slug NOT LIKE 'synthetic-article-%' ORDER BY id",
        )
    ]
    topic = query(
        database_url,
        "SELECT slug FROM articles_topic WHERE parent_id IS NULL ORDER BY position, name",
    )[0]
    preferred = "what-is-metastatic-breast-cancer"
    return {
        "demo": preferred if preferred in demo else demo[0],
        "synthetic": f"synthetic-article-{max(1, extra // 2)}",
        "topic": topic[0],
    }


def count_live_articles(database_url: str) -> int:
    return query(
        database_url, "SELECT COUNT(*) FROM articles_publishedarticle WHERE live_until IS NULL"
    )[0][0]


# The plan of the search page's query for ``pain`` (``articles/views.py``), read in a
# process with the site's settings so that it is the very SQL the view runs.
SEARCH_PLAN = (
    "from articles import public; from mbc_cms import languages; "
    "language = languages.default_language(); "
    "found = public.search_articles('pain', public.live_articles_in(language), language); "
    "print(found[:10].explain())"
)


def search_plan(env: dict, log_file: Path) -> dict:
    """On PostgreSQL: update the planner's statistics after the bulk load (as autovacuum
    would soon after one in production; without them the planner guesses row counts and
    may not pick the full-text index), then read the plan of the search page's query and
    say whether it reads the GIN index ``snapshot_search`` (``tests/test_query_plans.py``).
    Nothing on SQLite, whose search goes through FTS5."""
    if DATABASE != "postgres":
        return {}
    query(env["DATABASE_URL"], "ANALYZE")
    completed = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "--verbosity", "0", "-c", SEARCH_PLAN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    with log_file.open("a") as out:
        out.write(f"\n$ explain search 'pain'\n{completed.stdout}{completed.stderr}")
    if completed.returncode != 0:
        raise HarnessError(f"reading the search plan failed; see {log_file}")
    plan = completed.stdout.strip()
    uses_gin = "snapshot_search" in plan
    log(f"search plan {'reads' if uses_gin else 'does NOT read'} the GIN index snapshot_search")
    return {"plan": plan, "uses_gin_index": uses_gin}


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
