"""The public reading site: every page, its trust signals, and the 404s."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from articles.models import ClinicalTrial, Feedback, Reference, Topic
from articles.previews import preview_url
from articles.services import FEEDBACK_LIMIT
from reviews import workflow
from tests.conftest import PASSWORD
from tests.feedback_steps import SAME_ORIGIN
from tests.workflow_steps import publish_new_version

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(html: str) -> dict:
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(2))


@pytest.fixture
def rich_article(make_article, writer, reviewer, editor, topic):
    """A live patient article with references, a trial and a live professional counterpart."""
    trial = ClinicalTrial.objects.create(
        nct_id="NCT03529110",
        brief_title="DESTINY-Breast03",
        overall_status="ACTIVE_NOT_RECRUITING",
        phases=["PHASE3"],
        conditions=["HER2-positive metastatic breast cancer"],
        interventions=[{"type": "DRUG", "name": "Trastuzumab deruxtecan"}],
    )
    pro = make_article(
        writer, title="HER2-targeted therapy: clinical overview", audience="professional"
    )
    article = make_article(
        writer,
        title="HER2-targeted therapy",
        body="## How it works\n\nTrastuzumab targets HER2 [@1].\n\n## Newer drugs\n\nT-DXd [@2].",
        references=0,
        counterpart=pro,
    )
    Reference.objects.create(
        article=article,
        position=1,
        title="Trastuzumab trial",
        pmid="11248153",
        doi="10.1056/NEJM200103153441101",
        year=2001,
        journal="N Engl J Med",
    )
    Reference.objects.create(
        article=article, position=2, title="DESTINY-Breast03", nct_id="NCT03529110", year=2022
    )
    article.related_trials.set([trial])
    workflow.save_working_copy(article=article, user=writer, comment="References added.")
    for item in (article, pro):
        workflow.submit(article=item, user=writer)
        workflow.approve(article=item, user=reviewer, comment="Accurate.")
        workflow.publish(article=item, user=editor)
    article.refresh_from_db()
    return article


def test_home_lists_topics_latest_and_trials(client, rich_article, topic):
    """The home page explains the site and lists topics, live articles and trials."""
    page = client.get("/").text
    assert "clinician" in page.lower() or "cancer specialist" in page
    assert topic.name in page and rich_article.title in page
    assert "DESTINY-Breast03" in page


def test_article_page_shows_trust_signals(client, rich_article, reviewer, writer):
    """The article page has byline, review line, dates, TOC, references, trials, disclaimer."""
    response = client.get(f"/articles/{rich_article.slug}/")
    page = response.text
    assert response.status_code == 200
    assert "Medically reviewed by" in page
    byline = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    reviewed_on = f"{rich_article.last_reviewed:%-d %B %Y}"
    expected = f"Medically reviewed by Dr Ada Reviewer, MD (Medical oncology) on {reviewed_on}"
    assert expected in byline
    assert "Wendy Writer" in page
    assert "Published" in page and "Last updated" in page and "Next review due" in page
    assert '<a href="#how-it-works">How it works</a>' in page
    assert 'href="#ref-1"' in page and 'id="ref-1"' in page
    assert "https://pubmed.ncbi.nlm.nih.gov/11248153/" in page
    assert "https://doi.org/10.1056/NEJM200103153441101" in page
    assert "https://clinicaltrials.gov/study/NCT03529110" in page
    assert "/trials/NCT03529110/" in page
    assert "not a substitute for professional medical advice" in page
    assert "For patients and carers" in page
    assert "Read the version for health professionals" in page
    assert "Was this helpful?" in page and "csrfmiddlewaretoken" not in page


def test_article_json_ld_medical_web_page(client, rich_article):
    """The JSON-LD block describes a MedicalWebPage with review, audience and citations."""
    response = client.get(f"/articles/{rich_article.slug}/")
    data = json_ld(response.text)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == rich_article.last_reviewed.isoformat()
    assert data["reviewedBy"]["name"] == "Dr Ada Reviewer"
    assert data["medicalAudience"]["audienceType"] == "Patient"
    assert data["about"]["@type"] == "MedicalCondition"
    assert len(data["citation"]) == 2
    assert data["datePublished"] and data["dateModified"]


def test_change_log_lists_each_publication(client, rich_article, writer, reviewer2, editor):
    """After an update the public change log shows the new note and the first publication."""
    publish_new_version(
        rich_article, writer, reviewer2, editor, note="Added newer HER2 drugs.", summary="New."
    )
    page = client.get(f"/articles/{rich_article.slug}/").text
    assert "Added newer HER2 drugs." in page and "First published." in page


def test_unknown_and_unpublished_slugs_are_404(client, make_article, writer, live_article, editor):
    """Unknown slugs, drafts and unpublished articles are 404 with the friendly page."""
    draft = make_article(writer, title="Draft only")
    workflow.unpublish(article=live_article, user=editor, reason="Outdated.")
    for slug in ("no-such-article", draft.slug, live_article.slug):
        response = client.get(f"/articles/{slug}/")
        assert response.status_code == 404
        assert "We cannot find that page" in response.text
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert client.get("/trials/NCT99999999/").status_code == 404


def test_server_error_page_is_friendly(rf):
    """The 500 page is in the site's design and says what to do."""
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content


def test_topic_page_lists_child_topic_articles_paginated(
    client, make_article, writer, reviewer, editor, topic
):
    """A parent topic lists its sub-topics' articles, 20 per page; past the end is 404."""
    parent = Topic.objects.create(name="Metastasis", slug="metastasis")
    topic.parent = parent
    topic.save()
    for number in range(22):
        article = make_article(writer, title=f"Article {number:02d}")
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        workflow.publish(article=article, user=editor)
    first = client.get("/topics/metastasis/").text
    assert "Article 00" in first and "Article 21" not in first and "Page 1 of 2" in first
    assert "Article 21" in client.get("/topics/metastasis/?page=2").text
    assert client.get("/topics/metastasis/?page=3").status_code == 404
    assert client.get("/topics/metastasis/?page=abc").status_code == 404


def test_trial_pages_and_json_ld(client, rich_article):
    """Trial pages show status, phases, interventions, the registry link and citing articles."""
    assert "DESTINY-Breast03" in client.get("/trials/").text
    page = client.get("/trials/NCT03529110/").text
    assert "Active, not recruiting" in page and "Phase 3" in page and "PHASE3" not in page
    assert "Trastuzumab deruxtecan" in page
    assert "https://clinicaltrials.gov/study/NCT03529110" in page
    assert rich_article.title in page
    data = json_ld(page)
    assert data["@type"] == "MedicalTrial"
    assert data["code"]["codeValue"] == "NCT03529110"


def test_search_ranks_title_matches_first_and_highlights(
    client, make_article, writer, reviewer, editor
):
    """A title match outranks a body-only match; snippets highlight the term."""
    body_only = make_article(writer, title="Living well", body="Some people notice fatigue [@1].")
    in_title = make_article(writer, title="Fatigue and tiredness", body="Rest helps [@1].")
    for article in (body_only, in_title):
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        workflow.publish(article=article, user=editor)
    page = client.get("/search/", {"q": "fatigue"}).text
    assert page.index("Fatigue and tiredness") < page.index("Living well")
    assert "<mark>fatigue</mark>" in page
    assert "2 results" in page
    assert client.get("/search/", {"q": ""}).status_code == 200
    assert "No articles match" in client.get("/search/", {"q": "zzzqqq"}).text


def test_search_escapes_query_and_snippets(client, live_article):
    """Search input is escaped everywhere it is echoed."""
    page = client.get("/search/", {"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in page


def test_feed_is_valid_atom(client, rich_article):
    """/feed/ is Atom XML listing live articles."""
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert rich_article.title in titles


def test_sitemap_and_robots(client, rich_article):
    """sitemap.xml lists live articles, topics and trials; robots.txt points to it."""
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert any(loc.endswith(f"/articles/{rich_article.slug}/") for loc in locations)
    assert any(loc.endswith("/trials/NCT03529110/") for loc in locations)
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap:" in robots.text and "Disallow: /admin/" in robots.text


def test_editorial_policy_names_reviewers_and_disclosures(client, reviewer):
    """The editorial policy explains review and lists reviewers with credentials."""
    page = client.get("/about/editorial-policy/").text
    assert "Dr Ada Reviewer, MD" in page and "None declared." in page
    assert "Nobody approves text they wrote" in page


def test_preview_link_shows_working_copy_noindex(client, make_article, writer):
    """A signed preview link shows an unpublished version without login, marked noindex."""
    article = make_article(writer, title="Unpublished draft", body="Draft words here.")
    response = client.get(preview_url(article.pk, 1))
    assert response.status_code == 200
    assert "Draft words here." in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'content="noindex, nofollow"' in response.text
    assert client.get("/preview/not-a-valid-token/").status_code == 404


def test_preview_link_expires(client, make_article, writer, settings):
    """An expired preview link answers 410 Gone."""
    article = make_article(writer)
    url = preview_url(article.pk, 1)
    settings.PREVIEW_MAX_AGE = -1
    assert client.get(url).status_code == 410


def test_feedback_recorded_and_rate_limited(client, live_article):
    """Feedback is stored; past the limit the site answers 429 with Retry-After."""
    url = reverse("articles:feedback", args=[live_article.slug])
    response = client.post(url, {"helpful": "yes", "comment": "Clear, thanks."}, **SAME_ORIGIN)
    assert response.status_code == 302 and "feedback=thanks" in response["Location"]
    feedback = Feedback.objects.get()
    assert feedback.helpful and feedback.version == live_article.version
    for _ in range(FEEDBACK_LIMIT - 1):
        assert client.post(url, {"helpful": "no"}, **SAME_ORIGIN).status_code == 302
    limited = client.post(url, {"helpful": "no"}, **SAME_ORIGIN)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Feedback.objects.count() == FEEDBACK_LIMIT


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": "https://attacker.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_REFERER": "https://attacker.example/page"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "not a url"},
    ],
)
def test_feedback_from_another_site_is_refused(live_article, headers):
    """A post whose browser says it comes from another site (or says nothing) is a 403 that
    stores nothing, even with no CSRF check at all: the page carries no token."""
    url = reverse("articles:feedback", args=[live_article.slug])
    response = Client(enforce_csrf_checks=True).post(url, {"helpful": "yes"}, **headers)
    assert response.status_code == 403 and "Feedback not sent" in response.text
    assert response["Cache-Control"] == "private, no-store"
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        SAME_ORIGIN,
        {"HTTP_REFERER": "http://testserver/articles/x/"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
    ],
)
def test_feedback_from_the_page_itself_is_taken(live_article, headers):
    """A post from the site's own page is taken with CSRF checks on and no cookie at all."""
    url = reverse("articles:feedback", args=[live_article.slug])
    response = Client(enforce_csrf_checks=True).post(url, {"helpful": "yes"}, **headers)
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_feedback_needs_a_valid_choice(live_article):
    """A missing choice is a 400 with a message."""
    url = reverse("articles:feedback", args=[live_article.slug])
    response = Client().post(url, {"comment": "?"}, **SAME_ORIGIN)
    assert response.status_code == 400 and "Choose yes or no." in response.text
    assert not Feedback.objects.exists()


def test_feedback_listed_for_editors(client, live_article, editor):
    """Editors see reader feedback in the admin."""
    client.post(
        reverse("articles:feedback", args=[live_article.slug]),
        {"helpful": "no", "comment": "Too long"},
        **SAME_ORIGIN,
    )
    client.login(username=editor.username, password=PASSWORD)
    assert "Too long" in client.get(reverse("admin:articles_feedback_changelist")).text


def test_security_headers_on_every_response(client, rich_article):
    """CSP with a nonce matching the JSON-LD block, nosniff, frame and referrer policies."""
    for url in ("/", f"/articles/{rich_article.slug}/", "/search/?q=x", "/healthz", "/nope/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"]
    page = client.get(f"/articles/{rich_article.slug}/")
    nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in page.text
    assert page.text.count("<script") == 1
