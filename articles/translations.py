"""Reads about translations: whether a live translation still matches its source, and the
live language versions of the same content.

A translation is an article in another language whose ``translation_of`` is its source; each
of its versions records ``source_version``, the source's live version it was made from, and
publishing freezes that number into the snapshot. A live translation is **outdated** when its
source's live version is newer than that number; its **source is withdrawn** when the source
is no longer live at all (unpublished, archived, taken down as overdue: a page pulled, perhaps
for clinical safety, that an editor should look at in every language); otherwise it is
**current**. An article that is not a translation has no translation status (``None``): the
API carries ``null`` for it. The public API says ``outdated`` for a withdrawn source
(``TranslationStatus.public_status``: its readers are not told why the source went), the
editorial API and the admin ``source_withdrawn``.

Only live snapshots are read (``public.live_articles``), so a source version that is scheduled
but not yet live does not make a translation outdated until it goes live.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest
from django.utils import timezone

from . import caching
from .models import Article, PublishedArticle
from .prepared import PreparedQuery
from .public import BY_ADDRESS, live_articles, live_at, overdue_unpublish_cutoff

CURRENT = "current"
OUTDATED = "outdated"
SOURCE_WITHDRAWN = "source_withdrawn"
STATUSES = (CURRENT, OUTDATED)  # what the public API says
EDITORIAL_STATUSES = (CURRENT, OUTDATED, SOURCE_WITHDRAWN)  # the editorial API and the admin

Status = Literal["current", "outdated", "source_withdrawn"]


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
        """Not current: the source moved on or was withdrawn."""
        return self.status in (OUTDATED, SOURCE_WITHDRAWN)

    @property
    def public_status(self) -> str | None:
        """What the public API says: a withdrawn source is ``outdated`` there."""
        return OUTDATED if self.status == SOURCE_WITHDRAWN else self.status


NOT_A_TRANSLATION = TranslationStatus(status=None)


def page_path(snapshot: PublishedArticle) -> str:
    """The path of a live page, in its own language (``/es/articles/<slug>/`` for Spanish;
    English unprefixed)."""
    return snapshot.get_absolute_url()


def _status(snapshot: PublishedArticle, source: PublishedArticle | None) -> TranslationStatus:
    if snapshot.translation_of_id is None:
        return NOT_A_TRANSLATION
    if source is None:
        return TranslationStatus(status=SOURCE_WITHDRAWN)
    url = page_path(source)
    if snapshot.source_version is None or source.version > snapshot.source_version:
        return TranslationStatus(
            status=OUTDATED,
            source_changed_on=timezone.localdate(source.go_live_at),
            source_url=url,
            source_live_version=source.version,
        )
    return TranslationStatus(status=CURRENT, source_url=url, source_live_version=source.version)


# What the translation status needs of a source's live snapshot.
SOURCE_FIELDS = ("article_id", "slug", "language", "version", "go_live_at")


def _live_sources(source_ids: Iterable[int]) -> dict[int, PublishedArticle]:
    """The live snapshot of each source article, by article id, in one query."""
    sources: dict[int, PublishedArticle] = {}
    ids = set(source_ids)
    if not ids:
        return sources
    rows = (
        live_articles()
        .filter(article_id__in=ids)
        .only(*SOURCE_FIELDS)
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
    rows = _LIVE_SOURCE(
        overdue_unpublish_cutoff(), article=snapshot.translation_of_id, now=timezone.now()
    )
    return _status(snapshot, rows[-1] if rows else None)  # the newest gone live wins


def translation_statuses(snapshots: Iterable[PublishedArticle]) -> dict[int, TranslationStatus]:
    """``translation_status`` of each snapshot, by snapshot pk, in at most one query (for
    lists)."""
    snapshots = list(snapshots)
    sources = _live_sources(s.translation_of_id for s in snapshots if s.translation_of_id)
    return {s.pk: _status(s, sources.get(s.translation_of_id)) for s in snapshots}


# What a page shows of its other language versions (its switcher, its alternates, the notice
# of a translation whose source changed) and how they are ordered: by language, then as
# addresses are (``BY_ADDRESS``), the first of a language winning.
VERSION_FIELDS = ("article_id", "slug", "title", "language", "version", "go_live_at")
VERSION_ORDER = ("language", *BY_ADDRESS)


def language_families(request: HttpRequest | None = None) -> dict[int, list[PublishedArticle]]:
    """Every live snapshot that is a translation or has one, by the article it is (or is
    translated from), in ``VERSION_ORDER``: worked out once per generation of public content
    (a publication, an unpublication, a scheduled go-live or go-dark, or midnight's overdue
    cutoff starts a new one: ``articles.caching``), one query of the few translated articles
    and their sources, so that a page asks no query for its language versions. Its keys are
    the articles that have a live translation. Shared by the requests of the generation:
    callers must not change what it returns."""
    return caching.generation_value(request, "language_families", _language_families)


def _language_families() -> dict[int, list[PublishedArticle]]:
    translations = live_articles().exclude(translation_of_id=None)
    rows = (
        live_articles()
        .filter(
            Q(translation_of_id__isnull=False)
            | Q(article_id__in=translations.values("translation_of_id"))
        )
        .only("translation_of_id", *VERSION_FIELDS)
        .order_by(*VERSION_ORDER)
    )
    families: dict[int, list[PublishedArticle]] = {}
    for row in rows:
        families.setdefault(row.translation_of_id or row.article_id, []).append(row)
    return families


def may_have_language_versions(snapshot, request: HttpRequest | None = None) -> bool:
    """Whether live ``snapshot`` can have a live version in another language: it is a
    translation (its source may be live), or its article has a live translation. Most pages
    have none, and are spared the query of ``live_language_versions``."""
    return bool(snapshot.translation_of_id) or snapshot.article_id in language_families(request)


def live_language_versions(
    snapshot: PublishedArticle, request: HttpRequest | None = None
) -> list[PublishedArticle]:
    """Every other live language version of the same content, one per language, ordered by
    language code: the source and its live translations (for a translation: its source and
    sibling translations), never the page itself. During ``request``, from the generation's
    ``language_families`` (no query); otherwise one query."""
    if request is not None:
        family = language_families(request).get(snapshot.translation_of_id or snapshot.article_id)
        rows = family or []
    else:
        rows = _LIVE_LANGUAGE_VERSIONS(
            overdue_unpublish_cutoff(),
            root=snapshot.translation_of_id or snapshot.article_id,
            article=snapshot.article_id,
            language=snapshot.language,
            now=timezone.now(),
            using=snapshot._state.db or "default",
        )
    by_language: dict[str, PublishedArticle] = {}
    for row in rows:
        if row.article_id != snapshot.article_id and row.language != snapshot.language:
            by_language.setdefault(row.language, row)
    return list(by_language.values())


# The reads of every article page, their SQL built once per process (``PreparedQuery``); the
# overdue cutoff is their shape.
_LIVE_SOURCE = PreparedQuery(
    lambda article, now, shape=None: (
        live_at(now, shape)
        .filter(article_id=article)
        .only(*SOURCE_FIELDS)
        .order_by("article_id", "go_live_at")
    ),
    article=int,
    now=datetime.datetime,
)
_LIVE_LANGUAGE_VERSIONS = PreparedQuery(
    lambda root, article, language, now, shape=None: (
        live_at(now, shape)
        .filter(Q(article_id=root) | Q(translation_of_id=root))
        .exclude(article_id=article)
        .exclude(language=language)
        .only(*VERSION_FIELDS)
        .order_by(*VERSION_ORDER)
    ),
    root=int,
    article=int,
    language=str,
    now=datetime.datetime,
)


# Working copies (admin lists, the editorial API) ---------------------------------------------


def live_snapshot_value(article_ref, field: str) -> Subquery:
    """``field`` of the live snapshot of the article ``article_ref`` names (None if not live)."""
    return Subquery(
        live_articles()
        .filter(article_id=article_ref)
        .order_by("-go_live_at", "-pk")
        .values(field)[:1]
    )


def with_translation_status(articles: QuerySet[Article]) -> QuerySet[Article]:
    """``articles`` annotated for lists, with no query per row: ``live_source_version`` (the
    source version the translation's live page matches), ``source_live_version`` (the
    source's live version) and ``translation_state``: "current", "outdated",
    "source_withdrawn", or None for an article that is not a translation or whose translation
    is not live."""
    annotated = articles.annotate(
        live_source_version=live_snapshot_value(OuterRef("pk"), "source_version"),
        live_translation_version=live_snapshot_value(OuterRef("pk"), "version"),
        source_live_version=live_snapshot_value(OuterRef("translation_of_id"), "version"),
    )
    return annotated.annotate(
        translation_state=Case(
            When(
                Q(translation_of__isnull=True) | Q(live_translation_version__isnull=True),
                then=Value(None, output_field=CharField()),
            ),
            When(source_live_version__isnull=True, then=Value(SOURCE_WITHDRAWN)),
            When(
                Q(live_source_version__isnull=True)
                | Q(source_live_version__gt=F("live_source_version")),
                then=Value(OUTDATED),
            ),
            default=Value(CURRENT),
            output_field=CharField(),
        )
    )


def article_translation_status(article: Article) -> str | None:
    """The translation status of an article's live page ("current", "outdated",
    "source_withdrawn"), None when
    it is not a translation or not live: from ``with_translation_status`` when annotated."""
    if hasattr(article, "translation_state"):
        return article.translation_state
    if article.translation_of_id is None:
        return None
    snapshot = live_articles().filter(article_id=article.pk).order_by("-go_live_at").first()
    return translation_status(snapshot).status if snapshot is not None else None


def outdated_translations(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The translations among ``articles`` whose live page is out of date or whose source was
    withdrawn; annotated with ``source_withdrawn``, those first."""
    return (
        with_translation_status(articles)
        .filter(translation_state__in=(OUTDATED, SOURCE_WITHDRAWN))
        .annotate(
            source_withdrawn=Case(
                When(translation_state=SOURCE_WITHDRAWN, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def language_versions(article: Article) -> QuerySet[Article]:
    """The other working copies in use of the same content: the source and its translations
    (for a translation, its source and sibling translations), by language."""
    root = article.translation_of_id or article.pk
    return (
        Article.objects.active()
        .filter(Q(pk=root) | Q(translation_of_id=root))
        .exclude(pk=article.pk)
        .only("pk", "slug", "title", "language", "translation_of_id")
        .order_by("language", "pk")
    )
