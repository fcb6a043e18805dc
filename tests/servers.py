"""Real gunicorn servers for tests that need several worker processes or real HTTP.

``gunicorn_server`` prepares a throwaway SQLite database in a directory of its own, runs the
given ``manage.py`` commands on it and serves the site as in production (``DJANGO_DEBUG=0``,
sync workers, no ``REDIS_URL``) on a free loopback port until the ``with`` block ends.
``fetch`` is a small HTTP client that follows no redirect and raises on no status.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(directory: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a production-like site on its own SQLite file in ``directory``:
    ``DJANGO_DEBUG=0``, no ``REDIS_URL``, plus ``extra``."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        # No collectstatic here: plain static storage, so pages render without a manifest.
        "DJANGO_STATIC_MANIFEST": "0",
        # The stamp and rate-limit files named after the database go here, not in /tmp.
        "TMPDIR": str(directory),
        "DJANGO_MEDIA_ROOT": str(directory / "media"),
        **(extra or {}),
    }
    env.pop("REDIS_URL", None)
    return env


def prepare_database(env: dict[str, str], commands: tuple[tuple[str, ...], ...]) -> None:
    """Run ``migrate``, then each of ``commands``, through ``manage.py``; raise if one fails."""
    for command in (("migrate", "--noinput"), *commands):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def wait_until_healthy(base: str, process: subprocess.Popen, log_path: Path) -> None:
    """Return once ``/healthz`` answers; raise with the server's log if it stops or takes 60 s."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(log_path.read_text()) from None
            time.sleep(0.2)


@contextmanager
def gunicorn_server(
    directory: Path,
    *,
    workers: int = 2,
    env: dict[str, str] | None = None,
    commands: tuple[tuple[str, ...], ...] = (),
) -> Iterator[str]:
    """Serve the site from ``directory`` and yield its base URL (``http://127.0.0.1:port``).

    ``env`` adds to (or overrides) the production-like environment; ``commands`` are
    ``manage.py`` commands run after ``migrate`` (``("seed_demo",)``)."""
    full_env = production_env(directory, env)
    prepare_database(full_env, commands)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = directory / "gunicorn.log"
    command = [str(GUNICORN), "mbc_cms.wsgi:application", "--workers", str(workers)]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(base, process, log_path)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> tuple[int, Message, str]:
    """``(status, headers, body)`` of one request; redirects and errors are answers too."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()
