"""Unpublishing pages left past their clinical review date (``DJANGO_OVERDUE_UNPUBLISH_DAYS``).

Like scheduled publishing, this needs no background job: readers stop seeing such a page from
the first read of the day it passes the limit (``articles.public.live_articles`` hides it), and
the first read that works out a new generation of public content records the unpublication
here (``articles.caching.public_state_expiring``). ``manage.py review_due`` sweeps too.

Each article is unpublished in its own transaction under its row lock, after checking again
that it is still live and still past the limit, so concurrent sweeps (two worker processes,
the command) unpublish it once. A version scheduled to go live later stays scheduled.
"""

from __future__ import annotations

import datetime
import functools
import logging
import threading

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from articles import public
from articles.caching import public_state_expiring
from articles.models import Article, PublishedArticle

from .. import notifications
from ..selectors import live_snapshot, reviewer_of_record
from .common import lock
from .publishing import take_down

logger = logging.getLogger(__name__)

# One sweep at a time in this process; another thread meanwhile skips it (readers are already
# shown nothing past the limit).
_sweeping = threading.Lock()


def _overdue_live_snapshot(
    article: Article, now: datetime.datetime, cutoff: datetime.date
) -> PublishedArticle | None:
    """The snapshot readers would see now, when it is due for review before ``cutoff``."""
    if article.archived_at is not None:
        return None
    snapshot = live_snapshot(article, now)
    if snapshot is None or snapshot.next_review_due is None:
        return None
    return snapshot if snapshot.next_review_due < cutoff else None


def unpublish_overdue(today: datetime.date | None = None) -> list[Article]:
    """Unpublish every live article whose clinical review is more than
    ``OVERDUE_UNPUBLISH_DAYS`` days overdue (none when the setting is unset); returns them."""
    today = today or timezone.localdate()
    cutoff = public.overdue_unpublish_cutoff(today)
    if cutoff is None:
        return []
    now = timezone.now()
    candidates = (
        PublishedArticle.objects.live(now)
        .filter(next_review_due__lt=cutoff, article__archived_at__isnull=True)
        .values_list("article_id", flat=True)
    )
    unpublished = []
    for article_id in sorted(set(candidates)):
        with transaction.atomic():
            article = lock(Article(pk=article_id))
            # Read again under the lock, at the time now: what a sweep that held the lock
            # before this one closed is no longer live.
            snapshot = _overdue_live_snapshot(article, timezone.now(), cutoff)
            if snapshot is None:  # another sweep, or an editor, got there first
                continue
            due = snapshot.next_review_due
            days_overdue = (today - due).days
            take_down(
                article,
                user=None,
                comment=f"Unpublished automatically: {days_overdue} days past its clinical "
                f"review date (due {due:%Y-%m-%d}).",
                keep_scheduled=True,
            )
            transaction.on_commit(
                functools.partial(
                    notifications.overdue_unpublished,
                    article,
                    due=due,
                    days_overdue=days_overdue,
                    reviewer=reviewer_of_record(article),
                )
            )
        logger.warning(
            "Unpublished article %s (%s): %s days past its clinical review date.",
            article.pk,
            article.title,
            days_overdue,
        )
        unpublished.append(article)
    return unpublished


@receiver(public_state_expiring)
def sweep_on_read(**kwargs) -> None:
    """Before a new generation of public content: unpublish what is past the limit, unless
    the setting is unset or another thread of this process is at it."""
    if public.overdue_unpublish_cutoff() is None or not _sweeping.acquire(blocking=False):
        return
    try:
        unpublish_overdue()
    finally:
        _sweeping.release()
