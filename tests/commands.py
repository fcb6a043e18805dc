"""``manage.py`` run in a fresh process on a SQLite database file, as an operator runs it."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def manage(database: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``manage.py *args`` on ``database``, with debug settings and a stamp file and media
    folder beside it; with ``check``, the test fails unless the command succeeds."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_PUBLIC_STAMP_FILE": str(database.with_suffix(".stamp")),
        "DJANGO_MEDIA_ROOT": str(database.with_suffix(".media")),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result
