"""Slugs: ASCII, generated from any title, unique."""

import pytest

from articles.models import Article
from articles.services import slug_base, unique_article_slug

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
    from reviews import workflow

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
