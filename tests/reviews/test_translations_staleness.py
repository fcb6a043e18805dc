"""A live translation goes out of date when its source's live version moves past the one it
was translated from: its status says so, its authors are e-mailed once, and it is listed in
the admin's "Translations to update" with the source's changes since."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PublishedArticle
from articles.translations import (
    live_language_versions,
    translation_status,
    with_translation_status,
)
from reviews import translations, workflow
from reviews.models import TranslationNotice
from tests.admin_client import AdminSession, messages_in
from tests.reviews.translation_steps import live_spanish
from tests.workflow_steps import approve_new_version, publish_new_version

pytestmark = pytest.mark.django_db

QUEUE = "/admin/articles/article/translations/"


def live(article: Article) -> PublishedArticle:
    return PublishedArticle.objects.live().get(article=article)


def mails_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def test_translation_is_current_until_its_source_is_republished(
    live_article, spanish, writer, reviewer, editor, signoff_holds
):
    """Current while it matches the source's live version; outdated, with the date the
    source changed and its address, once a newer source version is live."""
    status = translation_status(live(spanish))
    assert status.status == "current" and status.source_changed_on is None
    assert status.source_url == "/articles/bone-metastases-explained/"
    assert translation_status(live(live_article)).status is None
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    status = translation_status(live(spanish))
    assert status.status == "outdated"
    assert status.source_changed_on == timezone.localdate(live(live_article).go_live_at)
    assert status.source_live_version == 2
    assert status.source_url == "/articles/bone-metastases-explained/"


def test_a_new_source_draft_or_approval_does_not_make_it_outdated(
    live_article, spanish, writer, reviewer
):
    """Only what readers of the source see counts: an approved, unpublished version not."""
    approve_new_version(live_article, writer, reviewer, body="Not live yet [@1].")
    assert translation_status(live(spanish)).status == "current"


def test_translation_source_is_withdrawn_when_its_source_is_unpublished(
    live_article, spanish, editor
):
    """With no live source there is nothing current to match, and no link to it: not
    current (``outdated`` for the public API), ``source_withdrawn`` for the editors."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn for review.")
    status = translation_status(live(spanish))
    assert status.status == "source_withdrawn" and status.source_url is None
    assert status.outdated and status.public_status == "outdated"


def test_live_language_versions_link_source_and_translation(live_article, spanish):
    """Each lists the other, never itself."""
    assert [s.article_id for s in live_language_versions(live(live_article))] == [spanish.pk]
    assert [s.article_id for s in live_language_versions(live(spanish))] == [live_article.pk]


def test_authors_are_emailed_once_when_the_source_moves_on(
    live_article, spanish, writer, writer2, reviewer, editor, django_capture_on_commit_callbacks
):
    """Publishing a new source version tells the translation's authors, with the source's
    changes; sweeping again sends nothing; a further source version tells them again."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    (message,) = mails_to(writer2)
    assert "Translation out of date" in message.subject
    assert "version 2" in message.body and "from=1&to=2" in message.body
    assert writer.email not in message.to  # the source's author did not translate it
    assert TranslationNotice.objects.get(translation=spanish).source_version == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert translations.notify_outdated_translations() == []
    assert len(mails_to(writer2)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_version(live_article, writer, reviewer, editor, body="Newer dose [@1].")
    assert len(mails_to(writer2)) == 2


def test_a_scheduled_source_version_tells_the_translators_when_it_goes_live(
    live_article, spanish, writer, writer2, reviewer, editor, client, freeze_time,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Nothing is sent when it is scheduled; the first public read after its go-live time
    (a generation that ended by itself) sends it, once."""
    go_live = timezone.now() + datetime.timedelta(hours=2)
    approve_new_version(live_article, writer, reviewer, body="Scheduled text [@1].")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=live_article, user=editor, publish_at=go_live, change_note="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/").status_code == 200  # a generation valid until the go-live
    assert mails_to(writer2) == []
    freeze_time(go_live + datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/").status_code == 200
        assert client.get("/").status_code == 200
    assert len(mails_to(writer2)) == 1
    assert translation_status(live(spanish)).status == "outdated"


def test_queue_lists_outdated_translations_with_the_source_diff(
    live_article, spanish, writer, reviewer, editor
):
    """ "Translations to update" shows the translation and what changed in its source since
    the version it was translated from; linked from the admin index."""
    session = AdminSession(editor)
    assert "No translation is out of date" in session.get(QUEUE).text
    publish_new_version(live_article, writer, reviewer, editor, body="Take 100 mg daily [@1].")
    page = session.get(QUEUE).text
    assert spanish.title in page and f'id="article-{spanish.pk}"' in page
    assert "version 1 → 2" in page
    assert "100 mg" in page  # the body's diff
    assert QUEUE in session.get("/admin/").text


def test_queue_is_refused_to_users_without_article_access(live_article, spanish):
    """Someone without access to articles gets no queue."""
    from tests.conftest import make_user

    outsider = make_user("outsider")
    assert AdminSession(outsider).get(QUEUE).status_code == 403


def test_changelist_filter_by_translation_status(live_article, spanish, writer, reviewer, editor):
    """The list filter: outdated, current, not a translation."""
    session = AdminSession(editor)
    url = reverse("admin:articles_article_changelist")

    def listed(value: str) -> set[str]:
        page = session.get(url, {"translation": value}).text
        return {a.title for a in Article.objects.all() if f">{a.title}</a>" in page}

    assert listed("current") == {spanish.title}
    assert listed("outdated") == set()
    assert listed("none") == {live_article.title}
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    assert listed("outdated") == {spanish.title}
    assert listed("current") == set()


def test_changelist_filter_query_count_does_not_grow(
    make_article, writer, reviewer, revisora, editor, django_assert_max_num_queries
):
    """One outdated translation or three take the same number of queries."""
    session = AdminSession(editor)
    url = reverse("admin:articles_article_changelist") + "?translation=outdated"

    def outdated_pair(number: int) -> None:
        source = make_article(writer, title=f"Source {number}")
        workflow.submit(article=source, user=writer)
        workflow.approve(article=source, user=reviewer)
        workflow.publish(article=source, user=editor)
        live_spanish(source, writer, revisora, editor)
        publish_new_version(source, writer, reviewer, editor, body="Changed [@1].")

    outdated_pair(0)
    with django_assert_max_num_queries(25) as few:
        session.get(url)
    outdated_pair(1)
    outdated_pair(2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        session.get(url)
    assert (
        with_translation_status(Article.objects.all()).filter(translation_state="outdated").count()
        == 3
    )


def test_change_page_shows_the_source_and_marks_the_translation_updated(
    live_article, spanish, writer, writer2, reviewer, editor
):
    """The translation's page links its source and states its source version; once the
    source moved on, its author marks it updated (a new version)."""
    session = AdminSession(writer2)
    change = reverse("admin:articles_article_change", args=[spanish.pk])
    page = session.get(change).text
    assert reverse("admin:articles_article_change", args=[live_article.pk]) in page
    assert "matches source version <strong>1</strong>" in page
    assert "Mark as updated to source version" not in page
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    page = session.get(change).text
    assert "The live translation is out of date" in page
    assert "Mark as updated to source version 2" in page
    url = reverse("admin:articles_article_source_version", args=[spanish.pk])
    response = session.post(url, {"version": str(spanish.version)}, follow=True)
    assert any("matching source version 2" in text for text in messages_in(response))
    spanish.refresh_from_db()
    assert spanish.source_version == 2 and spanish.state == "draft"
    stale = session.post(url, {"version": "1"}, follow=True)
    assert any("Someone else saved" in text for text in messages_in(stale))
    assert Article.objects.get(pk=spanish.pk).version == spanish.version


def test_translate_button_starts_a_translation(live_article, writer, editor):
    """The source's page offers the languages it has no translation in; the form creates
    the draft and opens it; a crafted language is refused with a message."""
    session = AdminSession(writer)
    change = reverse("admin:articles_article_change", args=[live_article.pk])
    page = session.get(change).text
    assert '<option value="es">Español (es)</option>' in page
    assert '<option value="en">' not in page
    url = reverse("admin:articles_article_translate", args=[live_article.pk])
    refused = session.post(url, {"language": "../../etc"}, follow=True)
    assert any("not one of the site's languages" in text for text in messages_in(refused))
    assert Article.objects.count() == 1
    response = session.post(url, {"language": "es"})
    translation = Article.objects.get(translation_of=live_article)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[translation.pk])
    assert '<option value="es">' not in session.get(change).text
    assert session.get(url).status_code == 405
