"""Reviewer credentials: an editor verifies them (never their own), saying how; a change of the
verified identity clears them; nobody sets them through the profile form."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from reviews import profiles
from reviews.models import ReviewerProfile
from reviews.workflow import ActionForbidden, InvalidInput
from tests.admin_client import AdminSession, edit_profile_as, profile_change_url, profile_form
from tests.conftest import PASSWORD, make_reviewer, make_user

pytestmark = pytest.mark.django_db

NOTE = "GMC register, 1234567, licensed to practise."


def credentials_url(profile: ReviewerProfile) -> str:
    return reverse("admin:reviews_reviewerprofile_credentials", args=[profile.pk])


def versions_of(profile: ReviewerProfile) -> list[Version]:
    return list(Version.objects.get_for_object(profile).order_by("pk"))


def verification(profile: ReviewerProfile) -> tuple:
    profile.refresh_from_db()
    return (
        profile.credentials_verified_at,
        profile.credentials_verified_by_id,
        profile.verification_note,
    )


@pytest.fixture
def newcomer(db):
    """A clinical reviewer whose credentials nobody has checked yet."""
    return make_reviewer("newcomer", verified=False)


@pytest.fixture
def editor_reviewer(db):
    """An editor who also reviews, with a profile of their own (not verified)."""
    user = make_user("editor_reviewer", settings.EDITORS_GROUP)
    ReviewerProfile.objects.create(
        user=user, display_name="Dr Eddie Tor", credentials="MD", specialty="Oncology"
    )
    return user


# The service --------------------------------------------------------------------------------


def test_editor_verifies_credentials_with_who_when_and_how(newcomer, editor):
    """Verification stores the editor, the time and the note, as a version with a comment."""
    profile = profiles.verify_credentials(
        profile=newcomer.reviewer_profile, editor=editor, note=f"  {NOTE} "
    )
    assert profile is newcomer.reviewer_profile
    at, by, note = verification(profile)
    assert (by, note) == (editor.pk, NOTE)
    assert at is not None
    (version,) = versions_of(profile)
    assert version.revision.user == editor
    assert version.revision.get_comment() == f"Credentials verified: {NOTE}"
    assert version.field_dict["credentials_verified_by_id"] == editor.pk


@pytest.mark.parametrize("who", ["newcomer", "reviewer", "writer"])
def test_only_an_editor_verifies(who, newcomer, reviewer, writer):
    """A reviewer (even of their own profile) or a writer is refused; nothing is saved."""
    actor = {"newcomer": newcomer, "reviewer": reviewer, "writer": writer}[who]
    profile = newcomer.reviewer_profile
    with pytest.raises(ActionForbidden, match="Only an editor may verify"):
        profiles.verify_credentials(profile=profile, editor=actor, note=NOTE)
    assert verification(profile) == (None, None, "")
    assert versions_of(profile) == []


def test_an_editor_cannot_verify_their_own_profile(editor_reviewer):
    """Self-verification is refused, with a message saying another editor must do it."""
    profile = editor_reviewer.reviewer_profile
    with pytest.raises(ActionForbidden, match="Nobody verifies their own credentials"):
        profiles.verify_credentials(profile=profile, editor=editor_reviewer, note=NOTE)
    assert verification(profile) == (None, None, "")


@pytest.mark.parametrize(
    ("note", "message"), [("", "Say how"), ("   \n", "Say how"), ("x" * 2001, "2000 characters")]
)
def test_verification_needs_a_note_of_sensible_length(newcomer, editor, note, message):
    """Without a note saying how, or with a huge one, nothing is verified."""
    profile = newcomer.reviewer_profile
    with pytest.raises(InvalidInput, match=message) as raised:
        profiles.verify_credentials(profile=profile, editor=editor, note=note)
    assert raised.value.field == "verification_note"
    assert verification(profile) == (None, None, "")


def test_revoke_clears_the_verification_and_says_why(reviewer, editor):
    """Revoking needs an editor and a reason; the profile is then unverified."""
    profile = reviewer.reviewer_profile
    with pytest.raises(ActionForbidden):
        profiles.revoke_verification(profile=profile, editor=reviewer, reason="No longer.")
    with pytest.raises(InvalidInput, match="Say why"):
        profiles.revoke_verification(profile=profile, editor=editor, reason=" ")
    assert verification(profile)[0] is not None
    profiles.revoke_verification(profile=profile, editor=editor, reason="Registration lapsed.")
    assert verification(profile) == (None, None, "")
    (version,) = versions_of(profile)
    assert (
        version.revision.get_comment() == "Credentials verification withdrawn: Registration lapsed."
    )


# The admin: verifying and revoking -----------------------------------------------------------


def test_editor_verifies_through_the_admin(newcomer, editor):
    """The change page links to the credentials page; its form verifies the profile."""
    profile = newcomer.reviewer_profile
    session = AdminSession(editor)
    change_page = session.get(profile_change_url(profile)).text
    assert credentials_url(profile) in change_page and "Not verified" in change_page
    page = session.get(credentials_url(profile)).text
    assert 'name="note"' in page and "Verify credentials" in page
    response = session.post(credentials_url(profile), {"action": "verify", "note": NOTE})
    assert response.status_code == 302
    at, by, note = verification(profile)
    assert (by, note) == (editor.pk, NOTE) and at is not None
    shown = session.get(profile_change_url(profile)).text
    assert f"by {editor}: {NOTE}" in shown


def test_admin_verification_without_a_note_is_refused_naming_the_field(newcomer, editor):
    """An empty note is a 400 page with the field's error; nothing is verified."""
    profile = newcomer.reviewer_profile
    response = AdminSession(editor).post(credentials_url(profile), {"action": "verify"})
    assert response.status_code == 400
    assert "Say how the credentials were checked." in response.text
    assert verification(profile) == (None, None, "")


def test_admin_refuses_an_unknown_credentials_action(newcomer, editor):
    """A crafted action name is a 400, and changes nothing."""
    profile = newcomer.reviewer_profile
    response = AdminSession(editor).post(credentials_url(profile), {"action": "grant"})
    assert response.status_code == 400
    assert verification(profile) == (None, None, "")


def test_editor_cannot_verify_own_profile_in_the_admin(editor_reviewer):
    """The page offers no form for one's own profile; a crafted POST is 403 with the reason."""
    profile = editor_reviewer.reviewer_profile
    session = AdminSession(editor_reviewer)
    page = session.get(credentials_url(profile)).text
    assert "another editor must check your registration" in page
    assert 'name="note"' not in page
    response = session.post(credentials_url(profile), {"action": "verify", "note": NOTE})
    assert response.status_code == 403
    assert "Nobody verifies their own credentials" in response.text
    assert verification(profile) == (None, None, "")


@pytest.mark.parametrize("who", ["newcomer", "reviewer", "writer"])
def test_non_editor_cannot_verify_in_the_admin(who, newcomer, reviewer, writer):
    """The credentials page and a crafted POST to it are 403 for anyone but an editor, their
    own profile included; the change page offers no link."""
    actor = {"newcomer": newcomer, "reviewer": reviewer, "writer": writer}[who]
    profile = newcomer.reviewer_profile
    session = AdminSession(actor)
    assert session.get(credentials_url(profile)).status_code == 403
    response = session.post(credentials_url(profile), {"action": "verify", "note": NOTE})
    assert response.status_code == 403
    assert verification(profile) == (None, None, "")
    if actor == newcomer:
        assert credentials_url(profile) not in session.get(profile_change_url(profile)).text


def test_verification_post_without_csrf_token_is_refused(newcomer, editor):
    """A cross-site form cannot verify a profile: no CSRF token, 403."""
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=editor.username, password=PASSWORD)
    profile = newcomer.reviewer_profile
    response = client.post(credentials_url(profile), {"action": "verify", "note": NOTE})
    assert response.status_code == 403
    assert verification(profile) == (None, None, "")


def test_editor_revokes_through_the_admin(reviewer, editor):
    """The revoke form needs a reason; with one, the profile is no longer verified."""
    profile = reviewer.reviewer_profile
    session = AdminSession(editor)
    assert "Withdraw the verification" in session.get(credentials_url(profile)).text
    refused = session.post(credentials_url(profile), {"action": "revoke", "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.text
    assert verification(profile)[0] is not None
    done = session.post(credentials_url(profile), {"action": "revoke", "reason": "Struck off."})
    assert done.status_code == 302
    assert verification(profile) == (None, None, "")


def test_changelist_shows_and_filters_verified_status(
    reviewer, newcomer, editor, django_assert_max_num_queries
):
    """Editors see who is verified and can list only the unverified, in a fixed query count."""
    for number in range(5):
        make_reviewer(f"extra{number}", verified=number % 2 == 0)
    session = AdminSession(editor)
    url = reverse("admin:reviews_reviewerprofile_changelist")
    with django_assert_max_num_queries(12):
        listing = session.get(url).text
    assert "credentials verified" in listing.lower()
    unverified = session.get(url, {"verified": "no"}).text
    assert "Dr Ada Newcomer" in unverified and "Dr Ada Extra1" in unverified
    assert "Dr Ada Reviewer" not in unverified and "Dr Ada Extra0" not in unverified
    verified = session.get(url, {"verified": "yes"}).text
    assert "Dr Ada Reviewer" in verified and "Dr Ada Newcomer" not in verified


# The profile form: verification is never set through it, and identity changes clear it -----


def test_reviewer_cannot_set_verification_fields_through_their_profile_form(newcomer):
    """Crafted verification fields in a reviewer's own profile form are ignored."""
    profile = newcomer.reviewer_profile
    page = AdminSession(newcomer).get(profile_change_url(profile)).text
    assert 'name="verification_note"' not in page
    assert 'name="credentials_verified_at"' not in page
    response = edit_profile_as(
        newcomer,
        profile,
        disclosure="Speaker fees, Acme.",
        verification_note="Trust me.",
        credentials_verified_at="2026-01-01 10:00:00",
        credentials_verified_by=newcomer.pk,
    )
    assert response.status_code == 302
    assert verification(profile) == (None, None, "")
    assert profile.disclosure == "Speaker fees, Acme."


def test_crafted_fields_do_not_alter_an_existing_verification(reviewer, editor):
    """A verified reviewer posting other verification values keeps the editor's record."""
    profile = reviewer.reviewer_profile
    profiles.verify_credentials(profile=profile, editor=editor, note=NOTE)
    before = verification(profile)
    edit_profile_as(
        reviewer,
        profile,
        disclosure="Advisory board, Acme (2026).",
        verification_note="Self-certified.",
        credentials_verified_by=reviewer.pk,
    )
    assert verification(profile) == before
    assert profile.disclosure == "Advisory board, Acme (2026)."


@pytest.mark.parametrize(
    "change",
    [
        {"credentials": "MD, FRCP"},
        {"display_name": "Dr Ada Someone Else"},
        {"specialty": "Cardiology"},
        {"institution": "Elsewhere Hospital"},
    ],
)
def test_changing_the_printed_identity_clears_the_verification(reviewer, editor, change):
    """The change and the cleared verification are one version; the user is told to have the
    profile verified again."""
    profile = reviewer.reviewer_profile
    profiles.verify_credentials(profile=profile, editor=editor, note=NOTE)
    profile.refresh_from_db()
    session = AdminSession(reviewer)
    response = session.post(
        profile_change_url(profile), profile_form(profile, **change), follow=True
    )
    assert profiles.CLEARED_MESSAGE in response.text
    assert verification(profile) == (None, None, "")
    latest = versions_of(profile)[-1]
    assert latest.revision.user == reviewer
    assert latest.revision.get_comment().endswith("Credentials verification cleared.")
    assert latest.field_dict["credentials_verified_at"] is None
    assert latest.field_dict[next(iter(change))] == next(iter(change.values()))


def test_editor_moving_a_profile_to_another_account_clears_the_verification(reviewer, editor):
    """A verified identity moved to another account must be verified again."""
    profile = reviewer.reviewer_profile
    profiles.verify_credentials(profile=profile, editor=editor, note=NOTE)
    spare = make_user("spare-account", settings.REVIEWERS_GROUP)
    edit_profile_as(editor, profile, user=spare.pk)
    profile.refresh_from_db()
    assert (profile.user, profile.credentials_verified_at) == (spare, None)


def test_other_changes_keep_the_verification(reviewer, editor):
    """A new disclosure keeps the verification, and says nothing."""
    profile = reviewer.reviewer_profile
    profiles.verify_credentials(profile=profile, editor=editor, note=NOTE)
    before = verification(profile)
    response = AdminSession(reviewer).post(
        profile_change_url(profile),
        profile_form(profile, disclosure="Advisory board, Beta."),
        follow=True,
    )
    assert profiles.CLEARED_MESSAGE not in response.text
    assert verification(profile) == before


def test_new_profile_added_by_an_editor_starts_unverified(editor):
    """A profile added in the admin cannot sign off until it is verified."""
    newcomer = make_user("added", settings.REVIEWERS_GROUP)
    AdminSession(editor).post(
        reverse("admin:reviews_reviewerprofile_add"),
        {
            "user": newcomer.pk,
            "display_name": "Dr New",
            "credentials": "MBBS",
            "specialty": "Oncology",
            "verification_note": "Crafted.",
        },
    )
    assert verification(ReviewerProfile.objects.get(user=newcomer)) == (None, None, "")


def test_reverting_to_a_verified_version_does_not_restore_the_verification(reviewer, editor):
    """After a revocation, restoring an old version written while verified leaves the profile
    unverified: only the verify page verifies."""
    profile = reviewer.reviewer_profile
    profiles.verify_credentials(profile=profile, editor=editor, note=NOTE)
    verified_version = versions_of(profile)[0]
    profiles.revoke_verification(profile=profile, editor=editor, reason="Registration lapsed.")
    url = reverse("admin:reviews_reviewerprofile_revision", args=[profile.pk, verified_version.pk])
    response = AdminSession(editor).post(url, profile_form(profile))
    assert response.status_code == 302
    assert verification(profile) == (None, None, "")
    assert versions_of(profile)[-1].revision.get_comment().startswith("Reverted")


def test_reverting_to_other_credentials_clears_the_verification(reviewer, editor):
    """Restoring a version with other credentials than the verified ones clears it."""
    profile = reviewer.reviewer_profile
    edit_profile_as(reviewer, profile, credentials="MBBS")
    old = versions_of(profile)[0]
    edit_profile_as(reviewer, profile, credentials="MD")
    profiles.verify_credentials(profile=profile, editor=editor, note=NOTE)
    url = reverse("admin:reviews_reviewerprofile_revision", args=[profile.pk, old.pk])
    profile.refresh_from_db()
    AdminSession(editor).post(url, profile_form(profile, credentials="MBBS"))
    profile.refresh_from_db()
    assert (profile.credentials, profile.credentials_verified_at) == ("MBBS", None)


# What readers are told ------------------------------------------------------------------------


def test_editorial_policy_says_how_and_when_credentials_were_checked(client, reviewer, newcomer):
    """The policy page explains the check and shows each reviewer's verification date."""
    page = client.get("/about/editorial-policy/").text
    assert "professional regulator" in page
    verified_on = f"{reviewer.reviewer_profile.credentials_verified_at:%-d %B %Y}"
    assert f"Credentials checked with the professional regulator on {verified_on}." in page
    assert "Credentials not checked yet" in page
