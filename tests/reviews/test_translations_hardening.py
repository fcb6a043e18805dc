"""Issue 17 reviewed as a whole: what an attacker or a careless click could do to a
translation's sign-off, and what the sign-off check must catch."""

import pytest
from django.urls import reverse

from articles.models import Article, PublishedArticle
from reviews import signoff, workflow
from reviews.models import Review
from tests.admin_client import AdminSession, messages_in
from tests.reviews.editorial_client import client_for, etag

pytestmark = pytest.mark.django_db


# One translation in use per language -----------------------------------------------------------


def test_restoring_a_translation_refuses_a_second_one_in_its_language(
    live_article, spanish, writer2, editor
):
    """A Spanish translation archived, another started in its place: restoring the first
    would make two Spanish translations of one source (two live Spanish pages competing for
    one hreflang), so it is refused (409) and the first stays archived."""
    workflow.archive(article=Article.objects.get(pk=spanish.pk), user=editor, reason="Redo.")
    second = workflow.start_translation(source=live_article, language="es", user=writer2)
    with pytest.raises(workflow.TransitionNotAllowed, match=f"id {second.pk}"):
        workflow.unarchive(article=Article.objects.get(pk=spanish.pk), user=editor)
    assert Article.objects.get(pk=spanish.pk).archived_at is not None
    response = client_for(editor).act(Article.objects.get(pk=spanish.pk), "unarchive")
    assert response.status_code == 409
    assert "already has a translation into Español" in response.json()["detail"]
    assert list(live_article.translations.active()) == [second]


def test_restoring_a_translation_into_its_sources_own_language_is_refused(
    live_article, spanish, writer, editor
):
    """With the Spanish translation archived, its English source may become Spanish; the
    translation then cannot come back as a "translation" into its source's own language."""
    workflow.archive(article=Article.objects.get(pk=spanish.pk), user=editor, reason="Redo.")
    source = Article.objects.get(pk=live_article.pk)
    source.language = "es"
    source.full_clean()
    workflow.save_working_copy(article=source, user=writer)
    with pytest.raises(workflow.TransitionNotAllowed, match="its source is in Español"):
        workflow.unarchive(article=Article.objects.get(pk=spanish.pk), user=editor)
    assert Article.objects.get(pk=spanish.pk).archived_at is not None


def test_restoring_a_translation_alone_in_its_language_is_allowed(live_article, spanish, editor):
    workflow.archive(article=Article.objects.get(pk=spanish.pk), user=editor, reason="Pause.")
    restored = workflow.unarchive(article=Article.objects.get(pk=spanish.pk), user=editor)
    assert restored.archived_at is None


# What verify_signoff catches on a translation ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("language", "en"), ("translation_of_id", None), ("source_version", 7)],
)
def test_verify_signoff_catches_a_tampered_translation_snapshot(spanish, field, value):
    """The language, the source and the source version of a live translation are signed off:
    a snapshot altered in the database after publication is reported."""
    assert signoff.verify().violations == []
    PublishedArticle.objects.filter(article_id=spanish.pk).update(**{field: value})
    problems = [violation.problem for violation in signoff.verify().violations]
    assert any("changed after publication" in problem for problem in problems), problems


def test_approval_records_the_languages_the_reviewer_reviewed_in(spanish, revisora):
    """Each sign-off freezes the reviewer's review languages as they stood, as it freezes
    their byline."""
    review = Review.objects.get(article_id=spanish.pk, status=Review.Status.PUBLISHED)
    assert review.reviewer_languages == ["es"]


def test_verify_signoff_catches_an_approval_by_a_reviewer_who_did_not_read_the_language(
    spanish, revisora
):
    """A live translation whose approval says the reviewer did not review in its language
    when they approved (a forged or altered ledger) is reported, even though the reviewer's
    profile lists the language now."""
    Review.objects.filter(article_id=spanish.pk).update(reviewer_languages=["en"])
    problems = [violation.problem for violation in signoff.verify().violations]
    assert problems == [
        f"approved by user {revisora.pk}, whose reviewer profile did not list es (Español) "
        "among the languages they reviewed in when approving"
    ]


def test_a_reviewer_dropping_a_language_later_does_not_void_a_live_approval(
    spanish, revisora, editor
):
    """What counts is the language at approval time: the live page the reviewer approved
    while reviewing in Spanish still verifies after an editor removes Spanish."""
    profile = revisora.reviewer_profile
    profile.languages = ["en"]
    profile.save()
    assert signoff.verify().violations == []


def test_stale_if_match_on_update_source_version_changes_nothing(live_article, spanish, writer2):
    before = Article.objects.get(pk=spanish.pk).version
    client = client_for(writer2)
    old = etag(spanish)
    spanish.body += " Más."
    workflow.save_working_copy(article=spanish, user=writer2)
    response = client.post(
        f"/api/v1/editorial/articles/{spanish.pk}/update-source-version/",
        {},
        format="json",
        headers={"If-Match": old},
    )
    assert response.status_code == 412
    assert Article.objects.get(pk=spanish.pk).version == before + 1


@pytest.mark.parametrize("version", ["²", "", "-1", "1.0", "1e3", "١"])
def test_mark_updated_with_a_crafted_version_changes_nothing(
    live_article, spanish, writer, writer2, reviewer, editor, version
):
    """The admin's "Mark as updated" form with a version that is not the one the page showed
    (not a number, a Unicode digit) is a message and no change, never a 500."""
    from tests.workflow_steps import publish_new_version

    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    before = Article.objects.get(pk=spanish.pk).version
    url = reverse("admin:articles_article_source_version", args=[spanish.pk])
    response = AdminSession(writer2).post(url, {"version": version}, follow=True)
    assert response.status_code == 200
    assert messages_in(response), "no message"
    assert Article.objects.get(pk=spanish.pk).version == before


@pytest.mark.parametrize("since", ["²", "abc", "0", "999"])
def test_review_page_ignores_a_crafted_since(spanish, revisora, since):
    """The review page's ``?since=`` (the version the reviewer last read) that is not an
    earlier version is ignored: the page answers, never a 500."""
    url = reverse("admin:articles_article_review", args=[spanish.pk])
    response = AdminSession(revisora).get(url, {"since": since})
    assert response.status_code == 200
    assert response.context["since"] is None


# The admin's translation pages -----------------------------------------------------------------


def test_admin_translation_actions_need_post_csrf_and_the_role(
    live_article, spanish, writer, writer2, reviewer, editor
):
    """ "Translate into …" and "Mark as updated" are POSTs with the CSRF token by an author,
    writer or editor; the queue only reads. Anything else changes nothing."""
    from django.test import Client

    from tests.conftest import PASSWORD
    from tests.workflow_steps import publish_new_version

    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    translate = reverse("admin:articles_article_translate", args=[live_article.pk])
    mark = reverse("admin:articles_article_source_version", args=[spanish.pk])
    queue = reverse("admin:articles_article_translations")
    before = (Article.objects.count(), Article.objects.get(pk=spanish.pk).version)

    no_csrf = Client(enforce_csrf_checks=True)
    assert no_csrf.login(username=writer2.username, password=PASSWORD)
    assert no_csrf.post(mark, {"version": str(spanish.version)}).status_code == 403
    assert no_csrf.post(translate, {"language": "es"}).status_code == 403

    clinician = AdminSession(reviewer)
    assert clinician.post(mark, {"version": str(spanish.version)}).status_code == 403
    assert clinician.post(translate, {"language": "es"}).status_code == 403

    writer_session = AdminSession(writer2)
    assert writer_session.post(queue, {}).status_code == 405
    assert writer_session.get(mark).status_code == 405
    assert (Article.objects.count(), Article.objects.get(pk=spanish.pk).version) == before
    assert f'id="article-{spanish.pk}"' in writer_session.get(queue).text


# Restoring an old version of a translation --------------------------------------------------------


def test_restoring_an_old_translation_version_restores_the_source_version_it_matched(
    live_article, spanish, writer, writer2, reviewer, editor
):
    """A translation marked updated to source version 2, then restored to its text of before
    (translated from source version 1), says again that it matches version 1: the restored
    text must not be signed off, nor shown as current, as the translation of version 2."""
    from tests.workflow_steps import publish_new_version

    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    translated_from_one = Article.objects.get(pk=spanish.pk).version
    updated = workflow.update_source_version(
        article=Article.objects.get(pk=spanish.pk), user=writer2
    )
    updated.body = "## Síntomas\n\nNueva dosis [@1]."
    updated = workflow.save_working_copy(article=updated, user=writer2)
    assert updated.source_version == 2
    translated_from_two = updated.version
    restored = workflow.restore_version(article=updated, number=translated_from_one, user=writer2)
    assert restored.body == Article.objects.get(pk=spanish.pk).body
    assert restored.source_version == 1
    # Restoring the updated text brings back the claim it was made with.
    again = workflow.restore_version(article=restored, number=translated_from_two, user=writer2)
    assert (again.body, again.source_version) == ("## Síntomas\n\nNueva dosis [@1].", 2)


def test_the_review_page_of_a_translation_shows_its_source_and_what_moved_on(
    live_article, writer, writer2, reviewer, revisora, editor
):
    """The clinician reviewing a translation sees, on the review page, which article and
    which source version it states it matches, and, when the source's live version is newer,
    a link to what changed in the source since."""
    from tests.reviews.translation_steps import start_spanish
    from tests.workflow_steps import publish_new_version

    translation = start_spanish(live_article, writer2)
    workflow.submit(article=translation, user=writer2)
    url = reverse("admin:articles_article_review", args=[translation.pk])
    session = AdminSession(revisora)
    page = session.get(url).text
    source_link = reverse("admin:articles_article_change", args=[live_article.pk])
    assert f'href="{source_link}"' in page
    assert "matches source version <strong>1</strong>" in page
    assert "the source's live version is 1." in page
    compare = reverse("admin:articles_article_compare", args=[live_article.pk])
    assert compare not in page
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    page = session.get(url).text
    assert "the source's live version is 2." in page
    assert f"{compare}?from=1&amp;to=2" in page


# The public side: only live, approved translations -------------------------------------------


def _everywhere_public(client, source, translation) -> list[str]:
    """Where the public site and API mention ``translation``'s address."""
    from rest_framework.test import APIClient

    api = APIClient()
    places = {
        "its Spanish page": client.get(f"/es/articles/{translation.slug}/").status_code != 404,
        "its English address": client.get(f"/articles/{translation.slug}/").status_code != 404,
        "the source page": translation.slug in client.get(f"/articles/{source.slug}/").text,
        "the sitemap": translation.slug in client.get("/sitemap.xml").text,
        "Spanish search": translation.slug in client.get("/es/search/", {"q": "huesos"}).text,
        "the Spanish home": translation.slug in client.get("/es/").text,
        "the Spanish feed": translation.slug in client.get("/es/feed/").text,
        "API ?language=es": api.get("/api/v1/articles/", {"language": "es"}).json()["count"] > 0,
        "API translations": bool(
            api.get(f"/api/v1/articles/{source.slug}/").json()["translations"]
        ),
    }
    return [place for place, found in places.items() if found]


def test_a_draft_translation_is_nowhere_public(client, live_article, writer2):
    from tests.reviews.translation_steps import start_spanish

    translation = start_spanish(live_article, writer2)
    workflow.submit(article=translation, user=writer2)
    assert _everywhere_public(client, live_article, translation) == []


def test_an_unpublished_translation_is_nowhere_public(client, live_article, spanish, editor):
    live = _everywhere_public(client, live_article, spanish)
    assert live == [
        "its Spanish page",
        "its English address",  # a redirect to the Spanish page
        "the source page",
        "the sitemap",
        "Spanish search",
        "the Spanish home",
        "the Spanish feed",
        "API ?language=es",
        "API translations",
    ]
    workflow.unpublish(article=Article.objects.get(pk=spanish.pk), user=editor, reason="Error.")
    assert _everywhere_public(client, live_article, spanish) == []


def test_an_approved_translation_not_yet_published_is_nowhere_public(
    client, live_article, writer2, revisora
):
    from tests.reviews.translation_steps import start_spanish

    translation = start_spanish(live_article, writer2)
    workflow.submit(article=translation, user=writer2)
    workflow.approve(article=translation, user=revisora, comment="Correcto.")
    assert _everywhere_public(client, live_article, translation) == []


@pytest.mark.parametrize(
    "path",
    [
        "/xx/",
        "/ES/",
        "/es-ES/articles/",
        "/en/articles/",
        "/es/articles/..%2F..%2Fetc%2Fpasswd/",
        "/es/articles/%00/",
        "/es/articles/%ff/",
        "/es/" + "a" * 5000,
        "/es/api/v1/articles/",
        "/es/admin/",
        "/es/preview/abc/",
    ],
)
def test_crafted_language_prefixes_are_404(client, path):
    """Unknown, upper-case, regional or default-language prefixes, and paths that are not
    reader pages under /es/, are a plain 404 (never a 500), whatever Accept-Language says."""
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es;q=abc,,;;,*")
    assert response.status_code == 404
