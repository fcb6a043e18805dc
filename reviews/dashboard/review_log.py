"""The review log as CSV rows: one per review request, oldest first, read in chunks so that a
long history is never held in memory at once.

Titles, names and comments are user text: a cell that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, so opening the file runs nothing.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.utils import timezone

from ..models import Review

HEADER = (
    "article id",
    "article title",
    "version",
    "status",
    "submitted at",
    "submitted by",
    "reviewer",
    "reviewer credentials",
    "decided at",
    "turnaround (days)",
    "quality warnings",
    "override reason",
    "digest",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
# What the log reads: never the article's body, nor the people's other fields.
COLUMNS_READ = (
    "article__title", "submitted_by__username", "reviewer__username", "version", "status",
    "submitted_at", "reviewer_byline", "decided_at", "quality_warnings", "override_reason",
    "digest",
)  # fmt: skip


class _Echo:
    """A file whose ``write`` hands the line back, for ``csv.writer`` in a streamed response."""

    def write(self, value: str) -> str:
        return value


def csv_safe(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def _warnings(warnings: object) -> str:
    """The quality warnings shown to the reviewer, one per line (text, or a message field)."""
    if not isinstance(warnings, list):
        return ""
    texts = []
    for warning in warnings:
        if isinstance(warning, dict):
            warning = warning.get("message") or warning.get("text") or warning
        texts.append(str(warning))
    return "\n".join(texts)


def review_row(review: Review) -> tuple[str, ...]:
    byline = review.reviewer_byline if isinstance(review.reviewer_byline, dict) else {}
    turnaround = ""
    if review.decided_at is not None:
        days = (review.decided_at - review.submitted_at).total_seconds() / 86400
        turnaround = f"{days:.1f}"
    cells = (
        review.article_id,
        review.article.title,
        review.version,
        review.status,
        _when(review.submitted_at),
        _username(review.submitted_by),
        byline.get("name") or _username(review.reviewer),
        byline.get("credentials", ""),
        _when(review.decided_at),
        turnaround,
        _warnings(review.quality_warnings),
        review.override_reason,
        review.digest,
    )
    return tuple(csv_safe(cell) for cell in cells)


def review_log_reviews() -> Iterator[Review]:
    """Every review with its article and people, oldest request first, in chunks."""
    reviews = (
        Review.objects.select_related("article", "submitted_by", "reviewer")
        .only(*COLUMNS_READ)
        .order_by("submitted_at", "pk")
    )
    return reviews.iterator(chunk_size=CHUNK_SIZE)


def review_log_lines(reviews: Iterable[Review] | None = None) -> Iterator[str]:
    """The CSV text, one line at a time: the header, then a row per review."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for review in review_log_reviews() if reviews is None else reviews:
        yield writer.writerow(review_row(review))
