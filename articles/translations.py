"""Reads about translations: whether a live translation still matches its source, and the
live language versions of the same content.

A translation is an article in another language whose ``translation_of`` is its source; each
of its versions records ``source_version``, the source's live version it was made from, and
publishing freezes that number into the snapshot. A live translation is **outdated** when its
source's live version is newer than that number, or when the source is no longer live at all;
otherwise it is **current**. An article that is not a translation has no translation status
(``None``): the API carries ``null`` for it.

Only live snapshots are read (``public.live_articles``), so a source version that is scheduled
but not yet live does not make a translation outdated until it goes live.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from .models import PublishedArticle
from .public import BY_ADDRESS, live_articles

CURRENT = "current"
OUTDATED = "outdated"
STATUSES = (CURRENT, OUTDATED)

Status = Literal["current", "outdated"]


@dataclass(frozen=True)
class TranslationStatus:
    """Where a live page stands against its source.

    ``status`` is None for a page that is not a translation. ``source_changed_on`` is the
    local date the source's newer version went live (only when ``outdated`` because of one);
    ``source_url`` is the path of the source's live page (None when the source is not live).
    """

    status: Status | None
    source_changed_on: datetime.date | None = None
    source_url: str | None = None
    source_live_version: int | None = None

    @property
    def outdated(self) -> bool:
        return self.status == OUTDATED


NOT_A_TRANSLATION = TranslationStatus(status=None)


def page_path(snapshot: PublishedArticle) -> str:
    """The path of a live page, in its own language (once the site prefixes languages other
    than the default, the reversal under that language gives the prefixed path)."""
    with translation.override(snapshot.language):
        return reverse("articles:article", kwargs={"slug": snapshot.slug})


def _status(snapshot: PublishedArticle, source: PublishedArticle | None) -> TranslationStatus:
    if snapshot.translation_of_id is None:
        return NOT_A_TRANSLATION
    if source is None:
        return TranslationStatus(status=OUTDATED)
    url = page_path(source)
    if snapshot.source_version is None or source.version > snapshot.source_version:
        return TranslationStatus(
            status=OUTDATED,
            source_changed_on=timezone.localdate(source.go_live_at),
            source_url=url,
            source_live_version=source.version,
        )
    return TranslationStatus(status=CURRENT, source_url=url, source_live_version=source.version)


def _live_sources(source_ids: Iterable[int]) -> dict[int, PublishedArticle]:
    """The live snapshot of each source article, by article id, in one query."""
    sources: dict[int, PublishedArticle] = {}
    ids = set(source_ids)
    if not ids:
        return sources
    rows = (
        live_articles()
        .filter(article_id__in=ids)
        .only("article_id", "slug", "language", "version", "go_live_at")
        .order_by("article_id", "go_live_at")
    )
    for row in rows:
        sources[row.article_id] = row  # the newest that has gone live wins
    return sources


def translation_status(snapshot: PublishedArticle) -> TranslationStatus:
    """The translation status of one live snapshot (one query for a translation, none for
    other pages)."""
    if snapshot.translation_of_id is None:
        return NOT_A_TRANSLATION
    source = _live_sources([snapshot.translation_of_id]).get(snapshot.translation_of_id)
    return _status(snapshot, source)


def translation_statuses(snapshots: Iterable[PublishedArticle]) -> dict[int, TranslationStatus]:
    """``translation_status`` of each snapshot, by snapshot pk, in at most one query (for
    lists)."""
    snapshots = list(snapshots)
    sources = _live_sources(s.translation_of_id for s in snapshots if s.translation_of_id)
    return {s.pk: _status(s, sources.get(s.translation_of_id)) for s in snapshots}


def live_language_versions(snapshot: PublishedArticle) -> list[PublishedArticle]:
    """Every other live language version of the same content, one per language, ordered by
    language code: the source and its live translations (for a translation: its source and
    sibling translations), never the page itself. One query."""
    root = snapshot.translation_of_id or snapshot.article_id
    rows = (
        live_articles()
        .filter(Q(article_id=root) | Q(translation_of_id=root))
        .exclude(article_id=snapshot.article_id)
        .exclude(language=snapshot.language)
        .only("article_id", "slug", "title", "language", "version", "go_live_at")
        .order_by("language", *BY_ADDRESS)
    )
    by_language: dict[str, PublishedArticle] = {}
    for row in rows:
        by_language.setdefault(row.language, row)
    return list(by_language.values())
