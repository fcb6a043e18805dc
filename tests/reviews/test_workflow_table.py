"""The state machine as a table: each action by each role in each situation; missing inputs."""

import pytest

from reviews import workflow
from tests.reviews.workflow_scenarios import (
    APPROVED,
    CHANGES_REQUESTED,
    CONFLICT,
    DRAFT,
    FORBIDDEN,
    IN_REVIEW,
    INVALID,
    ROUTES,
    assert_refused,
    bring_to,
    latest_audit,
    live_version,
    outcome,
    perform,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


ACTIONS = ("submit", "approve", "request_changes", "publish", "unpublish", "confirm_current")
TABLE_ROLES = [
    "author",  # a writer in the byline
    "other_writer",
    "reviewer",  # a clinical reviewer with a profile who did not write it
    "editor",
    "reviewer_author",  # a clinical reviewer with a profile, in the byline
    "no_group",
    "no_profile",  # in the clinical reviewers group, without a reviewer profile
]

# Every action by every role in every situation: the state it leaves the article in, or the
# error. Checks run role first (a writer approving a draft: FORBIDDEN), then state (the
# reviewer-author approving a draft: CONFLICT), then separation of duties (the reviewer-author
# approving the version in review: FORBIDDEN). Inputs are valid; missing ones are tested below.
# "approved_update": a new version approved while the previous one is live.
# "unpublished": the approved version was published, then unpublished.
# fmt: off
STATE_MACHINE = {
    "draft": {
        #                  submit     approve    req_changes publish    unpublish  confirm
        "author":          (IN_REVIEW, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (IN_REVIEW, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (IN_REVIEW, FORBIDDEN, FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN),
        "reviewer_author": (IN_REVIEW, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "in_review": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, APPROVED,  CHANGES_REQUESTED,FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN),
        "reviewer_author": (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "changes_requested": {
        "author":          (IN_REVIEW, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (IN_REVIEW, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (IN_REVIEW, FORBIDDEN, FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN),
        "reviewer_author": (IN_REVIEW, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "approved": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN, APPROVED,  CONFLICT,  FORBIDDEN),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "approved_live": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, APPROVED),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT,  APPROVED,  FORBIDDEN),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "live_draft": {
        "author":          (IN_REVIEW, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (IN_REVIEW, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (IN_REVIEW, FORBIDDEN, FORBIDDEN, CONFLICT,  DRAFT,     FORBIDDEN),
        "reviewer_author": (IN_REVIEW, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "approved_update": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN, APPROVED,  APPROVED,  FORBIDDEN),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "unpublished": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT,  CONFLICT,  FORBIDDEN),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,  FORBIDDEN, FORBIDDEN, CONFLICT),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
}
# fmt: on


def table_cases(*, allowed: bool) -> list:
    """The table's cells whose outcome is a state (``allowed``) or an error (not ``allowed``)."""
    return [
        pytest.param(situation, role, action, expected, id=f"{situation}-{role}-{action}")
        for situation, rows in STATE_MACHINE.items()
        for role, outcomes in rows.items()
        for action, expected in zip(ACTIONS, outcomes, strict=True)
        if isinstance(expected, str) is allowed
    ]


def test_table_covers_every_situation_role_and_action():
    """The table has every situation, every role and a column for each workflow action."""
    assert tuple(workflow.REVIEW_ACTIONS) == ACTIONS
    assert list(STATE_MACHINE) == list(ROUTES)
    assert all(list(rows) == TABLE_ROLES for rows in STATE_MACHINE.values())


@pytest.mark.parametrize(("situation", "role", "action", "state"), table_cases(allowed=True))
def test_allowed_move(situation, role, action, state, article, people):
    """An allowed move is offered, leaves the table's state, is audited and (un)publishes."""
    article = bring_to(situation, article, people)
    user = people[role]
    live_before = live_version(article)
    assert action in workflow.allowed_actions(user, article)
    assert outcome(action, article, user) == state
    assert latest_audit(article) == (action, user, article.version, article.state, state)
    live_after = {"publish": article.version, "unpublish": None}.get(action, live_before)
    assert live_version(article) == live_after


@pytest.mark.parametrize(("situation", "role", "action", "error"), table_cases(allowed=False))
def test_refused_move(situation, role, action, error, article, people):
    """A refused move is not offered, raises the table's error and changes nothing."""
    article = bring_to(situation, article, people)
    user = people[role]
    assert action not in workflow.allowed_actions(user, article)
    assert_refused(action, article, user, error)


BLANK_INPUTS = {
    "request_changes": {"comment": "   "},
    "publish": {"change_note": ""},
    "unpublish": {"reason": " "},
}

# A missing input is reported only to someone whose role, the article's state and separation
# of duties all allow the move: a writer asking for changes learns they may not review at all.
# fmt: off
MISSING_INPUT = [
    # situation         action             role               error      field
    ("in_review",       "request_changes", "reviewer",        INVALID,   "comment"),
    ("in_review",       "request_changes", "author",          FORBIDDEN, None),
    ("in_review",       "request_changes", "no_profile",      FORBIDDEN, None),
    ("in_review",       "request_changes", "reviewer_author", FORBIDDEN, None),
    ("approved",        "request_changes", "reviewer",        CONFLICT,  None),
    ("approved_update", "publish",         "editor",          INVALID,   "change_note"),
    ("approved_update", "publish",         "other_writer",    FORBIDDEN, None),
    ("live_draft",      "publish",         "editor",          CONFLICT,  None),
    ("approved_live",   "unpublish",       "editor",          INVALID,   "reason"),
    ("live_draft",      "unpublish",       "editor",          INVALID,   "reason"),
    ("approved_live",   "unpublish",       "author",          FORBIDDEN, None),
    ("draft",           "unpublish",       "editor",          CONFLICT,  None),
]
# fmt: on


@pytest.mark.parametrize(("situation", "action", "role", "error", "field"), MISSING_INPUT)
def test_missing_input(situation, action, role, error, field, article, people):
    """A blank required input is refused, naming the field, once role, state and duties pass."""
    article = bring_to(situation, article, people)
    assert_refused(action, article, people[role], error, field, **BLANK_INPUTS[action])


def test_first_publication_needs_no_change_note(article, people):
    """The first publication may omit the change note; the change log then says so."""
    article = bring_to("approved", article, people)
    perform("publish", article, people["editor"], change_note="")
    assert article.snapshots.get().change_note == "First published."
