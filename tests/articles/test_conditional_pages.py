"""Public pages and the feed answer conditional requests with 304, as the API does, although
every page carries its own CSP nonce; the feed keeps one entry per article across versions."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from articles import caching
from articles.models import ClinicalTrial, PublishedArticle, Topic
from reviews.models import ReviewerProfile
from tests.workflow_steps import publish_new_version

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def pages(live_article, topic):
    ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")
    return {
        "home": "/",
        "article": f"/articles/{live_article.slug}/",
        "topic": f"/topics/{topic.slug}/",
        "trial list": "/trials/",
        "trial": "/trials/NCT03529110/",
        "search": "/search/?q=bone",
        "editorial policy": "/about/editorial-policy/",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
    }


def test_every_page_answers_if_none_match_and_if_modified_since(pages):
    """Each page has the same ETag for every response (rendered or from the cache), and
    answers 304 to it and to its Last-Modified, with no body and no new CSP header."""
    reader = Client()
    for name, url in pages.items():
        first, second = reader.get(url), reader.get(url)  # rendered, then from the cache
        assert first.status_code == second.status_code == 200, name
        assert first["ETag"] == second["ETag"] and first["ETag"].startswith('"'), name
        assert first["Last-Modified"] == second["Last-Modified"], name
        if name != "feed" and name != "sitemap":
            assert first["Content-Security-Policy"] != second["Content-Security-Policy"], name
        unchanged = reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert unchanged.status_code == 304 and unchanged.content == b"", name
        assert unchanged["ETag"] == first["ETag"], name
        assert "Content-Security-Policy" not in unchanged, name
        since = reader.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, name
        earlier = http_date(parse_http_date(first["Last-Modified"]) - 1)
        assert reader.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200, name
        assert reader.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200, name


def test_a_new_version_changes_the_validators(
    client, pages, live_article, writer, reviewer2, editor
):
    """After a publication the old ETag and date no longer match: the new page is sent."""
    # HTTP dates are to the second: everything before happened a minute earlier.
    earlier = timezone.now() - datetime.timedelta(minutes=1)
    PublishedArticle.objects.update(go_live_at=earlier, first_published_at=earlier)
    for model in (Topic, ClinicalTrial, ReviewerProfile):
        model.objects.update(updated_at=earlier)
    caching.forget_state()
    seen = {name: client.get(url) for name, url in pages.items()}
    publish_new_version(live_article, writer, reviewer2, editor, title="A clearer title")
    for name in ("home", "article", "topic", "feed"):
        response = client.get(
            pages[name],
            HTTP_IF_NONE_MATCH=seen[name]["ETag"],
        )
        assert response.status_code == 200, name
        assert response["ETag"] != seen[name]["ETag"], name
        since = client.get(pages[name], HTTP_IF_MODIFIED_SINCE=seen[name]["Last-Modified"])
        assert since.status_code == 200, name


def test_a_page_with_a_form_has_one_etag_for_every_reader(live_article):
    """The article page carries nothing of its reader (no CSRF token, no cookie): every
    reader, and the caching proxy in front, gets the same ETag and a 304 with it."""
    url = f"/articles/{live_article.slug}/"
    reader = Client(enforce_csrf_checks=True)
    first = reader.get(url)
    assert not first.cookies
    assert reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    stranger = Client(enforce_csrf_checks=True)
    again = stranger.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    posted = stranger.post(f"{url}feedback/", {"helpful": "yes"}, HTTP_ORIGIN="http://testserver")
    assert posted.status_code == 302


def feed_entries(client) -> list[dict]:
    root = ET.fromstring(client.get("/feed/").content)
    return [
        {
            "id": entry.find(f"{ATOM}id").text,
            "title": entry.find(f"{ATOM}title").text,
            "updated": entry.find(f"{ATOM}updated").text,
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_feed_keeps_one_entry_per_article_and_moves_its_updated_time(
    client, live_article, writer, reviewer2, editor, settings
):
    """A new version keeps its entry's id (a tag: URI of the article), its title and
    ``updated`` change; times are to the second."""
    settings.SITE_URL = "https://mbc.example"
    [before] = feed_entries(client)
    assert before["id"] == f"tag:mbc.example,2026-01-01:article:{live_article.pk}"
    publish_new_version(live_article, writer, reviewer2, editor, title="A clearer title")
    [after] = feed_entries(client)
    assert after["id"] == before["id"] and after["title"] == "A clearer title"
    assert after["updated"] >= before["updated"]
    for value in (before["updated"], after["updated"]):
        assert datetime.datetime.fromisoformat(value).microsecond == 0
        assert "." not in value
    root = ET.fromstring(client.get("/feed/").content)
    assert "." not in root.find(f"{ATOM}updated").text
