"""The review-and-publish workflow: the only code that changes an article's workflow state,
its reviews or its live snapshots.

The rules are data in ``reviews.states`` (the table of transitions); ``permissions.check`` is
the one function that reads them. The admin, the editorial API and management commands call the
services re-exported here. Each service is one transaction that locks the article row, refuses
an action based on a version the user did not see (``Seen``), checks the rulebook, writes the
change with an audit entry, and sends notifications after commit.

- ``editing``: saving the working copy as a new version; restoring an old version.
- ``review``: submit (behind the quality gates of ``reviews.quality``), approve, request
  changes, confirm that the live content is still accurate, the review discussion.
- ``publishing``: publish and unpublish.
- ``archive``: archive and unarchive.
- ``translation``: starting a translation of a live article, marking a translation updated
  to its source's newer live version.
- ``overdue``: unpublishing pages left past their clinical review date, at read time.
"""

from collections.abc import Callable

from articles.models import Article

from ..roles import is_clinical_reviewer, is_editor, is_writer
from ..selectors import (
    contributors_since_last_live,
    live_snapshot,
    needs_review_by,
    open_snapshot,
    review_baseline_version,
)
from ..states import EDIT_WITHDRAWS, TRANSITIONS, Action, Role, State, Transition
from .archive import archive, unarchive
from .common import Seen, ensure_quality_gates, stale_message
from .editing import ensure_editable, restore_version, save_working_copy
from .errors import (
    ActionForbidden,
    InvalidInput,
    StaleVersion,
    TransitionNotAllowed,
    WorkflowError,
)
from .overdue import unpublish_overdue
from .permissions import allowed_actions, check, has_role
from .publishing import add_months, publish, unpublish
from .review import (
    add_review_comment,
    approve,
    confirm_current,
    reopen_approvals_by,
    request_changes,
    submit,
)
from .translation import start_translation, translation_languages, update_source_version

# The actions of reviewing and publishing, offered as buttons and as editorial API endpoints.
REVIEW_ACTIONS = (
    Action.SUBMIT,
    Action.APPROVE,
    Action.REQUEST_CHANGES,
    Action.PUBLISH,
    Action.UNPUBLISH,
    Action.CONFIRM_CURRENT,
)

TRANSITION_SERVICES: dict[str, Callable[..., Article]] = {
    Action.SUBMIT: submit,
    Action.APPROVE: approve,
    Action.REQUEST_CHANGES: request_changes,
    Action.PUBLISH: publish,
    Action.UNPUBLISH: unpublish,
    Action.ARCHIVE: archive,
    Action.UNARCHIVE: unarchive,
    Action.CONFIRM_CURRENT: confirm_current,
}

__all__ = [
    "EDIT_WITHDRAWS",
    "REVIEW_ACTIONS",
    "TRANSITIONS",
    "TRANSITION_SERVICES",
    "Action",
    "ActionForbidden",
    "InvalidInput",
    "Role",
    "Seen",
    "StaleVersion",
    "State",
    "Transition",
    "TransitionNotAllowed",
    "WorkflowError",
    "add_months",
    "add_review_comment",
    "allowed_actions",
    "approve",
    "archive",
    "check",
    "confirm_current",
    "contributors_since_last_live",
    "ensure_editable",
    "ensure_quality_gates",
    "has_role",
    "is_clinical_reviewer",
    "is_editor",
    "is_writer",
    "live_snapshot",
    "needs_review_by",
    "open_snapshot",
    "publish",
    "reopen_approvals_by",
    "request_changes",
    "restore_version",
    "review_baseline_version",
    "save_working_copy",
    "stale_message",
    "start_translation",
    "submit",
    "translation_languages",
    "unarchive",
    "unpublish",
    "unpublish_overdue",
    "update_source_version",
]
