"""The review workflow's services: the state machine, separation of duties, withdrawal on edit,
live and scheduled snapshots, the audit trail, review dates and notifications.

The services are called directly; the API and the admin map their errors to HTTP codes
(ActionForbidden 403, TransitionNotAllowed 409, InvalidInput 400).
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, PublishedArticle
from reviews import workflow
from reviews.models import Review
from reviews.workflow import ActionForbidden, InvalidInput, State, TransitionNotAllowed
from tests.conftest import make_reviewer, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

DRAFT, IN_REVIEW, CHANGES_REQUESTED, APPROVED = State.values
FORBIDDEN = ActionForbidden  # 403: this user may not make this move
CONFLICT = TransitionNotAllowed  # 409: the article's situation does not allow it
INVALID = InvalidInput  # 400: a required input is missing or wrong

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def moment(year: int, month: int, day: int) -> datetime.datetime:
    """Noon UTC on the given day."""
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


# Doing things through the real services -----------------------------------------------------------


def fresh(article: Article) -> Article:
    """The article as stored now; the services re-read it, so callers' copies go stale."""
    return Article.objects.get(pk=article.pk)


def edit(article: Article, user, **changes) -> Article:
    """Save a new version as ``user``, changing ``changes`` (by default adding a sentence)."""
    article = fresh(article)
    changes.setdefault("body", article.body + "\n\nOne more sentence.")
    for name, value in changes.items():
        setattr(article, name, value)
    return workflow.save_working_copy(article=article, user=user, comment="Edited.")


def credit(article: Article, user) -> Article:
    """The article's creator adds ``user`` to the byline, which saves a new version."""
    return workflow.save_working_copy(
        article=fresh(article),
        user=article.created_by,
        comment=f"Credit {user.get_username()}.",
        save_related=lambda saved: saved.authors.add(user),
    )


VALID_INPUTS = {
    "submit": {"comment": "Ready for review."},
    "approve": {"comment": "Accurate and current."},
    "request_changes": {"comment": "Cite the trial for the new dose."},
    "publish": {"change_note": "Updated the dosing advice."},
    "unpublish": {"reason": "Guideline withdrawn pending review."},
}
CONTENT_CHANGES = {"edit": edit, "credit": credit}


def comment_for(action: str) -> str:
    """The text a valid ``action`` carries into the audit trail: comment, change note or reason."""
    (text,) = VALID_INPUTS[action].values()
    return text


def perform(action: str, article: Article, user, **inputs) -> None:
    """``user`` edits, credits or makes a transition, with valid inputs unless overridden."""
    if action in CONTENT_CHANGES:
        CONTENT_CHANGES[action](article, user)
    else:
        service = workflow.TRANSITION_SERVICES[action]
        service(article=article, user=user, **{**VALID_INPUTS[action], **inputs})


def outcome(action: str, article: Article, user, **inputs):
    """The article's state after ``user`` does ``action``, or the workflow error that stopped it."""
    try:
        perform(action, article, user, **inputs)
    except workflow.WorkflowError as error:
        return type(error)
    return fresh(article).state


def run(steps, article: Article, people: dict) -> Article:
    """Do each ``(action, role)`` step in turn and return the article as it then stands."""
    for action, role in steps:
        perform(action, article, people[role])
    return fresh(article)


STEP_EDIT = ("edit", "author")
STEP_SUBMIT = ("submit", "author")
STEP_APPROVE = ("approve", "reviewer")
STEP_PUBLISH = ("publish", "editor")
TO_LIVE = [STEP_SUBMIT, STEP_APPROVE, STEP_PUBLISH]

# How a fresh draft reaches each situation of the state-machine table.
ROUTES = {
    "draft": [],
    "in_review": [STEP_SUBMIT],
    "changes_requested": [STEP_SUBMIT, ("request_changes", "reviewer")],
    "approved": [STEP_SUBMIT, STEP_APPROVE],
    "approved_live": TO_LIVE,
    "live_draft": [*TO_LIVE, STEP_EDIT],
    "approved_update": [*TO_LIVE, STEP_EDIT, STEP_SUBMIT, STEP_APPROVE],
    "unpublished": [*TO_LIVE, ("unpublish", "editor")],
}


def bring_to(situation: str, article: Article, people: dict) -> Article:
    """Take a fresh draft into ``situation`` through the real services."""
    return run(ROUTES[situation], article, people)


# Reading what happened ----------------------------------------------------------------------------


def live_version(article: Article, at: datetime.datetime | None = None) -> int | None:
    """The version readers see at ``at`` (now by default), or None when nothing is live."""
    versions = list(
        PublishedArticle.objects.live(at).filter(article=article).values_list("version", flat=True)
    )
    assert len(versions) <= 1, f"several snapshots live at once: versions {versions}"
    return versions[0] if versions else None


def latest_audit(article: Article) -> tuple:
    """The newest audit entry as (action, user, version, from_state, to_state)."""
    entry = article.audit_entries.order_by("-pk").first()
    return (entry.action, entry.user, entry.version, entry.from_state, entry.to_state)


def footprint(article: Article) -> tuple:
    """Everything a workflow move may change, to show that a refused one changed nothing."""
    article = fresh(article)
    return (
        article.state,
        article.version,
        live_version(article),
        list(article.audit_entries.order_by("pk").values_list("pk", flat=True)),
        list(article.reviews.order_by("pk").values_list("status", flat=True)),
        list(article.snapshots.order_by("pk").values_list("pk", "live_until")),
    )


def assert_refused(action: str, article: Article, user, error, field=None, **inputs) -> None:
    """``user`` doing ``action`` raises ``error`` naming ``field``, and nothing changes."""
    before = footprint(article)
    with pytest.raises(error) as raised:
        perform(action, article, user, **inputs)
    assert raised.value.field == field
    assert footprint(article) == before


# Fixtures -----------------------------------------------------------------------------------------


@pytest.fixture
def people(writer, writer2, reviewer, reviewer2, editor):
    """A user in each role: the state-machine table's columns, and a second reviewer."""
    return {
        "author": writer,
        "other_writer": writer2,
        "reviewer": reviewer,
        "editor": editor,
        "reviewer_author": make_reviewer("reviewer_author"),
        "no_group": make_user("no_group"),
        "no_profile": make_user("no_profile", settings.REVIEWERS_GROUP),
        "other_reviewer": reviewer2,
    }


@pytest.fixture
def article(make_article, people):
    """A draft written by the author, with the reviewer-author credited in its byline too."""
    return credit(make_article(people["author"]), people["reviewer_author"])


@pytest.fixture
def freeze_time(monkeypatch):
    """Stop the clock that the workflow and ``PublishedArticle.objects.live()`` read."""

    def freeze(at: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: at)

    return freeze


# The state machine as a table ---------------------------------------------------------------------

ACTIONS = ("submit", "approve", "request_changes", "publish", "unpublish")
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
        #                   submit     approve    request_changes    publish    unpublish
        "author":          (IN_REVIEW, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (IN_REVIEW, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (IN_REVIEW, FORBIDDEN, FORBIDDEN,         CONFLICT,  CONFLICT),
        "reviewer_author": (IN_REVIEW, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "in_review": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, APPROVED,  CHANGES_REQUESTED, FORBIDDEN, FORBIDDEN),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         CONFLICT,  CONFLICT),
        "reviewer_author": (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "changes_requested": {
        "author":          (IN_REVIEW, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (IN_REVIEW, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (IN_REVIEW, FORBIDDEN, FORBIDDEN,         CONFLICT,  CONFLICT),
        "reviewer_author": (IN_REVIEW, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "approved": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         APPROVED,  CONFLICT),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "approved_live": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         CONFLICT,  APPROVED),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "live_draft": {
        "author":          (IN_REVIEW, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (IN_REVIEW, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (IN_REVIEW, FORBIDDEN, FORBIDDEN,         CONFLICT,  DRAFT),
        "reviewer_author": (IN_REVIEW, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "approved_update": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         APPROVED,  APPROVED),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
    },
    "unpublished": {
        "author":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "other_writer":    (CONFLICT,  FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "reviewer":        (FORBIDDEN, CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "editor":          (CONFLICT,  FORBIDDEN, FORBIDDEN,         CONFLICT,  CONFLICT),
        "reviewer_author": (CONFLICT,  CONFLICT,  CONFLICT,          FORBIDDEN, FORBIDDEN),
        "no_group":        (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
        "no_profile":      (FORBIDDEN, FORBIDDEN, FORBIDDEN,         FORBIDDEN, FORBIDDEN),
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


# The live version, publishing and scheduling ------------------------------------------------------


def test_live_version_stays_while_the_next_is_edited_and_reviewed(article, people):
    """Readers see version N until N+1 is approved and published, and the change log grows."""
    article = bring_to("approved_live", article, people)
    first = article.version
    edit(article, people["author"], title="Bone pain: what helps", body="Radiotherapy helps.")
    article = run([STEP_SUBMIT, STEP_APPROVE], article, people)
    live = PublishedArticle.objects.live().get(article=article)
    assert (live.version, live.title) == (first, "Bone metastases explained")
    assert "Bone pain is common" in live.body_html
    assert_refused("publish", article, people["editor"], INVALID, "change_note", change_note="")
    perform("publish", article, people["editor"], change_note="Explains pain relief.")
    live = PublishedArticle.objects.live().get(article=article)
    assert (live.version, live.title) == (first + 1, "Bone pain: what helps")
    assert "Radiotherapy helps." in live.body_html
    assert list(article.snapshots.order_by("go_live_at").values_list("version", "change_note")) == [
        (first, comment_for("publish")),
        (first + 1, "Explains pain relief."),
    ]


def test_scheduled_publication_is_not_live_before_its_time(article, people, freeze_time):
    """A publication scheduled an hour ahead is hidden until then and live from then, no cron."""
    article = bring_to("approved", article, people)
    go_live = timezone.now() + HOUR
    perform("publish", article, people["editor"], publish_at=go_live)
    assert live_version(article) is None
    assert live_version(article, at=go_live - datetime.timedelta(seconds=1)) is None
    assert live_version(article, at=go_live) == article.version
    freeze_time(go_live)
    assert live_version(article) == article.version


def test_scheduled_update_replaces_the_live_version_at_its_time(article, people, freeze_time):
    """While an update is scheduled the old version stays live; the new one takes over on time."""
    article = bring_to("approved_update", article, people)
    old, new = article.version - 1, article.version
    go_live = timezone.now() + HOUR
    perform("publish", article, people["editor"], publish_at=go_live)
    moments = [timezone.now(), go_live - datetime.timedelta(seconds=1), go_live, go_live + DAY]
    assert [live_version(article, at) for at in moments] == [old, old, new, new]
    freeze_time(go_live + datetime.timedelta(seconds=1))
    assert live_version(article) == new


def test_publishing_at_a_past_time_is_refused(article, people):
    """A publish_at in the past is refused, naming publish_at, and nothing goes live."""
    article = bring_to("approved", article, people)
    past = timezone.now() - HOUR
    assert_refused("publish", article, people["editor"], INVALID, "publish_at", publish_at=past)


def test_unpublish_removes_the_live_and_the_scheduled_version(article, people):
    """Unpublishing takes the current snapshot down and cancels the scheduled one, for good."""
    article = bring_to("approved_update", article, people)
    perform("publish", article, people["editor"], publish_at=timezone.now() + HOUR)
    perform("unpublish", article, people["editor"])
    now = timezone.now()
    later = [now, now + HOUR / 2, now + HOUR, now + DAY, now + 365 * DAY]
    assert [live_version(article, at) for at in later] == [None] * len(later)


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


# Notifications ------------------------------------------------------------------------------------

# fmt: off
NOTIFICATIONS = [
    # situation    action             by          e-mailed after commit (usernames)
    ("draft",      "submit",          "author",   ["reviewer", "reviewer2"]),
    ("in_review",  "approve",         "reviewer", ["editor", "reviewer_author", "writer"]),
    ("in_review",  "request_changes", "reviewer", ["reviewer_author", "writer"]),
]
# fmt: on


@pytest.mark.parametrize(("situation", "action", "role", "recipients"), NOTIFICATIONS)
def test_notifications(
    situation,
    action,
    role,
    recipients,
    article,
    people,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Submit e-mails reviewers, not authors; decisions e-mail authors, approval also editors."""
    article = bring_to(situation, article, people)
    with django_capture_on_commit_callbacks(execute=True):
        perform(action, article, people[role])
        assert mailoutbox == []
    addresses = sorted(address for message in mailoutbox for address in message.to)
    assert addresses == sorted(f"{username}@example.org" for username in recipients)
    assert all(article.title in message.subject for message in mailoutbox)


def test_refused_move_sends_no_email(
    article, people, mailoutbox, django_capture_on_commit_callbacks
):
    """A refused approval queues no e-mail."""
    article = bring_to("in_review", article, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert outcome("approve", article, people["reviewer_author"]) is FORBIDDEN
    assert (callbacks, mailoutbox) == ([], [])
