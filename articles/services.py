"""Writes for topics, trials and webhook endpoints, and helpers the article workflow shares.

Article working-copy saves go through ``reviews.workflow.save_working_copy`` because an edit
can withdraw a review; topics and trials have no workflow and are saved here, each write inside a
django-reversion revision carrying its user and comment. Webhook endpoints are not versioned.
"""

from collections.abc import Iterable

import reversion
from anyascii import anyascii
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from . import ratelimit
from .models import Article, ClinicalTrial, Feedback, PublishedArticle, Topic, WebhookEndpoint

SLUG_MAX_LENGTH = 200


def slug_base(title: str) -> str:
    """An ASCII slug for any title: accents and non-Latin scripts are transliterated."""
    base = slugify(anyascii(title or ""))[:SLUG_MAX_LENGTH].strip("-")
    return base or "article"


def unique_article_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """The title's slug, with ``-2``, ``-3``… appended until no other article has it, as its
    working copy's slug or as the address of its live or scheduled page."""
    base = slug_base(title)
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | set(
        PublishedArticle.objects.open_at()
        .filter(slug__startswith=base)
        .exclude(article_id=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    counter = 2
    while True:
        suffix = f"-{counter}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        counter += 1


def save_versioned(
    *, record: Topic | ClinicalTrial, user: AbstractBaseUser | None, comment: str
) -> Topic | ClinicalTrial:
    """Validate and save a topic or a trial as a new version with its user and comment."""
    record.full_clean()
    with transaction.atomic(), reversion.create_revision():
        record.save()
        reversion.set_user(user)
        reversion.set_comment(comment)
    return record


def save_topic(
    *, topic: Topic, user: AbstractBaseUser | None, comment: str = "Saved topic."
) -> Topic:
    """Validate and save a topic as a new version."""
    return save_versioned(record=topic, user=user, comment=comment)


def save_trial(
    *, trial: ClinicalTrial, user: AbstractBaseUser | None, comment: str = "Saved trial."
) -> ClinicalTrial:
    """Validate and save a clinical trial as a new version."""
    return save_versioned(record=trial, user=user, comment=comment)


def save_webhook_endpoint(
    *, endpoint: WebhookEndpoint, user: AbstractBaseUser | None
) -> WebhookEndpoint:
    """Validate and save a partner's webhook endpoint; ``user`` is recorded as who registered it.

    Validation refuses URLs that are, or resolve to, loopback, private, link-local or other
    non-public addresses (``WebhookEndpoint.clean``).
    """
    if endpoint.pk is None and endpoint.created_by_id is None:
        endpoint.created_by = user
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def topics_by_slug(slugs: Iterable[str]) -> tuple[list[Topic], list[str]]:
    """The topics with these slugs, and the slugs that matched none."""
    wanted = list(dict.fromkeys(slugs))
    found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=wanted)}
    return [found[slug] for slug in wanted if slug in found], [s for s in wanted if s not in found]


FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW_SECONDS = 600


class RateLimited(Exception):
    """Too many submissions from one client; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many submissions; try again in {retry_after} seconds.")
        self.retry_after = retry_after


def record_feedback(
    *, snapshot: PublishedArticle, helpful: bool, comment: str, client_key: str
) -> Feedback:
    """Store a reader's feedback, at most FEEDBACK_LIMIT per client per window."""
    wait = ratelimit.hit(f"feedback:{client_key}", FEEDBACK_LIMIT, FEEDBACK_WINDOW_SECONDS)
    if wait is not None:
        raise RateLimited(wait)
    return Feedback.objects.create(
        article_id=snapshot.article_id,
        version=snapshot.version,
        helpful=helpful,
        comment=comment.strip()[:2000],
    )
