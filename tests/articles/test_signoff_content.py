"""The sign-off digest covers every content field readers are shown, and nothing else: a new
field marked ``shown_to_readers`` in ``ARTICLE_CONTENT`` that the digest missed would let text
reach readers without a clinician's approval."""

import pytest

from articles.models import ARTICLE_CONTENT, Article, ClinicalTrial, Image, Topic
from articles.snapshots import article_digest
from reviews import workflow
from tests.conftest import make_user
from tests.images import make_image

pytestmark = pytest.mark.django_db


def _counterpart(writer) -> Article:
    other = Article(title="For professionals", summary="s", body="b", audience="professional")
    return workflow.save_working_copy(article=other, user=writer)


def _source(writer) -> Article:
    source = Article(title="The English source", summary="s", body="b", language="en")
    return workflow.save_working_copy(article=source, user=writer)


CHANGES = {
    "title": lambda article, writer: setattr(article, "title", "Another title"),
    "slug": lambda article, writer: setattr(article, "slug", "another-address"),
    "summary": lambda article, writer: setattr(article, "summary", "Another summary."),
    "body": lambda article, writer: setattr(article, "body", "Take 10 tablets [@1]."),
    "audience": lambda article, writer: setattr(article, "audience", "professional"),
    "language": lambda article, writer: setattr(article, "language", "es"),
    "counterpart": lambda article, writer: setattr(article, "counterpart", _counterpart(writer)),
    "review_interval_months": lambda article, writer: setattr(article, "review_interval_months", 6),
    "lead_image": lambda article, writer: setattr(
        article, "lead_image", make_image(title="Lead", color=(20, 90, 160))
    ),
    "translation_of": lambda article, writer: setattr(article, "translation_of", _source(writer)),
    "source_version": lambda article, writer: setattr(article, "source_version", 7),
    # The images shown are worked out at the save: the library's alt text changed since.
    "images": lambda article, writer: Image.objects.filter(pk=article.images[0]["id"]).update(
        alt_text="Another description."
    ),
}
RELATED_CHANGES = {
    "topics": lambda saved: saved.topics.add(Topic.objects.create(name="Liver", slug="liver")),
    "authors": lambda saved: saved.authors.add(make_user("coauthor", first_name="Co")),
    "related_trials": lambda saved: saved.related_trials.add(
        ClinicalTrial.objects.create(nct_id="NCT03734029", brief_title="DESTINY-Breast04")
    ),
}


def test_every_content_field_is_listed_here():
    """This test knows how to change every content field."""
    assert {field.name for field in ARTICLE_CONTENT} == set(CHANGES) | set(RELATED_CHANGES)


@pytest.mark.parametrize("field", ARTICLE_CONTENT, ids=lambda field: field.name)
def test_digest_changes_exactly_when_readers_would_see_a_change(
    field, make_article, make_image, writer
):
    """Changing a field readers are shown changes the digest; any other field leaves it."""
    image = make_image()
    article = make_article(writer, body=f"Bone pain is common [@1].\n\n![](image:{image.pk})")
    before = article_digest(Article.objects.get(pk=article.pk))
    article = Article.objects.get(pk=article.pk)
    if field.name in CHANGES:
        CHANGES[field.name](article, writer)
        workflow.save_working_copy(article=article, user=writer)
    else:
        workflow.save_working_copy(
            article=article, user=writer, save_related=RELATED_CHANGES[field.name]
        )
    after = article_digest(Article.objects.get(pk=article.pk))
    assert (after != before) is field.shown_to_readers


def test_digest_covers_the_references(make_article, writer):
    """A changed citation changes the digest."""
    article = make_article(writer)
    before = article_digest(article)
    article.references.update(pmid="12345678")
    assert article_digest(Article.objects.get(pk=article.pk)) != before
