"""What validators read on the public pages: machine-readable times to the second, ids that
every reference points to, a canonical address and Open Graph tags, and sitemap dates."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from articles import caching
from articles.models import ClinicalTrial, PublishedArticle, Topic
from reviews import workflow
from reviews.models import ReviewerProfile
from tests import demo_data

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
# HTML's valid global date and time string, to the second: no fraction of a second at all.
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z))?$")
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for", "list")


class Markup(HTMLParser):
    """The ids, id references, <time datetime> values, <link> and <meta> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []
        self.times: list[str] = []
        self.links: list[dict] = []
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ID_REFERENCES:
            if name in attributes and not (name == "for" and tag == "output"):
                self.references += [(tag, name, ref) for ref in attributes[name].split()]
        if tag == "time" and "datetime" in attributes:
            self.times.append(attributes["datetime"])
        if tag == "link":
            self.links.append(attributes)
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta.setdefault(key, []).append(attributes.get("content", ""))
        self._in_json_ld = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in_json_ld = False


def markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    return parser


@pytest.fixture
def demo_pages(request):
    """Every kind of public page of the seeded demo (an article with images among them), and
    the pages a reader sees after a mistake in a form, as an anonymous reader gets them."""
    demo_data.seed_demo(request)
    client = Client()
    illustrated = PublishedArticle.objects.live().exclude(images=[]).first()
    assert illustrated is not None, "the demo has an article with images"
    topic = Topic.objects.filter(parent__isnull=True).first()
    trial = ClinicalTrial.objects.first()
    urls = {
        "home": "/",
        "article with images": illustrated.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "trial list": "/trials/",
        "trial": trial.get_absolute_url(),
        "search": "/search/?q=bone",
        "editorial policy": "/about/editorial-policy/",
        "invalid trial filters": "/trials/?status=NOPE&phase=ZZZ",
        "page not found": "/articles/no-such-article/",
    }
    pages = {name: client.get(url) for name, url in urls.items()}
    pages["feedback with mistakes"] = client.post(
        f"{illustrated.get_absolute_url()}feedback/",
        {"comment": "x" * 2001},
        HTTP_ORIGIN="http://testserver",
    )
    expected = {"invalid trial filters": 400, "page not found": 404, "feedback with mistakes": 400}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), name
    return {name: response.content.decode() for name, response in pages.items()}


def test_times_are_to_the_second(demo_pages):
    """Every <time datetime>, JSON-LD date and article time tag is ISO 8601 without a fraction
    of a second, although the stored times have microseconds."""
    stored = PublishedArticle.objects.values_list("go_live_at", flat=True)
    assert any(moment.microsecond for moment in stored)
    checked = 0
    for name, html in demo_pages.items():
        page = markup(html)
        values = list(page.times)
        values += page.meta.get("article:published_time", [])
        values += page.meta.get("article:modified_time", [])
        for block in page.json_ld:
            data = json.loads(block)
            values += [
                data[key]
                for key in ("datePublished", "dateModified", "lastReviewed")
                if key in data
            ]
        for value in values:
            assert ISO_SECONDS.match(value), f"{name}: {value!r}"
        checked += len(values)
    assert checked >= 8


def test_every_id_reference_points_to_an_element(demo_pages):
    """Each aria-describedby, aria-labelledby, aria-controls and label ``for`` names an id on
    the same page, the form error pages included (their fields are described by their errors)."""
    for name, html in demo_pages.items():
        page = markup(html)
        missing = [ref for ref in page.references if ref[2] not in page.ids]
        assert not missing, f"{name}: {missing}"
    feedback = markup(demo_pages["feedback with mistakes"])
    assert ("textarea", "aria-describedby", "id_comment_error") in feedback.references
    assert ("textarea", "aria-describedby", "id_comment_helptext") in feedback.references
    assert ("select", "aria-describedby", "id_status_error") in markup(
        demo_pages["invalid trial filters"]
    ).references


def test_every_public_page_has_a_canonical_address_and_open_graph_tags(demo_pages):
    """Each public page names its absolute canonical address once, and the same address, its
    title, description, type, site name and locale in Open Graph tags (each tag once)."""
    for name in (
        "home",
        "article with images",
        "topic",
        "trial list",
        "trial",
        "search",
        "editorial policy",
    ):
        page = markup(demo_pages[name])
        canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        assert len(canonical) == 1, name
        assert urlsplit(canonical[0]).scheme == "http" and urlsplit(canonical[0]).netloc, name
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale"):
            assert len(page.meta.get(key, [])) == 1 and page.meta[key][0], f"{name}: {key}"
        assert page.meta["og:url"] == canonical
        assert page.meta["og:locale"] == ["en_GB"]
        assert page.meta["og:title"][0] in demo_pages[name].split("<title>")[1]
    article = markup(demo_pages["article with images"])
    assert article.meta["og:type"] == ["article"]
    assert markup(demo_pages["home"]).meta["og:type"] == ["website"]
    for key in ("og:image", "og:image:alt", "twitter:card", "twitter:image"):
        assert len(article.meta.get(key, [])) == 1, key
    assert "canonical" not in demo_pages["page not found"]


def test_canonical_address_drops_tracking_and_keeps_what_chooses_the_page(
    client, live_article, settings
):
    """Tracking parameters never reach the canonical address; a search, the trial filters and
    a page number after the first do; the feedback thank-you stays on the article's address."""
    settings.ALLOWED_HOSTS = ["testserver", "mbc.example"]
    ClinicalTrial.objects.create(nct_id="NCT01740427", brief_title="A", overall_status="RECRUITING")

    def canonical(url: str) -> str:
        html = client.get(url, HTTP_HOST="mbc.example").content.decode()
        return next(link["href"] for link in markup(html).links if link.get("rel") == "canonical")

    slug = live_article.slug
    assert canonical(f"/articles/{slug}/?utm_source=news&feedback=thanks&fbclid=1") == (
        f"http://mbc.example/articles/{slug}/"
    )
    assert canonical("/?utm_campaign=x") == "http://mbc.example/"
    assert canonical("/search/?q=bone+pain&utm_medium=mail") == (
        "http://mbc.example/search/?q=bone+pain"
    )
    assert canonical("/trials/?status=recruiting&gclid=9&page=1") == (
        "http://mbc.example/trials/?status=RECRUITING"
    )
    topic = live_article.topics.get()
    assert canonical(f"{topic.get_absolute_url()}?page=1&ref=x") == (
        f"http://mbc.example{topic.get_absolute_url()}"
    )


def test_canonical_address_of_a_later_page_keeps_its_number(client, db):
    """The second page of the trial list is its own canonical address, number included."""
    for number in range(21):
        ClinicalTrial.objects.create(nct_id=f"NCT0{number:07d}", brief_title=f"Trial {number}")
    html = client.get("/trials/?page=2&utm_source=x").content.decode()
    canonical = [link["href"] for link in markup(html).links if link.get("rel") == "canonical"]
    assert canonical == ["http://testserver/trials/?page=2"]


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T10:30:00.123456"))


def sitemap_dates(client) -> dict[str, str | None]:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        urlsplit(url.find(f"{SITEMAP}loc").text).path: getattr(
            url.find(f"{SITEMAP}lastmod"), "text", None
        )
        for url in root.iter(f"{SITEMAP}url")
    }


def test_sitemap_dates_each_page_by_its_last_change(client, live_article, topic, reviewer):
    """Topic pages, the home page, the trial list, each trial and the editorial policy carry
    a lastmod: the day what they show last changed, not the day of the request."""
    snapshot = PublishedArticle.objects.get(article=live_article)
    # Moved into the past directly: saves would set these times to now.
    PublishedArticle.objects.filter(pk=snapshot.pk).update(
        go_live_at=at("2025-03-04"), first_published_at=at("2025-03-04")
    )
    Topic.objects.filter(pk=topic.pk).update(updated_at=at("2024-01-01"))
    idle = Topic.objects.create(name="Fatigue", slug="fatigue")
    Topic.objects.filter(pk=idle.pk).update(updated_at=at("2023-06-07"))
    trial = ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")
    ClinicalTrial.objects.filter(pk=trial.pk).update(updated_at=at("2024-05-06"))
    ReviewerProfile.objects.filter(user=reviewer).update(updated_at=at("2023-02-03"))
    caching.forget_state()

    dates = sitemap_dates(client)
    assert dates[f"/articles/{live_article.slug}/"] == "2025-03-04"
    assert dates[f"/topics/{topic.slug}/"] == "2025-03-04"  # its article went live then
    assert dates["/topics/fatigue/"] == "2023-06-07"
    assert dates["/trials/NCT03529110/"] == "2024-05-06"
    assert dates["/trials/"] == "2024-05-06"
    assert dates["/about/editorial-policy/"] == "2023-02-03"
    assert dates["/"] == "2025-03-04"
    assert all(dates.values()), dates


def test_sitemap_dates_move_when_a_topic_page_changes(client, live_article, topic, editor):
    """Taking an article down dates its topic page that day; renaming a sub-topic dates its
    parent's page, which lists it."""
    parent = Topic.objects.create(name="Metastasis", slug="metastasis")
    child = Topic.objects.create(name="Liver", slug="liver", parent=parent)
    PublishedArticle.objects.filter(article=live_article).update(go_live_at=at("2025-03-04"))
    Topic.objects.filter(pk__in=[topic.pk, parent.pk, child.pk]).update(updated_at=at("2024-01-01"))
    caching.forget_state()
    assert sitemap_dates(client)["/topics/metastasis/"] == "2024-01-01"
    child.name = "Liver metastases"
    child.save()
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn for review.")
    dates = sitemap_dates(client)
    today = timezone.localdate().isoformat()
    assert dates["/topics/metastasis/"] == today
    assert dates[f"/topics/{topic.slug}/"] == today
