"""DJANGO_OVERDUE_UNPUBLISH_DAYS: pages left too long past their clinical review date are
unpublished at the first read, once, with an audit entry, a partners' event and e-mails."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import WebhookDelivery, WebhookEndpoint
from reviews import workflow
from reviews.models import AuditEntry
from reviews.workflow import overdue
from tests.test_health_and_settings import run_python
from tests.workflow_steps import approve_new_version

pytestmark = pytest.mark.django_db

LIMIT = 10  # days


@pytest.fixture
def limit(settings):
    settings.OVERDUE_UNPUBLISH_DAYS = LIMIT


@pytest.fixture
def partner(editor):
    """A partner subscribed to every event (nothing is delivered in these tests)."""
    return WebhookEndpoint.objects.create(
        name="Partner", url="https://partner.example.org/hooks", created_by=editor
    )


@pytest.fixture
def due(live_article) -> datetime.date:
    return live_article.snapshots.get().next_review_due


@pytest.fixture
def travel(freeze_time):
    """Set the clock to noon (local time) ``days`` after the due date."""

    def to(day: datetime.date) -> None:
        freeze_time(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))))

    return to


def days_after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def reader_sees(client, article) -> dict[str, bool]:
    """Whether the page, the API detail and the API list show the article."""
    listed = client.get("/api/v1/articles/").json()["results"]
    return {
        "page": client.get(f"/articles/{article.slug}/").status_code == 200,
        "api": client.get(f"/api/v1/articles/{article.slug}/").status_code == 200,
        "list": any(item["id"] == article.pk for item in listed),
    }


SEEN = {"page": True, "api": True, "list": True}
GONE = {"page": False, "api": False, "list": False}


def unpublications(article):
    return AuditEntry.objects.filter(article=article, action="unpublish")


def unpublished_deliveries(article):
    return WebhookDelivery.objects.filter(
        event__article=article, event__event_type="article.unpublished"
    )


def test_a_read_past_the_limit_unpublishes_once(
    client,
    live_article,
    due,
    limit,
    partner,
    travel,
    signoff_holds,
    mailoutbox,
    django_capture_on_commit_callbacks,
    editor,
    writer,
    reviewer,
):
    """The day before the limit the page is still served; on the day it is LIMIT days overdue,
    the first read takes it off the page and the API and records it once (audit, partners'
    event, e-mails); more reads change nothing."""
    travel(days_after(due, LIMIT - 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reader_sees(client, live_article) == SEEN
    assert not unpublications(live_article).exists()

    travel(days_after(due, LIMIT))
    with django_capture_on_commit_callbacks(execute=True):
        assert reader_sees(client, live_article) == GONE
        assert reader_sees(client, live_article) == GONE

    (entry,) = unpublications(live_article)
    assert entry.user is None
    assert entry.comment == (
        f"Unpublished automatically: {LIMIT} days past its clinical review date "
        f"(due {due:%Y-%m-%d})."
    )
    assert unpublished_deliveries(live_article).count() == 1
    assert workflow.live_snapshot(live_article) is None
    assert {address for message in mailoutbox for address in message.to} == {
        editor.email,
        writer.email,
        reviewer.email,
    }
    body = mailoutbox[0].body
    assert f"{LIMIT} days overdue" in body and "publish it again" in body

    mailoutbox.clear()
    travel(days_after(due, LIMIT + 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert reader_sees(client, live_article) == GONE
    assert unpublications(live_article).count() == 1
    assert unpublished_deliveries(live_article).count() == 1
    assert mailoutbox == []


def test_nothing_happens_when_the_setting_is_unset(
    client, live_article, due, partner, travel, mailoutbox, django_capture_on_commit_callbacks
):
    """Unset (the default), a page a year overdue is still served, with its notice."""
    travel(days_after(due, 365))
    with django_capture_on_commit_callbacks(execute=True):
        assert reader_sees(client, live_article) == SEEN
    assert (
        "This page is due for its clinical review."
        in client.get(f"/articles/{live_article.slug}/").text
    )
    assert not unpublications(live_article).exists()
    assert not WebhookDelivery.objects.filter(event__event_type="article.unpublished").exists()
    assert mailoutbox == []
    assert workflow.unpublish_overdue() == []


def test_a_failing_sweep_is_logged_and_readers_still_see_nothing_overdue(
    client, live_article, due, limit, travel, monkeypatch, caplog
):
    """When recording the unpublication fails, readers get a 404 (not a 500) for the page
    and the API leaves it out: nothing past the limit is shown, even before it is recorded."""

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(overdue, "take_down", broken)
    travel(days_after(due, LIMIT + 1))
    with caplog.at_level(logging.ERROR, logger="articles.caching"):
        assert reader_sees(client, live_article) == GONE
    assert "the database went away" in caplog.text
    assert not unpublications(live_article).exists()
    assert workflow.live_snapshot(live_article) is not None  # readers are not shown it anyway


def test_other_pages_and_lists_leave_it_out_too(client, live_article, due, limit, topic, travel):
    """Home, topic, search, sitemap and feed no longer list the page."""
    travel(days_after(due, LIMIT + 1))
    for path in ("/", f"/topics/{topic.slug}/", "/search/?q=bone", "/sitemap.xml", "/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f"/articles/{live_article.slug}/" not in response.content.decode(), path


def test_a_version_scheduled_after_its_review_survives(
    client, live_article, due, limit, partner, travel, writer, reviewer2, editor, signoff_holds
):
    """A re-reviewed version scheduled to go live later stays scheduled, and its partners'
    event stays queued: the page comes back when it goes live."""
    travel(days_after(due, LIMIT - 5))
    approve_new_version(live_article, writer, reviewer2, summary="Reviewed again.")
    go_live = timezone.now() + datetime.timedelta(days=10)
    workflow.publish(article=live_article, user=editor, publish_at=go_live, change_note="Review.")

    travel(days_after(due, LIMIT + 1))
    assert reader_sees(client, live_article) == GONE
    assert unpublications(live_article).count() == 1
    pending = WebhookDelivery.objects.filter(
        event__article=live_article, status=WebhookDelivery.Status.PENDING
    )
    assert sorted(pending.values_list("event__event_type", "event__deliver_after")) == [
        ("article.published", go_live),
        ("article.unpublished", timezone.now()),
    ]

    travel(days_after(due, LIMIT + 6))
    assert reader_sees(client, live_article) == SEEN
    assert "Reviewed again." in client.get(f"/articles/{live_article.slug}/").text


def test_review_due_command_sweeps_too(live_article, due, limit, travel, mailoutbox):
    """manage.py review_due unpublishes what is past the limit and says so."""
    travel(days_after(due, LIMIT + 1))
    out = io.StringIO()
    call_command("review_due", "--no-email", stdout=out)
    assert f"Unpublished {live_article.title} (id {live_article.pk})" in out.getvalue()
    assert unpublications(live_article).count() == 1
    assert workflow.unpublish_overdue() == []


@pytest.mark.parametrize(("days", "served_until"), [(0, 0), (1, 0), (3, 2)])
def test_a_page_goes_on_the_day_it_is_that_many_days_overdue(
    client, live_article, due, travel, settings, days, served_until
):
    """N = 0 and N = 1 both take a page down the day after its due date (its first day
    overdue); N = 3 on its third day overdue."""
    settings.OVERDUE_UNPUBLISH_DAYS = days
    travel(days_after(due, served_until))
    assert reader_sees(client, live_article) == SEEN
    travel(days_after(due, served_until + 1))
    assert reader_sees(client, live_article) == GONE


def test_cached_hits_run_no_sweep(
    client, live_article, due, limit, travel, django_assert_max_num_queries
):
    """With the setting on, a page served from the cache still costs no query."""
    travel(days_after(due, LIMIT - 1))
    url = f"/articles/{live_article.slug}/"
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200


def test_archived_articles_are_left_alone(live_article, due, limit, travel, editor):
    """An archived article is already off the site (archiving unpublished it): the sweep
    records no second unpublication."""
    workflow.archive(article=live_article, user=editor, reason="Replaced.")
    travel(days_after(due, LIMIT + 1))
    assert workflow.unpublish_overdue() == []
    assert [entry.user for entry in unpublications(live_article)] == [editor]


@pytest.mark.parametrize("value", ["abc", "-3", "1.5", "٣", "99999999"])
def test_invalid_settings_are_refused_at_startup(value):
    """A value that is not a whole number of days stops the process, naming the variable."""
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='mbc_cms.settings'; "
        "from django.conf import settings as s; print(s.OVERDUE_UNPUBLISH_DAYS)",
        DJANGO_DEBUG="1",
        DJANGO_OVERDUE_UNPUBLISH_DAYS=value,
    )
    assert result.returncode != 0
    assert "DJANGO_OVERDUE_UNPUBLISH_DAYS must be a whole number of days" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [(None, "None"), ("", "None"), (" 30 ", "30")])
def test_valid_settings(value, expected):
    """Unset or empty means never; a number of days is read as one."""
    env = {"DJANGO_DEBUG": "1"}
    if value is not None:
        env["DJANGO_OVERDUE_UNPUBLISH_DAYS"] = value
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='mbc_cms.settings'; "
        "from django.conf import settings as s; print(s.OVERDUE_UNPUBLISH_DAYS)",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("days", "taken_down"),
    [(None, None), (1, "1 day after that date"), (LIMIT, f"{LIMIT} days after that date")],
)
def test_editorial_policy_says_what_happens_to_overdue_pages(client, settings, days, taken_down):
    """The policy page tells readers about the notice, and about the limit only when set."""
    settings.OVERDUE_UNPUBLISH_DAYS = days
    page = client.get("/about/editorial-policy/").text
    assert "When a page passes its review date without being reviewed, it says so" in page
    if taken_down is None:
        assert "we take it down" not in page
    else:
        assert f"{taken_down}, we take it down until it has been." in page
