"""Workflow scenarios through the real services: doing moves, reaching situations, reading results.

The services are called directly; the API and the admin map their errors to HTTP codes.
"""

import datetime

import pytest

from articles.models import Article, PublishedArticle
from reviews import workflow
from reviews.workflow import ActionForbidden, InvalidInput, State, TransitionNotAllowed

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
    "confirm_current": {"comment": "Checked against the current guideline: still accurate."},
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
