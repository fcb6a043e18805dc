"""The editorial dashboard and the review page in a real browser, logged in through the admin
login form: axe-core finds no serious or critical violation, and the strict CSP blocks nothing
(a blocked style or script shows as a console error)."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from reviews import workflow
from reviews.states import State
from tests.browser.conftest import log_in, serious_violations

User = get_user_model()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def in_review_article(demo_site):
    """A demo article in review (seed_demo sends two revised ones for review)."""
    return Article.objects.filter(state=State.IN_REVIEW).order_by("pk").first()


@pytest.fixture
def wordy_article(demo_site):
    """A demo writer's patient page in review with plain-language warnings, so the review page
    shows the warnings and the override-reason field."""
    writer = User.objects.get(username="writer")
    article = Article(
        title="Bone strength",
        summary="Drugs that make bones stronger.",
        body=(
            "## Bones\n\nWhen the cancer has spread to the bones your team may suggest a drug "
            "that makes the bones stronger and lowers the chance of a break so that you can "
            "keep doing the things you enjoy most.\n"
        ),
    )
    article = workflow.save_working_copy(article=article, user=writer, comment="Draft.")
    return workflow.submit(article=article, user=writer)


def test_dashboard_and_review_page_pass_axe(demo_site, in_review_article, wordy_article, page):
    """A clinical reviewer's dashboard, the admin index and the review page of an article in
    review (one of them with plain-language warnings): no serious or critical WCAG 2.2 AA
    violation."""
    log_in(page, demo_site.url, "reviewer2")
    pages = {
        "admin index": "/admin/",
        "dashboard": "/admin/dashboard/",
        "review page": f"/admin/articles/article/{in_review_article.pk}/review/",
        "review page with warnings": f"/admin/articles/article/{wordy_article.pk}/review/",
    }
    problems = []
    for name, path in pages.items():
        response = page.goto(demo_site.url + path)
        assert response.status == 200, name
        if name == "review page with warnings":
            assert page.locator("textarea[name=override_reason]").count() == 1
        problems += serious_violations(page, name)
    assert not problems, "\n".join(problems)


def test_dashboard_loads_under_the_strict_csp(demo_site, page):
    """The dashboard's charts and style sheet load with no console error: nothing inline is
    blocked by the Content-Security-Policy, and the charts are drawn."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, demo_site.url, "editor")
    page.click("text=Open the editorial dashboard")
    page.wait_for_url(f"{demo_site.url}/admin/dashboard/")
    assert (
        "style-src 'self'"
        in page.context.request.get(demo_site.url + "/admin/dashboard/").headers[
            "content-security-policy"
        ]
    )
    assert page.locator("svg.dashboard-chart-svg[role=img]").count() == 3
    # The style sheet applied: the bars are painted in the admin's link colour, not black.
    fill = page.evaluate("getComputedStyle(document.querySelector('.chart-bar')).fill")
    assert fill not in {"", "rgb(0, 0, 0)"}
    assert not errors, errors
