"""The editorial dashboard's numbers, read in a bounded number of queries.

Every function takes the moment (``now`` or ``today``) it reports on, so that the dashboard
and its tests agree on "this month" and "overdue"; months are calendar months in the site's
time zone (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from articles.choices import DUE_SOON_DAYS, Audience
from articles.models import Article, Feedback, PublishedArticle
from reviews.readability.scores import SCALES

from .. import selectors
from ..models import Review
from ..roles import is_clinical_reviewer, is_editor
from ..selectors import needs_review_by
from ..states import State

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet

# How many months the monthly charts cover, the current one included.
MONTHS = 12
# How many articles each list on the dashboard shows; the counts are always complete.
LIST_LIMIT = 25
# Turnaround is measured from the request to the clinician's approval. Confirmations that live
# content is still accurate and requests for changes are not approvals.
# An approval later withdrawn by an edit (or a revoked verification) was still an approval;
# a withdrawn request that was never decided has no reviewer.
APPROVALS = Q(status__in=(Review.Status.APPROVED, Review.Status.PUBLISHED)) | Q(
    status=Review.Status.WITHDRAWN, reviewer__isnull=False
)
# Feedback the team has not closed yet.
OPEN_FEEDBACK = (Feedback.Status.NEW, Feedback.Status.TRIAGED)
# Reading-grade buckets of live patient pages: (label, lowest grade excluded, highest included).
# Grades are rounded to one decimal and "above the target" means strictly above it, so each
# bucket's upper bound is a whole grade: at the default target of 8 the pages above it are
# exactly those in the buckets after "7.1–8".
GRADE_BUCKETS: tuple[tuple[str, float | None, float | None], ...] = (
    ("6 or below", None, 6),
    ("6.1–7", 6, 7),
    ("7.1–8", 7, 8),
    ("8.1–9", 8, 9),
    ("9.1–10", 9, 10),
    ("10.1–11", 10, 11),
    ("above 11", 11, None),
)


@dataclass(frozen=True)
class Tally:
    """One labelled number: a state, a status, a bucket."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class ArticleCounts:
    """Articles in use by workflow state, with the archived and the live ones counted apart."""

    by_state: list[Tally]
    in_use: int
    archived: int
    live: int


@dataclass(frozen=True)
class ArticleList:
    """The first ``LIST_LIMIT`` articles of a list, and how many the whole list has."""

    articles: list[Article]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.articles)


@dataclass(frozen=True)
class Queue:
    """A user's work: the articles waiting for them, and the admin list that shows them all."""

    key: str
    title: str
    description: str
    items: ArticleList
    changelist_query: str


@dataclass(frozen=True)
class ReviewDue:
    """Articles in use whose clinical review is overdue, or due within ``DUE_SOON_DAYS``."""

    today: datetime.date
    overdue: ArticleList
    due_soon: ArticleList


@dataclass(frozen=True)
class MonthTurnaround:
    """Approvals decided in one month, and their median time from request to approval."""

    month: datetime.date
    approvals: int
    median_days: float | None


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    value: int


@dataclass(frozen=True)
class FeedbackCounts:
    by_status: list[Tally]
    total: int
    open_clinical_concerns: int


@dataclass(frozen=True)
class ReadabilityDistribution:
    """Reading grades of the live patient pages."""

    buckets: list[Tally]
    target: float
    above_target: int
    scored: int
    unscored: int


def readability_target() -> float:
    """The highest reading grade a patient page should have (``DJANGO_READABILITY_MAX_GRADE``)."""
    return float(getattr(settings, "READABILITY_MAX_GRADE", 8))


def article_counts(*, now: datetime.datetime) -> ArticleCounts:
    """Articles by workflow state (those in use), archived ones, and how many are live at
    ``now``. Two queries."""
    in_use = Q(archived_at__isnull=True)
    totals = Article.objects.aggregate(
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
        **{state.value: Count("pk", filter=in_use & Q(state=state.value)) for state in State},
    )
    by_state = [Tally(state.value, state.label, totals[state.value]) for state in State]
    live = PublishedArticle.objects.live(now).filter(article__archived_at__isnull=True).count()
    return ArticleCounts(
        by_state=by_state,
        in_use=sum(count.value for count in by_state),
        archived=totals["archived"],
        live=live,
    )


def _first(queryset: QuerySet) -> ArticleList:
    """The first ``LIST_LIMIT`` rows and the total, in two queries."""
    return ArticleList(articles=list(queryset[:LIST_LIMIT]), total=queryset.count())


def awaiting_publication() -> QuerySet:
    """The editors' queue: articles in use whose approved version is not published yet."""
    return selectors.awaiting_publication(Article.objects.active()).order_by("title", "pk")


def my_queues(user: AbstractBaseUser) -> list[Queue]:
    """What waits for ``user``: for a clinical reviewer, articles in review they may review
    (not their own writing); for an editor, approved versions to publish. Two queries each."""
    queues = []
    if is_clinical_reviewer(user):
        queues.append(
            Queue(
                key="review",
                title="Needs my review",
                description="Articles in review that you did not write or edit.",
                items=_first(needs_review_by(user, Article.objects.order_by("title", "pk"))),
                changelist_query="queue=mine",
            )
        )
    if is_editor(user):
        queues.append(
            Queue(
                key="publish",
                title="Approved, ready to publish",
                description="Versions a clinician approved that are not published yet.",
                items=_first(awaiting_publication()),
                changelist_query="queue=to_publish",
            )
        )
    return queues


def review_due(*, today: datetime.date, within_days: int = DUE_SOON_DAYS) -> ReviewDue:
    """Articles in use past their next review date, and those due within ``within_days``
    (overdue ones not included), soonest first. Four queries."""
    dated = Article.objects.active().filter(next_review_due__isnull=False)
    dated = dated.order_by("next_review_due", "title", "pk")
    overdue = dated.filter(next_review_due__lt=today)
    soon = dated.filter(
        next_review_due__gte=today,
        next_review_due__lte=today + datetime.timedelta(days=within_days),
    )
    return ReviewDue(today=today, overdue=_first(overdue), due_soon=_first(soon))


def _month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_months(*, now: datetime.datetime, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the last ``months`` calendar months in the site's time zone, oldest
    first, the month of ``now`` last."""
    today = timezone.localdate(now)
    return [_month_start(today, back) for back in range(months - 1, -1, -1)]


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _window(months: list[datetime.date]) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of the first month to the start of the month after the last one."""
    return _local_midnight(months[0]), _local_midnight(_month_start(months[-1], -1))


def review_turnaround(*, now: datetime.datetime, months: int = MONTHS) -> list[MonthTurnaround]:
    """For each of the last ``months`` months: the approvals decided that month and the median
    days from the request for review to the approval (None when there was none). One query."""
    month_list = last_months(now=now, months=months)
    start, end = _window(month_list)
    durations: dict[datetime.date, list[float]] = {month: [] for month in month_list}
    decided = (
        Review.objects.filter(APPROVALS)
        .filter(decided_at__gte=start, decided_at__lt=end)
        .values_list("submitted_at", "decided_at")
    )
    for submitted_at, decided_at in decided:
        month = _month_start(timezone.localdate(decided_at))
        days = (decided_at - submitted_at).total_seconds() / 86400
        durations[month].append(days)
    return [
        MonthTurnaround(
            month=month,
            approvals=len(days),
            median_days=round(statistics.median(days), 1) if days else None,
        )
        for month, days in durations.items()
    ]


def publications_by_month(*, now: datetime.datetime, months: int = MONTHS) -> list[MonthCount]:
    """For each of the last ``months`` months: how many snapshots went live in it (scheduled
    versions superseded or unpublished before their time never went live). One query."""
    month_list = last_months(now=now, months=months)
    start, _ = _window(month_list)
    rows = (
        PublishedArticle.objects.went_live()
        .filter(go_live_at__gte=start, go_live_at__lte=now)
        .annotate(month=TruncMonth("go_live_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    counts = {timezone.localdate(month): count for month, count in rows}
    return [MonthCount(month=month, value=counts.get(month, 0)) for month in month_list]


def feedback_counts() -> FeedbackCounts:
    """Reader feedback by status, and clinical concerns not yet actioned or dismissed. One
    query."""
    totals = Feedback.objects.aggregate(
        concerns=Count("pk", filter=Q(clinical_concern=True, status__in=OPEN_FEEDBACK)),
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in Feedback.Status},
    )
    by_status = [
        Tally(status.value, status.label, totals[status.value]) for status in Feedback.Status
    ]
    return FeedbackCounts(
        by_status=by_status,
        total=sum(count.value for count in by_status),
        open_clinical_concerns=totals["concerns"],
    )


def _grade_range(low: float | None, high: float | None) -> Q:
    condition = Q(reading_grade__isnull=False)
    if low is not None:
        condition &= Q(reading_grade__gt=low)
    if high is not None:
        condition &= Q(reading_grade__lte=high)
    return condition


def readability_distribution(*, now: datetime.datetime) -> ReadabilityDistribution:
    """Reading grades (Flesch-Kincaid, as published) of the patient pages live at ``now``, in
    ``GRADE_BUCKETS``, and how many are above the target. One query."""
    target = readability_target()
    # Grades only: pages scored on another scale (Spanish: Fernández-Huerta) are not grades.
    live_patient_pages = (
        PublishedArticle.objects.live(now)
        .filter(audience=Audience.PATIENT, article__archived_at__isnull=True)
        .exclude(language__in=list(SCALES))
    )
    totals = live_patient_pages.aggregate(
        above=Count("pk", filter=Q(reading_grade__gt=target)),
        unscored=Count("pk", filter=Q(reading_grade__isnull=True)),
        **{
            f"bucket{index}": Count("pk", filter=_grade_range(low, high))
            for index, (_, low, high) in enumerate(GRADE_BUCKETS)
        },
    )
    buckets = [
        Tally(f"bucket{index}", label, totals[f"bucket{index}"])
        for index, (label, _, _) in enumerate(GRADE_BUCKETS)
    ]
    return ReadabilityDistribution(
        buckets=buckets,
        target=target,
        above_target=totals["above"],
        scored=sum(bucket.value for bucket in buckets),
        unscored=totals["unscored"],
    )
