"""What the admin says after an action reaches a screen reader, in Chromium: a stale-version
refusal is an alert that takes the focus; a form error is tied to its input (the browser's own
accessible description of the input is the error); the admin's additions (workflow panel, diff
marks, readability warnings, error summary) have AA contrast, and a changed number is marked
by more than its colour."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.models import Article
from reviews import workflow
from reviews.states import State
from tests.browser.conftest import AXE_OPTIONS, BLOCKING_IMPACTS, log_in, serious_violations
from tests.browser.test_admin_keyboard import contrast

User = get_user_model()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOCUSED_REGION = """() => { const el = document.activeElement;
  return {id: el.id, role: el.getAttribute("role"), live: el.getAttribute("aria-live"),
          text: el.innerText}; }"""

# Each element's text colour and the first opaque background behind it, font size and weight.
TEXT_COLOURS = """(selectors) => selectors.flatMap((selector) =>
  Array.from(document.querySelectorAll(selector)).slice(0, 5).map((el) => {
    let background = "rgb(255, 255, 255)";
    for (let node = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      const alpha = bg.startsWith("rgba") ? parseFloat(bg.split(",")[3]) : 1;
      if (alpha >= 0.5) { background = bg; break; }
    }
    const style = getComputedStyle(el);
    return {selector: selector, text: el.innerText.slice(0, 40), colour: style.color,
            background: background, size: parseFloat(style.fontSize),
            weight: parseInt(style.fontWeight, 10)};
  }))"""

# The admin's additions whose text must reach 4.5:1 (3:1 when large).
ADDITIONS = [
    ".workflow-panel p",
    ".workflow-panel strong",
    ".workflow-panel label",
    ".workflow-panel .help",
    ".workflow-panel a",
    ".quality-warnings h3",
    ".quality-warnings li",
    ".quality-problems li",
    "del.diff-del",
    "ins.diff-ins",
    "mark.diff-num",
    ".numbers-changed",
    ".since-changes p",
    ".admin-messages li",
    ".error-summary h2",
    ".error-summary a",
    "ul.errorlist li",
    ".readability-warning",
]


def assert_contrast(page, name: str) -> int:
    """Every admin addition shown has AA contrast; how many were checked."""
    checked = page.evaluate(TEXT_COLOURS, ADDITIONS)
    for item in checked:
        large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
        ratio = contrast(item["colour"], item["background"])
        assert ratio >= (3 if large else 4.5), f"{name}: {ratio:.2f}:1 for {item}"
    return len(checked)


@pytest.fixture
def in_review_article(demo_site):
    """A demo article in review (seed_demo sends two revised ones for review)."""
    return Article.objects.filter(state=State.IN_REVIEW).order_by("pk").first()


@pytest.fixture
def revised_dose(demo_site):
    """A live page whose new version in review changes a dose and has a plain-language
    warning (a long sentence), so the review page shows changed numbers and warnings."""
    writer, reviewer, editor = (
        User.objects.get(username=name) for name in ("writer", "reviewer", "editor")
    )
    article = Article(
        title="Bone-strengthening drugs",
        summary="Drugs that make bones stronger.",
        body="## Doses\n\nZoledronic acid is given as 4 mg every 12 weeks.\n",
    )
    article = workflow.save_working_copy(article=article, user=writer, comment="Draft.")
    article = workflow.submit(article=article, user=writer)
    article = workflow.approve(article=article, user=reviewer)
    article = workflow.publish(article=article, user=editor)
    article.body = (
        "## Doses\n\nZoledronic acid is given as 4 mg every 4 weeks when the cancer has spread "
        "to the bones and your team thinks that the drug will help you to keep doing the "
        "things that you enjoy and lower the chance of a break.\n"
    )
    article = workflow.save_working_copy(article=article, user=writer, comment="New dose.")
    return workflow.submit(article=article, user=writer)


def test_a_stale_approval_is_an_alert_that_takes_the_focus(demo_site, in_review_article, page):
    """A reviewer approves a version that a writer changed after the review page was opened:
    nothing is done, and the refusal is an alert region with the focus, naming what changed;
    the page has no serious accessibility violation."""
    log_in(page, demo_site.url, "reviewer2")
    page.goto(f"{demo_site.url}/admin/articles/article/{in_review_article.pk}/review/")
    seen = in_review_article.version
    in_review_article.summary += " Updated."
    workflow.save_working_copy(
        article=in_review_article, user=User.objects.get(username="editor"), comment="Edit."
    )
    override = page.locator("#wf-approve-override")
    if override.count():
        override.fill("Reviewed the long sentences with the writer.")
    with page.expect_navigation():
        page.locator("form.workflow-approve button[type=submit]").click()
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.activeElement.id === 'admin-messages'")
    region = page.evaluate(FOCUSED_REGION)
    assert region["role"] == "alert" and region["live"] == "assertive", region
    assert "Nothing was done" in region["text"] and f"version {seen}" in region["text"]
    assert f"since={seen}" in page.url
    assert Article.objects.get(pk=in_review_article.pk).state == State.DRAFT
    problems = serious_violations(page, "stale refusal")
    assert not problems, "\n".join(problems)


def test_a_workflow_form_error_is_the_input_s_description(demo_site, revised_dose, page):
    """An editor's publish time that is not a date: the focus is on the alert, and the
    browser describes the publish-time input by its error and reports it invalid."""
    reviewer2 = User.objects.get(username="reviewer2")
    workflow.approve(article=revised_dose, user=reviewer2, override_reason="Checked.")
    log_in(page, demo_site.url, "editor")
    page.goto(f"{demo_site.url}/admin/articles/article/{revised_dose.pk}/change/")
    page.locator("#wf-publish-at").fill("next tuesday")
    page.locator("#wf-change-note").fill("New dosing interval.")
    with page.expect_navigation():
        page.locator("form.workflow-publish button[type=submit]").click()
    page.wait_for_function("() => document.activeElement.id === 'admin-messages'")
    assert page.evaluate(FOCUSED_REGION)["role"] == "alert"
    field = page.locator("#wf-publish-at")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("YYYY-MM-DD HH:MM"))
    expect(field).to_have_value("next tuesday")
    expect(page.locator("#wf-change-note")).to_have_value("New dosing interval.")
    # The alert, the input and its error (the rest of the change page is the admin-wide
    # axe sweep's): no serious violation.
    results = Axe().run(
        page,
        context={"include": [["#admin-messages"], ["#wf-publish-at"], ["#wf-publish-at-error"]]},
        options=AXE_OPTIONS,
    )
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not serious, serious


def test_an_article_form_error_is_summarised_and_tied_to_its_field(demo_site, page):
    """A writer saves their draft with no title: the error summary has the focus and is an
    alert; the title input is invalid and described by "This field is required."."""
    writer = User.objects.get(username="writer")
    draft = workflow.save_working_copy(
        article=Article(title="Fatigue", summary="Tiredness.", body="Rest helps."),
        user=writer,
        comment="Draft.",
    )
    log_in(page, demo_site.url, "writer")
    page.goto(f"{demo_site.url}/admin/articles/article/{draft.pk}/change/")
    page.locator("#id_title").fill("")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    page.wait_for_function("() => document.activeElement.id === 'form-errors'")
    summary = page.evaluate(FOCUSED_REGION)
    assert summary["role"] == "alert" and "Title: This field is required." in summary["text"]
    title = page.locator("#id_title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile("This field is required."))
    # From the summary, the keyboard goes to the field: Tab to its link, Enter.
    page.keyboard.press("Tab")
    expect(page.locator("#form-errors a[href='#id_title']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(title).to_be_focused()
    assert assert_contrast(page, "article form with errors") >= 3


def test_admin_additions_have_aa_contrast_and_numbers_are_not_marked_by_colour_alone(
    demo_site, revised_dose, page
):
    """On the review page of a changed dose with a plain-language warning, and on the change
    page: the workflow panel, diff marks, warnings and messages reach 4.5:1; a changed number
    is bold and framed, and listed in words above the text."""
    log_in(page, demo_site.url, "reviewer2")
    page.goto(f"{demo_site.url}/admin/articles/article/{revised_dose.pk}/review/")
    assert page.locator(".quality-warnings li").count() >= 1
    assert assert_contrast(page, "review page") >= 10
    numbers = page.locator("mark.diff-num")
    assert numbers.count() >= 1
    style = numbers.first.evaluate(
        """(el) => { const s = getComputedStyle(el);
          return {weight: parseInt(s.fontWeight, 10), outline: s.outlineStyle,
                  width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }"""
    )
    assert style["weight"] >= 700 and style["outline"] == "solid" and style["width"] >= 2
    assert contrast(style["colour"], "rgb(255, 255, 255)") >= 3
    changed = page.locator(".numbers-changed").first.inner_text()
    assert "Numbers changed" in changed and "12 weeks → 4 weeks" in changed
    page.goto(f"{demo_site.url}/admin/articles/article/{revised_dose.pk}/change/")
    assert assert_contrast(page, "change page") >= 5
