"""A translation is an article with its own versions, review and sign-off: started from the
source's live version, approved only by a clinician who reviews in its language and did not
write it, signed off together with the source version it matches."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail

from articles.models import Article, PublishedArticle
from articles.snapshots import article_digest, content_digest, reader_content, snapshot_content
from reviews import profiles, signoff, workflow
from reviews.models import AuditEntry, Review
from tests.conftest import make_reviewer
from tests.reviews.translation_steps import (
    SPANISH_BODY,
    live_spanish,
    publish,
    spanish_reviewer,
    start_spanish,
)
from tests.workflow_steps import publish_new_version

pytestmark = pytest.mark.django_db


# Starting a translation -------------------------------------------------------------------


def test_start_translation_copies_the_live_version_as_a_draft(live_article, writer, writer2):
    """The translation starts as version 1, a draft credited to its translator, from the
    source's live version (not a newer draft): text, topics, references; source and source
    version recorded."""
    live_article.body = "## Symptoms\n\nA newer draft, not yet approved [@1]."
    workflow.save_working_copy(article=live_article, user=writer)
    translation = workflow.start_translation(source=live_article, language="es", user=writer2)
    assert translation.version == 1 and translation.state == "draft"
    assert translation.language == "es"
    assert translation.translation_of_id == live_article.pk
    assert translation.source_version == 1
    assert translation.body == "## Symptoms\n\nBone pain is common [@1]."
    assert translation.title == live_article.title
    assert translation.slug == f"{live_article.slug}-es"
    assert list(translation.topics.all()) == list(live_article.topics.all())
    assert [ref.pmid for ref in translation.references.all()] == [
        ref.pmid for ref in live_article.references.all()
    ]
    assert list(translation.authors.all()) == [writer2]
    live_article.refresh_from_db()
    assert live_article.version == 2  # the source is not changed


@pytest.mark.parametrize(
    ("language", "error", "message"),
    [
        ("fr", workflow.InvalidInput, "not one of the site's languages"),
        ("en", workflow.InvalidInput, "already in English"),
    ],
)
def test_start_translation_refuses_a_language_not_offered(
    live_article, writer, language, error, message
):
    """A language the site does not have, or the source's own, is refused: nothing created."""
    with pytest.raises(error, match=message) as raised:
        workflow.start_translation(source=live_article, language=language, user=writer)
    assert raised.value.field == "language"
    assert Article.objects.count() == 1


def test_start_translation_refuses_a_source_that_is_not_live(make_article, writer):
    """A draft has no version readers see, so nothing to translate yet."""
    draft = make_article(writer)
    with pytest.raises(workflow.TransitionNotAllowed, match="Only a live article"):
        workflow.start_translation(source=draft, language="es", user=writer)


def test_start_translation_refuses_a_translation_and_a_second_one(
    live_article, writer, revisora, editor
):
    """A translation is not translated again, and a language has one translation in use; an
    archived one no longer counts."""
    spanish = live_spanish(live_article, writer, revisora, editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="itself a translation"):
        workflow.start_translation(source=spanish, language="en", user=writer)
    with pytest.raises(workflow.TransitionNotAllowed, match="already has a translation"):
        workflow.start_translation(source=live_article, language="es", user=writer)
    workflow.archive(article=spanish, user=editor, reason="Retraducir desde cero.")
    again = workflow.start_translation(source=live_article, language="es", user=writer)
    assert again.translation_of_id == live_article.pk and again.slug != spanish.slug


def test_only_writers_authors_and_editors_start_translations(live_article, reviewer2):
    """A clinical reviewer is not a translator here: 403."""
    with pytest.raises(workflow.ActionForbidden):
        workflow.start_translation(source=live_article, language="es", user=reviewer2)


def test_language_of_a_translation_cannot_be_edited_into_its_source_language(live_article, writer):
    """The model's rules keep a translation in another language than its source."""
    translation = workflow.start_translation(source=live_article, language="es", user=writer)
    translation.language = "en"
    with pytest.raises(Exception, match="another language than its source"):
        translation.full_clean()


# Sign-off in the translation's language -----------------------------------------------------


def test_reviewer_without_spanish_may_not_approve_a_spanish_translation(
    live_article, writer, reviewer2, revisora, signoff_holds
):
    """English-only reviewers get 403 with the reason; a reviewer who reviews in Spanish
    approves; English content keeps working for the English reviewer."""
    translation = workflow.submit(article=start_spanish(live_article, writer), user=writer)
    for action in (workflow.approve, workflow.request_changes):
        with pytest.raises(workflow.ActionForbidden, match=r"Español \(es\)"):
            action(article=translation, user=reviewer2, comment="Looks fine.")
    assert workflow.Action.APPROVE not in workflow.allowed_actions(reviewer2, translation)
    assert workflow.Action.APPROVE in workflow.allowed_actions(revisora, translation)
    workflow.approve(article=translation, user=revisora, comment="Correcto.")
    assert Review.objects.get(article=translation, status="approved").reviewer == revisora


def test_confirm_current_of_a_translation_needs_the_language(
    live_article, writer, revisora, reviewer2, editor, signoff_holds
):
    """Confirming a live translation is a sign-off too."""
    translation = live_spanish(live_article, writer, revisora, editor)
    with pytest.raises(workflow.ActionForbidden, match="languages you review"):
        workflow.confirm_current(article=translation, user=reviewer2)
    both = spanish_reviewer("bilingue", languages=("en", "es"))
    workflow.confirm_current(article=translation, user=both, comment="Sigue vigente.")


def test_translator_who_reviews_in_spanish_may_not_approve_their_own_translation(
    live_article, editor, signoff_holds
):
    """Separation of duties holds for translations: the translator cannot sign it off."""
    translator = spanish_reviewer("traductora", languages=("en", "es"))
    translation = workflow.start_translation(source=live_article, language="es", user=editor)
    translation.body = SPANISH_BODY
    workflow.save_working_copy(article=translation, user=translator)
    workflow.submit(article=translation, user=editor)
    with pytest.raises(workflow.ActionForbidden, match="nobody signs off their own"):
        workflow.approve(article=translation, user=translator)


def test_review_requests_go_only_to_reviewers_of_the_language(
    live_article, writer, reviewer2, revisora, django_capture_on_commit_callbacks
):
    """Submitting a Spanish translation e-mails the Spanish reviewers, not English-only ones."""
    translation = start_spanish(live_article, writer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=translation, user=writer)
    told = {address for message in mail.outbox for address in message.to}
    assert revisora.email in told
    assert reviewer2.email not in told


def test_review_queue_lists_only_the_reviewers_languages(live_article, writer, reviewer2, revisora):
    """ "Needs my review" shows a Spanish translation to Spanish reviewers only."""
    translation = start_spanish(live_article, writer)
    workflow.submit(article=translation, user=writer)
    assert list(workflow.needs_review_by(revisora, Article.objects.all())) == [translation]
    assert list(workflow.needs_review_by(reviewer2, Article.objects.all())) == []


def test_removing_a_review_language_sends_its_unpublished_approvals_back(
    live_article, writer, revisora, editor
):
    """The languages are not the verified identity (verification kept), but an approval in a
    language the reviewer no longer reviews goes back to review and cannot be published."""
    translation = start_spanish(live_article, writer)
    workflow.submit(article=translation, user=writer)
    workflow.approve(article=translation, user=revisora)
    profile = revisora.reviewer_profile
    stored = profiles.stored_profile(profile)
    profile.languages = ["en"]
    assert profiles.save_reviewer_profile(profile=profile, stored=stored, user=editor) is False
    profile.refresh_from_db()
    assert profile.credentials_verified_at is not None
    translation.refresh_from_db()
    assert translation.state == "in_review"
    entry = AuditEntry.objects.filter(article=translation, action="withdrawn").get()
    assert "no longer review content in es" in entry.comment


def test_publishing_refuses_an_approval_by_a_reviewer_who_dropped_the_language(
    live_article, writer, revisora, editor
):
    """Defence in depth: a language removed behind the workflow's back still stops it."""
    translation = start_spanish(live_article, writer)
    workflow.submit(article=translation, user=writer)
    workflow.approve(article=translation, user=revisora)
    type(revisora.reviewer_profile).objects.filter(user=revisora).update(languages=["en"])
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer reviews content in"):
        workflow.publish(article=translation, user=editor)


# The digest and the snapshot ------------------------------------------------------------------


def test_digest_covers_language_source_and_source_version(live_article, writer):
    """A different source version, source or language is different signed-off content."""
    translation = start_spanish(live_article, writer)
    content = reader_content(translation)
    assert content["language"] == "es"
    assert content["translation_of_id"] == live_article.pk
    assert content["source_version"] == 1
    digest = article_digest(translation)
    for change in ({"source_version": 2}, {"translation_of_id": 999}, {"language": "en"}):
        assert content_digest({**content, **change}) != digest


def test_publishing_a_translation_writes_its_source_into_the_snapshot(
    live_article, writer, revisora, editor, signoff_holds
):
    """The snapshot records the source and source version approved; its digest verifies."""
    translation = live_spanish(live_article, writer, revisora, editor)
    snapshot = PublishedArticle.objects.get(article=translation)
    assert snapshot.language == "es"
    assert snapshot.translation_of_id == live_article.pk
    assert snapshot.source_version == 1
    review = Review.objects.get(article=translation, status="published")
    assert snapshot.digest == review.digest == content_digest(snapshot_content(snapshot))


def test_verify_signoff_catches_a_translation_whose_source_version_was_altered(
    live_article, writer, revisora, editor
):
    """Claiming a newer source version in the database, behind the workflow, is caught."""
    translation = live_spanish(live_article, writer, revisora, editor)
    PublishedArticle.objects.filter(article=translation).update(source_version=5)
    problems = [violation.problem for violation in signoff.verify().violations]
    assert any("changed after publication" in problem for problem in problems)


def test_verify_signoff_catches_a_translation_approved_by_its_translator(
    live_article, editor, revisora
):
    """An approval forged onto the translator is reported like on any article."""
    translator = spanish_reviewer("traductor", languages=("es",))
    translator.groups.add(Group.objects.get(name=settings.WRITERS_GROUP))
    translation = workflow.start_translation(source=live_article, language="es", user=translator)
    publish(translation, editor, revisora, editor)
    Review.objects.filter(article=translation).update(reviewer=translator)
    problems = [violation.problem for violation in signoff.verify().violations]
    assert any("who wrote or edited this version" in problem for problem in problems)


def test_pages_signed_under_format_three_still_verify_and_confirm(
    live_article, reviewer2, signoff_holds
):
    """Content that is not a translation, approved before translations joined the digest,
    keeps its format-3 digest: it verifies and can be confirmed as still accurate."""
    snapshot = PublishedArticle.objects.get(article=live_article)
    old = content_digest(snapshot_content(snapshot), 3)
    assert old != snapshot.digest
    PublishedArticle.objects.filter(pk=snapshot.pk).update(digest=old)
    Review.objects.filter(article=live_article).update(digest=old)
    AuditEntry.objects.filter(article=live_article).exclude(digest="").update(digest=old)
    assert signoff.verify().violations == []
    workflow.confirm_current(article=live_article, user=reviewer2, comment="Still accurate.")
    assert Review.objects.get(article=live_article, status="confirmed").digest == old


def test_a_format_three_approval_of_an_english_article_still_publishes(
    make_article, writer, reviewer, editor, signoff_holds
):
    """An approval given before the upgrade (format 3) publishes and verifies."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    old = content_digest(reader_content(article), 3)
    Review.objects.filter(article=article).update(digest=old)
    AuditEntry.objects.filter(article=article, action="approve").update(digest=old)
    workflow.publish(article=article, user=editor)
    assert PublishedArticle.objects.get(article=article).digest == old


# Updating a translation to a newer source version -------------------------------------------


def test_update_source_version_is_a_new_version_to_review(
    live_article, writer, reviewer, revisora, editor, signoff_holds
):
    """After the source moves on, marking the translation updated saves a version that
    states the new source version; once approved and published, the page matches it."""
    translation = live_spanish(live_article, writer, revisora, editor)
    publish_new_version(live_article, writer, reviewer, editor, body="New text [@1].")
    updated = workflow.update_source_version(
        article=translation, user=writer, expected_version=translation.version
    )
    assert updated.version == translation.version + 1
    assert updated.source_version == 2 and updated.state == "draft"
    publish(updated, writer, revisora, editor, note="Actualizada con la fuente.")
    assert PublishedArticle.objects.live().get(article=translation).source_version == 2
    with pytest.raises(workflow.TransitionNotAllowed, match="already states"):
        workflow.update_source_version(article=updated, user=writer)


def test_update_source_version_refusals(live_article, make_article, writer, editor):
    """Not a translation, a stale version, or someone without the role: refused."""
    with pytest.raises(workflow.TransitionNotAllowed, match="not a translation"):
        workflow.update_source_version(article=live_article, user=writer)
    translation = start_spanish(live_article, writer)
    with pytest.raises(workflow.StaleVersion):
        workflow.update_source_version(article=translation, user=writer, expected_version=1)
    outsider = make_reviewer("outsider")
    with pytest.raises(workflow.ActionForbidden):
        workflow.update_source_version(article=translation, user=outsider)
