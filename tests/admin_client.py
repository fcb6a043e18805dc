"""An admin session as a browser has it: logged in, CSRF checks on, token from the cookie."""

from django.test import Client

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
