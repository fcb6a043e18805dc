"""An admin session as a browser has it (CSRF token from the cookie); the reviewer profile form."""

from django.test import Client
from django.urls import reverse

from reviews.models import ReviewerProfile
from tests.conftest import PASSWORD


class AdminSession:
    """A logged-in client that sends the CSRF token with every POST, like the admin's forms."""

    def __init__(self, user) -> None:
        self.client = Client(enforce_csrf_checks=True)
        assert self.client.login(username=user.username, password=PASSWORD)
        # Any admin page sets the CSRF cookie that the admin's forms echo back.
        self.client.get("/admin/")

    def get(self, url: str, data: dict | None = None, **kwargs):
        return self.client.get(url, data or {}, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        token = self.client.cookies["csrftoken"].value
        return self.client.post(url, {**(data or {}), "csrfmiddlewaretoken": token}, **kwargs)


def profile_change_url(profile: ReviewerProfile) -> str:
    return reverse("admin:reviews_reviewerprofile_change", args=[profile.pk])


def profile_form(profile: ReviewerProfile, **overrides) -> dict:
    """The profile change form as the browser sends it (a reviewer's has no user field)."""
    return {
        "user": profile.user_id,
        "display_name": profile.display_name,
        "credentials": profile.credentials,
        "specialty": profile.specialty,
        "institution": profile.institution,
        "disclosure": profile.disclosure,
        **overrides,
    }


def edit_profile_as(actor, profile: ReviewerProfile, **changes):
    """Open the change page, then save it with ``changes``, as ``actor`` would in a browser."""
    profile.refresh_from_db()
    session = AdminSession(actor)
    assert session.get(profile_change_url(profile)).status_code == 200
    return session.post(profile_change_url(profile), profile_form(profile, **changes))
