"""Version history: every save is a numbered version carrying its user and comment."""

import io

import pytest
from django.core.management import call_command
from reversion.models import Version

from articles.models import Article, ArticleRevision, ClinicalTrial, Topic
from articles.selectors import article_version_content, article_versions, compare_versions
from articles.services import save_topic, save_trial
from reviews import workflow

pytestmark = pytest.mark.django_db


def test_every_save_is_a_numbered_version_with_user_and_comment(make_article, writer, writer2):
    """Three saves by two users give versions 1-3, each with who saved it and why."""
    article = make_article(writer)
    article.body += "\n\nMore detail."
    workflow.save_working_copy(article=article, user=writer2, comment="Added detail.")
    article.title = "Bone metastases: a guide"
    workflow.save_working_copy(article=article, user=writer, comment="Clearer title.")
    versions = article_versions(article)
    assert [(v.number, v.user, v.comment) for v in versions] == [
        (1, "writer", "First draft."),
        (2, "writer2", "Added detail."),
        (3, "writer", "Clearer title."),
    ]
    assert Article.objects.get(pk=article.pk).version == 3


def test_version_records_references_as_they_stood(make_article, writer):
    """A version follows the article's references, so old citations can be recovered."""
    article = make_article(writer, references=2)
    reference = article.references.get(position=2)

    def drop_second(saved):
        saved.references.filter(pk=reference.pk).delete()

    workflow.save_working_copy(article=article, user=writer, save_related=drop_second)
    assert len(article_version_content(article, 1).references) == 2
    assert len(article_version_content(article, 2).references) == 1


def test_version_excludes_workflow_fields(make_article, writer):
    """Versions store content only; the workflow state is not part of a version."""
    article = make_article(writer)
    fields = article_version_content(article, 1).fields
    assert fields["title"] == article.title
    assert "state" not in fields and "last_reviewed" not in fields


def test_compare_shows_changed_fields_and_numbers(make_article, writer):
    """Comparing two versions lists the changed fields and highlights changed numbers."""
    article = make_article(writer, body="Take 75 mg daily.")
    article.body = "Take 100 mg daily."
    workflow.save_working_copy(article=article, user=writer)
    changes = {change.name: change for change in compare_versions(article, 1, 2)}
    assert changes["body"].changed and not changes["title"].changed
    assert "diff-num" in changes["body"].html
    assert "100 mg" in changes["body"].html


def test_restore_creates_a_new_version_and_withdraws_review(make_article, writer, writer2):
    """Restoring version 1 copies its content into a new version 3 and resets review."""
    article = make_article(writer, body="Original text [@1].")
    article.body = "Rewritten text."
    workflow.save_working_copy(
        article=article, user=writer2, save_related=lambda a: a.references.all().delete()
    )
    workflow.submit(article=article, user=writer2)
    restored = workflow.restore_version(article=article, number=1, user=writer)
    assert restored.version == 3
    assert restored.body == "Original text [@1]."
    assert restored.references.count() == 1
    assert restored.state == workflow.State.DRAFT
    assert article_versions(article)[-1].comment == "Restored the content of version 1."


def test_stale_save_is_refused_and_nothing_written(make_article, writer, writer2):
    """A save based on an old version raises StaleVersion and leaves the stored text alone."""
    article = make_article(writer)
    mine = Article.objects.get(pk=article.pk)
    theirs = Article.objects.get(pk=article.pk)
    theirs.body = "Their edit."
    workflow.save_working_copy(article=theirs, user=writer2, expected_version=1)
    mine.body = "My edit."
    with pytest.raises(workflow.StaleVersion):
        workflow.save_working_copy(article=mine, user=writer, expected_version=1)
    assert Article.objects.get(pk=article.pk).body == "Their edit."
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_topic_and_trial_saves_are_versions_with_user(writer):
    """Topics and trials saved through services are versioned with their user and comment."""
    topic = save_topic(topic=Topic(name="Liver", slug="liver"), user=writer, comment="New topic.")
    trial = save_trial(
        trial=ClinicalTrial(nct_id="NCT03529110", brief_title="DESTINY-Breast03"),
        user=writer,
        comment="Added trial.",
    )
    for obj in (topic, trial):
        version = Version.objects.get_for_object(obj).get()
        assert version.revision.user == writer
        assert version.revision.comment in {"New topic.", "Added trial."}


def test_seed_command_saves_are_versions_with_users():
    """Articles created by a management command carry their writer as the version's user."""
    call_command("seed_demo", stdout=io.StringIO())
    article = Article.objects.order_by("pk").first()
    first = article_versions(article)[0]
    assert first.user in {"writer", "writer2"}
    assert first.comment == "First draft."
