"""Who counts as a writer, a clinical reviewer or an editor: group membership (and, for a
clinical reviewer, a reviewer profile, whose credentials an editor must have verified before
it can sign off content). Read by the workflow's checks, the queues, the notifications and the
admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet

CREDENTIALS_NOT_VERIFIED = (
    "Your reviewer profile's credentials have not been verified by an editor yet, so you "
    "cannot sign off content. Ask an editor to check your registration and verify them."
)


def _in_group(user: AbstractBaseUser | None, group_name: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_group_names_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = cache
    return group_name in cache


def is_writer(user: AbstractBaseUser | None) -> bool:
    return _in_group(user, settings.WRITERS_GROUP)


def is_editor(user: AbstractBaseUser | None) -> bool:
    return bool(user and user.is_active and user.is_superuser) or _in_group(
        user, settings.EDITORS_GROUP
    )


def is_clinical_reviewer(user: AbstractBaseUser | None) -> bool:
    if not _in_group(user, settings.REVIEWERS_GROUP):
        return False
    return hasattr(user, "reviewer_profile")


def has_verified_credentials(user: AbstractBaseUser | None) -> bool:
    """Whether ``user`` has a reviewer profile whose credentials an editor has verified."""
    profile = getattr(user, "reviewer_profile", None)
    return profile is not None and profile.credentials_verified_at is not None


def verified_reviewers(users: QuerySet) -> QuerySet:
    """The clinical reviewers among ``users`` who may sign off content: in the reviewers' group,
    with a reviewer profile whose credentials were verified (``is_clinical_reviewer`` and
    ``has_verified_credentials`` as a query)."""
    return users.filter(
        groups__name=settings.REVIEWERS_GROUP,
        reviewer_profile__credentials_verified_at__isnull=False,
    )


#: The roles a person holds, as the editorial API names them.
ROLE_NAMES = ("writer", "clinical_reviewer", "editor")


def roles_of(user: AbstractBaseUser) -> list[str]:
    """The roles ``user`` holds, among ``ROLE_NAMES`` (a superuser is an editor)."""
    held = {
        "writer": is_writer(user),
        "clinical_reviewer": is_clinical_reviewer(user),
        "editor": is_editor(user),
    }
    return [name for name in ROLE_NAMES if held[name]]


def remember_groups(users) -> None:
    """Let the role checks read each user's groups from ``prefetch_related("groups")``
    instead of one query per user."""
    for user in users:
        user._group_names_cache = {group.name for group in user.groups.all()}
