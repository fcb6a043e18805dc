"""HTTP errors of the editorial API, and the mapping from the workflow's refusals to them.

Bodies keep DRF's shapes: ``{"detail": "..."}`` for 403, 404, 409, 412 and 428, and
``{"field": ["message", ...]}`` for 400.
"""

from rest_framework import exceptions, status

from reviews import workflow


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The article's workflow state does not allow this action."
    default_code = "conflict"


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
