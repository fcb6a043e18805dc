"""Edge cases of the workflow: failures mid-publish, dates, audit and e-mail recipients."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

import articles.snapshots
from articles.models import PublishedArticle
from reviews import workflow
from reviews.models import Review
from tests.workflow_steps import approve_new_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def test_failure_mid_publish_keeps_previous_live_version(
    live_article, writer, reviewer2, editor, monkeypatch
):
    """If building the new snapshot fails, the previous live version stays live and intact."""
    approve_new_version(live_article, writer, reviewer2, title="Version two title")
    before = PublishedArticle.objects.live().get(article=live_article)

    def broken_build(**kwargs):
        raise RuntimeError("disk full while rendering")

    monkeypatch.setattr(articles.snapshots, "build_snapshot", broken_build)
    with pytest.raises(RuntimeError):
        workflow.publish(article=live_article, user=editor, change_note="Second edition.")
    after = PublishedArticle.objects.live().get(article=live_article)
    assert (after.pk, after.version, after.title, after.live_until) == (
        before.pk,
        before.version,
        before.title,
        None,
    )
    assert live_article.reviews.get(version=2).status == Review.Status.APPROVED
    assert not live_article.audit_entries.filter(action="publish", version=2).exists()


def test_first_published_date_ignores_superseded_schedule(
    make_article, writer, reviewer, reviewer2, editor
):
    """A scheduled first publication replaced before its time does not set a future date."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(
        article=article, user=editor, publish_at=timezone.now() + datetime.timedelta(days=7)
    )
    approve_new_version(article, writer, reviewer2, summary="Sooner.")
    workflow.publish(article=article, user=editor, change_note="Published sooner.")
    live = PublishedArticle.objects.live().get(article=article)
    assert live.first_published_at <= timezone.now()


def test_editing_a_live_article_without_open_review_logs_no_withdrawal(live_article, writer):
    """An edit after publication starts a draft, but no review was withdrawn, so none is logged."""
    live_article.summary = "Clearer summary."
    workflow.save_working_copy(article=live_article, user=writer)
    assert not live_article.audit_entries.filter(action="withdrawn").exists()


def test_review_request_not_sent_to_reviewers_who_edited(
    make_article, writer, reviewer, reviewer2, mailoutbox, django_capture_on_commit_callbacks
):
    """Reviewers who edited the version are not asked to review it; the others are."""
    article = make_article(writer)
    article.body += "\n\nA reviewer's edit."
    workflow.save_working_copy(article=article, user=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=article, user=writer)
    recipients = {address for message in mailoutbox for address in message.to}
    assert recipients == {reviewer2.email}


def test_approval_email_reaches_superusers_too(
    make_article, writer, reviewer, editor, mailoutbox, django_capture_on_commit_callbacks
):
    """Editors and superusers (who may publish) hear that a version is ready."""
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(article=article, user=reviewer)
    ready = [m for m in mailoutbox if m.subject.startswith("Ready to publish")]
    assert {m.to[0] for m in ready} == {editor.email, boss.email}


def test_editorial_api_never_reveals_passwords_or_other_emails(
    make_article, writer, writer2, editor
):
    """Editorial responses name users by username only: no hashes, no e-mail addresses."""
    article = make_article(writer2)
    api = APIClient()
    api.force_authenticate(writer)
    responses = [
        api.get("/api/v1/editorial/articles/"),
        api.get(f"/api/v1/editorial/articles/{article.pk}/"),
        api.get(f"/api/v1/editorial/articles/{article.pk}/versions/"),
        api.get(f"/api/v1/editorial/articles/{article.pk}/diff/", {"from": 1, "to": 1}),
    ]
    for response in responses:
        text = response.content.decode()
        assert response.status_code == 200
        assert "md5$" not in text and "pbkdf2" not in text and "password" not in text
        for person in (writer, writer2, editor):
            assert person.email not in text
