"""Reviewer profiles in the admin: each reviewer their own, editors all; every change versioned."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from reversion.models import Version

from reviews.models import ReviewerProfile
from tests.admin_client import AdminSession, edit_profile_as, profile_change_url, profile_form
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def versions_of(profile: ReviewerProfile) -> list[Version]:
    return list(Version.objects.get_for_object(profile).order_by("pk"))


def disclosure_changed_since(reviewer) -> tuple[ReviewerProfile, Version]:
    """The reviewer's profile after two saved disclosures, and its version with the first one."""
    profile = reviewer.reviewer_profile
    edit_profile_as(reviewer, profile, disclosure="None declared at first.")
    edit_profile_as(reviewer, profile, disclosure="Consulting fees, Acme Pharma.")
    return profile, versions_of(profile)[0]


def test_reviewer_edits_own_profile_and_the_change_is_a_version(reviewer):
    """A reviewer saves their own disclosure; the change is a version with them and a comment."""
    profile = reviewer.reviewer_profile
    response = edit_profile_as(reviewer, profile, disclosure="Advisory board, Acme Pharma (2025).")
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.disclosure == "Advisory board, Acme Pharma (2025)."
    (version,) = versions_of(profile)
    assert version.revision.user == reviewer
    assert version.revision.get_comment() == "Changed Conflict-of-interest disclosure."
    assert version.field_dict["disclosure"] == "Advisory board, Acme Pharma (2025)."


def test_history_page_lists_every_change_with_user_and_comment(reviewer, editor):
    """The profile's admin history shows each saved change, who made it and what changed;
    only an editor gets links to restore an old version."""
    profile = reviewer.reviewer_profile
    edit_profile_as(reviewer, profile, disclosure="Speaker fees, Beta Oncology.")
    edit_profile_as(editor, profile, credentials="MD, PhD")
    url = reverse("admin:reviews_reviewerprofile_history", args=[profile.pk])
    first, second = versions_of(profile)
    revert_link = reverse("admin:reviews_reviewerprofile_revision", args=[profile.pk, first.pk])
    page = AdminSession(reviewer).get(url).text
    assert "Changed Conflict-of-interest disclosure." in page
    assert "Changed Credentials." in page and "editor" in page
    assert revert_link not in page
    assert revert_link in AdminSession(editor).get(url).text
    assert (first.revision.user, second.revision.user) == (reviewer, editor)


def test_reviewer_cannot_change_the_account_of_their_profile(reviewer, reviewer2, writer):
    """The user field is shown read-only to a reviewer, and a posted user is ignored."""
    profile = reviewer.reviewer_profile
    page = AdminSession(reviewer).get(profile_change_url(profile)).text
    assert 'name="user"' not in page
    response = edit_profile_as(reviewer, profile, user=writer.pk, specialty="Breast oncology")
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.user, profile.specialty) == (reviewer, "Breast oncology")


def test_reviewer_cannot_see_or_change_another_reviewers_profile(reviewer, reviewer2):
    """Another reviewer's profile is not listed, not shown and not saved."""
    other = reviewer2.reviewer_profile
    session = AdminSession(reviewer)
    listing = session.get(reverse("admin:reviews_reviewerprofile_changelist")).text
    assert reviewer.reviewer_profile.display_name in listing
    assert other.display_name not in listing
    shown = session.get(profile_change_url(other), follow=True)
    assert other.display_name not in shown.text and "doesn’t exist" in shown.text
    history = session.get(reverse("admin:reviews_reviewerprofile_history", args=[other.pk]))
    assert history.status_code == 302
    session.post(profile_change_url(other), profile_form(other, disclosure="Forged."))
    other.refresh_from_db()
    assert other.disclosure == "None declared."
    assert versions_of(other) == []


def test_reviewer_cannot_add_a_profile(reviewer):
    """Adding profiles is for editors: a reviewer's add page and add POST are 403."""
    session = AdminSession(reviewer)
    assert session.get(reverse("admin:reviews_reviewerprofile_add")).status_code == 403
    newcomer = make_user("newcomer")
    response = session.post(
        reverse("admin:reviews_reviewerprofile_add"),
        {"user": newcomer.pk, "display_name": "Dr Fake", "credentials": "MD", "specialty": "x"},
    )
    assert response.status_code == 403
    assert not ReviewerProfile.objects.filter(user=newcomer).exists()


def test_reviewer_granted_add_and_delete_permissions_still_cannot_use_them(reviewer):
    """Adding and deleting profiles stay an editor's job even if reviewers are later given
    those model permissions."""
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_reviewerprofile", "delete_reviewerprofile"])
    )
    session = AdminSession(reviewer)
    assert session.get(reverse("admin:reviews_reviewerprofile_add")).status_code == 403
    profile = reviewer.reviewer_profile
    delete_url = reverse("admin:reviews_reviewerprofile_delete", args=[profile.pk])
    assert session.post(delete_url, {"post": "yes"}).status_code == 403
    assert ReviewerProfile.objects.filter(pk=profile.pk).exists()


def test_editor_manages_every_profile_including_its_account(editor, reviewer, reviewer2):
    """An editor adds a profile for a new clinician and moves a profile to another account."""
    session = AdminSession(editor)
    listing = session.get(reverse("admin:reviews_reviewerprofile_changelist")).text
    assert "Dr Ada Reviewer" in listing and "Dr Ada Reviewer2" in listing
    newcomer = make_user("newcomer")
    assert session.get(reverse("admin:reviews_reviewerprofile_add")).status_code == 200
    added = session.post(
        reverse("admin:reviews_reviewerprofile_add"),
        {
            "user": newcomer.pk,
            "display_name": "Dr Nia Newcomer",
            "credentials": "MBBS",
            "specialty": "Clinical oncology",
            "institution": "",
            "disclosure": "None declared.",
        },
    )
    assert added.status_code == 302
    profile = ReviewerProfile.objects.get(user=newcomer)
    assert versions_of(profile)[0].revision.user == editor
    spare = make_user("spare-account")
    edit_profile_as(editor, profile, user=spare.pk)
    profile.refresh_from_db()
    assert profile.user == spare


def test_reviewer_cannot_revert_own_profile_but_an_editor_can(reviewer, editor):
    """Restoring an old profile version directly is an editor's action; it is a new version."""
    profile = reviewer.reviewer_profile
    edit_profile_as(reviewer, profile, disclosure="First disclosure.")
    edit_profile_as(reviewer, profile, disclosure="Second disclosure.")
    first = versions_of(profile)[0]
    url = reverse("admin:reviews_reviewerprofile_revision", args=[profile.pk, first.pk])
    own = AdminSession(reviewer)
    assert own.get(url).status_code == 403
    assert own.post(url, profile_form(profile, disclosure="First disclosure.")).status_code == 403
    profile.refresh_from_db()
    assert profile.disclosure == "Second disclosure."
    session = AdminSession(editor)
    assert "First disclosure." in session.get(url).text
    restored = session.post(url, profile_form(profile, disclosure="First disclosure."))
    assert restored.status_code == 302
    profile.refresh_from_db()
    assert profile.disclosure == "First disclosure."
    latest = versions_of(profile)[-1]
    assert (latest.revision.user, latest.field_dict["disclosure"]) == (editor, "First disclosure.")
    assert latest.revision.comment.startswith("Reverted to previous version")


def test_writer_cannot_revert_a_profile_through_the_article_recover_url(writer, reviewer):
    """A reviewer profile's old version posted to the article recover URL is 404, and the
    disclosure the reviewer declared since stays."""
    profile, old = disclosure_changed_since(reviewer)
    response = AdminSession(writer).post(reverse("admin:articles_article_recover", args=[old.pk]))
    profile.refresh_from_db()
    assert profile.disclosure == "Consulting fees, Acme Pharma."
    assert response.status_code == 404


def test_reviewer_cannot_revert_another_reviewers_profile(reviewer, reviewer2):
    """Another reviewer's profile version under the profile revert URL is 404; nothing reverts."""
    profile, old = disclosure_changed_since(reviewer)
    response = AdminSession(reviewer2).post(
        reverse("admin:reviews_reviewerprofile_revision", args=[profile.pk, old.pk]),
        profile_form(profile, disclosure="None declared at first."),
    )
    profile.refresh_from_db()
    assert profile.disclosure == "Consulting fees, Acme Pharma."
    assert response.status_code == 404


def test_profile_recover_url_refuses_a_profile_that_still_exists(editor, reviewer):
    """Recover is for deleted records: an existing profile's old version there is 404."""
    profile, old = disclosure_changed_since(reviewer)
    response = AdminSession(editor).post(
        reverse("admin:reviews_reviewerprofile_recover", args=[old.pk]),
        profile_form(profile, disclosure="None declared at first.", user=reviewer.pk),
    )
    profile.refresh_from_db()
    assert profile.disclosure == "Consulting fees, Acme Pharma."
    assert response.status_code == 404


def test_profile_edit_starts_a_new_public_cache_generation(client, reviewer):
    """The cached editorial policy page shows a disclosure changed in the admin at once."""
    assert "None declared." in client.get("/about/editorial-policy/").text
    edit_profile_as(reviewer, reviewer.reviewer_profile, disclosure="Research funding, Gamma Labs.")
    assert "Research funding, Gamma Labs." in client.get("/about/editorial-policy/").text
