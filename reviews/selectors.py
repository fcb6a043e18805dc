"""Reads for the review workflow: live and open snapshots, who contributed to a version, the
review queue, and articles due for review."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Coalesce

from articles.models import Article, ArticleRevision, PublishedArticle

from .models import Review, ReviewComment
from .roles import is_clinical_reviewer
from .states import State

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Reviews whose content went live: approvals that were published, and confirmations that the
# live content is still accurate.
SIGNED_OFF = (Review.Status.PUBLISHED, Review.Status.CONFIRMED)


def live_snapshot(article: Article, at: datetime.datetime | None = None) -> PublishedArticle | None:
    """The snapshot readers see now, if the article is live."""
    return article.snapshots.live(at).first()


def open_snapshot(article: Article) -> PublishedArticle | None:
    """The newest snapshot that is live or scheduled to go live."""
    return article.snapshots.open_at().order_by("-go_live_at").first()


def last_live_version(article: Article) -> int:
    """The newest version that has ever been live or scheduled (0 if none)."""
    latest = article.snapshots.order_by("-version").values_list("version", flat=True).first()
    return latest or 0


def _contributed(article: int | models.Expression, user: int | models.Expression) -> models.Q:
    """Separation of duties, the one definition: ``user`` wrote the working copy of
    ``article`` if they are in its byline or saved a version of it after the newest version
    published or scheduled before the working copy's version (for a working copy that is the
    live version itself, the publication before that one).

    Either side may be a constant id or an ``OuterRef``, so the same rule filters the articles
    a user may review (the queue) and the users who may review an article (the check, the
    notifications).
    """
    last_published = PublishedArticle.objects.filter(
        article=models.OuterRef("article_id"), version__lt=models.OuterRef("article__version")
    )
    saved_since = ArticleRevision.objects.filter(
        article=article,
        revision__user=user,
        version__gt=Coalesce(
            models.Subquery(last_published.order_by("-version").values("version")[:1]), 0
        ),
    )
    in_byline = Article.authors.through.objects.filter(article=article, user=user)
    return models.Q(models.Exists(saved_since)) | models.Q(models.Exists(in_byline))


def contributors_since_last_live(article: Article) -> set[int]:
    """Who wrote the working copy's version: the byline authors, and everyone who saved a
    version since the publication before it."""
    users = get_user_model().objects.filter(_contributed(article.pk, models.OuterRef("pk")))
    return set(users.values_list("pk", flat=True))


def needs_review_by(user: AbstractBaseUser | None, queryset: models.QuerySet) -> models.QuerySet:
    """Articles in ``queryset`` awaiting review that ``user`` may review (not their writing)."""
    if not is_clinical_reviewer(user):
        return queryset.none()
    return queryset.filter(state=State.IN_REVIEW, archived_at__isnull=True).exclude(
        _contributed(models.OuterRef("pk"), user.pk)
    )


def awaiting_publication(queryset: models.QuerySet) -> models.QuerySet:
    """Articles in ``queryset`` whose current version is approved and not yet published
    (publishing marks the approval published, so live articles stay out)."""
    return queryset.filter(state=State.APPROVED, reviews__status=Review.Status.APPROVED)


def review_baseline_version(article: Article) -> int | None:
    """What a reviewer compares against: the live version, else the last approved one."""
    snapshot = live_snapshot(article)
    if snapshot is not None:
        return snapshot.version
    return (
        article.reviews.filter(status__in=[Review.Status.APPROVED, Review.Status.PUBLISHED])
        .exclude(version=article.version)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


def latest_review(article: Article) -> Review | None:
    """The article's most recent review request, whatever became of it."""
    return article.reviews.order_by("-submitted_at", "-pk").first()


def review_thread(article: Article) -> tuple[Review | None, models.QuerySet[ReviewComment]]:
    """The discussion the review page shows: the article's latest review and its messages,
    oldest first, with their authors (one query for the messages)."""
    review = latest_review(article)
    if review is None:
        return None, ReviewComment.objects.none()
    return review, review.comments.select_related("author").order_by("created_at", "pk")


def editorial_staff() -> models.QuerySet:
    """Active staff members who work on content: superusers, and members of the writers,
    clinical reviewers or editors (the people an article may credit as its authors), by name,
    with what their roles are read from."""
    groups = (settings.WRITERS_GROUP, settings.REVIEWERS_GROUP, settings.EDITORS_GROUP)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(models.Q(is_superuser=True) | models.Q(groups__name__in=groups))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def open_review(article: Article) -> Review | None:
    """The review awaiting a decision or publication, if any."""
    return article.reviews.filter(status__in=Review.OPEN_STATUSES).first()


def reviewer_of_record(article: Article) -> AbstractBaseUser | None:
    """The clinician who signed off what readers see now (or, if nothing is live, saw last):
    the reviewer of the newest approval or confirmation of the live version, else of the
    newest published one (None if never published). A version scheduled to replace the live
    page is not what readers see yet."""
    reviews = article.reviews.filter(status__in=SIGNED_OFF).select_related("reviewer")
    live = live_snapshot(article)
    if live is not None:
        reviews = reviews.filter(version=live.version)
    review = reviews.order_by("-decided_at", "-pk").first()
    return review.reviewer if review is not None else None


def articles_due_for_review(by: datetime.date) -> list[Article]:
    """Live-reviewed articles whose next review is due by ``by`` (overdue first), each with
    ``review_contacts``: its authors and its last clinical reviewer."""
    User = get_user_model()
    articles = list(
        Article.objects.active()
        .filter(next_review_due__lte=by)
        .order_by("next_review_due", "title")
        .prefetch_related(
            Prefetch("authors", queryset=User.objects.filter(is_active=True)),
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(status__in=[*SIGNED_OFF, Review.Status.APPROVED])
                .select_related("reviewer")
                .order_by("-decided_at"),
                to_attr="decided_reviews",
            ),
        )
    )
    for article in articles:
        contacts = list(article.authors.all())
        last = article.decided_reviews[0].reviewer if article.decided_reviews else None
        if last is not None and last.is_active and last not in contacts:
            contacts.append(last)
        article.review_contacts = contacts
    return articles
