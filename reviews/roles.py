"""Who counts as a writer, a clinical reviewer or an editor: group membership (and, for a
clinical reviewer, a reviewer profile). Read by the workflow's checks, the queues and the
admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


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
