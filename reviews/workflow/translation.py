"""Translations: starting one from a live source, and marking it updated to a newer version of
its source.

A translation is an article like any other (its own working copy, versions, review, sign-off
and publication); what makes it one is ``translation_of`` (its source) and ``source_version``
(the version of the source it matches). Both are content the clinician signs off
(``articles.snapshots.reader_content``), set only here: when the translation starts (the
source's live version) and when a writer marks it updated to the source's newer live version,
each time as a new version that needs review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from articles.models import Article, Reference
from articles.selectors import article_version_content
from articles.services import unique_article_slug

from ..roles import language_name
from ..selectors import live_snapshot
from ..states import Role
from .common import lock
from .editing import _reference_values, ensure_editable, save_working_copy
from .errors import ActionForbidden, InvalidInput, TransitionNotAllowed
from .permissions import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# What a translation starts from: the source's live version of these fields (the text is the
# translator's starting point; the classification and citations stay the same).
COPIED_FIELDS = ("title", "summary", "body", "audience", "review_interval_months")


def translation_languages(source: Article) -> list[tuple[str, str]]:
    """The languages ``source`` may still be translated into: the site's languages but its
    own and those it has a translation in use in."""
    taken = set(source.translations.active().values_list("language", flat=True))
    return [
        (code, name)
        for code, name in settings.LANGUAGES
        if code != source.language and code not in taken
    ]


def _ensure_may_translate(user: AbstractBaseUser | None, article: Article, what: str) -> None:
    if not has_role(user, Role.AUTHOR_WRITER_OR_EDITOR, article):
        raise ActionForbidden(f"Only {Role.AUTHOR_WRITER_OR_EDITOR.label} may {what}.")


def ensure_sole_translation(article: Article) -> None:
    """Refuse (409) to bring back into use a translation whose source is now in its language,
    or already has another translation in use into it: one source has one translation per
    other language (its one page in that language, its one hreflang alternate)."""
    if article.translation_of_id is None:
        return
    source = article.translation_of
    if source.language == article.language:
        raise TransitionNotAllowed(
            f"This translation is in {language_name(article.language)}, and its source is in "
            f"{language_name(source.language)} now too (“{source.title}”, id {source.pk}): it "
            "is no longer a translation of it, so it stays archived."
        )
    other = (
        Article.objects.active()
        .filter(translation_of_id=article.translation_of_id, language=article.language)
        .exclude(pk=article.pk)
        .first()
    )
    if other is not None:
        raise TransitionNotAllowed(
            f"Its source already has a translation into {language_name(article.language)} in "
            f"use: “{other.title}” (id {other.pk}). Archive that one first, or keep working on "
            "it instead."
        )


def _ensure_translatable(source: Article, language: str) -> int:
    """Refuse a translation of ``source`` into ``language``; returns the source's live
    version otherwise."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise InvalidInput(
            f"“{language}” is not one of the site's languages ({', '.join(codes)}).",
            field="language",
        )
    if language == source.language:
        raise InvalidInput(
            f"The article is already in {language_name(language)}: choose another language.",
            field="language",
        )
    if source.archived_at is not None:
        raise TransitionNotAllowed("An archived article cannot be translated.")
    if source.translation_of_id is not None:
        raise TransitionNotAllowed(
            f"This article is itself a translation (of “{source.translation_of.title}”, id "
            f"{source.translation_of_id}): translate its source instead."
        )
    existing = source.translations.active().filter(language=language).first()
    if existing is not None:
        raise TransitionNotAllowed(
            f"This article already has a translation into {language_name(language)}: "
            f"“{existing.title}” (id {existing.pk}). Update that one instead."
        )
    live = live_snapshot(source)
    if live is None:
        raise TransitionNotAllowed(
            "Only a live article can be translated: a translation matches the version readers "
            "see. Publish the article first."
        )
    return live.version


def start_translation(*, source: Article, language: str, user: AbstractBaseUser) -> Article:
    """Start the translation of ``source`` into ``language``: a new article, version 1, a
    draft credited to ``user``, whose text, topics, references, related trials and lead image
    are those of the source's live version (the starting point to translate), with
    ``translation_of`` = ``source`` and ``source_version`` = that live version.

    Refused (nothing is created) when ``user`` is not an author, writer or editor (403), the
    language is not one of the site's or is the source's own (400), the source is archived, not
    live or itself a translation, or already has a translation in use into that language (409).
    """
    with transaction.atomic():
        source = lock(source)
        _ensure_may_translate(user, source, "start a translation")
        source_version = _ensure_translatable(source, language)
        content = article_version_content(source, source_version)
        fields = content.fields
        translation = Article(
            **{name: fields[name] for name in COPIED_FIELDS if name in fields},
            language=language,
            translation_of=source,
            source_version=source_version,
            lead_image_id=fields.get("lead_image_id"),
        )
        translation.slug = unique_article_slug(f"{source.slug}-{language}")

        def copy_related(saved: Article) -> None:
            saved.topics.set(fields.get("topics") or source.topics.all())
            saved.related_trials.set(fields.get("related_trials") or [])
            Reference.objects.bulk_create(
                Reference(article=saved, **_reference_values(reference))
                for reference in content.references
            )

        return save_working_copy(
            article=translation,
            user=user,
            comment=f"Started the translation into {language_name(language)} of "
            f"“{source.title}” (id {source.pk}) version {source_version}.",
            save_related=copy_related,
        )


def update_source_version(
    *, article: Article, user: AbstractBaseUser, expected_version: int | None = None
) -> Article:
    """Mark the translation ``article`` as updated to its source's live version: a new
    version whose ``source_version`` is that version, to be reviewed and published like any.
    The writer brings the text in line with the source (before or after this, each a version);
    the approval covers the text and the source version it states it matches.

    Refused when ``user`` is not an author, writer or editor (403), the article is archived
    or changed since ``expected_version`` (409, 412), is not a translation, its source is not
    live, or it already states the source's live version (409).
    """
    with transaction.atomic():
        current = lock(article)
        _ensure_may_translate(user, current, "update a translation")
        ensure_editable(current, expected_version)
        if current.translation_of_id is None:
            raise TransitionNotAllowed("This article is not a translation.")
        live = live_snapshot(current.translation_of)
        if live is None:
            raise TransitionNotAllowed(
                "The source article is not live, so there is no source version to match."
            )
        if current.source_version == live.version:
            raise TransitionNotAllowed(
                f"This translation already states that it matches the source's live version "
                f"({live.version})."
            )
        previous = current.source_version
        current.source_version = live.version
        return save_working_copy(
            article=current,
            user=user,
            comment=f"Marked as updated to source version {live.version} (was {previous}).",
            expected_version=current.version,
        )
