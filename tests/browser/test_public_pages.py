"""The public site in a real browser: accessibility (axe-core), keyboard use, small screens."""

import datetime

import pytest
from django.utils import timezone

from articles import caching
from articles.models import ClinicalTrial, PublishedArticle
from tests.browser.conftest import serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = {
    "home": "/",
    "article": "/articles/bone-metastases/",
    "topic": "/topics/metastasis/",
    "search": "/search/?q=pain",
    "trial": "/trials/NCT03529110/",
    "trial list": "/trials/",
    "editorial policy": "/about/editorial-policy/",
}


def test_no_serious_accessibility_violations(demo_site, page):
    """axe-core finds no serious or critical WCAG 2.2 AA violation on the main pages."""
    problems = []
    for name, path in PAGES.items():
        response = page.goto(demo_site.url + path)
        assert response.status == 200, name
        problems += serious_violations(page, name)
    assert not problems, "\n".join(problems)


@pytest.fixture
def overdue_article(demo_site) -> str:
    """A demo article whose clinical review was due last week (set before the browser starts)."""
    PublishedArticle.objects.filter(slug="bone-metastases").update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=7)
    )
    caching.invalidate()
    return "/articles/bone-metastases/"


def test_overdue_notice_is_shown_and_accessible(overdue_article, demo_site, page):
    """An overdue page shows its notice, and axe-core finds no serious violation on it."""
    page.goto(demo_site.url + overdue_article)
    notice = page.locator(".review-due-notice")
    assert notice.is_visible()
    assert notice.inner_text().startswith("This page is due for its clinical review.")
    assert not serious_violations(page, "overdue article")


def test_skip_link_and_keyboard_navigation(demo_site, page):
    """The first Tab reaches a visible skip link that moves focus to the main content."""
    page.goto(demo_site.url + PAGES["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0, "skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_keyboard_reaches_feedback_form(demo_site, page):
    """Readers can answer "Was this helpful?" with the keyboard alone."""
    page.goto(demo_site.url + PAGES["article"])
    page.locator("input[name=helpful][value=yes]").focus()
    page.keyboard.press("Space")
    page.locator("button", has_text="Send feedback").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**feedback=thanks**")
    assert "Thank you for your feedback" in page.content()


def test_readable_at_375_pixels(demo_site, browser, tmp_path):
    """At 375 px wide nothing scrolls sideways and body text stays at least 16 px."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    page = context.new_page()
    for path in (PAGES["home"], PAGES["article"]):
        page.goto(demo_site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main .lead')).fontSize)"
        )
        assert size >= 16
        page.screenshot(path=str(tmp_path / "narrow.png"), full_page=True)
    context.close()


def test_no_console_errors_or_csp_violations(demo_site, page):
    """Pages load with no console error (a CSP block would show up here)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in (PAGES["home"], PAGES["article"], PAGES["trial"]):
        page.goto(demo_site.url + path)
    assert not errors


@pytest.fixture
def synced_trial_page(demo_site) -> str:
    """A demo trial with every registry field the sync fills (set before the browser starts)."""
    ClinicalTrial.objects.filter(nct_id="NCT03529110").update(
        overall_status="TERMINATED",
        why_stopped="The sponsor ended the study early.",
        phases=["PHASE2", "PHASE3"],
        sponsor="Daiichi Sankyo",
        sponsor_class="INDUSTRY",
        sex="FEMALE",
        minimum_age="18 Years",
        healthy_volunteers=False,
        start_date="2018-07",
        completion_date="2024-05-31",
        enrollment=524,
        enrollment_type="ACTUAL",
        has_results=True,
        last_update_posted=datetime.date(2025, 2, 1),
        eligibility_criteria="Inclusion Criteria:\n\n* Adults",
        locations=[
            {"facility": "Hospital", "city": "Seoul", "country": "South Korea", "status": ""},
            {"facility": "Clinic", "city": "Madrid", "country": "Spain", "status": "RECRUITING"},
        ],
    )
    caching.invalidate()
    return "/trials/NCT03529110/"


def test_trial_page_and_filters_are_accessible(synced_trial_page, demo_site, page):
    """A fully synced trial page, a filtered list and a list with a refused filter have no
    serious axe-core violation; the status badge shows its words."""
    page.goto(demo_site.url + synced_trial_page)
    assert page.locator(".status-badge").first.inner_text() == "Terminated"
    problems = serious_violations(page, "synced trial")
    page.goto(demo_site.url + "/trials/")
    page.select_option("#id_phase", "PHASE3")
    page.click(".trial-filters button[type=submit]")
    assert "phase=PHASE3" in page.url
    problems += serious_violations(page, "filtered trials")
    response = page.goto(demo_site.url + "/trials/?status=OPEN")
    assert response.status == 400
    assert "Unknown status OPEN" in page.locator("[role=alert]").inner_text()
    problems += serious_violations(page, "refused filter")
    assert not problems, "\n".join(problems)


@pytest.fixture
def spanish_site(demo_site) -> str:
    """The demo with a live Spanish translation of "bone-metastases" by the demo's writer,
    reviewer and editor (set before the browser starts); its path."""
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from reviews import workflow

    writer, reviewer, editor = (
        get_user_model().objects.get(username=name) for name in ("writer", "reviewer", "editor")
    )
    source = Article.objects.get(slug="bone-metastases")
    profile = reviewer.reviewer_profile
    profile.languages = ["en", "es"]
    profile.save()
    translation = workflow.save_working_copy(
        article=Article(
            title="Metástasis ósea",
            summary="Qué pasa cuando el cáncer de mama llega a los huesos.",
            body="## Qué es\n\nEl cáncer puede llegar a los huesos. A veces duele. "
            "Hay formas de tratar el dolor. Su equipo le puede ayudar.",
            language="es",
            translation_of=source,
            source_version=workflow.live_snapshot(source).version,
        ),
        user=writer,
        save_related=lambda saved: saved.topics.set(source.topics.all()),
    )
    workflow.submit(article=translation, user=writer)
    workflow.approve(article=translation, user=reviewer)
    workflow.publish(article=translation, user=editor)
    # Publishing records the source and its version in the snapshot (the workflow part of
    # #17); where it does not yet, record them as it would.
    PublishedArticle.objects.filter(article=translation, translation_of__isnull=True).update(
        translation_of=source, source_version=translation.source_version
    )
    caching.invalidate()
    return f"/es/articles/{translation.slug}/"


def test_spanish_pages_have_no_serious_accessibility_violations(spanish_site, demo_site, page):
    """axe-core finds no serious or critical violation on the Spanish home page, an article
    and a search, which declare their language."""
    problems = []
    for name, path in {
        "home es": "/es/",
        "article es": spanish_site,
        "search es": "/es/search/?q=huesos",
        "trial list es": "/es/trials/",
    }.items():
        response = page.goto(demo_site.url + path)
        assert response.status == 200, name
        assert page.locator("html").get_attribute("lang") == "es", name
        problems += serious_violations(page, name)
    assert not problems, "\n".join(problems)


def test_the_language_switcher_works_from_the_keyboard(spanish_site, demo_site, page):
    """The switcher is a named navigation whose link, reached with Tab, opens the same page
    in the other language."""
    page.goto(demo_site.url + "/articles/bone-metastases/")
    switcher = page.get_by_role("navigation", name="Language")
    link = switcher.get_by_role("link", name="Español", exact=True)
    assert link.get_attribute("hreflang") == "es" and link.get_attribute("lang") == "es"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "es":
            break
    else:
        pytest.fail("Tab never reached the language switcher")
    page.keyboard.press("Enter")
    page.wait_for_url(demo_site.url + spanish_site)
    assert page.locator("html").get_attribute("lang") == "es"
    switcher = page.get_by_role("navigation", name="Idioma")
    assert switcher.get_by_role("link", name="English", exact=True).count() == 1
