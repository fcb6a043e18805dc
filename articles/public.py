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
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .choices import DUE_SOON_DAYS, ReviewStatus
from .models import ClinicalTrial, Image, PublishedArticle, Topic
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
    snapshots = PublishedArticle.objects.live()
    cutoff = overdue_unpublish_cutoff()
    if cutoff is not None:
        snapshots = snapshots.exclude(next_review_due__lt=cutoff)
    return snapshots


# Publishing refuses an address that another article's page holds; should two live snapshots
# still share one (data from before that rule), the article that went live there first keeps it.
BY_ADDRESS = ("slug", "first_published_at", "pk")


def live_article(slug: str, queryset: QuerySet | None = None) -> PublishedArticle:
    """The live snapshot at ``slug`` (from ``queryset``, by default with what its page needs);
    404 otherwise."""
    if queryset is None:
        queryset = (
            live_articles()
            .select_related("article")
            .prefetch_related("topics__parent", "related_trials")
        )
    snapshot = queryset.filter(slug=slug).order_by(*BY_ADDRESS).first()
    if snapshot is None:
        raise Http404("No published article has this address.")
    return snapshot


def change_log(snapshot: PublishedArticle) -> list[PublishedArticle]:
    """The article's public change log: every version that went live, newest first (a
    scheduled version replaced or withdrawn before its time never did)."""
    return list(
        PublishedArticle.objects.went_live()
        .filter(article_id=snapshot.article_id)
        .only("version", "go_live_at", "change_note")
        .order_by("-go_live_at")
    )


def live_counterpart(snapshot: PublishedArticle) -> PublishedArticle | None:
    """The live version of the same subject for the other audience, if there is one."""
    if snapshot.counterpart_id is None:
        return None
    return (
        live_articles()
        .filter(article_id=snapshot.counterpart_id)
        .only("slug", "title", "audience")
        .first()
    )


def topic_articles(topic: Topic) -> QuerySet[PublishedArticle]:
    """Live articles filed under ``topic`` or one of its sub-topics (a subquery on the
    topic links, so no join fans rows out and no DISTINCT is needed)."""
    topics = Topic.objects.filter(Q(pk=topic.pk) | Q(parent=topic)).values("pk")
    filed = PublishedArticle.topics.through.objects.filter(topic__in=topics).values(
        "publishedarticle_id"
    )
    return (
        live_articles()
        .filter(pk__in=filed)
        .only("slug", "title", "summary", "audience", "go_live_at", "last_reviewed")
        .order_by("title")
    )


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
    return ids - set(Image.objects.shown(today).filter(pk__in=ids).values_list("pk", flat=True))


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


def search_vector():
    """The weighted document of a snapshot on PostgreSQL: title, then summary, then body.
    Migration 0007 indexes exactly this expression (GIN), so a search reads the index."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )


def _ranked_postgres(query: str, queryset: QuerySet) -> QuerySet[PublishedArticle]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, search_type="websearch", config="english")
    return (
        queryset.annotate(document=search_vector())
        .filter(document=search_query)
        .annotate(rank=SearchRank(F("document"), search_query))
        .order_by("-rank", "title")
    )


def _ranked_fallback(terms: list[str], queryset: QuerySet) -> QuerySet[PublishedArticle]:
    """Every term must appear; title matches weigh most, then summary, then body."""
    matches = queryset
    score = Value(0)
    for term in terms:
        matches = matches.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body_text__icontains=term)
        )
        score = (
            score
            + Case(When(title__icontains=term, then=Value(8)), default=Value(0))
            + Case(When(summary__icontains=term, then=Value(3)), default=Value(0))
            + Case(When(body_text__icontains=term, then=Value(1)), default=Value(0))
        )
    return matches.annotate(rank=Case(default=score, output_field=IntegerField())).order_by(
        "-rank", "title"
    )


def search_articles(query: str, queryset: QuerySet | None = None) -> QuerySet[PublishedArticle]:
    """Live articles (or ``queryset``) matching ``query``, best first: PostgreSQL full-text
    search with ranking, or a term-matching fallback on other databases."""
    queryset = live_articles() if queryset is None else queryset
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _ranked_postgres(" ".join(terms), queryset)
    return _ranked_fallback(terms, queryset)


def snippet(text: str, terms: list[str], words: int = SNIPPET_WORDS) -> SafeString:
    """A short excerpt around the first match, HTML-escaped, with the terms in <mark>."""
    tokens = text.split()
    lowered = [token.lower() for token in tokens]
    start = next((i for i, token in enumerate(lowered) if any(term in token for term in terms)), 0)
    start = max(0, start - words // 3)
    excerpt = " ".join(tokens[start : start + words])
    escaped = escape(excerpt)
    if terms:
        pattern = re.compile("|".join(re.escape(escape(term)) for term in terms), re.IGNORECASE)
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


def site_url(path: str, request=None) -> str:
    """An absolute URL on the public site: on the requested host, else on SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


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


def live_articles_citing(trial: ClinicalTrial) -> list[PublishedArticle]:
    """The live articles citing ``trial``, among their related trials or by its NCT number in
    their references, by title; one query."""
    names_it = PublishedArticle.related_trials.through.objects.filter(
        publishedarticle=OuterRef("pk"), clinicaltrial=trial
    )
    candidates = (
        live_articles()
        .filter(Q(Exists(names_it)) | Q(references__icontains=trial.nct_id))
        .annotate(names_it=Exists(names_it))
        .only("slug", "title", "summary", "references")
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
