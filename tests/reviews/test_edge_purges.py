"""Purges of the caching proxy (``articles.edge``): written with the change, sent before the
publishing request returns, never failing it, retried from the outbox, shown when failing."""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import edge
from articles.models import ClinicalTrial, EdgePurge, Topic
from reviews import workflow
from tests.articles.webhook_doubles import Receiver, Reply
from tests.conftest import PASSWORD
from tests.reviews.editorial_client import client_for
from tests.servers import free_port
from tests.workflow_steps import approve_new_version

EDGE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def proxy(settings):
    """A stand-in for Varnish on loopback that records every PURGE; the app purges it (list
    it after the fixtures whose changes the test does not look at)."""
    server = Receiver().start()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{server.port}/"]
    yield server
    server.stop()


def purges(receiver) -> list[str]:
    return [r.headers["xkey-purge"] for r in receiver.requests if r.method == "PURGE"]


def article_keys(article) -> str:
    return f"article-{article.pk} list missing"


@EDGE
def test_a_publication_is_purged_before_the_api_call_returns(
    live_article, writer, reviewer2, editor, proxy, signoff_holds
):
    """Publishing through the editorial API: by the time the answer arrives, the proxy got
    ``PURGE /`` with the article's keys, every list and every 404; the row is delivered."""
    approve_new_version(live_article, writer, reviewer2, summary="A new summary.")
    response = client_for(editor).act(live_article, "publish", {"change_note": "Clearer."})
    assert response.status_code == 200, response.content
    assert purges(proxy) == [article_keys(live_article)]
    assert proxy.requests[0].path == "/"
    row = EdgePurge.objects.get()
    assert row.status == EdgePurge.Status.DELIVERED and row.attempts == 1 and row.done_at


@EDGE
def test_unpublication_and_archive_are_purged_at_once(
    live_article, make_article, writer, reviewer, editor, proxy, signoff_holds
):
    """Taking a page down, by unpublishing or archiving it, purges it (and the lists and
    404s) before the call returns."""
    api = client_for(editor)
    response = api.act(live_article, "unpublish", {"reason": "Out of date."})
    assert response.status_code == 200, response.content
    assert purges(proxy) == [article_keys(live_article)]
    other = make_article(writer, title="Liver metastases")
    workflow.submit(article=other, user=writer)
    workflow.approve(article=other, user=reviewer)
    workflow.publish(article=other, user=editor)
    proxy.requests.clear()
    response = api.act(other, "archive", {"reason": "Merged into another page."})
    assert response.status_code == 200, response.content
    assert purges(proxy) == [article_keys(other)]
    assert not EdgePurge.objects.exclude(status=EdgePurge.Status.DELIVERED).exists()


@EDGE
def test_a_dead_proxy_costs_the_publication_nothing_and_is_purged_later(
    live_article, writer, reviewer2, editor, settings, signoff_holds
):
    """With the proxy down, publishing still succeeds at once; the purge waits in the outbox
    and ``purge_edge`` delivers it once the proxy is back."""
    port = free_port()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    approve_new_version(live_article, writer, reviewer2, summary="Published while down.")
    started = time.monotonic()
    response = client_for(editor).act(live_article, "publish", {"change_note": "Down."})
    assert response.status_code == 200, response.content
    assert time.monotonic() - started < settings.EDGE_PURGE_TIMEOUT + 1
    row = EdgePurge.objects.get()
    assert row.status == EdgePurge.Status.PENDING and row.attempts == 1
    assert "Connection" in row.last_error and row.next_attempt_at > timezone.now()

    out = io.StringIO()
    call_command("purge_edge", stdout=out)  # not due yet: nothing sent
    assert out.getvalue().startswith("0 purges sent")
    EdgePurge.objects.update(next_attempt_at=timezone.now())
    back = Receiver(port=port).start()
    try:
        call_command("purge_edge", stdout=out)
    finally:
        back.stop()
    assert "1 purges sent: 1 delivered" in out.getvalue()
    assert purges(back) == [article_keys(live_article)]
    row.refresh_from_db()
    assert row.status == EdgePurge.Status.DELIVERED and row.attempts == 2


@EDGE
def test_a_proxy_that_hangs_costs_the_publication_the_timeout_once(
    live_article, writer, reviewer2, editor, proxy, settings, signoff_holds
):
    """A proxy that does not answer holds the publishing request for the purge timeout at
    most; the purge is retried later, never again in the request."""
    settings.EDGE_PURGE_TIMEOUT = 0.5
    proxy.script(Reply(delay=3))
    approve_new_version(live_article, writer, reviewer2, summary="Published while slow.")
    started = time.monotonic()
    response = client_for(editor).act(live_article, "publish", {"change_note": "Slow."})
    assert response.status_code == 200
    assert time.monotonic() - started < 2.5
    row = EdgePurge.objects.get()
    assert row.status == EdgePurge.Status.PENDING and "timed out" in row.last_error


@EDGE
def test_a_refused_purge_is_retried_with_backoff_by_the_webhook_worker_too(
    live_article, editor, proxy, signoff_holds
):
    """A proxy answering 405 (the app is not in its purge list) leaves the purge pending with
    the reason; each pass of ``deliver_webhooks`` retries pending purges too."""
    proxy.script(405)
    workflow.unpublish(article=live_article, user=editor, reason="Wrong.")
    row = EdgePurge.objects.get()
    assert row.status == EdgePurge.Status.PENDING and row.last_error == "HTTP 405"
    delay = row.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=3) < delay <= edge.RETRY_BASE * 1.1
    EdgePurge.objects.update(next_attempt_at=timezone.now())
    call_command("deliver_webhooks", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.status == EdgePurge.Status.DELIVERED and row.attempts == 2


@pytest.mark.django_db
def test_every_configured_proxy_gets_its_own_purge(live_article, editor, settings, signoff_holds):
    """One row per proxy, written in the transaction of the change."""
    settings.EDGE_PURGE_URLS = ["http://10.0.0.1:6081/", "http://10.0.0.2:6081/"]
    workflow.unpublish(article=live_article, user=editor, reason="Wrong.")
    rows = EdgePurge.objects.order_by("url")
    assert [(r.url, r.keys) for r in rows] == [
        ("http://10.0.0.1:6081/", article_keys(live_article)),
        ("http://10.0.0.2:6081/", article_keys(live_article)),
    ]


@pytest.mark.django_db
def test_no_proxy_configured_writes_nothing(live_article, editor, signoff_holds):
    """Without DJANGO_EDGE_PURGE_URLS, changes leave no purge behind."""
    workflow.unpublish(article=live_article, user=editor, reason="Wrong.")
    Topic.objects.create(name="Liver", slug="liver")
    assert not EdgePurge.objects.exists()


@EDGE
def test_changes_outside_the_publication_purge_what_they_alter(
    live_article, reviewer, editor, proxy
):
    """A trial purges its pages, the pages citing it and the lists; a topic or a reviewer
    profile (shown on many pages) purges everything; a confirmation that a live page is still
    accurate (its review dates) purges the article's keys."""
    trial = ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")
    Topic.objects.create(name="Liver", slug="liver")
    profile = reviewer.reviewer_profile
    profile.display_name = "Dr Someone Else"
    profile.save()
    workflow.confirm_current(article=live_article, user=reviewer, comment="Still right.")
    assert purges(proxy) == [f"list trial-{trial.pk}", "all", "all", article_keys(live_article)]


@EDGE
def test_the_changes_of_one_transaction_are_purged_together(live_article, editor, proxy):
    """Several changes committed together (an import, a sync) send one purge per proxy, of
    every key they made stale; ``all`` covers the rest."""
    from django.db import transaction

    with transaction.atomic():
        trial = ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY")
        workflow.unpublish(article=live_article, user=editor, reason="Wrong.")
    assert purges(proxy) == [f"{article_keys(live_article)} trial-{trial.pk}"]
    with transaction.atomic():
        Topic.objects.create(name="Liver", slug="liver")
        ClinicalTrial.objects.create(nct_id="NCT03529111", brief_title="Another")
    assert purges(proxy)[1:] == ["all"]
    assert EdgePurge.objects.count() == 2


@EDGE
def test_a_dead_proxy_costs_a_process_one_timeout_not_one_per_change(
    live_article, make_article, writer, reviewer, editor, proxy, settings
):
    """Once a proxy did not answer in time, the next changes of the process leave their purge
    to the background at once."""
    settings.EDGE_PURGE_TIMEOUT = 0.5
    proxy.script(Reply(delay=3), Reply(delay=3))
    other = make_article(writer, title="Liver metastases")
    workflow.submit(article=other, user=writer)
    workflow.approve(article=other, user=reviewer)
    started = time.monotonic()
    workflow.publish(article=other, user=editor)
    first = time.monotonic() - started
    started = time.monotonic()
    workflow.unpublish(article=live_article, user=editor, reason="Wrong.")
    second = time.monotonic() - started
    assert 0.5 <= first < 2 and second < 0.4, (first, second)
    assert EdgePurge.objects.filter(status=EdgePurge.Status.PENDING).count() == 2
    assert EdgePurge.objects.filter(attempts=0).count() == 1  # left to purge_edge


@pytest.mark.django_db
def test_a_scheduled_go_live_is_purged_when_the_app_notices_it(
    client, live_article, make_article, writer, reviewer, editor, settings, monkeypatch
):
    """When the generation of public content ends at a scheduled go-live, the first request
    after it purges the keys of the article that went live."""
    now = timezone.now()
    scheduled = make_article(writer, title="Coming soon")
    workflow.submit(article=scheduled, user=writer)
    workflow.approve(article=scheduled, user=reviewer)
    workflow.publish(article=scheduled, user=editor, publish_at=now + datetime.timedelta(minutes=5))
    assert client.get("/").status_code == 200  # the generation, valid until the go-live
    settings.EDGE_PURGE_URLS = ["http://10.0.0.1:6081/"]
    later = now + datetime.timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Coming soon" in client.get("/").text
    assert list(EdgePurge.objects.values_list("keys", flat=True)) == [article_keys(scheduled)]


@pytest.mark.django_db
def test_failing_purges_are_listed_and_warned_about_in_the_admin(client, editor, settings):
    """Purges undelivered after three attempts or five minutes are listed (read only) and the
    admin index warns about them; fresh and delivered ones are not."""
    old = timezone.now() - datetime.timedelta(minutes=10)
    stuck = EdgePurge.objects.create(
        url="http://10.0.0.1:6081/", keys="article-1 list missing", last_error="HTTP 403"
    )
    EdgePurge.objects.filter(pk=stuck.pk).update(created_at=old)
    retried = EdgePurge.objects.create(
        url="http://10.0.0.2:6081/", keys="all", attempts=3, last_error="ConnectionRefusedError"
    )
    EdgePurge.objects.create(url="http://10.0.0.1:6081/", keys="trial-9 list")  # just made
    EdgePurge.objects.create(
        url="http://10.0.0.1:6081/", keys="topic-1", status="delivered", attempts=1
    )
    EdgePurge.objects.filter(keys="topic-1").update(created_at=old)
    client.login(username=editor.username, password=PASSWORD)
    index = client.get("/admin/")
    assert "2 purges of the caching proxy keep failing" in index.text
    listing = client.get("/admin/articles/edgepurge/")
    assert listing.status_code == 200
    assert "HTTP 403" in listing.text and "ConnectionRefusedError" in listing.text
    assert "trial-9" not in listing.text and "topic-1" not in listing.text
    assert client.get(f"/admin/articles/edgepurge/{retried.pk}/change/").status_code == 200
    assert client.post("/admin/articles/edgepurge/add/", {}).status_code == 403
    EdgePurge.objects.all().delete()
    assert "keep failing" not in client.get("/admin/").text
    assert Client().get("/admin/articles/edgepurge/").status_code == 302  # sign in first


@EDGE
def test_a_trial_sync_purges_the_trials_it_changed_only(proxy):
    """Syncing from ClinicalTrials.gov purges a trial that changed, and nothing for one that
    did not."""
    from articles.ctgov.sync import sync_study
    from tests.articles.ctgov_studies import FULL, study, with_status

    assert sync_study(study(FULL)).outcome == "created"
    trial = ClinicalTrial.objects.get(nct_id=FULL)
    assert purges(proxy) == [f"list trial-{trial.pk}"]
    assert sync_study(study(FULL)).outcome == "unchanged"
    assert len(purges(proxy)) == 1
    assert sync_study(with_status(FULL, "COMPLETED")).outcome == "updated"
    assert purges(proxy) == [f"list trial-{trial.pk}"] * 2
