"""Writes to reviewer profiles: an editor verifies (or revokes) a clinician's credentials, and
every other save keeps the verification only while the verified identity is unchanged.

A profile can be used to sign off content only once an editor has checked the clinician's
registration with their professional regulator (``reviews.roles.has_verified_credentials``).
Each write is one django-reversion version with its user and comment, so the profile's history
shows who verified it, when and how.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reversion
from django.db import transaction
from django.utils import timezone

from .models import ReviewerProfile
from .roles import is_editor
from .workflow import reopen_approvals_by
from .workflow.errors import ActionForbidden, InvalidInput

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: What an editor verified: changing any of these needs a new verification. The review
#: languages are not among them: they say which content the clinician signs off, not who they
#: are (an editor sets them; removing one sends that language's unpublished approvals back).
VERIFIED_IDENTITY = ("user_id", "display_name", "credentials", "specialty", "institution")
NOTE_MAX_LENGTH = 2000

CLEARED_MESSAGE = (
    "The name, credentials, specialty, institution or account of this reviewer profile "
    "changed, so its credentials must be verified again by an editor before it can sign off "
    "content; its approvals not yet published went back to review."
)


def stored_profile(profile: ReviewerProfile) -> ReviewerProfile:
    """``profile`` as stored now, its row locked until the end of the caller's transaction (so
    a verification or revocation cannot land between this read and the caller's save)."""
    return ReviewerProfile.objects.select_for_update().get(pk=profile.pk)


def _lock_and_refresh(profile: ReviewerProfile) -> None:
    # The caller's instance (often ``user.reviewer_profile``) is updated in place, so the
    # workflow's checks on that user see the new state at once.
    profile.refresh_from_db(from_queryset=ReviewerProfile.objects.select_for_update())


def _required_text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            f"Keep it to {NOTE_MAX_LENGTH} characters (it has {len(text)}).", field=field
        )
    return text


def _ensure_editor(editor: AbstractBaseUser | None, what: str) -> None:
    if not is_editor(editor):
        raise ActionForbidden(f"Only an editor may {what} a reviewer's credentials.")


def verify_credentials(
    *, profile: ReviewerProfile, editor: AbstractBaseUser, note: str
) -> ReviewerProfile:
    """Record that ``editor`` checked the clinician's credentials, and how (``note``: the
    register and registration number checked). Nobody verifies their own profile.

    Raises ``ActionForbidden`` (not an editor, or one's own profile) or ``InvalidInput`` (no
    note, or one too long); nothing is saved then.
    """
    _ensure_editor(editor, "verify")
    if profile.user_id == editor.pk:
        raise ActionForbidden(
            "Nobody verifies their own credentials: another editor must check your registration."
        )
    note = _required_text(
        note,
        "verification_note",
        "Say how the credentials were checked: the professional register and the "
        "registration number.",
    )
    with transaction.atomic(), reversion.create_revision():
        _lock_and_refresh(profile)
        profile.verification_note = note
        profile.credentials_verified_at = timezone.now()
        profile.credentials_verified_by = editor
        profile.save()
        reversion.set_user(editor)
        reversion.set_comment(f"Credentials verified: {note}")
    return profile


def revoke_verification(
    *, profile: ReviewerProfile, editor: AbstractBaseUser, reason: str
) -> ReviewerProfile:
    """Withdraw the verification of ``profile`` (for ``reason``): it can no longer sign off
    content until an editor verifies it again. Published pages stand; the approvals not yet
    published go back to review (``workflow.reopen_approvals_by``).

    Raises ``ActionForbidden`` (not an editor) or ``InvalidInput`` (no reason).
    """
    _ensure_editor(editor, "revoke the verification of")
    reason = _required_text(reason, "reason", "Say why the verification is withdrawn.")
    with transaction.atomic(), reversion.create_revision():
        _lock_and_refresh(profile)
        _clear(profile)
        profile.save()
        reversion.set_user(editor)
        reversion.set_comment(f"Credentials verification withdrawn: {reason}")
        reopen_approvals_by(reviewer=profile.user, user=editor, reason=reason)
    return profile


def save_reviewer_profile(
    *,
    profile: ReviewerProfile,
    stored: ReviewerProfile | None,
    user: AbstractBaseUser | None = None,
) -> bool:
    """Save ``profile`` as edited, inside the caller's revision, keeping the verification of
    ``stored`` (the profile as it stood before this edit; ``None`` for a new profile) only if
    the verified identity is unchanged. Returns whether a verification was cleared (then the
    approvals not yet published go back to review, as ``user`` saved).

    The verification is never taken from the edit itself, so neither a crafted form nor the
    restore of an old version can verify a profile.
    """
    cleared = False
    if stored is None:
        _clear(profile)
    else:
        profile.verification_note = stored.verification_note
        profile.credentials_verified_at = stored.credentials_verified_at
        profile.credentials_verified_by_id = stored.credentials_verified_by_id
        changed = any(
            getattr(profile, field) != getattr(stored, field) for field in VERIFIED_IDENTITY
        )
        if changed and stored.credentials_verified_at is not None:
            _clear(profile)
            cleared = True
    profile.save()
    if cleared:
        reopen_approvals_by(
            reviewer=stored.user, user=user, reason="the reviewer profile's identity changed"
        )
    elif stored is not None:
        # The review languages are not part of the verified identity (an editor sets them),
        # but approvals in a language no longer listed may not be published.
        dropped = set(stored.languages or []) - set(profile.languages or [])
        if dropped:
            reopen_approvals_by(
                reviewer=stored.user,
                user=user,
                reason="a review language was removed from the reviewer profile",
                languages=dropped,
            )
    return cleared


def _clear(profile: ReviewerProfile) -> None:
    profile.verification_note = ""
    profile.credentials_verified_at = None
    profile.credentials_verified_by = None
