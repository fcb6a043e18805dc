"""``articles.page_parts``: the parts of an article's page that only its snapshot decides,
rendered when the snapshot is written, shown byte for byte, and checked by verify_signoff."""

import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import caching, page_parts, structured_data
from articles.models import Image, PublishedArticle
from reviews import workflow

pytestmark = pytest.mark.django_db


def _snapshot(article) -> PublishedArticle:
    return PublishedArticle.objects.get(article=article)


def _page(client, url: str) -> str:
    """The page at ``url``, its per-request CSP nonce left out."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', client.get(url).text)


def _verify_problems() -> list[str]:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_signoff", stdout=out)
    return out.getvalue().splitlines()


def test_parts_are_rendered_at_publication(live_article, client):
    """Publishing stores the parts as the page shows them, in the current format."""
    snapshot = _snapshot(live_article)
    assert snapshot.page_parts["format"] == page_parts.rendering_format(snapshot)
    assert page_parts.is_current(snapshot)
    assert snapshot.page_parts == page_parts.render_parts(snapshot)
    page = client.get(snapshot.get_absolute_url()).text
    for name in page_parts.PARTS:
        assert snapshot.page_parts[name] in page, name
    assert snapshot.reviewed_by["name"] in snapshot.page_parts["trust_box"]


def test_confirming_the_page_renders_its_parts_again(live_article, reviewer2, client):
    """A confirmation signs the byline and review dates again: the stored trust box shows the
    new reviewer, as the page does."""
    before = _snapshot(live_article).page_parts
    workflow.confirm_current(article=live_article, user=reviewer2, comment="Still right.")
    snapshot = _snapshot(live_article)
    assert snapshot.page_parts == page_parts.render_parts(snapshot)
    assert snapshot.page_parts["trust_box"] != before["trust_box"]
    assert snapshot.reviewed_by["name"] in snapshot.page_parts["trust_box"]
    assert snapshot.page_parts["trust_box"] in client.get(snapshot.get_absolute_url()).text


def test_verify_signoff_catches_tampered_parts(live_article):
    """Stored parts changed in the database after publication are reported."""
    snapshot = _snapshot(live_article)
    tampered = {**snapshot.page_parts}
    tampered["trust_box"] = tampered["trust_box"].replace(snapshot.reviewed_by["name"], "Dr Nobody")
    PublishedArticle.objects.filter(pk=snapshot.pk).update(page_parts=tampered)
    problems = _verify_problems()
    assert len(problems) == 1
    assert problems[0].startswith(f"article {live_article.pk} (")
    assert "stored heading, head times, trust box, table of contents or references" in problems[0]


@pytest.mark.parametrize("part", ["heading", "head_times"])
def test_verify_signoff_catches_a_tampered_heading_or_head(live_article, client, part):
    """The stored heading (audience, title, summary) and the head's times are what the
    page shows, and are checked like the other parts."""
    snapshot = _snapshot(live_article)
    stored = snapshot.page_parts[part]
    assert stored in client.get(snapshot.get_absolute_url()).text
    changed = {"heading": snapshot.title, "head_times": str(snapshot.go_live_at.year)}[part]
    assert changed in stored
    tampered = {**snapshot.page_parts, part: stored.replace(changed, "Altered")}
    PublishedArticle.objects.filter(pk=snapshot.pk).update(page_parts=tampered)
    problems = _verify_problems()
    assert len(problems) == 1
    assert problems[0].startswith(f"article {live_article.pk} (")
    assert "stored heading, head times" in problems[0]


def test_parts_of_another_format_are_rendered_at_read_time(live_article, client):
    """Parts from older templates (or none) are not shown: the page renders them, with the
    same bytes, verify_signoff does not report them, and render_page_parts replaces them."""
    snapshot = _snapshot(live_article)
    url = snapshot.get_absolute_url()
    expected = _page(client, url)
    for stale in ({}, {**snapshot.page_parts, "format": 0, "trust_box": "<p>Old</p>"}):
        PublishedArticle.objects.filter(pk=snapshot.pk).update(page_parts=stale)
        cache.clear()
        caching.forget_state()
        assert _page(client, url) == expected
        call_command("verify_signoff", stdout=io.StringIO())
    call_command("render_page_parts", stdout=io.StringIO())
    assert _snapshot(live_article).page_parts == page_parts.render_parts(snapshot)


def test_a_write_that_does_not_render_the_parts_again_is_shown(live_article, client):
    """Parts rendered from other values of the snapshot's fields are not shown: a review
    date written without rendering them again still appears on the page."""
    snapshot = _snapshot(live_article)
    due = datetime.date(2031, 7, 15)
    PublishedArticle.objects.filter(pk=snapshot.pk).update(next_review_due=due)
    page = client.get(snapshot.get_absolute_url()).text
    assert '<time datetime="2031-07-15">July 2031</time>' in page
    assert not page_parts.is_current(_snapshot(live_article))
    call_command("verify_signoff", stdout=io.StringIO())


def test_content_changed_in_the_database_keeps_the_approved_parts(live_article, client):
    """The parts stand for the content by its sign-off digest: references rewritten in the
    database (no longer the approved content) leave the stored, approved parts on the page,
    and verify_signoff reports the snapshot."""
    snapshot = _snapshot(live_article)
    forged = [{**snapshot.references[0], "title": "A forged reference"}]
    PublishedArticle.objects.filter(pk=snapshot.pk).update(references=forged)
    assert page_parts.is_current(_snapshot(live_article))
    page = client.get(snapshot.get_absolute_url()).text
    assert snapshot.page_parts["references"] in page
    assert "A forged reference" not in page
    assert any("not the content published" in problem for problem in _verify_problems())


def test_parts_rendered_in_another_time_zone_are_not_shown(live_article, settings):
    """Parts depend on the settings they were rendered with (dates in the site's time zone):
    under another time zone they are rendered at read time."""
    snapshot = _snapshot(live_article)
    assert page_parts.is_current(snapshot)
    settings.TIME_ZONE = "Pacific/Kiritimati"
    assert not page_parts.is_current(snapshot)
    rendered = page_parts.render_parts(snapshot)
    assert page_parts.page_parts(snapshot) == {
        name: rendered[name] for name in (*page_parts.PARTS, page_parts.JSON_LD)
    }


def test_article_miss_query_budget(live_article, client, settings, django_assert_max_num_queries):
    """A page missing from the cache (its generation known) reads the snapshot, its topics,
    trials, language versions and change log: five queries (a counterpart, a translation's
    source and images add one each)."""
    url = _snapshot(live_article).get_absolute_url()
    # Nothing kept, so the second request is a miss too; emptying the cache instead would
    # also drop the generation when it lives in the shared cache (Redis).
    settings.PUBLIC_CACHE_SECONDS = 0
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.fixture
def with_lead_image(make_article, make_image, writer, reviewer, editor):
    """A live article whose page has a lead image."""
    article = make_article(writer, title="Scans and what they show", lead_image=make_image())
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor)
    return article


def test_the_lead_figure_is_stored_at_publication_and_shown(with_lead_image, client):
    """The lead image's figure is stored with the other parts and is what the page shows."""
    snapshot = _snapshot(with_lead_image)
    figure = snapshot.page_parts[page_parts.LEAD_FIGURE]
    assert figure == page_parts.lead_figure(snapshot.lead_image)
    assert f'data-image="{snapshot.lead_image["id"]}"' in figure
    assert f'<div class="article-lead-image">{figure}</div>' in _page(
        client, snapshot.get_absolute_url()
    )


def test_verify_signoff_catches_a_tampered_lead_figure(with_lead_image):
    """A stored lead figure changed after publication (another address, say) is reported."""
    snapshot = _snapshot(with_lead_image)
    tampered = {**snapshot.page_parts}
    tampered[page_parts.LEAD_FIGURE] = tampered[page_parts.LEAD_FIGURE].replace(
        'src="/media/', 'src="https://elsewhere.example/media/'
    )
    assert tampered != snapshot.page_parts
    PublishedArticle.objects.filter(pk=snapshot.pk).update(page_parts=tampered)
    problems = _verify_problems()
    assert len(problems) == 1
    assert "lead image's figure" in problems[0]


def test_a_withdrawn_lead_image_is_not_shown_from_the_stored_figure(with_lead_image, client):
    """Rights that ended take the lead image off the page although its figure is stored."""
    snapshot = _snapshot(with_lead_image)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Image.objects.filter(pk=snapshot.lead_image["id"]).update(rights_expire_on=yesterday)
    cache.clear()
    caching.forget_state()
    page = _page(client, snapshot.get_absolute_url())
    assert page_parts.is_current(_snapshot(with_lead_image))
    assert "article-lead-image" not in page
    assert snapshot.page_parts[page_parts.LEAD_FIGURE] not in page


def test_a_lead_figure_for_another_media_address_is_not_shown(with_lead_image, client, settings):
    """The figure's addresses come from the media settings: stored under others, it is
    rendered at read time with today's addresses."""
    snapshot = _snapshot(with_lead_image)
    settings.MEDIA_URL = "https://media.example/files/"
    assert not page_parts.is_current(snapshot)
    assert page_parts.page_parts(snapshot)[page_parts.LEAD_FIGURE] == page_parts.lead_figure(
        snapshot.lead_image
    )
    assert "https://media.example/files/images/" in page_parts.lead_figure(snapshot.lead_image)


def _json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json" nonce="[^"]*">(.*?)</script>', page)
    return json.loads(match.group(1))


def test_the_stored_structured_data_is_the_pages(with_lead_image, client, settings):
    """The JSON-LD is stored with slots for the page's address (on the requested host) and
    its images; the page fills them in and shows the text a whole build writes."""
    snapshot = _snapshot(with_lead_image)
    stored = snapshot.page_parts[page_parts.JSON_LD]
    assert stored.count("\\u0000") == 4  # two slots
    url = snapshot.get_absolute_url()
    settings.ALLOWED_HOSTS = ["testserver", "mbc.example.org"]
    for host in ("testserver", "mbc.example.org"):
        page = client.get(url, HTTP_HOST=host).text
        data = _json_ld(page)
        assert data["url"] == f"http://{host}{url}"
        assert data["image"][0]["contentUrl"].startswith(f"http://{host}/media/images/")
        assert data["citation"] and data["reviewedBy"]["name"] == snapshot.reviewed_by["name"]
        built = structured_data.medical_web_page(
            snapshot,
            data["url"],
            snapshot.first_published_at,
            [snapshot.lead_image],
            lambda path, host=host: f"http://{host}{path}",
        )
        assert page.count(structured_data.to_json_ld(built)) == 1
        cache.clear()
        caching.forget_state()


def test_withdrawn_images_leave_the_stored_structured_data(with_lead_image, client):
    """An image whose rights ended leaves the JSON-LD although it is stored with a slot for
    images: the page's structured data has no ``image`` then, and is still valid JSON."""
    snapshot = _snapshot(with_lead_image)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Image.objects.filter(pk=snapshot.lead_image["id"]).update(rights_expire_on=yesterday)
    cache.clear()
    caching.forget_state()
    data = _json_ld(client.get(snapshot.get_absolute_url()).text)
    assert "image" not in data
    assert data["headline"] == snapshot.title


def test_verify_signoff_catches_tampered_structured_data(live_article):
    """Stored JSON-LD changed after publication (another reviewer named to search engines)
    is reported like the other parts."""
    snapshot = _snapshot(live_article)
    tampered = {**snapshot.page_parts}
    tampered[page_parts.JSON_LD] = tampered[page_parts.JSON_LD].replace(
        snapshot.reviewed_by["name"], "Dr Nobody"
    )
    assert tampered != snapshot.page_parts
    PublishedArticle.objects.filter(pk=snapshot.pk).update(page_parts=tampered)
    problems = _verify_problems()
    assert len(problems) == 1
    assert "structured data" in problems[0]


def test_a_slot_marker_in_the_text_is_not_stored(make_article, writer, reviewer, editor, client):
    """Should an article's own text hold a slot's marker, nothing is stored for its JSON-LD
    and the page builds it whole: the marker stays the writer's text."""
    article = make_article(writer, title="Scans")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor)
    snapshot = _snapshot(article)
    snapshot.title = "\x00url\x00"
    assert structured_data.stored_web_page(snapshot) == ""
    assert (
        json.loads(structured_data.web_page_json_ld(snapshot, "", "http://testserver/a/", []))[
            "name"
        ]
        == "\x00url\x00"
    )
