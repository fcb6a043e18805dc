"""A publication whose stamp file cannot be written goes live, but is logged and fails /healthz.

The error is logged and /healthz answers 503 naming it until a write succeeds.

The stamp file tells other worker processes of a publication when the cache is per process,
so these tests use that cache explicitly (they pass with REDIS_URL set too). The tests may
run as root, for whom permissions do not stop a write: the stamp path is made unwritable by
a parent that is a regular file, or by being a directory.
"""

import logging
import os

import pytest

from articles import caching
from articles.models import PublishedArticle
from reviews import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def per_process_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "stamp-failure-test",
        }
    }


@pytest.fixture
def approved_article(make_article, writer, reviewer):
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Accurate.")
    return article


def healthz(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_publication_with_unwritable_stamp_is_logged_and_fails_health(
    client, approved_article, editor, settings, tmp_path, caplog
):
    """The publication goes live; the error names the path and the OS error; /healthz is 503
    with that problem until the stamp is written again, which it then is."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    stamp = blocker / "public.stamp"
    settings.PUBLIC_STAMP_FILE = str(stamp)

    with caplog.at_level(logging.ERROR, logger="articles.caching"):
        workflow.publish(article=approved_article, user=editor)

    assert PublishedArticle.objects.live().filter(article=approved_article).exists()
    assert client.get(f"/articles/{approved_article.slug}/").status_code == 200
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and all(str(stamp) in e and "Not a directory" in e for e in errors)
    assert healthz(client) == (
        503,
        {
            "status": "error",
            "database": "ok",
            "checks": {
                "database": "ok",
                "cache_invalidation": f"cannot write stamp file {stamp}: Not a directory",
            },
        },
    )

    fixed = tmp_path / "public.stamp"
    settings.PUBLIC_STAMP_FILE = str(fixed)
    assert healthz(client) == (
        200,
        {
            "status": "ok",
            "database": "ok",
            "checks": {"database": "ok", "cache_invalidation": "ok"},
        },
    )
    assert fixed.is_file()  # the missed invalidation reached the other processes after all


def test_stamp_path_that_is_a_directory_fails_health_until_invalidated_again(
    client, approved_article, editor, settings, tmp_path
):
    """With the stamp path a directory, publishing leaves /healthz at 503; once the path is
    free, the next invalidation writes the stamp and /healthz is 200 again."""
    stamp = tmp_path / "public.stamp"
    stamp.mkdir()
    settings.PUBLIC_STAMP_FILE = str(stamp)

    workflow.publish(article=approved_article, user=editor)
    status, body = healthz(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["cache_invalidation"] == (
        f"cannot write stamp file {stamp}: Is a directory"
    )

    stamp.rmdir()
    caching.invalidate()
    assert healthz(client)[0] == 200
    assert stamp.is_file()


def test_health_reports_an_unwritable_stamp_before_any_publication(client, settings, tmp_path):
    """A stamp path that cannot be written is reported at once (at deployment), not only
    after the first publication has gone unannounced."""
    settings.PUBLIC_STAMP_FILE = str(tmp_path / "missing-directory" / "public.stamp")
    status, body = healthz(client)
    assert status == 503
    assert body["checks"]["cache_invalidation"] == (
        f"cannot write stamp file {tmp_path / 'missing-directory' / 'public.stamp'}: "
        "No such file or directory"
    )


def test_health_check_does_not_touch_the_stamp(client, settings, tmp_path):
    """A healthy check leaves the stamp file alone: touching it would empty every worker
    process's cache on each probe of the load balancer."""
    stamp = tmp_path / "public.stamp"
    stamp.write_text("")
    os.utime(stamp, ns=(1, 1))
    settings.PUBLIC_STAMP_FILE = str(stamp)
    assert healthz(client)[0] == 200
    assert stamp.stat().st_mtime_ns == 1


def test_shared_cache_needs_no_stamp(client, settings, tmp_path):
    """With a cache shared by all processes (Redis in production) the stamp file is not used,
    so a bad stamp path is no problem."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PUBLIC_STAMP_FILE = str(tmp_path / "missing-directory" / "public.stamp")
    assert healthz(client)[1]["checks"]["cache_invalidation"] == "ok"


@pytest.mark.django_db
def test_site_files_are_named_after_the_database_in_use():
    """The stamp and counter files follow the default connection's own settings (the test
    database here, not the configured one), read without the thread-local lookup."""
    import hashlib
    import tempfile

    from django.db import DEFAULT_DB_ALIAS, connection, connections

    from articles import stamp

    assert connections.settings[DEFAULT_DB_ALIAS] is connection.settings_dict
    database = connection.settings_dict
    identity = f"{database.get('HOST')}:{database.get('PORT')}:{database.get('NAME')}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    assert str(stamp.site_file(".stamp")) == f"{tempfile.gettempdir()}/mbc_cms-{digest}.stamp"
