"""Where a live page stands in its review cycle: the API's review_status and the page's notice,
moving on with the date even when the page was cached the day before."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from articles.models import PublishedArticle
from articles.public import review_status

pytestmark = pytest.mark.django_db

NOTICE = "This page is due for its clinical review."


def local_time(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def travel(monkeypatch):
    """Set the clock that pages, the API and the cache generation read to a local time."""

    def to(day: datetime.date, hour: int = 12, minute: int = 0) -> None:
        at = local_time(day, hour, minute)
        monkeypatch.setattr(timezone, "now", lambda: at)

    return to


@pytest.fixture
def due(live_article) -> datetime.date:
    """The live snapshot's next review date (a year after its approval)."""
    return live_article.snapshots.get().next_review_due


def api_statuses(client, slug: str) -> tuple[str, str]:
    """The article's review_status in the API list and in its detail."""
    (listed,) = client.get("/api/v1/articles/").json()["results"]
    return listed["review_status"], client.get(f"/api/v1/articles/{slug}/").json()["review_status"]


@pytest.mark.parametrize(
    ("days_before_due", "expected"),
    [(31, "current"), (30, "due_soon"), (0, "due_soon"), (-1, "overdue")],
    ids=["due in 31 days", "due in 30 days", "due today", "due yesterday"],
)
def test_review_status_at_the_boundaries(
    client, live_article, due, travel, days_before_due, expected
):
    """review_status is current until 31 days before the due date, due_soon from 30 days
    before it to the day itself, overdue from the next day: in the list and the detail."""
    travel(due - datetime.timedelta(days=days_before_due))
    assert api_statuses(client, live_article.slug) == (expected, expected)


def test_review_status_moves_on_with_the_date_in_cached_answers(client, live_article, due, travel):
    """API answers cached on one day are not served the next: the status follows the date
    (late in the evening, then just after midnight)."""
    for day, expected in [
        (due - datetime.timedelta(days=31), "current"),
        (due - datetime.timedelta(days=30), "due_soon"),
        (due, "due_soon"),
        (due + datetime.timedelta(days=1), "overdue"),
    ]:
        travel(day - datetime.timedelta(days=1), 23, 59)
        api_statuses(client, live_article.slug)  # cached on the evening before
        travel(day, 0, 1)
        assert api_statuses(client, live_article.slug) == (expected, expected), day


def test_a_snapshot_without_a_review_date_is_current(client, live_article):
    """Old data with no next review date reads as current."""
    PublishedArticle.objects.filter(article=live_article).update(next_review_due=None)
    assert api_statuses(client, live_article.slug) == ("current", "current")
    assert review_status(None) == "current"


def test_schema_documents_review_status_as_an_enum(client):
    """The OpenAPI schema lists the three values of review_status."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    for serializer in ("ArticleList", "ArticleDetail"):
        field = components[serializer]["properties"]["review_status"]
        assert field["allOf"] == [{"$ref": "#/components/schemas/ReviewStatusEnum"}]
        assert field["readOnly"] and "due_soon" in field["description"]
    assert components["ReviewStatusEnum"]["enum"] == ["current", "due_soon", "overdue"]


def test_overdue_notice_appears_on_a_cached_page_the_day_after_its_due_date(
    client, live_article, due, travel
):
    """The page cached on its due date has no notice; just after midnight it has the notice,
    with the date it was last reviewed written as in the byline."""
    url = f"/articles/{live_article.slug}/"
    travel(due, 23, 59)
    assert NOTICE not in client.get(url).text
    travel(due + datetime.timedelta(days=1), 0, 1)
    page = client.get(url).text
    last_reviewed = live_article.snapshots.get().last_reviewed
    assert (
        f'<p class="review-due-notice" role="note"><strong>{NOTICE}</strong> It was last '
        f'reviewed on <time datetime="{last_reviewed:%Y-%m-%d}">'
        f"{last_reviewed.day} {last_reviewed:%B %Y}</time>.</p>"
    ) in page


@pytest.mark.parametrize("days_before_due", [100, 30, 0])
def test_no_notice_on_a_page_not_yet_overdue(client, live_article, due, travel, days_before_due):
    """A current page, or one due soon or due today, carries no overdue notice."""
    travel(due - datetime.timedelta(days=days_before_due))
    response = client.get(f"/articles/{live_article.slug}/")
    assert response.status_code == 200
    assert NOTICE not in response.text


def test_last_modified_moves_to_the_midnight_a_page_turned_overdue(
    client, live_article, due, travel
):
    """A client revalidating with If-Modified-Since alone is not told "not modified" after a
    page turned overdue: Last-Modified is that midnight."""
    url = f"/api/v1/articles/{live_article.slug}/"
    travel(due, 23, 59)
    before = client.get(url)
    assert before["Last-Modified"] == http_date(
        local_time(due - datetime.timedelta(days=30), 0).timestamp()
    )
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]).status_code == 304
    travel(due + datetime.timedelta(days=1), 0, 1)
    after = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert after.json()["review_status"] == "overdue"
    assert after["Last-Modified"] == http_date(
        local_time(due + datetime.timedelta(days=1), 0).timestamp()
    )
