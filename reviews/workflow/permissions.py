"""The one function that checks a transition against the rulebook in ``reviews.states``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from articles.models import Article

from .. import quality
from ..roles import (
    CREDENTIALS_NOT_VERIFIED,
    has_verified_credentials,
    is_clinical_reviewer,
    is_editor,
    is_writer,
    language_refusal,
    reviews_in_language,
)
from ..selectors import contributors_since_last_live, live_snapshot, open_snapshot
from ..states import TRANSITIONS, Action, Role, Scope, State
from .errors import ActionForbidden, InvalidInput, TransitionNotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _is_author(user: AbstractBaseUser | None, article: Article) -> bool:
    return user is not None and article.authors.filter(pk=user.pk).exists()


def has_role(user: AbstractBaseUser | None, role: Role, article: Article) -> bool:
    """Whether ``user`` holds ``role`` for ``article``."""
    if role == Role.EDITOR:
        return is_editor(user)
    if role == Role.CLINICAL_REVIEWER:
        return is_clinical_reviewer(user)
    if role == Role.EDITOR_OR_DRAFT_AUTHOR:
        return is_editor(user) or (not article.snapshots.exists() and _is_author(user, article))
    return is_writer(user) or is_editor(user) or _is_author(user, article)


def check(
    action: str,
    user: AbstractBaseUser | None,
    article: Article,
    inputs: Mapping[str, Any] | None = None,
) -> None:
    """Raise the workflow error that would stop ``user`` doing ``action`` now, if any.

    Checked in this order: role, and a clinical reviewer's verified credentials and review
    languages (403), archive
    scope, state, live-ness and once-per-version (409), separation of duties (403), then, when
    ``inputs`` are given, the required inputs (400).
    """
    transition = TRANSITIONS[action]
    label = Action(action).label.lower()
    if not has_role(user, transition.role, article):
        raise ActionForbidden(f"Only {transition.role.label} may {label} an article.")
    if transition.role == Role.CLINICAL_REVIEWER and not has_verified_credentials(user):
        raise ActionForbidden(CREDENTIALS_NOT_VERIFIED)
    if transition.reviewer_language and not reviews_in_language(user, article.language):
        raise ActionForbidden(language_refusal(article.language, label))
    scope = Scope.ARCHIVED if article.archived_at is not None else Scope.IN_USE
    if scope != transition.scope:
        raise TransitionNotAllowed(f"Cannot {label} an article that is {scope.label}.")
    if article.state not in transition.sources:
        raise TransitionNotAllowed(
            f"Cannot {label} an article that is {State(article.state).label.lower()}."
        )
    if transition.needs_open_snapshot and open_snapshot(article) is None:
        raise TransitionNotAllowed(f"Cannot {label} an article that is not published.")
    if transition.needs_live_working_copy:
        _ensure_live_working_copy(article, label)
    # Any snapshot counts, unpublished ones too: its review is used up, so publishing the same
    # version again would have no approval to publish.
    if transition.once_per_version and article.snapshots.filter(version=article.version).exists():
        raise TransitionNotAllowed(
            f"Version {article.version} has already been published; edit the article and have "
            "the new version approved to publish again."
        )
    if transition.separation_of_duties and user.pk in contributors_since_last_live(article):
        raise ActionForbidden(
            "You wrote or edited this version of the article, so another clinician must "
            "review it: nobody signs off their own writing."
        )
    if inputs is not None:
        for item in transition.inputs:
            if inputs.get(item.name):
                continue
            needed = (
                item.required
                or (item.required_after_first_publication and article.snapshots.exists())
                or (item.required_with_quality_warnings and quality.warnings(article))
            )
            if needed:
                raise InvalidInput(item.missing_message, field=item.name)


def _ensure_live_working_copy(article: Article, label: str) -> None:
    """The working copy is the version readers see now, and nothing newer is scheduled."""
    live = live_snapshot(article)
    if live is None:
        raise TransitionNotAllowed(f"Cannot {label} an article that is not live.")
    if live.version != article.version:
        raise TransitionNotAllowed(
            f"Cannot {label}: the working copy (version {article.version}) is not the live "
            f"version ({live.version}). Send the working copy for review instead."
        )
    if article.snapshots.open_at().filter(go_live_at__gt=live.go_live_at).exists():
        raise TransitionNotAllowed(
            f"Cannot {label}: another version is scheduled to replace the live one."
        )


def allowed_actions(
    user: AbstractBaseUser | None, article: Article, actions: Iterable[str] = TRANSITIONS
) -> list[str]:
    """Which of ``actions`` (by default all) ``user`` may take on ``article`` now."""
    allowed = []
    for action in actions:
        try:
            check(action, user, article)
        except (ActionForbidden, TransitionNotAllowed):
            continue
        allowed.append(action)
    return allowed
