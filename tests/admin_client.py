"""An admin session as a browser has it (CSRF token from the cookie); the reviewer profile form."""

from django.test import Client
from django.urls import reverse

from reviews.models import ReviewerProfile
from tests.conftest import PASSWORD, shown_form_fields


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
        "languages": list(profile.languages),
        **overrides,
    }


def edit_profile_as(actor, profile: ReviewerProfile, **changes):
    """Open the change page, then save it with ``changes``, as ``actor`` would in a browser."""
    profile.refresh_from_db()
    session = AdminSession(actor)
    assert session.get(profile_change_url(profile)).status_code == 200
    return session.post(profile_change_url(profile), profile_form(profile, **changes))


class AdminBrowser(AdminSession):
    """One user's browser on the admin: it reads the workflow forms and sends them back."""

    def page(self, name: str, article) -> str:
        response = self.client.get(reverse(f"admin:articles_article_{name}", args=[article.pk]))
        assert response.status_code == 200
        return response.text

    def post(self, url: str, data: dict):
        return super().post(url, data, follow=True)

    def action_form(self, article, action: str, page: str = "change") -> dict:
        """The hidden fields of ``action``'s form as the page shows them now."""
        fields = shown_form_fields(self.page(page, article), f"workflow-{action}")
        assert fields, f"the {page} page offers no {action} form"
        return fields

    def act(self, article, action: str, form: dict, **inputs):
        url = reverse("admin:articles_article_workflow", args=[article.pk, action])
        return self.post(url, {**form, **inputs})


def messages_in(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
