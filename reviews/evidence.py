"""Evidence tracking: articles citing a trial that changed are flagged "evidence changed"
until a clinical reviewer approves a new version or confirms they are still accurate.

``flag_citing_articles`` is what a trial sync calls, inside its transaction, with the changes
it recorded; ``clear_flags`` is what an approval or a confirmation calls, inside theirs. The
selectors read the open flags for the admin, the review pages and the editorial API.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from articles.choices import TrialPhase, TrialStatus
from articles.models import Article, ClinicalTrial, PublishedArticle, Reference, TrialChange
from articles.selectors import snapshots_citing_by_reference

from . import notifications
from .models import EvidenceFlag, Review
from .selectors import reviewer_of_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Where a list prefetches an article's open flags (``with_open_flags``); ``open_flags`` reads it.
OPEN_FLAGS_ATTR = "open_evidence_flags"
# Fields whose values are long texts: a one-line description says only that they changed.
LONG_TEXT_FIELDS = frozenset({"eligibility_criteria"})


# Selectors --------------------------------------------------------------------------------


def _open_flags_of(article: int | models.Expression) -> models.QuerySet:
    return EvidenceFlag.objects.filter(article=article, cleared_at__isnull=True)


def _snapshot_reference_citers(nct_id: str) -> set[int]:
    """Articles whose live or scheduled snapshot lists ``nct_id`` in its references."""
    snapshots = PublishedArticle.objects.open_at().only("article_id", "references")
    found = snapshots_citing_by_reference(snapshots, [nct_id])
    return {snapshot.article_id for snapshot in found.get(nct_id, [])}


def citing_articles(trial: ClinicalTrial) -> models.QuerySet[Article]:
    """Articles in use (not archived) that cite ``trial``: among the working copy's related
    trials or by an NCT number in its references, or the same in the live or scheduled
    snapshot (what readers see, or will, may still cite a trial the working copy dropped)."""
    related = Article.related_trials.through.objects.filter(
        article=OuterRef("pk"), clinicaltrial=trial
    )
    referenced = Reference.objects.filter(article=OuterRef("pk"), nct_id=trial.nct_id)
    in_snapshot = PublishedArticle.objects.open_at().filter(
        article=OuterRef("pk"), related_trials=trial
    )
    return Article.objects.active().filter(
        Q(Exists(related))
        | Q(Exists(referenced))
        | Q(Exists(in_snapshot))
        | Q(pk__in=_snapshot_reference_citers(trial.nct_id))
    )


def _open_flags_in_order() -> models.QuerySet[EvidenceFlag]:
    """Open flags with their changes and trials, the oldest change first."""
    return (
        EvidenceFlag.objects.filter(cleared_at__isnull=True)
        .select_related("change__trial")
        .order_by("change__changed_at", "change__pk")
    )


def with_open_flags(queryset: models.QuerySet[Article]) -> models.QuerySet[Article]:
    """``queryset`` with each article's open flags, their changes and trials, prefetched in one
    query (read them with ``open_flags``)."""
    return queryset.prefetch_related(
        Prefetch("evidence_flags", _open_flags_in_order(), to_attr=OPEN_FLAGS_ATTR)
    )


def with_evidence_changed(queryset: models.QuerySet[Article]) -> models.QuerySet[Article]:
    """``queryset`` annotated with ``evidence_changed``: whether the article has an open flag
    (no extra query per article)."""
    return queryset.annotate(evidence_changed=Exists(_open_flags_of(OuterRef("pk"))))


def flagged_articles(queryset: models.QuerySet[Article]) -> models.QuerySet[Article]:
    """The articles in ``queryset`` with an open flag: evidence changed, not yet reconsidered."""
    return queryset.filter(Exists(_open_flags_of(OuterRef("pk"))))


def unflagged_articles(queryset: models.QuerySet[Article]) -> models.QuerySet[Article]:
    """The articles in ``queryset`` with no open flag."""
    return queryset.filter(~Exists(_open_flags_of(OuterRef("pk"))))


def open_flags(article: Article) -> list[EvidenceFlag]:
    """The article's open flags, oldest change first, with their changes and trials."""
    prefetched = getattr(article, OPEN_FLAGS_ATTR, None)
    if prefetched is not None:
        return prefetched
    return list(_open_flags_in_order().filter(article=article))


# How a change reads -------------------------------------------------------------------------


def field_label(field: str) -> str:
    """A trial field as people name it, e.g. "overall status", "results posted"."""
    try:
        return str(ClinicalTrial._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field.replace("_", " ")


def value_label(field: str, value: Any) -> str:
    """A trial field's value in plain words: "Recruiting", "Phase 2, Phase 3", "yes"."""
    if value is None or value == "":
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "overall_status" and value in TrialStatus.values:
        return str(TrialStatus(value).label)
    if isinstance(value, list):
        if not value:
            return "none"
        labels = (
            str(TrialPhase(item).label) if item in TrialPhase.values else str(item)
            for item in value
        )
        return ", ".join(labels)
    return str(value)


def describe_change(change: TrialChange, *, with_trial: bool = True) -> str:
    """One line: "NCT02819518 overall status Recruiting → Completed"."""
    prefix = f"{change.trial.nct_id} " if with_trial else ""
    label = field_label(change.field)
    if change.field in LONG_TEXT_FIELDS:
        return f"{prefix}{label} changed"
    old = value_label(change.field, change.old_value)
    new = value_label(change.field, change.new_value)
    return f"{prefix}{label} {old} → {new}"


@dataclass(frozen=True)
class ChangeRow:
    """A trial change as the admin shows it."""

    trial: ClinicalTrial
    field: str
    label: str
    old: str
    new: str
    changed_at: datetime.datetime
    long_text: bool


def change_rows(flags: Iterable[EvidenceFlag]) -> list[ChangeRow]:
    """The changes behind ``flags`` (with their trials selected), for a template."""
    return [
        ChangeRow(
            trial=flag.change.trial,
            field=flag.change.field,
            label=field_label(flag.change.field),
            old=value_label(flag.change.field, flag.change.old_value),
            new=value_label(flag.change.field, flag.change.new_value),
            changed_at=flag.change.changed_at,
            long_text=flag.change.field in LONG_TEXT_FIELDS,
        )
        for flag in flags
    ]


# Services ---------------------------------------------------------------------------------


def flag_citing_articles(trial: ClinicalTrial, changes: Sequence[TrialChange]) -> list[Article]:
    """Flag every article citing ``trial`` (``citing_articles``) with each of ``changes``, and
    after commit e-mail each article's clinical reviewer and authors about the new flags, one
    e-mail per person. Returns the citing articles, by title. Runs in the caller's transaction;
    flagging again with the same changes adds no flag and sends no e-mail."""
    if any(change.trial_id != trial.pk for change in changes):
        raise ValueError(f"Every change passed must be a change of {trial.nct_id}.")
    if not changes:
        return []
    articles = list(citing_articles(trial).order_by("title", "pk"))
    if not articles:
        return []
    already = set(
        EvidenceFlag.objects.filter(article__in=articles, change__in=changes).values_list(
            "article_id", "change_id"
        )
    )
    now = timezone.now()
    new_flags = [
        EvidenceFlag(article=article, change=change, flagged_at=now)
        for article in articles
        for change in changes
        if (article.pk, change.pk) not in already
    ]
    EvidenceFlag.objects.bulk_create(new_flags, ignore_conflicts=True)
    if new_flags:
        flagged: dict[int, list[TrialChange]] = defaultdict(list)
        for flag in new_flags:
            flagged[flag.article_id].append(flag.change)
        newly = [article for article in articles if article.pk in flagged]
        transaction.on_commit(lambda: _tell_reviewers_and_authors(trial, newly, flagged))
    return articles


def _last_decided_reviewer(article: Article) -> AbstractBaseUser | None:
    """Who decided last on the article (for one never published: no reviewer of record)."""
    review = (
        article.reviews.filter(decided_at__isnull=False, reviewer__isnull=False)
        .select_related("reviewer")
        .order_by("-decided_at", "-pk")
        .first()
    )
    return review.reviewer if review is not None else None


def _tell_reviewers_and_authors(
    trial: ClinicalTrial, articles: list[Article], flagged: dict[int, list[TrialChange]]
) -> None:
    """One e-mail per person: the articles of theirs that the trial's changes flagged."""
    User = get_user_model()
    models.prefetch_related_objects(
        articles, Prefetch("authors", queryset=User.objects.filter(is_active=True))
    )
    by_person: dict[int, list[Article]] = defaultdict(list)
    people: dict[int, AbstractBaseUser] = {}
    for article in articles:
        reviewer = reviewer_of_record(article) or _last_decided_reviewer(article)
        for person in [*article.authors.all(), *([reviewer] if reviewer else [])]:
            if article not in by_person[person.pk]:
                by_person[person.pk].append(article)
            people[person.pk] = person
    for pk, their_articles in by_person.items():
        changes = dict.fromkeys(c for article in their_articles for c in flagged[article.pk])
        notifications.evidence_changed(
            people[pk],
            trial,
            their_articles,
            [describe_change(change, with_trial=False) for change in changes],
        )


def clear_flags(article: Article, review: Review) -> str:
    """Clear the article's open flags with ``review`` (an approval or a confirmation, just
    recorded in the caller's transaction); returns the note for the audit entry naming the
    changes considered, or "" if there was none."""
    flags = list(_open_flags_in_order().filter(article=article))
    if not flags:
        return ""
    EvidenceFlag.objects.filter(pk__in=[flag.pk for flag in flags]).update(
        cleared_at=review.decided_at or timezone.now(),
        cleared_by_review=review,
    )
    considered = "; ".join(dict.fromkeys(describe_change(flag.change) for flag in flags))
    return f"Trial changes considered: {considered}."
