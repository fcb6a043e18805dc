"""What every transition shares: the row lock, the "what the user saw" check and the audit
record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from articles.models import Article
from articles.snapshots import article_digest

from .. import quality
from ..models import AuditEntry, EvidenceFlag
from ..states import State
from .errors import InvalidInput, StaleVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class Seen:
    """What the user was shown when they chose to act: the version, and optionally the
    workflow state and the sign-off digest of its content. A front end passes it so that a
    click on an old page never acts on newer text."""

    version: int
    state: str | None = None
    digest: str | None = None
    # The newest open "evidence changed" flag shown (0: none): a decision clears the flags as
    # considered, so one recorded after the page was opened must be shown first.
    evidence: int | None = None


def lock(article: Article) -> Article:
    """Re-read the article row under a lock; the caller's copy may be stale."""
    return type(article).objects.select_for_update().get(pk=article.pk)


def ensure_seen(article: Article, seen: Seen | None, *, current_digest: str | None = None) -> None:
    """Raise :class:`StaleVersion` unless ``article`` (locked) is still what the user saw.

    ``current_digest``, when the caller has computed it already, saves rendering twice.
    """
    if seen is None:
        return
    changed = seen.version != article.version or (
        seen.state is not None and seen.state != article.state
    )
    content_changed = False
    if not changed and seen.digest:
        changed = content_changed = seen.digest != (current_digest or article_digest(article))
    if changed:
        raise StaleVersion(
            stale_message(article, seen.version, content_changed=content_changed),
            seen_version=seen.version,
            current_version=article.version,
        )
    if seen.evidence is not None and newest_open_flag(article) > seen.evidence:
        raise StaleVersion(
            "Nothing was done: new trial changes were recorded for this article since you "
            "opened it. Look at them and act again.",
            seen_version=seen.version,
            current_version=article.version,
        )


def newest_open_flag(article: Article) -> int:
    """The id of the article's newest open "evidence changed" flag, 0 if none."""
    newest = EvidenceFlag.objects.filter(article=article, cleared_at__isnull=True).aggregate(
        newest=Max("pk")
    )["newest"]
    return newest or 0


def stale_message(
    article: Article, seen_version: int, *, saving: bool = False, content_changed: bool = False
) -> str:
    """The one message for an edit or an action based on a version that is no longer current."""
    state = State(article.state).label.lower()
    if saving:
        return (
            f"Someone else saved this article (now version {article.version}) after you opened "
            f"version {seen_version}, so your changes were not saved. Your text is kept: compare "
            "it with the latest version and apply your changes again."
        )
    if content_changed:
        changed = "what readers would be shown changed (for example its counterpart article)"
    elif seen_version == article.version:
        changed = f"its status changed (it is now {state})"
    else:
        changed = (
            f"it changed (you had version {seen_version}; it is now version {article.version}, "
            f"{state})"
        )
    return (
        f"Nothing was done: the article {changed} since you opened it. Look at the latest "
        "version and act again."
    )


def audit(
    article: Article,
    *,
    action: str,
    user: AbstractBaseUser | None,
    from_state: str,
    comment: str = "",
    at: datetime.datetime | None = None,
    digest: str = "",
) -> AuditEntry:
    """Record one workflow event: who did what to which version, when, and why."""
    return AuditEntry.objects.create(
        article=article,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        at=at or timezone.now(),
        version=article.version,
        from_state=from_state,
        to_state=article.state,
        comment=comment,
        digest=digest,
    )


def ensure_quality_gates(article: Article) -> None:
    """Refuse a version with a quality problem (:mod:`reviews.quality`), naming every problem
    and the field to fix (the first problem's field). Submit, approve, confirm and publish
    all check: a gate may start to apply after a version was sent (a topic moved under
    treatments, say)."""
    found = quality.problems(article)
    if found:
        raise InvalidInput(" ".join(problem.message for problem in found), field=found[0].field)
