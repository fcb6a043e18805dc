"""Slugs: ASCII, generated from any title, unique."""

import datetime

import pytest

from articles.models import Article, PublishedArticle
from articles.services import slug_base, unique_article_slug
from reviews import workflow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Bone metastases", "bone-metastases"),
        ("Métastases osseuses", "metastases-osseuses"),
        ("Knochenmetastasen: Schmerzen & Brüche", "knochenmetastasen-schmerzen-bruche"),
        ("Метастазы в кости", "metastazy-v-kosti"),
        ("HER2-positive breast cancer (stage IV)", "her2-positive-breast-cancer-stage-iv"),
        ("  ", "article"),
    ],
)
def test_slug_base_is_ascii_from_any_title(title, slug):
    """Accented and non-Latin titles become readable ASCII slugs; empty titles get a fallback."""
    assert slug_base(title) == slug
    assert slug_base(title).isascii()


def test_slug_generated_on_first_save(make_article, writer):
    """An article saved without a slug gets one from its title."""
    article = make_article(writer, title="Métastases osseuses")
    assert article.slug == "metastases-osseuses"


def test_slug_collisions_get_numbered(make_article, writer):
    """Articles with the same title get -2, -3 suffixes instead of failing."""
    slugs = [make_article(writer, title="Liver metastases").slug for _ in range(3)]
    assert slugs == ["liver-metastases", "liver-metastases-2", "liver-metastases-3"]


def test_slug_kept_on_later_saves(make_article, writer):
    """Editing the title later does not silently move the page to a new address."""
    article = make_article(writer, title="Lung metastases")
    article.title = "Lung metastases: symptoms and care"
    workflow.save_working_copy(article=article, user=writer)
    assert Article.objects.get(pk=article.pk).slug == "lung-metastases"


def test_long_titles_fit_the_slug_field(make_article, writer):
    """A 200-character title still yields unique slugs within the field's length."""
    title = "metastatic " * 18
    first = make_article(writer, title=title[:200]).slug
    second = unique_article_slug(title[:200])
    assert len(first) <= 200 and len(second) <= 200
    assert second != first and second.endswith("-2")


def test_generated_slug_avoids_an_address_another_article_serves(
    live_article, make_article, writer
):
    """A live page keeps its address after its working copy moves to another slug: a new
    article titled the same does not get that address."""
    moved = Article.objects.get(pk=live_article.pk)
    moved.slug = "moved-elsewhere"
    workflow.save_working_copy(article=moved, user=writer)
    newcomer = make_article(writer, title=live_article.title)
    assert newcomer.slug == f"{live_article.slug}-2"


def test_two_live_snapshots_on_one_address_never_answer_500(live_article, client):
    """Should old data hold two live snapshots at one address, the page and the API answer
    with the article that was there first, and the sitemap lists the address once."""
    original = PublishedArticle.objects.get(article=live_article)
    later = Article.objects.create(title="Other", slug="other", summary="s", body="b", version=1)
    copy = PublishedArticle.objects.get(pk=original.pk)
    copy.pk, copy.article, copy.title = None, later, "Other"
    copy.first_published_at = original.first_published_at + datetime.timedelta(seconds=1)
    copy.save()

    page = client.get(f"/articles/{original.slug}/")
    api = client.get(f"/api/v1/articles/{original.slug}/")
    sitemap = client.get("/sitemap.xml").text

    assert page.status_code == 200 and live_article.title in page.text
    assert api.status_code == 200 and api.json()["id"] == live_article.pk
    assert sitemap.count(f"/articles/{original.slug}/</loc>") == 1
