"""Every admin page a writer, clinical reviewer or editor works in, opened in Chromium as the
role that uses it: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules (and best practices) find no
serious or critical violation.

One production-like site (gunicorn on its own SQLite file and static folder: ``collectstatic``,
``seed_demo``, then ``tests/browser/admin_pages.py`` for what the demo lacks), one browser and
one signed-in browser context per role serve the whole module, so each page costs one load and
one axe run.
"""

import json

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.browser.conftest import AXE_OPTIONS, CHROMIUM_ARGS, chromium_path, serious_violations
from tests.servers import gunicorn_server

# One xdist worker runs the whole module (make pytest: --dist loadgroup): the module's gunicorn
# site with the seeded demo is then made once, as in one process, not once per worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("admin-accessibility")]

# (page, role): the role that really works on the page. The addresses come from the site.
PAGES = [
    ("login", "anonymous"),
    ("index", "writer"),
    ("article list", "writer"),
    ("article list filtered", "writer"),
    ("article search", "writer"),
    ("add article", "writer"),
    ("change article", "writer"),
    ("history", "writer"),
    ("compare", "writer"),
    ("restore", "writer"),
    ("image list", "writer"),
    ("image picker", "writer"),
    ("image add", "writer"),
    ("image change", "writer"),
    ("topic list", "writer"),
    ("trial list", "writer"),
    ("password change", "writer"),
    ("index", "reviewer"),
    ("dashboard", "reviewer"),
    ("review queue", "reviewer"),
    ("review page", "reviewer"),
    ("compare", "reviewer"),
    ("evidence queue", "reviewer"),
    ("feedback list", "reviewer"),
    ("own profile", "reviewer"),
    ("index", "editor"),
    ("dashboard", "editor"),
    ("publish queue", "editor"),
    ("translations queue", "editor"),
    ("change article", "editor"),
    ("feedback list", "editor"),
    ("feedback change", "editor"),
    ("topic list", "editor"),
    ("topic change", "editor"),
    ("topic history", "editor"),
    ("topic revert", "editor"),
    ("topic recover list", "editor"),
    ("topic recover", "editor"),
    ("trial list", "editor"),
    ("trial change", "editor"),
    ("image change", "editor"),
    ("reviewer profiles", "editor"),
    ("reviewer profile add", "editor"),
    ("reviewer profile", "editor"),
    ("reviewer credentials", "editor"),
    ("webhook list", "editor"),
    ("webhook add", "editor"),
    ("webhook change", "editor"),
    ("password change", "editor"),
]

# What must be on a page for its check to mean something: the inlines filled, the filters
# applied, the discussion and the differences shown.
SHOWN = {
    "article list filtered": ["#changelist-filter details[open] li.selected", "#result_list"],
    "change article": [
        "#references-group .inline-related.has_original",
        "fieldset.checkbox-group input[name=topics]:checked",
        "fieldset.checkbox-group input[name=authors]:checked",
        "fieldset.checkbox-group input[name=related_trials]:checked",
        "#id_lead_image option[selected]:not([value=''])",
        ".workflow-panel",
    ],
    "add article": ["fieldset.checkbox-group input[name=topics]", "#references-group"],
    "compare": [".field-diff .diff-text"],
    "restore": [".field-diff .diff-text"],
    "review page": [".review-thread li", ".field-diff .diff-text", "textarea"],
    "image picker": ["#result_list"],
    "feedback change": ["#id_status"],
    "topic recover list": ["#content-main table a"],
    "webhook change": ["#id_url"],
}


def test_axe_runs_every_wcag_a_and_aa_rule_set():
    """The options run the WCAG 2.0, 2.1 and 2.2 A and AA rules, and fail on serious or
    critical violations."""
    tags = set(AXE_OPTIONS["runOnly"]["values"])
    assert {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"} <= tags


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site's base URL and the address of each page in PAGES."""
    directory = tmp_path_factory.mktemp("admin-accessibility")
    listing = directory / "admin_pages.json"
    prepare = f"from tests.browser.admin_pages import prepare; prepare({str(listing)!r})"
    with gunicorn_server(
        directory,
        workers=2,
        env={
            "DJANGO_STATIC_ROOT": str(directory / "static"),
            "DJANGO_WEBHOOK_ALLOW_PRIVATE": "1",
            "DEMO_PASSWORD": settings.DEMO_PASSWORD,
        },
        commands=(
            ("collectstatic", "--noinput"),
            ("seed_demo",),
            ("shell", "-c", prepare),
        ),
    ) as base:
        paths = {(name, role): path for name, role, path in json.loads(listing.read_text())}
        assert set(paths) == set(PAGES)
        yield base, paths


@pytest.fixture(scope="module")
def contexts(site):
    """One browser, and one browser context per role, signed in once through the login form."""
    base, _paths = site
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        signed_in = {}
        for role in sorted({role for _name, role in PAGES}):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            if role != "anonymous":
                page = context.new_page()
                page.goto(f"{base}/admin/login/?next=/admin/")
                page.fill("#id_username", role)
                page.fill("#id_password", settings.DEMO_PASSWORD)
                page.click("input[type=submit]")
                page.wait_for_url(f"{base}/admin/")
                page.close()
            signed_in[role] = context
        yield signed_in
        browser.close()


@pytest.mark.parametrize(
    ("name", "role"), PAGES, ids=[f"{n.replace(' ', '_')}-as-{r}" for n, r in PAGES]
)
def test_admin_page_has_no_serious_violation(site, contexts, name, role):
    """The page opens for its role (200, not the login form) and axe-core finds no serious or
    critical violation on it."""
    base, paths = site
    page = contexts[role].new_page()
    try:
        response = page.goto(base + paths[name, role])
        assert response.status == 200, f"{name}: {response.status}"
        if role != "anonymous":
            assert "/admin/login/" not in page.url
        for selector in SHOWN.get(name, []):
            assert page.locator(selector).count(), f"{name}: nothing matches {selector}"
        problems = serious_violations(page, f"{name} as {role}")
    finally:
        page.close()
    assert not problems, "\n".join(problems)
