"""Separation of duties, and how an edit or a restore withdraws an open review."""

import pytest

from reviews import workflow
from reviews.models import Review
from tests.reviews.workflow_scenarios import (
    APPROVED,
    CONFLICT,
    DRAFT,
    FORBIDDEN,
    STEP_APPROVE,
    STEP_EDIT,
    STEP_PUBLISH,
    STEP_SUBMIT,
    TO_LIVE,
    assert_refused,
    bring_to,
    edit,
    footprint,
    fresh,
    latest_audit,
    live_version,
    outcome,
    run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


# Separation of duties -----------------------------------------------------------------------------

OTHER_REVIEWER_EDITS = ("edit", "other_reviewer")

# What happened before the article was submitted again, and whether the other reviewer may then
# approve or request changes. Versions saved after the newest published one count against a
# reviewer; being in the byline always does.
SEPARATION_OF_DUTIES = {
    "never touched it": ([], True),
    "edited one later version": ([OTHER_REVIEWER_EDITS, STEP_EDIT], False),
    "edited since it was last live": ([*TO_LIVE, OTHER_REVIEWER_EDITS, STEP_EDIT], False),
    "edited only before the live version": (
        [OTHER_REVIEWER_EDITS, STEP_EDIT, *TO_LIVE, STEP_EDIT],
        True,
    ),
    "edited the live version itself": ([OTHER_REVIEWER_EDITS, *TO_LIVE, STEP_EDIT], True),
    "in the byline": ([("credit", "other_reviewer")], False),
    "in the byline, published twice since": (
        [("credit", "other_reviewer"), *TO_LIVE, STEP_EDIT, *TO_LIVE, STEP_EDIT],
        False,
    ),
}


@pytest.mark.parametrize("action", ["approve", "request_changes"])
@pytest.mark.parametrize(
    ("history", "may_decide"), SEPARATION_OF_DUTIES.values(), ids=list(SEPARATION_OF_DUTIES)
)
def test_separation_of_duties(history, may_decide, action, article, people):
    """A reviewer in the byline or who saved a version since the last live one may not decide."""
    article = run([*history, STEP_SUBMIT], article, people)
    user = people["other_reviewer"]
    assert (action in workflow.allowed_actions(user, article)) is may_decide
    expected = workflow.TRANSITIONS[action].target if may_decide else FORBIDDEN
    assert outcome(action, article, user) == expected


# Withdrawal on edit and restore -------------------------------------------------------------------


@pytest.mark.parametrize("situation", ["in_review", "approved"])
def test_edit_withdraws_the_open_review(situation, article, people):
    """Saving while in review or approved returns to draft, withdraws the review and audits it."""
    article = bring_to(situation, article, people)
    review = article.reviews.get(status__in=Review.OPEN_STATUSES)
    edit(article, people["other_writer"])
    article = fresh(article)
    review.refresh_from_db()
    assert (article.state, article.version) == (DRAFT, review.version + 1)
    assert review.status == Review.Status.WITHDRAWN
    assert latest_audit(article) == (
        "withdrawn",
        people["other_writer"],
        article.version,
        situation,
        DRAFT,
    )
    assert_refused("approve", article, people["reviewer"], CONFLICT)


@pytest.mark.parametrize("situation", ["draft", "changes_requested", "live_draft"])
def test_edit_outside_review_keeps_the_state(situation, article, people):
    """Saving a draft or a version sent back for changes keeps its state and writes no audit."""
    article = bring_to(situation, article, people)
    state, _version, live, audit, reviews, snapshots = footprint(article)
    edit(article, people["author"])
    assert footprint(article) == (state, article.version + 1, live, audit, reviews, snapshots)


def test_resubmitting_binds_a_new_review_to_the_new_version(article, people):
    """After an edit withdraws an approval, submitting again reviews the new version."""
    article = bring_to("approved", article, people)
    article = run([STEP_EDIT, STEP_SUBMIT], article, people)
    assert list(article.reviews.order_by("pk").values_list("version", "status")) == [
        (article.version - 1, Review.Status.WITHDRAWN),
        (article.version, Review.Status.PENDING),
    ]
    article = run([STEP_APPROVE, STEP_PUBLISH], article, people)
    assert live_version(article) == article.version


def test_restoring_an_old_version_while_approved_withdraws_the_approval(article, people):
    """Restoring version 1 of an approved article makes a new draft version that needs review."""
    original_body = article.body
    edit(article, people["author"], body="Rewritten text.")
    article = bring_to("approved", article, people)
    restored = workflow.restore_version(article=article, number=1, user=people["other_writer"])
    article = fresh(article)
    assert (restored.version, article.version) == (4, 4)
    assert (article.state, article.body) == (DRAFT, original_body)
    assert article.reviews.get().status == Review.Status.WITHDRAWN
    assert latest_audit(article) == ("withdrawn", people["other_writer"], 4, APPROVED, DRAFT)
    assert_refused("approve", article, people["reviewer"], CONFLICT)
    assert_refused("publish", article, people["editor"], CONFLICT)
