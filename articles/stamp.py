"""The stamp file: how worker processes that share no cache learn of a new generation of
public content, and whether they can.

With the default per-process memory cache, ``touch_stamp`` sets the file's modification time
at every publication, and every request compares it with the time its cached generation was
made from (``read_stamp``, one ``stat``). A stamp file that cannot be written does not stop a
publication, but it is logged as an error and ``invalidation_problem`` (so /healthz) reports it
until a write succeeds. ``site_file`` also names the rate limiter's shared counters.
"""

import errno
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver

logger = logging.getLogger(__name__)

_per_process: list[bool] = []


def cache_is_per_process() -> bool:
    """Whether the default cache lives in each process's memory (decided once per process):
    then worker processes share nothing through it, and use files on this machine instead."""
    if not _per_process:
        _per_process.append(isinstance(caches["default"], LocMemCache))
    return _per_process[0]


@receiver(setting_changed)
def _forget_configuration(*, setting: str, **kwargs) -> None:
    if setting in ("CACHES", "DATABASES", "PUBLIC_STAMP_FILE"):
        _per_process.clear()
        _site_files.clear()


_site_files: dict[tuple[str, str], Path] = {}


def site_file(suffix: str) -> Path:
    """A file in the temporary directory named after the database, ending in ``suffix``: the
    worker processes of one site on this machine share it, two sites do not.

    The default database's settings are read from the connection handler, not through
    ``django.db.connection``: they are the very dict the connection holds (changed in place
    when tests make their database), and a request asks for them up to three times (the
    stamp twice, the rate counters once), where the thread-local lookup of the connection
    cost more than the rest of this function."""
    database = connections.settings[DEFAULT_DB_ALIAS]
    identity = f"{database.get('HOST')}:{database.get('PORT')}:{database.get('NAME')}"
    path = _site_files.get((identity, suffix))
    if path is None:
        digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"mbc_cms-{digest}{suffix}"
        _site_files[identity, suffix] = path
    return path


def stamp_path() -> Path:
    """The stamp file of this database: ``DJANGO_PUBLIC_STAMP_FILE``, or one in the temporary
    directory named after the database (so that two sites on one machine do not share it)."""
    if settings.PUBLIC_STAMP_FILE:
        return Path(settings.PUBLIC_STAMP_FILE)
    return site_file(".stamp")


def read_stamp() -> int:
    """The stamp file's modification time (0 before the first publication, and while it
    cannot be read: ``invalidation_problem`` reports that, pages are still served)."""
    try:
        return os.stat(stamp_path()).st_mtime_ns
    except OSError:
        return 0


# Why this process last failed to write the stamp file; emptied when a write succeeds.
_stamp_failure: list[str] = []


def _stamp_problem(path: Path, error: OSError | int) -> str:
    reason = os.strerror(error) if isinstance(error, int) else error.strerror or str(error)
    return f"cannot write stamp file {path}: {reason}"


def touch_stamp() -> bool:
    """Set the stamp file's time to now, which tells every worker process of a new generation.
    False when it cannot be written: the error is logged, and ``invalidation_problem`` (so
    /healthz) reports it until a write succeeds."""
    if not cache_is_per_process():
        return True
    path = stamp_path()
    now = time.time_ns()
    try:
        # Through a descriptor, so that a directory at this path is refused instead of having
        # its own time set; an explicit time, so that two publications within one tick of the
        # kernel's coarse clock still leave two different times.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
        try:
            os.utime(descriptor, ns=(now, now))
        finally:
            os.close(descriptor)
    except OSError as error:
        logger.error(
            "Cannot write the stamp file %s (%s): other worker processes keep serving their "
            "cached pages until DJANGO_PUBLIC_CACHE_SECONDS pass. Make the path writable, set "
            "DJANGO_PUBLIC_STAMP_FILE to one that is, or set REDIS_URL.",
            path,
            error,
        )
        _stamp_failure[:] = [_stamp_problem(path, error)]
        return False
    _stamp_failure.clear()
    return True


def invalidation_problem() -> str | None:
    """Why other worker processes might go on serving pages from before a publication, or
    None when they cannot (the stamp file can be written, or the cache is shared).

    After a failed write in this process the write is tried again here: success delivers
    the invalidation that was missed and ends the problem. Otherwise the stamp file is checked
    without being written, since a write would empty every process's cache."""
    if not cache_is_per_process():
        return None
    if _stamp_failure:
        return None if touch_stamp() else _stamp_failure[0]
    path = stamp_path()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        try:
            os.stat(path.parent)
        except OSError as error:
            return _stamp_problem(path, error)
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return _stamp_problem(path, errno.EACCES)
        return None
    except OSError as error:
        return _stamp_problem(path, error)
    try:
        owner = os.fstat(descriptor).st_uid
    finally:
        os.close(descriptor)
    # Setting a file's times to a given value needs its owner (or root), not only write access.
    if owner != os.geteuid() and os.geteuid() != 0:
        return _stamp_problem(path, errno.EPERM)
    return None
