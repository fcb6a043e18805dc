"""django-reversion's recover and revert views: only the admin's own model, never the workflow's.

Each attack goes through the admin as a logged-in user with a CSRF token, as a browser would.
"""

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.models import Article, ClinicalTrial, Topic
from articles.services import save_topic, save_trial
from mbc_cms.version_admin import SafeVersionAdmin
from reviews import workflow
from tests.admin_client import AdminSession

pytestmark = pytest.mark.django_db


def versions_of(obj) -> list[Version]:
    """The object's versions, oldest first."""
    return list(Version.objects.get_for_object(obj).order_by("pk"))


@pytest.fixture
def trial(editor) -> ClinicalTrial:
    """An editor-only trial record with two versions; the second corrected the status."""
    trial = save_trial(
        trial=ClinicalTrial(
            nct_id="NCT03529110", brief_title="DESTINY-Breast03", overall_status="RECRUITING"
        ),
        user=editor,
    )
    trial.overall_status = "COMPLETED"
    return save_trial(trial=trial, user=editor, comment="Recruitment closed.")


@pytest.fixture
def versioned_topic(editor) -> Topic:
    """An editor-only topic with two versions; the second corrected the description."""
    topic = save_topic(
        topic=Topic(name="Liver metastases", slug="liver", description="Old wording."), user=editor
    )
    topic.description = "Corrected wording."
    return save_topic(topic=topic, user=editor, comment="Corrected.")


def approved_article(make_article, writer, reviewer) -> Article:
    """An article whose version 2 is approved; version 1 held a text and a citation that no
    reviewer approved."""
    article = make_article(writer, body="Unreviewed first draft [@1].")
    article.body = "Approved text [@1]."

    def correct_citation(saved: Article) -> None:
        for reference in saved.references.all():
            reference.title = "Checked citation"
            reference.save()

    workflow.save_working_copy(article=article, user=writer, save_related=correct_citation)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    article.refresh_from_db()
    assert (article.version, article.state) == (2, "approved")
    return article


def assert_still_as_approved(article: Article) -> None:
    article.refresh_from_db()
    assert (article.body, article.version, article.state) == ("Approved text [@1].", 2, "approved")
    assert [r.title for r in article.references.all()] == ["Checked citation"]


def article_form_data(**overrides) -> dict:
    """A valid, minimal article add form as the browser sends it."""
    return {
        "title": "A new article",
        "slug": "",
        "summary": "Summary.",
        "body": "Body.",
        "audience": "patient",
        "language": "en",
        "review_interval_months": 12,
        "expected_version": "",
        "references-TOTAL_FORMS": 0,
        "references-INITIAL_FORMS": 0,
        "references-MIN_NUM_FORMS": 0,
        "references-MAX_NUM_FORMS": 1000,
        **overrides,
    }


def test_writer_cannot_revert_a_trial_through_the_article_recover_url(writer, trial):
    """A trial's old version posted to the article recover URL is 404, and the trial keeps its
    current status."""
    old = versions_of(trial)[0]
    assert not Article.objects.filter(pk=trial.pk).exists()
    response = AdminSession(writer).post(reverse("admin:articles_article_recover", args=[old.pk]))
    trial.refresh_from_db()
    assert trial.overall_status == "COMPLETED"
    assert response.status_code == 404


def test_writer_cannot_revert_a_topic_through_the_article_recover_url(writer, versioned_topic):
    """A topic's old version posted to the article recover URL is 404; the topic is unchanged."""
    old = versions_of(versioned_topic)[0]
    assert not Article.objects.filter(pk=versioned_topic.pk).exists()
    response = AdminSession(writer).post(reverse("admin:articles_article_recover", args=[old.pk]))
    versioned_topic.refresh_from_db()
    assert versioned_topic.description == "Corrected wording."
    assert response.status_code == 404


def test_article_recover_post_cannot_revert_an_approved_article(make_article, writer, reviewer):
    """Reversion's own recover form, posted as "save as new" with a valid article, is 404: the
    approved version keeps its approved text and no article is added."""
    article = approved_article(make_article, writer, reviewer)
    first = versions_of(article)[0]
    response = AdminSession(writer).post(
        reverse("admin:articles_article_recover", args=[first.pk]),
        article_form_data(_saveasnew="Save as new"),
    )
    assert_still_as_approved(article)
    assert response.status_code == 404
    assert Article.objects.count() == 1


def test_article_revision_post_goes_to_the_restore_page_and_reverts_nothing(
    make_article, writer, reviewer
):
    """Posting reversion's revert form for an article redirects to our restore page unchanged."""
    article = approved_article(make_article, writer, reviewer)
    first = versions_of(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    response = AdminSession(writer).post(url, article_form_data(title=article.title))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_restore", args=[article.pk, 1])
    assert_still_as_approved(article)


def test_editor_cannot_revert_an_article_through_the_topic_revert_url(
    make_article, writer, reviewer, editor
):
    """An article version under a topic's revert URL is 404, so an approved version's text
    cannot be swapped for unreviewed text behind the workflow's back."""
    article = approved_article(make_article, writer, reviewer)
    topic = Topic.objects.filter(pk=article.pk).first() or save_topic(
        topic=Topic(pk=article.pk, name="Same id", slug="same-id"), user=editor
    )
    first = versions_of(article)[0]
    response = AdminSession(editor).post(
        reverse("admin:articles_topic_revision", args=[topic.pk, first.pk]),
        {"name": topic.name, "slug": topic.slug, "description": "", "position": 0},
    )
    assert_still_as_approved(article)
    assert response.status_code == 404


def test_topic_recover_url_refuses_a_topic_that_still_exists(editor, versioned_topic):
    """Recover is for deleted records only: an existing topic's old version there is 404."""
    old = versions_of(versioned_topic)[0]
    response = AdminSession(editor).post(
        reverse("admin:articles_topic_recover", args=[old.pk]),
        {"name": "Liver metastases", "slug": "liver", "description": "Old.", "position": 0},
    )
    versioned_topic.refresh_from_db()
    assert versioned_topic.description == "Corrected wording."
    assert response.status_code == 404


def test_trial_revert_url_refuses_another_models_version(editor, trial):
    """A topic version under a trial's revert URL is 404 even when the ids line up, and
    nothing is reverted."""
    topic = save_topic(topic=Topic(pk=trial.pk, name="Same id", slug="same-id"), user=editor)
    topic.name = "Renamed"
    save_topic(topic=topic, user=editor)
    old = versions_of(topic)[0]
    response = AdminSession(editor).post(
        reverse("admin:articles_clinicaltrial_revision", args=[trial.pk, old.pk]),
        {"nct_id": trial.nct_id, "brief_title": trial.brief_title, "overall_status": "COMPLETED"},
    )
    topic.refresh_from_db()
    assert topic.name == "Renamed"
    assert response.status_code == 404


def test_article_recover_list_is_404_and_not_linked(writer, editor):
    """Articles are never deleted: the recover list is 404 and the article list has no link."""
    for user in (writer, editor):
        session = AdminSession(user)
        assert session.get(reverse("admin:articles_article_recoverlist")).status_code == 404
        listing = session.get(reverse("admin:articles_article_changelist")).text
        assert "recoverlink" not in listing


def test_deleted_topic_is_listed_and_recovered_by_an_editor(editor, versioned_topic):
    """A topic an editor deleted is offered in the recover list and comes back as it was."""
    session = AdminSession(editor)
    assert "recoverlink" in session.get(reverse("admin:articles_topic_changelist")).text
    deleted = session.post(
        reverse("admin:articles_topic_delete", args=[versioned_topic.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302 and not Topic.objects.exists()
    latest = versions_of(versioned_topic)[-1]
    recover_url = reverse("admin:articles_topic_recover", args=[latest.pk])
    assert recover_url in session.get(reverse("admin:articles_topic_recoverlist")).text
    form = {"name": "Liver metastases", "slug": "liver", "description": "Corrected wording."}
    assert session.post(recover_url, {**form, "position": 0}).status_code == 302
    assert Topic.objects.get(slug="liver").description == "Corrected wording."


def test_recover_list_leaves_out_revisions_shared_with_other_records(editor):
    """A deleted topic saved in one revision with another record is not offered for recovery,
    since recovering it would also revert the other record."""
    with reversion.create_revision():
        shared = Topic.objects.create(name="Shared", slug="shared")
        Topic.objects.create(name="Neighbour", slug="neighbour")
    version = versions_of(shared)[0]
    shared.delete()
    session = AdminSession(editor)
    url = reverse("admin:articles_topic_recover", args=[version.pk])
    assert url not in session.get(reverse("admin:articles_topic_recoverlist")).text
    assert session.post(url, {"name": "Shared", "slug": "shared", "position": 0}).status_code == 404
    assert not Topic.objects.filter(slug="shared").exists()


def test_topic_revert_cannot_be_saved_as_a_new_topic(editor, versioned_topic):
    """ "Save as new" on reversion's revert form is 400: it would add a topic and keep the
    revert of the old one unseen."""
    old = versions_of(versioned_topic)[0]
    response = AdminSession(editor).post(
        reverse("admin:articles_topic_revision", args=[versioned_topic.pk, old.pk]),
        {"name": "Copy", "slug": "copy", "description": "", "position": 0, "_saveasnew": "1"},
    )
    assert response.status_code == 400
    versioned_topic.refresh_from_db()
    assert versioned_topic.description == "Corrected wording."
    assert Topic.objects.count() == 1


def test_editor_reverts_a_topic_through_reversion(editor, versioned_topic):
    """An editor can still revert a topic to an earlier version; the revert is a new version."""
    old = versions_of(versioned_topic)[0]
    url = reverse("admin:articles_topic_revision", args=[versioned_topic.pk, old.pk])
    session = AdminSession(editor)
    assert "Old wording." in session.get(url).text
    form = {"name": "Liver metastases", "slug": "liver", "description": "Old wording."}
    assert session.post(url, {**form, "position": 0}).status_code == 302
    versioned_topic.refresh_from_db()
    assert versioned_topic.description == "Old wording."
    assert versions_of(versioned_topic)[-1].revision.user == editor


def test_writer_cannot_revert_a_topic_through_its_own_url(writer, versioned_topic):
    """Reverting needs the right to change the record: a writer's history has no revert
    links and the revert page is 403."""
    old = versions_of(versioned_topic)[0]
    url = reverse("admin:articles_topic_revision", args=[versioned_topic.pk, old.pk])
    session = AdminSession(writer)
    history = session.get(reverse("admin:articles_topic_history", args=[versioned_topic.pk]))
    assert "Corrected." in history.text and url not in history.text
    assert session.get(url).status_code == 403
    assert session.post(url, {"name": "x", "slug": "x", "position": 0}).status_code == 403
    versioned_topic.refresh_from_db()
    assert versioned_topic.description == "Corrected wording."


def test_every_version_admin_is_a_safe_one():
    """Each admin with reversion's recover and revert views restricts them (a new one too)."""
    version_admins = {
        model._meta.label: type(model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, VersionAdmin)
    }
    assert set(version_admins) >= {
        "articles.Article",
        "articles.Topic",
        "articles.ClinicalTrial",
        "reviews.ReviewerProfile",
    }
    assert all(issubclass(cls, SafeVersionAdmin) for cls in version_admins.values())
