"""The live version while the next is reviewed, scheduled publication and unpublishing."""

import datetime

import pytest
from django.utils import timezone

from articles.models import PublishedArticle
from tests.reviews.workflow_scenarios import (
    DAY,
    HOUR,
    INVALID,
    STEP_APPROVE,
    STEP_SUBMIT,
    assert_refused,
    bring_to,
    comment_for,
    edit,
    live_version,
    perform,
    run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def test_live_version_stays_while_the_next_is_edited_and_reviewed(article, people):
    """Readers see version N until N+1 is approved and published, and the change log grows."""
    article = bring_to("approved_live", article, people)
    first = article.version
    edit(article, people["author"], title="Bone pain: what helps", body="Radiotherapy helps.")
    article = run([STEP_SUBMIT, STEP_APPROVE], article, people)
    live = PublishedArticle.objects.live().get(article=article)
    assert (live.version, live.title) == (first, "Bone metastases explained")
    assert "Bone pain is common" in live.body_html
    assert_refused("publish", article, people["editor"], INVALID, "change_note", change_note="")
    perform("publish", article, people["editor"], change_note="Explains pain relief.")
    live = PublishedArticle.objects.live().get(article=article)
    assert (live.version, live.title) == (first + 1, "Bone pain: what helps")
    assert "Radiotherapy helps." in live.body_html
    assert list(article.snapshots.order_by("go_live_at").values_list("version", "change_note")) == [
        (first, comment_for("publish")),
        (first + 1, "Explains pain relief."),
    ]


def test_scheduled_publication_is_not_live_before_its_time(article, people, freeze_time):
    """A publication scheduled an hour ahead is hidden until then and live from then, no cron."""
    article = bring_to("approved", article, people)
    go_live = timezone.now() + HOUR
    perform("publish", article, people["editor"], publish_at=go_live)
    assert live_version(article) is None
    assert live_version(article, at=go_live - datetime.timedelta(seconds=1)) is None
    assert live_version(article, at=go_live) == article.version
    freeze_time(go_live)
    assert live_version(article) == article.version


def test_scheduled_update_replaces_the_live_version_at_its_time(article, people, freeze_time):
    """While an update is scheduled the old version stays live; the new one takes over on time."""
    article = bring_to("approved_update", article, people)
    old, new = article.version - 1, article.version
    go_live = timezone.now() + HOUR
    perform("publish", article, people["editor"], publish_at=go_live)
    moments = [timezone.now(), go_live - datetime.timedelta(seconds=1), go_live, go_live + DAY]
    assert [live_version(article, at) for at in moments] == [old, old, new, new]
    freeze_time(go_live + datetime.timedelta(seconds=1))
    assert live_version(article) == new


def test_publishing_at_a_past_time_is_refused(article, people):
    """A publish_at in the past is refused, naming publish_at, and nothing goes live."""
    article = bring_to("approved", article, people)
    past = timezone.now() - HOUR
    assert_refused("publish", article, people["editor"], INVALID, "publish_at", publish_at=past)


def test_unpublish_removes_the_live_and_the_scheduled_version(article, people):
    """Unpublishing takes the current snapshot down and cancels the scheduled one, for good."""
    article = bring_to("approved_update", article, people)
    perform("publish", article, people["editor"], publish_at=timezone.now() + HOUR)
    perform("unpublish", article, people["editor"])
    now = timezone.now()
    later = [now, now + HOUR / 2, now + HOUR, now + DAY, now + 365 * DAY]
    assert [live_version(article, at) for at in later] == [None] * len(later)
