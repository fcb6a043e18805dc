"""The workflow's rulebook: states, actions, roles and the table of transitions.

This module is a leaf: it imports only Django, so models, forms, serializers and docs can all
read it without an import cycle. Every rule of the review workflow is data on a
:class:`Transition`; ``reviews.workflow.permissions.check`` is the one function that reads it,
and the services in ``reviews.workflow`` are the only code that carries a transition out.
docs/architecture.md shows this table, and a test keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit for review"
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    PUBLISH = "publish", "Publish"
    UNPUBLISH = "unpublish", "Unpublish"
    ARCHIVE = "archive", "Archive"
    UNARCHIVE = "unarchive", "Restore from the archive"
    CONFIRM_CURRENT = "confirm_current", "Confirm still accurate"


class Role(models.TextChoices):
    AUTHOR_WRITER_OR_EDITOR = "author_writer_editor", "an author, writer or editor"
    CLINICAL_REVIEWER = "clinical_reviewer", "a clinical reviewer with a verified reviewer profile"
    EDITOR = "editor", "an editor"
    EDITOR_OR_DRAFT_AUTHOR = (
        "editor_or_draft_author",
        "an editor, or an author of a never-published draft",
    )


class Scope(models.TextChoices):
    """Which articles a transition applies to: those in use, or archived ones (which only an
    editor's restore from the archive brings back)."""

    IN_USE = "in_use", "in use, not archived"
    ARCHIVED = "archived", "archived: an editor must restore it from the archive first"


@dataclass(frozen=True)
class Input:
    """A piece of text or a time that a user gives with an action (form field, API field)."""

    name: str
    label: str
    help_text: str
    kind: str = "text"  # "text" or "datetime"
    max_length: int = 2000
    # Required always, only once the article has been published before, or never.
    required: bool = False
    required_after_first_publication: bool = False
    # Required when the version has plain-language warnings (reviews.quality.warnings).
    required_with_quality_warnings: bool = False
    missing_message: str = ""


@dataclass(frozen=True)
class Transition:
    """One action: where it may start, where it leaves the working copy, who may take it, and
    the extra conditions that must hold. ``target`` None: the working-copy state is unchanged."""

    sources: frozenset[str]
    target: str | None
    role: Role
    scope: Scope = Scope.IN_USE
    # The article must be live or scheduled to go live.
    needs_open_snapshot: bool = False
    # The working copy must be the version readers see now, unchanged.
    needs_live_working_copy: bool = False
    # A version is published at most once: its approval is used up by its publication.
    once_per_version: bool = False
    # Nobody who wrote or edited this version (its byline, and whoever saved a version since
    # the publication before it) may take this action.
    separation_of_duties: bool = False
    # The clinical reviewer reviews content in the article's language (their reviewer
    # profile lists it): a translation is medical text, signed off by someone who reads it.
    reviewer_language: bool = False
    inputs: tuple[Input, ...] = ()

    def input(self, name: str) -> Input:
        return next(item for item in self.inputs if item.name == name)


ANY_STATE = frozenset(State.values)

COMMENT_HELP = "Recorded in the audit trail with the action."

OVERRIDE_REASON = Input(
    "override_reason",
    "Override reason",
    "Required when the version has plain-language warnings (reading grade or long sentences "
    "on a patient page): why it is right to sign it off as it is. Stored on the review and in "
    "the audit trail.",
    required_with_quality_warnings=True,
    missing_message="This version has plain-language warnings: give an override reason to "
    "sign it off as it is, or request changes.",
)

TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition(
        sources=frozenset({State.DRAFT, State.CHANGES_REQUESTED}),
        target=State.IN_REVIEW,
        role=Role.AUTHOR_WRITER_OR_EDITOR,
        inputs=(Input("comment", "Comment", "A note for the clinical reviewers."),),
    ),
    Action.APPROVE: Transition(
        sources=frozenset({State.IN_REVIEW}),
        target=State.APPROVED,
        role=Role.CLINICAL_REVIEWER,
        separation_of_duties=True,
        reviewer_language=True,
        inputs=(Input("comment", "Comment", "A note recorded with the approval."), OVERRIDE_REASON),
    ),
    Action.REQUEST_CHANGES: Transition(
        sources=frozenset({State.IN_REVIEW}),
        target=State.CHANGES_REQUESTED,
        role=Role.CLINICAL_REVIEWER,
        separation_of_duties=True,
        reviewer_language=True,
        inputs=(
            Input(
                "comment",
                "What needs to change",
                "Required: what needs to change (400 without it, once your role and the state "
                "allow the action).",
                required=True,
                missing_message="Say what needs to change: a comment is required.",
            ),
        ),
    ),
    Action.PUBLISH: Transition(
        sources=frozenset({State.APPROVED}),
        target=None,
        role=Role.EDITOR,
        once_per_version=True,
        inputs=(
            Input(
                "publish_at",
                "Publish at",
                "ISO 8601 time to go live; omit to publish now.",
                kind="datetime",
            ),
            Input(
                "change_note",
                "Public change note",
                "Public note on what changed; required for every publication after the first.",
                max_length=1000,
                required_after_first_publication=True,
                missing_message="Describe what changed: every publication after the first "
                "needs a public change note for the article's change log.",
            ),
        ),
    ),
    Action.UNPUBLISH: Transition(
        sources=ANY_STATE,
        target=None,
        role=Role.EDITOR,
        needs_open_snapshot=True,
        inputs=(
            Input(
                "reason",
                "Reason",
                "Required: why the article comes off the site.",
                max_length=1000,
                required=True,
                missing_message="Give a reason for unpublishing.",
            ),
        ),
    ),
    Action.ARCHIVE: Transition(
        sources=ANY_STATE,
        target=State.DRAFT,
        role=Role.EDITOR_OR_DRAFT_AUTHOR,
        inputs=(
            Input(
                "reason",
                "Reason",
                "Required: why the article is taken out of use.",
                max_length=1000,
                required=True,
                missing_message="Give a reason for archiving.",
            ),
        ),
    ),
    Action.UNARCHIVE: Transition(
        sources=ANY_STATE,
        target=None,
        role=Role.EDITOR,
        scope=Scope.ARCHIVED,
    ),
    # A periodic re-review with nothing to change: the live content is signed off again.
    Action.CONFIRM_CURRENT: Transition(
        sources=frozenset({State.APPROVED}),
        target=None,
        role=Role.CLINICAL_REVIEWER,
        needs_live_working_copy=True,
        separation_of_duties=True,
        reviewer_language=True,
        inputs=(
            Input("comment", "Comment", "A note recorded with the confirmation."),
            OVERRIDE_REASON,
        ),
    ),
}

# Saving a new version withdraws the review of these states and returns the article to draft.
EDIT_WITHDRAWS = frozenset({State.IN_REVIEW, State.APPROVED})


def _sources(transition: Transition) -> str:
    if transition.sources == ANY_STATE:
        states = "any state"
    else:
        states = ", ".join(f"`{state}`" for state in State.values if state in transition.sources)
    return f"{states}; {transition.scope.label.split(':')[0]}"


def _conditions(transition: Transition) -> str:
    conditions = [
        text
        for flag, text in [
            (transition.needs_open_snapshot, "live or scheduled"),
            (transition.needs_live_working_copy, "the working copy is the live version"),
            (transition.once_per_version, "this version never published before"),
            (
                transition.reviewer_language,
                "the reviewer's profile lists the article's language",
            ),
            (
                transition.separation_of_duties,
                "the user did not write or edit this version",
            ),
        ]
        if flag
    ]
    return "; ".join(conditions) or "—"


def _inputs(transition: Transition) -> str:
    def need(item: Input) -> str:
        if item.required:
            return "required"
        if item.required_with_quality_warnings:
            return "required with plain-language warnings"
        return (
            "required after the first publication"
            if item.required_after_first_publication
            else "optional"
        )

    return ", ".join(f"`{item.name}` ({need(item)})" for item in transition.inputs) or "—"


def rulebook_markdown() -> str:
    """:data:`TRANSITIONS` as the Markdown table docs/architecture.md shows (a test keeps the
    two the same)."""
    lines = [
        "| action | from | to | who | only when | input |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for action, transition in TRANSITIONS.items():
        target = f"`{transition.target}`" if transition.target else "unchanged"
        lines.append(
            f"| `{action}` | {_sources(transition)} | {target} | {transition.role.label} | "
            f"{_conditions(transition)} | {_inputs(transition)} |"
        )
    return "\n".join(lines)
