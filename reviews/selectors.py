"""Reads for the review workflow."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from articles.models import Article

from .models import Review


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
                queryset=Review.objects.filter(
                    status__in=[Review.Status.PUBLISHED, Review.Status.APPROVED]
                )
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
