"""The reads of the public API's anonymous article answers, prepared once per process.

Building and compiling the SQL of a small query costs Django about ten times what SQLite
spends running it, and a miss of the article list or detail made five or six such queries.
Each read here is the query of the public function named in its comment, built with
``articles.prepared.PreparedQuery``, so that a miss only runs SQL compiled earlier with its
new values: the time (``now``), the overdue limit (``public.overdue_unpublish_cutoff``: a
value, or no condition at all when the setting is off) and the page's own values. Nothing
here is kept between requests but SQL, so every answer reads the data as it is.

Reads of several rows at once (the topics of a list page, the sources of its translations)
take a fixed number of id slots, padded with an id no row has: an ``IN`` list of any other
length would be new SQL.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace
from typing import NamedTuple

from django.db.models import Q, QuerySet

from articles import prepared, public, translations
from articles.models import ClinicalTrial, PublishedArticle, Topic
from articles.prepared import PreparedQuery
from articles.public import BY_ADDRESS
from articles.translations import TranslationStatus

# The page size prepared (the default); list pages of another size, or further than
# ``PREPARED_PAGES``, run through the ORM (each page of a list is SQL of its own).
PAGE_SIZE = 20
PREPARED_PAGES = 50
NO_ROW = 0  # an id no row has, to pad id slots


class LiveRead:
    """A read of live snapshots (``public.live_articles``), prepared in both forms the overdue
    setting gives it. ``build(live, shape, **values)`` narrows ``live``, the live snapshots."""

    def __init__(self, build: Callable[..., QuerySet], **slots: type) -> None:
        def without_limit(now, shape=None, **values):
            return build(PublishedArticle.objects.live(now), shape, **values)

        def with_limit(now, cutoff, shape=None, **values):
            live = PublishedArticle.objects.live(now).exclude(next_review_due__lt=cutoff)
            return build(live, shape, **values)

        self.without_limit = PreparedQuery(without_limit, now=datetime.datetime, **slots)
        self.with_limit = PreparedQuery(
            with_limit, now=datetime.datetime, cutoff=datetime.date, **slots
        )

    def __call__(self, shape=None, **values) -> list:
        cutoff = public.overdue_unpublish_cutoff()
        if cutoff is None:
            return self.without_limit(shape, now=prepared.now(), **values)
        return self.with_limit(shape, now=prepared.now(), cutoff=cutoff, **values)


def _id_slots(prefix: str) -> dict[str, type]:
    return {f"{prefix}_{number}": int for number in range(PAGE_SIZE)}


def _id_values(prefix: str, ids: Sequence[int]) -> dict[str, int]:
    padded = [*ids, *[NO_ROW] * (PAGE_SIZE - len(ids))]
    return {f"{prefix}_{number}": value for number, value in enumerate(padded)}


# What the detail's payload shows of a snapshot, or needs to work it out (its translation
# status, counterpart, images shown): not its text for search, contents, page parts (the
# article page's markup, the largest JSON to decode), reading grade or bookkeeping.
DETAIL_FIELDS = (
    "article_id", "version", "slug", "title", "summary", "body_html", "audience", "language",
    "translation_of_id", "source_version", "counterpart_id", "authors", "references",
    "images", "lead_image", "digest", "reviewed_by", "reviewed_at", "last_reviewed",
    "next_review_due", "first_published_at", "go_live_at",
)  # fmt: skip


def _rows(rows: list[dict]) -> list[SimpleNamespace]:
    """Rows read as dicts, with their fields as attributes as a model instance has them (an
    instance costs more to build than the rest of what is done with it)."""
    return [SimpleNamespace(**row) for row in rows]


# public.live_article (without its prefetches: see the topics and trials below).
_snapshot_at = LiveRead(
    lambda live, shape, slug: (
        live.filter(slug=slug).values("pk", *DETAIL_FIELDS).order_by(*BY_ADDRESS)[:1]
    ),
    slug=str,
)

# The topics and related trials of one snapshot, in the order the prefetches give them.
_topics_of = PreparedQuery(
    lambda snapshot: Topic.objects.filter(snapshots=snapshot).values("pk", "slug", "name"),
    snapshot=int,
)
_trials_of = PreparedQuery(
    lambda snapshot: ClinicalTrial.objects.filter(snapshots=snapshot).only(
        "nct_id", "brief_title", "overall_status", "phases"
    ),
    snapshot=int,
)

# translations.live_language_versions
_language_versions = LiveRead(
    lambda live, shape, root, article, language: (
        live.filter(Q(article_id=root) | Q(translation_of_id=root))
        .exclude(article_id=article)
        .exclude(language=language)
        .values("pk", "article_id", "slug", "title", "language", "version", "go_live_at")
        .order_by("language", *BY_ADDRESS)
    ),
    root=int,
    article=int,
    language=str,
)

# public.change_log
_changes = PreparedQuery(
    lambda now, article: public.went_live_versions(article, now).values(
        "pk", "version", "go_live_at", "change_note"
    ),
    now=datetime.datetime,
    article=int,
)

# public.live_counterpart
_counterpart = LiveRead(
    lambda live, shape, article: (
        live.filter(article_id=article)
        .values("pk", "article_id", "slug", "title", "audience", "language")
        .order_by("pk")[:1]
    ),
    article=int,
)

# translations._live_sources, for up to a page of source articles.
_sources = LiveRead(
    lambda live, shape, **ids: (
        live.filter(article_id__in=list(ids.values()))
        .only("article_id", "slug", "language", "version", "go_live_at")
        .order_by("article_id", "go_live_at")
    ),
    **_id_slots("article"),
)

LIST_FIELDS = (
    "article_id", "slug", "title", "summary", "audience", "language", "translation_of_id",
    "source_version", "last_reviewed", "next_review_due", "first_published_at", "go_live_at",
    "version",
)  # fmt: skip

# One page of the unfiltered article list of the API (``ArticleViewSet.list_queryset``):
# only what the list's payload shows.
_list_page = LiveRead(
    lambda live, shape: live.values("pk", *LIST_FIELDS).order_by("-go_live_at", "pk")[
        (shape - 1) * PAGE_SIZE : shape * PAGE_SIZE
    ]
)

# The topics of up to a page of snapshots, in the order the list's prefetch gives them.
_topics_of_page = PreparedQuery(
    lambda **ids: Topic.objects.filter(snapshots__in=list(ids.values())).values(
        "snapshots", "pk", "slug", "name"
    ),
    **_id_slots("snapshot"),
)


def live_article(slug: str) -> SimpleNamespace | None:
    """The live snapshot at ``slug`` (``public.live_article``), or None."""
    found = _rows(_snapshot_at(slug=slug))
    return found[0] if found else None


def topics_of(snapshot: SimpleNamespace) -> list[SimpleNamespace]:
    return _rows(_topics_of(snapshot=snapshot.pk))


def trials_of(snapshot: SimpleNamespace) -> list[ClinicalTrial]:
    return _trials_of(snapshot=snapshot.pk)


def live_language_versions(snapshot: SimpleNamespace, request=None) -> list[SimpleNamespace]:
    """``translations.live_language_versions``: one per language, by language code (no
    query during ``request`` for an article no live page translates)."""
    if request is not None and not translations.may_have_language_versions(snapshot, request):
        return []
    rows = _language_versions(
        root=snapshot.translation_of_id or snapshot.article_id,
        article=snapshot.article_id,
        language=snapshot.language,
    )
    by_language: dict[str, dict] = {}
    for row in rows:
        by_language.setdefault(row["language"], row)
    return _rows(list(by_language.values()))


def change_log(snapshot: SimpleNamespace) -> list[SimpleNamespace]:
    """``public.change_log``."""
    return _rows(_changes(now=prepared.now(), article=snapshot.article_id))


def live_counterpart(snapshot: SimpleNamespace) -> SimpleNamespace | None:
    """``public.live_counterpart``."""
    if snapshot.counterpart_id is None:
        return None
    found = _rows(_counterpart(article=snapshot.counterpart_id))
    return found[0] if found else None


def translation_statuses(
    snapshots: Iterable[PublishedArticle],
) -> dict[int, TranslationStatus]:
    """``translations.translation_statuses`` of at most ``PAGE_SIZE`` snapshots."""
    snapshots = list(snapshots)
    source_ids = sorted({s.translation_of_id for s in snapshots if s.translation_of_id})
    sources: dict[int, PublishedArticle] = {}
    if source_ids:
        for row in _sources(**_id_values("article", source_ids)):
            sources[row.article_id] = row  # the newest that has gone live wins
    return {s.pk: translations._status(s, sources.get(s.translation_of_id)) for s in snapshots}


def list_page(number: int) -> list[SimpleNamespace]:
    """Page ``number`` (of ``PAGE_SIZE``, at most ``PREPARED_PAGES``) of the unfiltered
    article list, newest first: each row's ``LIST_FIELDS`` and ``pk`` as attributes, as a
    snapshot has them (a model instance per row cost more than the rest of the row's work)."""
    return [SimpleNamespace(**row) for row in _list_page(number)]


class TopicRef(NamedTuple):
    pk: int
    slug: str
    name: str


def topics_of_page(snapshots: Sequence[PublishedArticle]) -> dict[int, list[TopicRef]]:
    """The topics of each of at most ``PAGE_SIZE`` snapshots, by snapshot pk."""
    topics: dict[int, list[TopicRef]] = {snapshot.pk: [] for snapshot in snapshots}
    if snapshots:
        for row in _topics_of_page(**_id_values("snapshot", [s.pk for s in snapshots])):
            topics[row["snapshots"]].append(TopicRef(row["pk"], row["slug"], row["name"]))
    return topics
