"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop while a browser is open, and Django keeps one
database connection per context, so everything that prepares the database (the serialized
rollback and the demo content) happens before the browser starts, and the browser closes
before the database is flushed: hence function-scoped fixtures that depend on ``demo_site``.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests import demo_data

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# axe-core's WCAG 2.2 AA rules and best practices; a serious or critical violation fails.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}


def serious_violations(page, name: str) -> list[str]:
    """axe-core's serious or critical violations on the page now shown, one line each."""
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{name}: {violation['id']} ({violation['impact']}) "
        f"{[node['target'] for node in violation['nodes'][:3]]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def log_in(page, base_url: str, username: str) -> None:
    """Sign in to the admin through its login form as a demo user, as a person would."""
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (make test does).")
    return path


@pytest.fixture
def demo_site(live_server, request):
    """The live server with the demo content (``tests.demo_data``: seeded once, then
    restored)."""
    demo_data.seed_demo(request)
    return live_server


@pytest.fixture
def browser(demo_site, monkeypatch):
    # The live server answers from its own thread while Playwright's loop runs in this one.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
