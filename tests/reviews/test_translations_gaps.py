"""Gaps a clinical CMS cannot leave in translations: a translation whose source was pulled
from the site is flagged and its people told; a translation nobody can review is reported to
the editors."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail

from reviews import workflow
from tests.reviews.translation_steps import spanish_reviewer, start_spanish

pytestmark = pytest.mark.django_db


def mails_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


# Nobody reviews in the language -------------------------------------------------------------


def test_editors_are_told_when_nobody_can_review_the_language(
    live_article, writer, reviewer, editor, django_capture_on_commit_callbacks
):
    """No verified reviewer lists Spanish: the submit succeeds, and the editors get one
    e-mail saying nobody can review it and how to fix it."""
    translation = start_spanish(live_article, writer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=translation, user=writer)
    translation.refresh_from_db()
    assert translation.state == "in_review"
    (message,) = mails_to(editor)
    assert "No reviewer" in message.subject and translation.title in message.subject
    assert "Español" in message.body and "reviewer profile" in message.body
    assert f"/admin/articles/article/{translation.pk}/change/" in message.body
    assert mails_to(reviewer) == []  # English-only reviewer not asked


def test_a_reviewer_who_translated_it_does_not_count(
    live_article, editor, django_capture_on_commit_callbacks
):
    """The only Spanish reviewer wrote the translation: separation of duties leaves nobody,
    so the editors are told."""
    translator = spanish_reviewer("traductora")
    translator.groups.add(Group.objects.get_or_create(name=settings.WRITERS_GROUP)[0])
    translation = start_spanish(live_article, translator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=translation, user=translator)
    assert len(mails_to(editor)) == 1
    assert "No reviewer" in mails_to(editor)[0].subject


def test_editors_are_not_told_when_a_reviewer_can_review(
    live_article, writer, editor, django_capture_on_commit_callbacks
):
    """With a verified Spanish reviewer, the request goes to them and not to the editors."""
    revisora = spanish_reviewer()
    translation = start_spanish(live_article, writer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=translation, user=writer)
    assert len(mails_to(revisora)) == 1
    assert mails_to(editor) == []
