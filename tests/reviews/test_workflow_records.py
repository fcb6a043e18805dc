"""What the workflow records: the audit trail, the approver as they stood, the review dates."""

import datetime

import pytest

from articles.models import Article, PublishedArticle
from reviews import workflow
from tests.reviews.workflow_scenarios import (
    APPROVED,
    CHANGES_REQUESTED,
    DAY,
    DRAFT,
    IN_REVIEW,
    STEP_APPROVE,
    STEP_EDIT,
    STEP_PUBLISH,
    STEP_SUBMIT,
    bring_to,
    comment_for,
    edit,
    fresh,
    moment,
    perform,
    run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


# Audit trail and approval record ------------------------------------------------------------------

# fmt: off
JOURNEY = [
    # action            by          from               to
    ("submit",          "author",   DRAFT,             IN_REVIEW),
    ("request_changes", "reviewer", IN_REVIEW,         CHANGES_REQUESTED),
    ("submit",          "author",   CHANGES_REQUESTED, IN_REVIEW),
    ("approve",         "reviewer", IN_REVIEW,         APPROVED),
    ("publish",         "editor",   APPROVED,          APPROVED),
    ("unpublish",       "editor",   APPROVED,          APPROVED),
]
# fmt: on


def test_every_transition_writes_an_audit_entry(article, people, freeze_time):
    """Each move records who, when, which version, from and to which state, and the comment."""
    start = moment(2025, 3, 3)
    times = [start + datetime.timedelta(minutes=minute) for minute in range(len(JOURNEY))]
    for at, (action, role, _from_state, _to_state) in zip(times, JOURNEY, strict=True):
        freeze_time(at)
        perform(action, article, people[role])
    entries = article.audit_entries.order_by("pk")
    assert [
        (e.at, e.action, e.user, e.version, e.from_state, e.to_state, e.comment) for e in entries
    ] == [
        (at, action, people[role], article.version, from_state, to_state, comment_for(action))
        for at, (action, role, from_state, to_state) in zip(times, JOURNEY, strict=True)
    ]


def test_approval_keeps_the_reviewer_as_they_stood(article, people, freeze_time):
    """The review and snapshot keep the approver's credentials at approval, not later ones."""
    reviewer, approved_at = people["reviewer"], moment(2025, 3, 3)
    article = bring_to("in_review", article, people)
    freeze_time(approved_at)
    perform("approve", article, reviewer)
    profile = reviewer.reviewer_profile
    profile.display_name, profile.credentials = "Prof Ada Reviewer", "MD, PhD, FRCP"
    profile.disclosure = "Research grant from Acme Pharma."
    profile.save()
    freeze_time(approved_at + DAY)
    perform("publish", article, people["editor"])
    as_they_stood = {
        "name": "Dr Ada Reviewer",
        "credentials": "MD",
        "specialty": "Medical oncology",
        "institution": "Test Hospital",
        "disclosure": "None declared.",
    }
    review = article.reviews.get()
    assert (review.reviewer, review.version, review.decided_at, review.comment) == (
        reviewer,
        article.version,
        approved_at,
        comment_for("approve"),
    )
    assert review.reviewer_byline == as_they_stood
    snapshot = article.snapshots.get()
    assert (snapshot.reviewed_by, snapshot.reviewed_at) == (as_they_stood, approved_at)


# Medical review dates -----------------------------------------------------------------------------


def review_dates(article: Article) -> tuple:
    """(last_reviewed, next_review_due) on the working copy and on the live snapshot."""
    article = fresh(article)
    live = PublishedArticle.objects.live().filter(article=article).first()
    live_dates = (live.last_reviewed, live.next_review_due) if live else None
    return (article.last_reviewed, article.next_review_due), live_dates


def test_review_dates_change_only_when_an_approval_is_published(article, people, freeze_time):
    """Approving or editing leaves last_reviewed alone; publishing sets it to the approval date."""
    freeze_time(moment(2025, 1, 31))
    article = bring_to("approved", article, people)
    assert review_dates(article) == ((None, None), None)
    freeze_time(moment(2025, 2, 10))
    run([STEP_PUBLISH], article, people)
    first = (datetime.date(2025, 1, 31), datetime.date(2026, 1, 31))
    assert review_dates(article) == (first, first)
    freeze_time(moment(2025, 6, 2))
    run([STEP_EDIT, STEP_SUBMIT, STEP_APPROVE], article, people)
    assert review_dates(article) == (first, first)
    freeze_time(moment(2025, 6, 9))
    run([STEP_PUBLISH], article, people)
    second = (datetime.date(2025, 6, 2), datetime.date(2026, 6, 2))
    assert review_dates(article) == (second, second)


@pytest.mark.parametrize(
    ("interval", "approved_on", "due"),
    [
        (1, datetime.date(2025, 1, 31), datetime.date(2025, 2, 28)),
        (12, datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)),
        (6, datetime.date(2025, 8, 31), datetime.date(2026, 2, 28)),
        (36, datetime.date(2025, 3, 15), datetime.date(2028, 3, 15)),
    ],
)
def test_next_review_due_adds_the_articles_interval(
    interval, approved_on, due, article, people, freeze_time
):
    """next_review_due is the approval date plus the article's review interval in months."""
    edit(article, people["author"], review_interval_months=interval)
    freeze_time(moment(approved_on.year, approved_on.month, approved_on.day))
    article = bring_to("approved_live", article, people)
    assert (article.last_reviewed, article.next_review_due) == (approved_on, due)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 48, datetime.date(2028, 2, 29)),
        (datetime.date(2025, 3, 31), 1, datetime.date(2025, 4, 30)),
        (datetime.date(2025, 11, 30), 3, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 12, 15), 1, datetime.date(2026, 1, 15)),
        (datetime.date(2025, 5, 10), 0, datetime.date(2025, 5, 10)),
    ],
)
def test_add_months(day, months, expected):
    """add_months keeps the day of the month, clamped to the end of a shorter month."""
    assert workflow.add_months(day, months) == expected
