"""What the caching proxy in front of the site is told (``articles.edge``): every anonymous
public answer is shareable for at most EDGE_MAX_AGE seconds and never past the next scheduled
change, under the surrogate keys of what it shows; it sets no cookie; anything else is
``private, no-store`` with no keys."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from articles.models import ClinicalTrial, PublishedArticle, Topic
from reviews import workflow
from tests.conftest import PASSWORD
from tests.feedback_steps import SAME_ORIGIN

pytestmark = pytest.mark.django_db

SHARED = "public, max-age=0, s-maxage=600"


def keys(response) -> set[str]:
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage="), response[
        "Cache-Control"
    ]
    return set(response["xkey"].split(" "))


def assert_private(response) -> None:
    """``private, no-store`` (the admin's own, longer header says the same)."""
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert not response.has_header("xkey")


@pytest.fixture
def site(live_article, make_article, writer, reviewer, editor, topic):
    """A live English article citing a trial, its live Spanish translation, a sub-topic."""
    trial = ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")
    child = Topic.objects.create(name="Pain", slug="pain", parent=topic)
    live = workflow.live_snapshot(live_article)
    live.related_trials.add(trial)
    profile = reviewer.reviewer_profile
    profile.languages = ["en", "es"]
    profile.save()
    spanish = make_article(
        writer,
        title="Metástasis ósea",
        body="## Qué es\n\nLa metástasis ósea aparece cuando el cáncer llega al hueso [@1].",
        summary="Qué pasa cuando el cáncer llega a los huesos.",
        language="es",
        translation_of=live_article,
        source_version=live.version,
    )
    workflow.submit(article=spanish, user=writer)
    workflow.approve(article=spanish, user=reviewer, comment="Correcto.")
    workflow.publish(article=spanish, user=editor)
    snapshot = workflow.live_snapshot(spanish)
    if snapshot.translation_of_id is None:
        PublishedArticle.objects.filter(pk=snapshot.pk).update(
            translation_of=live_article, source_version=live.version
        )
    return {
        "article": live_article.pk,
        "spanish": spanish.pk,
        "slug": live_article.slug,
        "es_slug": spanish.slug,
        "trial": trial.pk,
        "topic": topic.pk,
        "child": child.pk,
    }


def test_every_reader_page_is_shared_under_the_keys_of_what_it_shows(client, site):
    """Each page's xkey names all, the articles it shows (the page's own and its alternates),
    its topics and trials, and list on listings; a cache hit sends the same keys."""
    article, spanish = f"article-{site['article']}", f"article-{site['spanish']}"
    topic, child, trial = (
        f"topic-{site['topic']}",
        f"topic-{site['child']}",
        f"trial-{site['trial']}",
    )
    expected = {
        "/": {"all", "list", article, topic, child, trial},
        f"/articles/{site['slug']}/": {"all", article, spanish, topic, trial},
        f"/es/articles/{site['es_slug']}/": {"all", article, spanish, topic},
        "/topics/bone-metastases/": {"all", "list", article, topic, child},
        "/es/topics/bone-metastases/": {"all", "list", spanish, topic, child},
        "/trials/": {"all", "list", trial},
        "/trials/NCT03529110/": {"all", "list", trial, article},
        "/search/?q=bone": {"all", "list", article},
        "/es/search/?q=hueso": {"all", "list", spanish},
        "/feed/": {"all", "list"},
        "/es/": {"all", "list", spanish, topic, child, trial},
        "/about/editorial-policy/": {"all"},
        "/sitemap.xml": {"all", "list"},
        "/robots.txt": {"all"},
    }
    for path, wanted in expected.items():
        for attempt in ("miss", "hit"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Cache-Control"] == SHARED, (path, attempt)
            assert wanted <= keys(response), (path, attempt, keys(response))


def test_public_api_answers_are_shared_under_their_keys(client, site):
    """The public API's lists and items carry the same kind of keys; a hit repeats them."""
    article, spanish = f"article-{site['article']}", f"article-{site['spanish']}"
    trial, topic = f"trial-{site['trial']}", f"topic-{site['topic']}"
    expected = {
        "/api/v1/articles/": {"all", "list", article, spanish},
        f"/api/v1/articles/{site['slug']}/": {"all", article, spanish, trial, topic},
        "/api/v1/topics/": {"all", "list", topic, f"topic-{site['child']}"},
        "/api/v1/topics/bone-metastases/": {"all", topic},
        "/api/v1/trials/": {"all", "list", trial, article},
        "/api/v1/trials/NCT03529110/": {"all", "list", trial, article},
    }
    for path, wanted in expected.items():
        for attempt in ("miss", "hit"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Cache-Control"] == SHARED, (path, attempt)
            assert keys(response) == wanted, (path, attempt)


def test_not_found_and_moved_answers_are_shared_and_purged_by_publications(client, site):
    """A 404 (page or API) carries ``missing``, which every publication purges; a permanent
    redirect is shared too; a HEAD gets the GET's headers."""
    for path in ("/articles/not-yet/", "/api/v1/articles/not-yet/", "/es/articles/not-yet/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Cache-Control"] == SHARED and keys(response) == {"all", "missing"}
    moved = client.get("/trials/nct03529110/")
    assert moved.status_code == 301 and keys(moved) >= {"all"}
    head = client.head(f"/articles/{site['slug']}/")
    assert head.status_code == 200 and head["Cache-Control"] == SHARED
    assert f"article-{site['article']}" in keys(head)


def test_a_conditional_request_gets_the_same_headers_in_its_304(client, site):
    """A 304 says what the 200 said, so a proxy revalidating its copy keeps its keys."""
    url = f"/articles/{site['slug']}/"
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == SHARED and keys(again) == keys(first)


def test_s_maxage_never_reaches_past_the_next_scheduled_change(
    client, live_article, make_article, writer, reviewer, editor, settings
):
    """With a version due to go live in 100 s, proxies may keep pages 100 s at most; the
    setting caps it otherwise."""
    now = timezone.now()
    scheduled = make_article(writer, title="Coming soon")
    workflow.submit(article=scheduled, user=writer)
    workflow.approve(article=scheduled, user=reviewer)
    workflow.publish(
        article=scheduled, user=editor, publish_at=now + datetime.timedelta(seconds=100)
    )
    response = client.get("/")
    seconds = int(response["Cache-Control"].rsplit("=", 1)[1])
    assert 95 <= seconds <= 100
    settings.EDGE_MAX_AGE = 30
    assert client.get("/topics/bone-metastases/")["Cache-Control"].endswith("s-maxage=30")


def test_anonymous_reader_answers_set_no_cookie_and_do_not_vary_on_it(client, site):
    """No Set-Cookie, no Vary: Cookie or Accept-Language, on any reader page in either
    language, the language switcher's targets, the public API, or a 404."""
    paths = [
        "/",
        "/es/",
        f"/articles/{site['slug']}/",
        f"/es/articles/{site['es_slug']}/",
        "/topics/bone-metastases/",
        "/es/topics/bone-metastases/",
        "/trials/",
        "/es/trials/",
        "/trials/NCT03529110/",
        "/es/trials/NCT03529110/",
        "/search/?q=bone",
        "/es/search/?q=hueso",
        "/about/editorial-policy/",
        "/es/about/editorial-policy/",
        "/feed/",
        "/es/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/articles/",
        f"/api/v1/articles/{site['slug']}/",
        "/api/v1/topics/",
        "/api/v1/trials/",
        "/articles/nothing-here/",
    ]
    for path in paths:
        for _ in range(2):  # the miss and the hit
            reader = Client()
            response = reader.get(path, HTTP_ACCEPT_LANGUAGE="es")
            assert response.status_code in (200, 404), path
            assert not response.cookies and not reader.cookies, path
            vary = response.get("Vary", "").lower()
            assert "cookie" not in vary and "accept-language" not in vary, (path, vary)


def test_private_answers_are_never_shared(client, site, editor):
    """Admin, previews, login, the editorial API, posts, errors and any answer to a signed-in
    or token request: private, no-store and no keys."""
    article = f"/articles/{site['slug']}/"
    assert_private(client.get("/admin/login/"))
    assert_private(client.get("/api/v1/editorial/articles/"))
    assert_private(client.post(f"{article}feedback/", {"helpful": "yes"}, **SAME_ORIGIN))
    assert_private(client.post(f"{article}feedback/", {"helpful": "yes"}))
    assert_private(client.get(f"{article}feedback/"))  # 405
    assert_private(client.get("/trials/?status=NOPE"))  # 400
    assert_private(client.get("/healthz"))
    token = Token.objects.create(user=editor)
    with_token = client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token.status_code == 200
    assert_private(with_token)
    staff = Client()
    staff.login(username=editor.username, password=PASSWORD)
    for path in (article, "/", "/api/v1/articles/", "/admin/"):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert_private(response)
    # The staff member's visit left nothing behind that a reader would get.
    reader = client.get(article)
    assert reader["Cache-Control"] == SHARED and not reader.cookies


def test_an_answer_read_while_content_changed_is_not_shared(client, live_article, monkeypatch):
    """A page rendered while a change committed may show the old content and reach the proxy
    after the purge: it is private, no-store; the next one is shared again."""
    from articles import caching, public

    url = f"/articles/{live_article.slug}/"
    read = public.live_article

    def read_then_change(*args, **kwargs):
        snapshot = read(*args, **kwargs)
        caching.invalidate()  # another request publishes meanwhile
        return snapshot

    monkeypatch.setattr(public, "live_article", read_then_change)
    assert_private(client.get(url))
    monkeypatch.setattr(public, "live_article", read)
    assert client.get(url)["Cache-Control"] == SHARED


def test_a_long_list_of_keys_is_cut_to_the_list_key(client, topic):
    """A page of 100 trials fits its keys in one header; a listing whose keys would pass the
    proxies' header limit is tagged ``all list``, which every change to a listing purges."""
    from articles import edge

    ClinicalTrial.objects.bulk_create(
        ClinicalTrial(nct_id=f"NCT0{number:07d}", brief_title=f"Trial {number}")
        for number in range(1, 101)
    )
    page = client.get("/api/v1/trials/?page_size=100")
    assert len(page.json()["results"]) == 100 and len(keys(page)) == 102
    many = {"all", "list", *(f"article-{number}" for number in range(1000, 1500))}
    assert edge._header_value(many) == "all list"
    assert len(edge._header_value(many - {"list"}).split()) == 501  # not a listing: kept
