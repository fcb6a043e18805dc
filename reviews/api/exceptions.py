"""HTTP errors of the editorial API, and the mapping from the workflow's refusals to them.

Bodies keep DRF's shapes: ``{"detail": "..."}`` for 403, 404, 409, 412 and 428, and
``{"field": ["message", ...]}`` for 400.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status

from articles.records import ProtectedRecord, StaleRecord
from reviews import workflow


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The article's workflow state does not allow this action."
    default_code = "conflict"


class InUse(Conflict):
    default_detail = "It is in use, so it cannot be deleted."
    default_code = "protected"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The article changed since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the article's ETag in an If-Match header."
    default_code = "precondition_required"


def from_workflow_error(error: workflow.WorkflowError) -> exceptions.APIException:
    """The API error for a refusal of ``reviews.workflow``."""
    if isinstance(error, workflow.InvalidInput):
        return exceptions.ValidationError({error.field or "non_field_errors": [error.message]})
    if isinstance(error, workflow.ActionForbidden):
        return exceptions.PermissionDenied(error.message)
    if isinstance(error, workflow.StaleVersion):
        return PreconditionFailed(error.message)
    return Conflict(error.message)


def from_service_error(error: Exception) -> Exception:
    """The API error for a refusal of a content service (topics, trials, images, the
    workflow), or ``error`` itself when it is not one."""
    if isinstance(error, workflow.WorkflowError):
        return from_workflow_error(error)
    if isinstance(error, StaleRecord):
        return PreconditionFailed(error.message)
    if isinstance(error, ProtectedRecord):
        return InUse(error.message)
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            return exceptions.ValidationError(
                {
                    ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
                    for field, messages in error.message_dict.items()
                }
            )
        return exceptions.ValidationError({"non_field_errors": error.messages})
    return error
