"""The workflow's refusals: one exception family, mapped to HTTP in ``reviews.api.exceptions``
and shown as messages in the admin."""

from __future__ import annotations


class WorkflowError(Exception):
    """Base of the workflow's refusals; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionNotAllowed(WorkflowError):
    """The article's state does not allow this move (HTTP 409)."""


class ActionForbidden(WorkflowError):
    """This user may not make this move (HTTP 403)."""


class InvalidInput(WorkflowError):
    """A required input is missing or wrong (HTTP 400)."""


class StaleVersion(WorkflowError):
    """The article changed since the user read it (HTTP 412): nothing was done.

    ``seen_version`` is what the user was shown, ``current_version`` what is stored now, so a
    front end can show what changed in between.
    """

    def __init__(self, message: str, *, seen_version: int, current_version: int) -> None:
        super().__init__(message, field="version")
        self.seen_version = seen_version
        self.current_version = current_version
