"""Gaps a clinical CMS cannot leave in translations: a translation whose source was pulled
from the site is flagged and its people told; a translation nobody can review is reported to
the editors."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from articles.models import PublishedArticle
from articles.translations import translation_status
from reviews import translations, workflow
from reviews.models import TranslationNotice
from tests.admin_client import AdminSession
from tests.reviews.editorial_client import ARTICLES, client_for, detail_url
from tests.reviews.translation_steps import publish, spanish_reviewer, start_spanish
from tests.workflow_steps import publish_new_version

pytestmark = pytest.mark.django_db

QUEUE = "/admin/articles/article/translations/"
CHANGELIST = "/admin/articles/article/"


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


# A source pulled from the site --------------------------------------------------------------


def withdrawal_mails(user) -> list:
    return [m for m in mails_to(user) if "Source withdrawn" in m.subject]


def test_unpublishing_the_source_flags_the_translation_and_tells_its_people_once(
    live_article, spanish, writer, writer2, editor, django_capture_on_commit_callbacks
):
    """The translation's authors and the editors get one e-mail; the translation stays live
    (an editor decides); sweeping again sends nothing."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article=live_article, user=editor, reason="Unsafe dose advice.")
    (to_author,) = withdrawal_mails(writer2)
    assert spanish.title in to_author.subject
    assert live_article.title in to_author.body and "stays live" in to_author.body
    assert f"/admin/articles/article/{spanish.pk}/change/" in to_author.body
    assert len(withdrawal_mails(editor)) == 1
    assert withdrawal_mails(writer) == []  # the source's author did not translate it
    assert PublishedArticle.objects.live().filter(article=spanish).exists()
    notice = TranslationNotice.objects.get(translation=spanish)
    assert notice.source_withdrawn and notice.source_version == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert translations.notify_withdrawn_sources() == []
        assert translations.notify_outdated_translations() == []
    assert len(withdrawal_mails(writer2)) == 1


def test_archiving_the_source_tells_them_too(
    live_article, spanish, writer2, editor, django_capture_on_commit_callbacks
):
    """Archiving a live source takes it down: the same one e-mail."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.archive(article=live_article, user=editor, reason="Superseded.")
    assert len(withdrawal_mails(writer2)) == 1
    assert len(withdrawal_mails(editor)) == 1


def test_a_second_withdrawal_tells_them_again(
    live_article, spanish, writer, writer2, reviewer, editor, django_capture_on_commit_callbacks
):
    """Republished as version 2 and withdrawn again: a new withdrawal, a new e-mail (the
    version 2 publication's "out of date" notice aside)."""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article=live_article, user=editor, reason="Checking a dose.")
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_version(live_article, writer, reviewer, editor, body="Dose fixed [@1].")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article=live_article, user=editor, reason="Checking again.")
    assert len(withdrawal_mails(writer2)) == 2
    assert sorted(
        TranslationNotice.objects.filter(source_withdrawn=True).values_list(
            "source_version", flat=True
        )
    ) == [1, 2]


def test_a_withdrawn_source_is_not_called_current_anywhere(live_article, spanish, editor):
    """Editorial API: ``source_withdrawn``, in the detail and the list; public API:
    ``outdated`` (its enum is unchanged); the public page still says it is out of date."""
    workflow.unpublish(article=live_article, user=editor, reason="Unsafe dose advice.")
    client = client_for(editor)
    assert client.get(detail_url(spanish)).json()["translation_status"] == "source_withdrawn"
    listed = {item["id"]: item for item in client.get(ARTICLES).json()["results"]}
    assert listed[spanish.pk]["translation_status"] == "source_withdrawn"
    public = APIClient().get(f"/api/v1/articles/{spanish.slug}/").json()
    assert public["translation_status"] == "outdated"
    snapshot = PublishedArticle.objects.live().get(article=spanish)
    assert translation_status(snapshot).status == "source_withdrawn"
    assert translation_status(snapshot).outdated


def test_queue_lists_withdrawn_sources_first(
    make_article, live_article, spanish, writer, writer2, reviewer, revisora, editor
):
    """ "Translations to update": a translation whose source was withdrawn comes before the
    merely outdated ones (even one whose title sorts first), marked "source withdrawn"."""
    other = make_article(writer, title="Another source", slug="another-source")
    workflow.submit(article=other, user=writer)
    workflow.approve(article=other, user=reviewer)
    workflow.publish(article=other, user=editor)
    other_es = start_spanish(other, writer2)
    other_es.title = "A traducción"
    other_es = workflow.save_working_copy(article=other_es, user=writer2, comment="Título.")
    publish(other_es, writer2, revisora, editor)
    publish_new_version(other, writer, reviewer, editor, body="New dose [@1].")
    workflow.unpublish(article=live_article, user=editor, reason="Unsafe dose advice.")
    page = AdminSession(editor).get(QUEUE).text
    withdrawn_at = page.index(f'id="article-{spanish.pk}"')
    outdated_at = page.index(f'id="article-{other_es.pk}"')
    assert withdrawn_at < outdated_at
    assert "Source withdrawn" in page[withdrawn_at:outdated_at]
    assert "Source withdrawn" not in page[outdated_at:]
    change = AdminSession(editor).get(f"{CHANGELIST}{spanish.pk}/change/").text
    assert "The source was withdrawn from the site, but the translation is still live" in change
    filtered = AdminSession(editor).get(CHANGELIST + "?translation=source_withdrawn").text
    assert f"/admin/articles/article/{spanish.pk}/change/" in filtered
    assert f"/admin/articles/article/{other_es.pk}/change/" not in filtered


def test_review_due_sweeps_up_a_withdrawal_nobody_was_told_of(
    live_article, spanish, writer2, editor, django_capture_on_commit_callbacks
):
    """A withdrawal whose e-mail was never sent (its commit hook lost) is sent by
    ``manage.py review_due``, and said so, once."""
    workflow.unpublish(article=live_article, user=editor, reason="Unsafe dose advice.")
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("review_due", stdout=out)
    assert f"(id {spanish.pk}): its source's version 1 was withdrawn." in out.getvalue()
    assert len(withdrawal_mails(writer2)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("review_due", stdout=io.StringIO())
    assert len(withdrawal_mails(writer2)) == 1
