"""Reads for the public site and API: only live snapshots, never the working copy.

Where a page stands in its review cycle is read from its live snapshot's ``next_review_due``
(``review_status``): readers are told when a page is overdue. With
``DJANGO_OVERDUE_UNPUBLISH_DAYS`` set, a page that many days past its review date is no longer
shown at all (``live_articles``), from the first read of the day it falls due, even before
``reviews.workflow.overdue`` records its unpublication.

Images are shown as approved (the snapshot's ``images`` and ``lead_image``), except those
whose rights have expired since or that are no longer in the media library: ``page_images``
takes them off the page, the API, the structured data and the sharing tags at read time, in
one query (the public cache starts a new generation at local midnight, when rights run out).
"""

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mbc_cms import languages

from . import prepared, search_index
from .choices import DUE_SOON_DAYS, ReviewStatus
from .models import ClinicalTrial, Image, PublishedArticle, Topic
from .prepared import PreparedQuery
from .selectors import cites_by_reference, snapshots_citing_by_reference

SNIPPET_WORDS = 30
MAX_QUERY_TERMS = 8


def review_status(
    next_review_due: datetime.date | None, today: datetime.date | None = None
) -> ReviewStatus:
    """The one rule: ``overdue`` once today's local date is after the due date, ``due_soon``
    within DUE_SOON_DAYS of it (the due date included), else (or with no date) ``current``."""
    if next_review_due is None:
        return ReviewStatus.CURRENT
    days_left = (next_review_due - (today or timezone.localdate())).days
    if days_left < 0:
        return ReviewStatus.OVERDUE
    if days_left <= DUE_SOON_DAYS:
        return ReviewStatus.DUE_SOON
    return ReviewStatus.CURRENT


def overdue_unpublish_cutoff(today: datetime.date | None = None) -> datetime.date | None:
    """With ``OVERDUE_UNPUBLISH_DAYS`` = N, a live page due for review before this date is
    taken down: one N days overdue (due N days ago; with N = 0, as soon as it is overdue, the
    day after its due date). None when the setting is unset."""
    days = settings.OVERDUE_UNPUBLISH_DAYS
    if days is None:
        return None
    return (today or timezone.localdate()) - datetime.timedelta(days=max(days, 1) - 1)


def live_articles() -> QuerySet[PublishedArticle]:
    """Every snapshot readers may see now: live, and not past the overdue limit."""
    return live_at(None, overdue_unpublish_cutoff())


def live_at(
    now: datetime.datetime | None, cutoff: datetime.date | None
) -> QuerySet[PublishedArticle]:
    """``live_articles`` at ``now`` (None: the current time) with the overdue limit
    ``cutoff``: the prepared reads give both, the time as a value and the limit as part of the
    SQL's shape."""
    snapshots = PublishedArticle.objects.live(now)
    if cutoff is not None:
        snapshots = snapshots.exclude(next_review_due__lt=cutoff)
    return snapshots


# Publishing refuses an address that another article's page holds; should two live snapshots
# still share one (data from before that rule), the article that went live there first keeps it.
BY_ADDRESS = ("slug", "first_published_at", "pk")


def live_article(slug: str, queryset: QuerySet | None = None) -> PublishedArticle:
    """The live snapshot at ``slug`` (from ``queryset``; by default with the fields of
    ``PAGE_FIELDS`` only, any other read when asked for: its page reads its topics and trials
    as rows, ``page_topics`` and ``page_trials``); 404 otherwise."""
    if queryset is not None:
        snapshot = queryset.filter(slug=slug).order_by(*BY_ADDRESS).first()
    else:
        found = _LIVE_PAGE_AT_ADDRESS(overdue_unpublish_cutoff(), slug=slug, now=timezone.now())
        snapshot = found[0] if found else None
    if snapshot is None:
        raise Http404("No published article has this address.")
    return snapshot


# The small reads of an article's page, their SQL built once per process (``PreparedQuery``):
# on a page missing from the cache, Django building and compiling these queries cost several
# times what the database spends running them. The overdue cutoff is their shape.
_PAGE_TOPICS = PreparedQuery(
    lambda snapshot: Topic.objects.filter(snapshots=snapshot).values(
        "id", "name", "slug", "parent_id", "parent__name", "parent__slug"
    ),
    snapshot=int,
)


# What an article's page shows of its snapshot, or needs to find the rest: not the text kept
# for search, the review time nor the audit fields, and not the table of contents, the
# references or the authors, which only its stored parts show (``page_parts``; the digest
# tells whether they are current). Reading the other columns cost a page missing from the
# cache their conversion (datetimes, JSON) for nothing; a page whose parts are not current
# renders them and reads those three then.
PAGE_FIELDS = (
    "article_id", "version", "slug", "title", "summary", "body_html", "audience",
    "language", "translation_of_id", "source_version", "counterpart_id", "digest",
    "images", "lead_image", "reviewed_by", "page_parts", "last_reviewed",
    "next_review_due", "first_published_at", "go_live_at",
)  # fmt: skip

# The snapshot is found first, then read: ordering the candidates (almost always one) with
# every column of the page, as one query did, made SQLite copy each into a sorter, several
# kilobytes of text and JSON, which cost more than the rest of the read.
_LIVE_PAGE_AT_ADDRESS = PreparedQuery(
    lambda slug, now, shape=None: PublishedArticle.objects.filter(
        pk=Subquery(live_at(now, shape).filter(slug=slug).order_by(*BY_ADDRESS).values("pk")[:1])
    ).only(*PAGE_FIELDS),
    slug=str,
    now=datetime.datetime,
)


class PageTopic(NamedTuple):
    """A topic of an article's page, as its breadcrumbs and surrogate keys use it."""

    pk: int
    name: str
    slug: str
    parent: "PageTopic | None"


class PageTrial(NamedTuple):
    """A related trial of an article's page: what its list shows and its surrogate key."""

    pk: int
    nct_id: str
    brief_title: str
    overall_status: str


_PAGE_TRIAL_ROWS = PreparedQuery(
    lambda snapshot: ClinicalTrial.objects.filter(snapshots=snapshot).values(
        "id", "nct_id", "brief_title", "overall_status"
    ),
    snapshot=int,
)


def page_topics(snapshot: PublishedArticle) -> list[PageTopic]:
    """The topics of ``snapshot`` in their order, each with its parent: rows, not model
    instances, which cost a page several times the query."""
    return [
        PageTopic(
            row["id"],
            row["name"],
            row["slug"],
            None
            if row["parent_id"] is None
            else PageTopic(row["parent_id"], row["parent__name"], row["parent__slug"], None),
        )
        for row in _PAGE_TOPICS(snapshot=snapshot.pk, using=snapshot._state.db or "default")
    ]


def page_trials(snapshot: PublishedArticle) -> list[PageTrial]:
    """The related trials of ``snapshot``, in their order, as rows of what the page shows."""
    rows = _PAGE_TRIAL_ROWS(snapshot=snapshot.pk, using=snapshot._state.db or "default")
    return [
        PageTrial(row["id"], row["nct_id"], row["brief_title"], row["overall_status"])
        for row in rows
    ]


def went_live_versions(article: int, now: datetime.datetime) -> QuerySet[PublishedArticle]:
    """Every version of ``article`` that went live by ``now``, newest first: the change log of
    the page and of the API."""
    return (
        PublishedArticle.objects.went_live(now).filter(article_id=article).order_by("-go_live_at")
    )


_CHANGE_LOG = PreparedQuery(
    lambda article, now: went_live_versions(article, now).only(
        "version", "go_live_at", "change_note"
    ),
    article=int,
    now=datetime.datetime,
)
_LIVE_COUNTERPART = PreparedQuery(
    # ``first()`` of the snapshots' default order, as a slice the SQL can be kept for.
    lambda article, now, shape=None: (
        live_at(now, shape)
        .filter(article_id=article)
        .only("slug", "title", "audience", "language")
        .order_by(*PublishedArticle._meta.ordering)[:1]
    ),
    article=int,
    now=datetime.datetime,
)


def change_log(snapshot: PublishedArticle) -> list[PublishedArticle]:
    """The article's public change log: every version that went live, newest first (a
    scheduled version replaced or withdrawn before its time never did)."""
    return _CHANGE_LOG(article=snapshot.article_id, now=timezone.now())


class PageChange(NamedTuple):
    """An entry of an article page's change log."""

    go_live_at: datetime.datetime
    change_note: str


_PAGE_CHANGES = PreparedQuery(
    lambda article, now: went_live_versions(article, now).values("go_live_at", "change_note"),
    article=int,
    now=datetime.datetime,
)


def page_change_log(snapshot: PublishedArticle) -> list[PageChange]:
    """``change_log`` as the article's page shows it: rows of the day and note of each
    version that went live, newest first (not model instances, which cost more to build than
    the page does with them)."""
    rows = _PAGE_CHANGES(article=snapshot.article_id, now=timezone.now())
    return [PageChange(row["go_live_at"], row["change_note"]) for row in rows]


def live_counterpart(snapshot: PublishedArticle) -> PublishedArticle | None:
    """The live version of the same subject for the other audience, if there is one."""
    if snapshot.counterpart_id is None:
        return None
    found = _LIVE_COUNTERPART(
        overdue_unpublish_cutoff(), article=snapshot.counterpart_id, now=timezone.now()
    )
    return found[0] if found else None


def live_articles_in(language: str) -> QuerySet[PublishedArticle]:
    """The live articles written in ``language`` (``en``, ``es``): what the pages of that
    language list. The default language's pages list every article in none of the others
    (so also one whose code predates the list of languages)."""
    return _in_language(live_articles(), language, _other_languages(language))


def _other_languages(language: str) -> tuple[str, ...]:
    """The languages whose articles the default language's pages leave out; none for the
    other languages' pages."""
    if language != languages.default_language():
        return ()
    return tuple(code for code in languages.codes() if code != language)


def _in_language(
    snapshots: QuerySet[PublishedArticle], language: str, others: tuple[str, ...]
) -> QuerySet[PublishedArticle]:
    if others:
        return snapshots.exclude(language__in=others)
    return snapshots.filter(language=language)


class ListedArticle:
    """What the home and topic pages show of a live snapshot (its card, ``{% article_cards %}``)
    and tag it with (``edge.tag_articles``): read as values, not as a ``PublishedArticle``,
    whose making (``Model.from_db``, its signals and field descriptors) cost about what the
    SQL of a page of 20 costs."""

    __slots__ = ("article_id", "audience", "language", "slug", "summary", "title")

    def __init__(
        self, article_id: int, slug: str, title: str, summary: str, audience: str, language: str
    ) -> None:
        self.article_id = article_id
        self.slug = slug
        self.title = title
        self.summary = summary
        self.audience = audience
        self.language = language


class ReviewedArticle(ListedArticle):
    """A ``ListedArticle`` with the day of its last review (``{% reviewed_items %}``)."""

    __slots__ = ("last_reviewed",)

    def __init__(self, *, last_reviewed: datetime.date, **fields) -> None:
        super().__init__(**fields)
        self.last_reviewed = last_reviewed


class ListedTrial:
    """What the home page shows of a trial (``{% trial_items %}``) and tags it with, read as
    values (see ``ListedArticle``)."""

    __slots__ = ("brief_title", "nct_id", "overall_status", "pk")

    def __init__(self, pk: int, nct_id: str, brief_title: str, overall_status: str) -> None:
        self.pk = pk
        self.nct_id = nct_id
        self.brief_title = brief_title
        self.overall_status = overall_status


def _listing_shape(language: str) -> tuple:
    """What decides the SQL of a list of a language's live articles, besides the values: the
    language, the languages it leaves out (from the settings) and today's overdue limit."""
    return (language, _other_languages(language), overdue_unpublish_cutoff())


def _latest(now: datetime.datetime, shape: tuple) -> QuerySet[PublishedArticle]:
    language, others, cutoff = shape
    listed = _in_language(live_at(now, cutoff), language, others)
    # Newest first, ties by id: the ordering walks an index and stops after six rows.
    return listed.order_by("-go_live_at", "-pk").values(*ListedArticle.__slots__)[:6]


def _recently_reviewed(now: datetime.datetime, shape: tuple) -> QuerySet[PublishedArticle]:
    language, others, cutoff = shape
    listed = _in_language(live_at(now, cutoff), language, others)
    # (">= date.min" rather than "IS NOT NULL", which SQLite cannot walk in the index)
    listed = listed.filter(last_reviewed__gte=datetime.date.min)
    listed = listed.order_by("-last_reviewed", "-pk")
    return listed.values(*ListedArticle.__slots__, *ReviewedArticle.__slots__)[:6]


_latest_prepared = PreparedQuery(_latest, now=datetime.datetime)
_recently_reviewed_prepared = PreparedQuery(_recently_reviewed, now=datetime.datetime)


def latest_articles(language: str) -> list[ListedArticle]:
    """The six live articles in ``language`` that went live last (the home page)."""
    rows = _latest_prepared(_listing_shape(language), now=prepared.now())
    return [ListedArticle(**row) for row in rows]


def recently_reviewed_articles(language: str) -> list[ReviewedArticle]:
    """The six live articles in ``language`` reviewed last (the home page)."""
    rows = _recently_reviewed_prepared(_listing_shape(language), now=prepared.now())
    return [ReviewedArticle(**row) for row in rows]


_home_trials = PreparedQuery(
    lambda: ClinicalTrial.objects.values("pk", "nct_id", "brief_title", "overall_status")[:6]
)


def home_trials() -> list[ListedTrial]:
    """The first six trials by NCT number, with what the home page shows of them."""
    return [ListedTrial(**row) for row in _home_trials()]


_every_topic = PreparedQuery(
    lambda: Topic.objects.only("name", "slug", "description", "parent_id", "position")
)


def topic_tree() -> list[Topic]:
    """Every topic, in the order of ``Topic.Meta.ordering``, each with its ``parent`` and its
    ``subtopics`` (a list, in that order) set: the home page's tree and a topic page's
    breadcrumbs and sub-topics in one query, as there are tens of topics, not thousands."""
    topics = _every_topic()
    by_pk = {topic.pk: topic for topic in topics}
    for topic in topics:
        topic.subtopics = []
    for topic in topics:
        if topic.parent_id is not None:
            parent = by_pk[topic.parent_id]
            topic.parent = parent
            parent.subtopics.append(topic)
    return topics


# What an article card (``{% article_card %}``) and its surrogate key need of a snapshot.
CARD_FIELDS = (
    "article_id",
    "slug",
    "title",
    "summary",
    "audience",
    "language",
    "go_live_at",
    "last_reviewed",
)


def topic_articles(
    topic: Topic, language: str | None = None, correlated: bool = False
) -> QuerySet[PublishedArticle]:
    """Live articles (in ``language``, when given) filed under ``topic`` or one of its
    sub-topics (a subquery on the topic links, so no join fans rows out and no DISTINCT is
    needed: the list of the topic's snapshots, or with ``correlated`` a check of each
    snapshot's own links, for a walk of another index)."""
    listed = live_articles() if language is None else live_articles_in(language)
    return _filed_under(listed, topic.pk, correlated)


def _filed_under(
    listed: QuerySet[PublishedArticle], topic_pk: int, correlated: bool
) -> QuerySet[PublishedArticle]:
    topics = Topic.objects.filter(Q(pk=topic_pk) | Q(parent_id=topic_pk)).values("pk")
    links = PublishedArticle.topics.through.objects.filter(topic__in=topics)
    if correlated:
        listed = listed.filter(Exists(links.filter(publishedarticle=OuterRef("pk"))))
    else:
        listed = listed.filter(pk__in=links.values("publishedarticle_id"))
    return listed.only(*CARD_FIELDS).order_by("title")


# From this many articles on, a topic's page is read by walking the title index (see
# ``TitleOrdered``); a smaller topic is read whole and sorted, which costs no more.
TITLE_WALK_FROM = 1_000


def _topic_page(topic: int, now: datetime.datetime, shape: tuple) -> QuerySet[PublishedArticle]:
    """One page of a topic's live articles by title; ``shape`` is the language's list shape
    (``_listing_shape``), whether to walk the title index, whether to check each article's
    own links (``topic_articles``' ``correlated``) and the page's slice (a query's LIMIT and
    OFFSET are written into its SQL, not passed as values)."""
    # (whether to walk chooses the prepared query, `_WalkingTheTitleIndex`, not the queryset)
    language, others, cutoff, _walk, correlated, start, stop = shape
    listed = _in_language(live_at(now, cutoff), language, others)
    listed = _filed_under(listed, topic, correlated).order_by("title", "pk")
    return listed.values(*ListedArticle.__slots__)[start:stop]


class _WalkingTheTitleIndex(PreparedQuery):
    """A prepared query whose SQL names the title index for SQLite to walk (``INDEXED BY``:
    Django has no way to say it)."""

    def finish_sql(self, sql: str) -> str:
        table = f'"{PublishedArticle._meta.db_table}"'
        return sql.replace(f" FROM {table} ", f' FROM {table} INDEXED BY "snapshot_title" ', 1)


_topic_page_sorted = PreparedQuery(_topic_page, topic=int, now=datetime.datetime)
_topic_page_walked = _WalkingTheTitleIndex(_topic_page, topic=int, now=datetime.datetime)


class TitleOrdered:
    """The live articles of a topic in a language, ordered by title, sliced for a paginator
    so that a page costs the same whatever the number of articles. SQLite, left to itself,
    collects every live article of the topic and sorts them all for each page; for a topic of
    ``TITLE_WALK_FROM`` articles or more, it is made to walk the title index instead
    (``INDEXED BY``), checking each snapshot's topic links as it goes (a correlated check,
    ``topic_articles(..., correlated=True)``), and to stop after the page: about (offset +
    page size) × (all articles / the topic's) rows read. PostgreSQL plans this well by itself.
    Both reads are prepared (``articles.prepared``): their SQL is built once per page slice,
    language and process. A page's articles are ``ListedArticle``s."""

    def __init__(self, topic: Topic, language: str, count: int) -> None:
        self.topic = topic
        self.language = language
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> list[ListedArticle]:
        if index.stop <= index.start:
            # The one page of a topic with no article: Django runs no query for it, and an
            # empty slice cannot be compiled.
            return []
        walk = connection.vendor == "sqlite" and self.count >= TITLE_WALK_FROM
        # A language other than the default one is read through its own index (language,
        # go_live_at), checking each article's links as it goes: given the list of all the
        # topic's articles instead, SQLite built it whole first (3,600 rows for a page of
        # two Spanish articles at 10,000 articles, 3-10 ms). The default language's pages
        # have no such index to read (they leave the other languages out), so they use that
        # list, which is then the smaller read.
        correlated = walk or self.language != languages.default_language()
        shape = (*_listing_shape(self.language), walk, correlated, index.start, index.stop)
        read = _topic_page_walked if walk else _topic_page_sorted
        rows = read(shape, topic=self.topic.pk, now=prepared.now())
        return [ListedArticle(**row) for row in rows]


def topic_listing(topic: Topic, language: str, count: int) -> TitleOrdered:
    """The live articles of ``topic`` in ``language`` (``count`` of them), by title, for a
    paginator."""
    return TitleOrdered(topic, language, count)


# Images ---------------------------------------------------------------------------------------

FIGURE_RE = re.compile(r'<figure class="article-image" data-image="(\d+)">.*?</figure>', re.S)


@dataclass(frozen=True)
class PageImages:
    """What a live page shows of its images today: the body (figures of images whose rights
    expired replaced by their caption as plain text, or by nothing), the images and the lead
    image still shown (their approved data)."""

    body_html: str
    images: list[dict]
    lead_image: dict | None

    @property
    def share_image(self) -> dict | None:
        """The image that stands for the page when shared: the lead image, else the first."""
        return self.lead_image or (self.images[0] if self.images else None)

    @property
    def all_images(self) -> list[dict]:
        """The lead image, then the images of the body, each image once."""
        shown = [self.lead_image, *self.images] if self.lead_image else self.images
        return list({data["id"]: data for data in reversed(shown)}.values())[::-1]


def _withdraw_figures(body_html: str, images: list[dict], withdrawn: set[int]) -> str:
    """``body_html`` without the figures of ``withdrawn`` images; the i-th figure of the body
    is the i-th entry of ``images`` (one rendering made both)."""
    position = itertools.count()

    def replace(match: re.Match) -> str:
        index = next(position)
        if int(match.group(1)) not in withdrawn:
            return match.group(0)
        data = images[index] if index < len(images) else {}
        caption = data.get("caption") if data.get("id") == int(match.group(1)) else ""
        return f'<p class="article-image-withdrawn">{escape(caption)}</p>' if caption else ""

    return FIGURE_RE.sub(replace, body_html)


def withdrawn_images(ids: set[int], today: datetime.date | None = None) -> set[int]:
    """Of the images ``ids``, those readers may not be shown ``today``: their rights have
    expired, or they are no longer in the media library (nobody vouches for their rights any
    more). One query, none without ids."""
    if not ids:
        return set()
    today = today or timezone.localdate()
    if len(ids) > PREPARED_IMAGE_COUNTS:
        shown = Image.objects.shown(today).filter(pk__in=ids).values_list("pk", flat=True)
        return ids - set(shown)
    slots = {f"image_{number}": pk for number, pk in enumerate(sorted(ids))}
    return ids - {row["pk"] for row in _images_shown_query(len(ids))(today=today, **slots)}


# Pages with up to this many images read which are still shown with SQL built once per
# process and number of images (a prepared query has a fixed number of values).
PREPARED_IMAGE_COUNTS = 16
_IMAGES_SHOWN: dict[int, PreparedQuery] = {}


def _images_shown_query(count: int) -> PreparedQuery:
    if count not in _IMAGES_SHOWN:
        _IMAGES_SHOWN[count] = PreparedQuery(
            lambda today, **ids: (
                Image.objects.shown(today).filter(pk__in=list(ids.values())).values("pk")
            ),
            today=datetime.date,
            **{f"image_{number}": int for number in range(count)},
        )
    return _IMAGES_SHOWN[count]


def images_shown(
    body_html: str,
    images: list[dict],
    lead_image: dict | None,
    today: datetime.date | None = None,
) -> PageImages:
    """What a rendering shows of its images ``today``: ``body_html`` (whose i-th figure is
    the i-th entry of ``images``), ``images`` and ``lead_image``, less those withdrawn
    (``withdrawn_images``). Public pages, the API and shared previews all go through it."""
    ids = {data["id"] for data in images} | ({lead_image["id"]} if lead_image else set())
    withdrawn = withdrawn_images(ids, today)
    if not withdrawn:
        return PageImages(body_html=body_html, images=images, lead_image=lead_image)
    return PageImages(
        body_html=_withdraw_figures(body_html, images, withdrawn),
        images=[data for data in images if data["id"] not in withdrawn],
        lead_image=lead_image if lead_image and lead_image["id"] not in withdrawn else None,
    )


def page_images(snapshot: PublishedArticle, today: datetime.date | None = None) -> PageImages:
    """The images ``snapshot`` shows today: its approved images less those whose rights
    expired or that left the library (one query, none for a page without images)."""
    return images_shown(snapshot.body_html, list(snapshot.images or []), snapshot.lead_image, today)


# Search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    article: PublishedArticle
    snippet: SafeString


def query_terms(query: str) -> list[str]:
    """The words of a search query, without punctuation, at most a handful."""
    return [term for term in re.findall(r"\w[\w'-]*", query.lower()) if len(term) > 1][
        :MAX_QUERY_TERMS
    ]


# The PostgreSQL text-search configuration of each language (stemming and stop words); a
# language without one is searched with "simple" (no stemming, every word kept).
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}


def search_config(language: str | None) -> str:
    """The text-search configuration for ``language`` (the default language's without one)."""
    return SEARCH_CONFIGS.get(language or languages.default_language(), "simple")


def search_vector(config: str = "english"):
    """The weighted document of a snapshot on PostgreSQL: title, then summary, then body.
    Migration 0007 indexes exactly this expression with ``english`` (GIN), so a search of the
    English pages reads the index."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body_text", weight="C", config=config)
    )


def _ranked_postgres(query: str, queryset: QuerySet, config: str) -> QuerySet[PublishedArticle]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (
        queryset.annotate(document=search_vector(config))
        .filter(document=search_query)
        .annotate(rank=SearchRank(F("document"), search_query))
        .order_by("-rank", "title")
    )


def fold_accents(text: str) -> str:
    """Lower case without accents or other marks: "Metástasis" → "metastasis", "niño" →
    "nino" (what the SQLite search of languages other than the default compares)."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class FoldAccents(Func):
    """``fold_accents`` of a text column, in SQL: a function registered on every SQLite
    connection (``register_sqlite_functions``)."""

    function = "mbc_fold_accents"
    output_field = TextField()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give each new SQLite connection ``mbc_fold_accents`` (``connection_created``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FoldAccents.function, 1, fold_accents, deterministic=True
        )


def _ranked_fallback(
    terms: list[str], queryset: QuerySet, folded: bool = False
) -> QuerySet[PublishedArticle]:
    """Every term must appear; title matches weigh most, then summary, then body. With
    ``folded``, case and accents are ignored (``metastasis`` finds ``metástasis``)."""
    fields = {"title": "title", "summary": "summary", "body_text": "body_text"}
    if folded:
        fields = {name: f"folded_{name}" for name in fields}
        queryset = queryset.annotate(
            **{column: FoldAccents(name) for name, column in fields.items()}
        )
        terms = [fold_accents(term) for term in terms]
    lookup = "contains" if folded else "icontains"
    title, summary, body = (f"{fields[name]}__{lookup}" for name in fields)
    matches = queryset
    score = Value(0)
    for term in terms:
        matches = matches.filter(Q(**{title: term}) | Q(**{summary: term}) | Q(**{body: term}))
        score = (
            score
            + Case(When(**{title: term}, then=Value(8)), default=Value(0))
            + Case(When(**{summary: term}, then=Value(3)), default=Value(0))
            + Case(When(**{body: term}, then=Value(1)), default=Value(0))
        )
    return matches.annotate(rank=Case(default=score, output_field=IntegerField())).order_by(
        "-rank", "title"
    )


def search_articles(
    query: str, queryset: QuerySet | None = None, language: str | None = None
) -> QuerySet[PublishedArticle]:
    """Live articles (or ``queryset``) matching ``query``, best first, as text in
    ``language`` (by default the default language's): PostgreSQL full-text search with that
    language's configuration (``spanish`` for Spanish) and ranking, or a term-matching
    fallback on other databases, which ignores accents in languages other than the
    default."""
    queryset = live_articles() if queryset is None else queryset
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _ranked_postgres(" ".join(terms), queryset, search_config(language))
    if connection.vendor == "sqlite":
        return _ranked_fts(terms, queryset)
    folded = language not in (None, languages.default_language())
    return _ranked_fallback(terms, queryset, folded=folded)


def _ranked_fts(terms: list[str], queryset: QuerySet) -> QuerySet[PublishedArticle]:
    """SQLite: the snapshots of ``queryset`` whose FTS5 entry (``articles.search_index``)
    has every term as a word or the beginning of one, case and accents ignored; best bm25
    first (title, then summary, then body), then by title. The index is joined by rowid, so
    only matching snapshots are read, and the live filter of ``queryset`` still applies."""
    table = search_index.TABLE
    source = PublishedArticle._meta.db_table
    return queryset.extra(
        tables=[table],
        where=[f"{table}.rowid = {source}.id", f"{table} MATCH %s"],
        params=[search_index.match_expression(terms)],
        select={"rank": search_index.rank_sql()},
    ).order_by("-rank", "title")


# Each letter without its accents → the letter and its accented forms (Latin-1 and Latin
# Extended-A): "a" → "aáàâäãåā…", so a highlighted "metastasis" marks "metástasis".
_ACCENTED: dict[str, str] = {}
for _code in range(0xC0, 0x180):
    _ACCENTED.setdefault(fold_accents(chr(_code)), "")
    _ACCENTED[fold_accents(chr(_code))] += chr(_code)


def _term_pattern(term: str) -> str:
    """A regular expression for ``term`` as escaped HTML, whatever its accents."""
    parts = []
    for char in fold_accents(term):
        if char in _ACCENTED:
            parts.append(f"[{re.escape(char + _ACCENTED[char])}]")
        else:
            parts.append(re.escape(escape(char)))
    return "".join(parts)


def snippet(text: str, terms: list[str], words: int = SNIPPET_WORDS) -> SafeString:
    """A short excerpt around the first match, HTML-escaped, with the terms in <mark>
    (case and accents ignored)."""
    tokens = text.split()
    # Folded one token at a time, up to the first match only (ASCII text: lower case is its
    # folding, and much cheaper).
    fold = str.lower if text.isascii() else fold_accents
    terms = [fold_accents(term) for term in terms]
    start = next(
        (i for i, token in enumerate(tokens) if any(term in fold(token) for term in terms)), 0
    )
    start = max(0, start - words // 3)
    excerpt = " ".join(tokens[start : start + words])
    escaped = escape(excerpt)
    if terms:
        pattern = re.compile("|".join(_term_pattern(term) for term in terms), re.IGNORECASE)
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(tokens) else ""
    # Every piece of the text was escaped above; only our <mark> tags are HTML.
    return mark_safe(f"{prefix}{escaped}{suffix}")


def search_hits(results, query: str) -> list[SearchHit]:
    """Turn one page of results into hits with highlighted snippets."""
    terms = query_terms(query)
    return [
        SearchHit(article=article, snippet=snippet(article.body_text or article.summary, terms))
        for article in results
    ]


# A path that ``build_absolute_uri`` only appends to the request's scheme and host: absolute,
# not "//", with nothing to resolve ("/./", "/../") nor to quote (``iri_to_uri``).
PLAIN_PATH = re.compile(r"/(?!/)[A-Za-z0-9_.~/-]*")


def site_url(path: str, request=None) -> str:
    """An absolute URL on the public site: on the requested host, else on SITE_URL. A plain
    path (every page's own address) is joined to the request's origin, worked out once per
    request: ``build_absolute_uri`` splits and quotes each address, and a page has several."""
    if request is None:
        return settings.SITE_URL.rstrip("/") + path
    if PLAIN_PATH.fullmatch(path) and "/./" not in path and "/../" not in path:
        return site_origin(request) + path
    return request.build_absolute_uri(path)


def site_origin(request: HttpRequest) -> str:
    """The requested scheme and host, as ``build_absolute_uri`` writes them before a path,
    worked out once per request."""
    origin = getattr(request, "_site_origin", None)
    if origin is None:
        origin = request._site_origin = request.build_absolute_uri("/")[:-1]
    return origin


def canonical_url(
    path: str, request=None, query: Iterable[tuple[str, str]] = (), page_number: int = 1
) -> str:
    """The one address of a page (``<link rel="canonical">``, ``og:url``): absolute, with only
    the ``query`` parameters that choose what it shows and its page number after the first;
    never a tracking parameter (``utm_source``…) or anything else the reader's link carried."""
    pairs = [(name, value) for name, value in query if value not in ("", None)]
    if page_number > 1:
        pairs.append(("page", str(page_number)))
    return site_url(path, request) + (f"?{urlencode(pairs)}" if pairs else "")


def live_articles_citing(
    trial: ClinicalTrial, language: str | None = None
) -> list[PublishedArticle]:
    """The live articles (in ``language``, when given) citing ``trial``, among their related
    trials or by its NCT number in their references, by title; one query."""
    names_it = PublishedArticle.related_trials.through.objects.filter(
        publishedarticle=OuterRef("pk"), clinicaltrial=trial
    )
    listed = live_articles() if language is None else live_articles_in(language)
    candidates = (
        listed.filter(Q(Exists(names_it)) | Q(references__icontains=trial.nct_id))
        .annotate(names_it=Exists(names_it))
        .only("article_id", "slug", "title", "summary", "language", "references")
        .order_by("title")
    )
    return [
        snapshot
        for snapshot in candidates
        if snapshot.names_it or cites_by_reference(snapshot, [trial.nct_id])
    ]


def add_live_reference_citers(trials: Iterable[ClinicalTrial]) -> None:
    """Set ``live_citing_by_reference`` on each trial: the slugs of the live articles giving
    its NCT number in their references (one query for them all)."""
    trials = list(trials)
    found = snapshots_citing_by_reference(
        live_articles().only("slug", "references"), [trial.nct_id for trial in trials]
    )
    for trial in trials:
        trial.live_citing_by_reference = [snapshot.slug for snapshot in found.get(trial.nct_id, [])]
