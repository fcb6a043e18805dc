"""Who may use the editorial API: writers, clinical reviewers and editors.

What each of them may *do* to an article is decided by ``reviews.workflow``, not here.
"""

from django.conf import settings
from rest_framework.permissions import BasePermission

EDITORIAL_GROUPS = (settings.WRITERS_GROUP, settings.REVIEWERS_GROUP, settings.EDITORS_GROUP)


def is_editorial_user(user) -> bool:
    """True for active superusers and members of the Writers, Clinical reviewers or Editors."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=EDITORIAL_GROUPS).exists()


class IsEditorialUser(BasePermission):
    message = "Only writers, clinical reviewers and editors may use the editorial API."

    def has_permission(self, request, view) -> bool:
        return is_editorial_user(request.user)
