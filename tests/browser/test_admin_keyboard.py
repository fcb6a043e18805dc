"""The editorial admin with the keyboard only, in Chromium: a writer creates an article with a
reference and a topic and sends it for review, a clinical reviewer reads the comparison and
approves, an editor publishes. Nothing is clicked or filled in by the test: every step is Tab,
Shift+Tab, Enter, Space, arrows or typed text (the log-in form excepted, see ``log_in``).

After every key press that moves the focus, the focused element must show a focus ring of at
least 2px with a contrast of 3:1 against what is behind it; on each page the focus must go
round the whole page and leave it (no trap); after each action the focus lands on the message
that says how it went, in a live region."""

import re

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, PublishedArticle
from tests.browser.conftest import log_in

User = get_user_model()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The most Tab presses to reach anything on one admin page (the article form has about 90
# stops, with the navigation sidebar); more means the focus is stuck or the target unreachable.
MAX_TABS = 250

# What the focused element looks like: its focus ring (outline, or else box-shadow) and the
# first opaque background behind it (the ring is drawn outside the element, so on its parent).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  let behind = "rgb(255, 255, 255)";
  for (let node = el.parentElement; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    const alpha = bg.startsWith("rgba") ? parseFloat(bg.split(",")[3]) : 1;
    if (alpha >= 0.5) { behind = bg; break; }
  }
  const labels = el.labels ? Array.from(el.labels, (label) => label.textContent) : [];
  const name = el.getAttribute("aria-label") || labels.join(" ") || el.value || el.textContent;
  return {
    description: `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}> ${
      (name || "").replace(/\\s+/g, " ").trim().slice(0, 60)}`,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    behind: behind,
  };
}"""

IS_FOCUSED = "(element) => element === document.activeElement"


def _channels(colour: str) -> list[float]:
    return [float(value) for value in re.findall(r"[\d.]+", colour)[:3]]


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS ``rgb()``/``rgba()`` colour."""

    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_focus_visible(state: dict) -> None:
    """The focused element has a ring of 2px or more, 3:1 against its background."""
    if state["outlineStyle"] != "none" and state["outlineWidth"] >= 2:
        ring = state["outlineColor"]
    elif state["boxShadow"] != "none":
        ring = re.match(r"rgba?\([^)]*\)", state["boxShadow"]).group(0)
    else:
        raise AssertionError(f"No visible focus on {state['description']}: {state}")
    ratio = contrast(ring, state["behind"])
    assert ratio >= 3, f"Focus ring of {state['description']} is {ratio:.2f}:1: {state}"


def press(page, key: str) -> dict | None:
    """Press a key that moves the focus; the focus is visible wherever it lands (None: it left
    the page for the browser's own controls)."""
    page.keyboard.press(key)
    state = page.evaluate(FOCUS_STATE)
    if state is not None:
        assert_focus_visible(state)
    return state


def tab_to(page, target, *, backwards: bool = False) -> None:
    """Tab (or Shift+Tab) until ``target`` (a locator of one element) has the focus."""
    if target.evaluate(IS_FOCUSED):
        return
    seen = []
    for _ in range(MAX_TABS):
        state = press(page, "Shift+Tab" if backwards else "Tab")
        if target.evaluate(IS_FOCUSED):
            return
        seen.append(state["description"] if state else "(left the page)")
    raise AssertionError(f"{target} not reached with the keyboard; last stops: {seen[-12:]}")


def go_round_the_page(page) -> int:
    """Tab from where the focus is until it leaves the page (so no widget keeps it), then
    Shift+Tab back onto the page's last stop and Tab out again; the number of stops."""
    stops = 0
    while press(page, "Tab") is not None:
        stops += 1
        assert stops < MAX_TABS, "The focus never leaves the page: a keyboard trap?"
    last = press(page, "Shift+Tab")
    assert last is not None, "Shift+Tab does not come back onto the page."
    assert press(page, "Tab") is None
    return stops


def activate(page, key: str = "Enter") -> None:
    """Press Enter (or Space) on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def assert_focus_on_message(page, text: str, role: str = "status") -> None:
    """The page says how the action went in a live region, and the focus is on it, so a
    screen reader reads it and the next Tab goes on from there."""
    page.wait_for_function("() => document.activeElement.id === 'admin-messages'")
    region = page.evaluate(
        """() => { const el = document.activeElement;
          return {role: el.getAttribute("role"), live: el.getAttribute("aria-live"),
                  tabindex: el.getAttribute("tabindex"), text: el.innerText}; }"""
    )
    assert region["role"] == role and region["live"] in {"polite", "assertive"}, region
    assert region["tabindex"] == "-1", region
    assert text in region["text"], region


def choose_topic(page, name: str) -> None:
    """Choose the topic ``name`` on the article form with the keyboard, whatever widget the
    topics field has: checkboxes (Space on the one labelled ``name``), or Django's two-box
    selector (type into its filter box, Enter moves the first match across). The one place to
    adapt when the field's widget changes."""
    checkbox = page.get_by_role("checkbox", name=name)
    if checkbox.count():
        tab_to(page, checkbox.first)
        page.keyboard.press("Space")
        assert checkbox.first.is_checked()
        return
    filter_box = page.locator("#id_topics_input")
    tab_to(page, filter_box)
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    chosen = page.locator("#id_topics_to option")
    assert any(name in text for text in chosen.all_inner_texts()), chosen.all_inner_texts()


def log_out(page) -> None:
    tab_to(page, page.get_by_role("button", name="Log out"))
    activate(page)


def open_by_keyboard(page, link) -> None:
    tab_to(page, link)
    activate(page)


TITLE = "Keeping bones strong"
SLUG = "keeping-bones-strong"
BODY = "## Bones\n\nA drug can make your bones stronger [@1]."


def test_writer_reviewer_and_editor_publish_with_the_keyboard_only(demo_site, page):
    """A writer creates an article with a reference and a topic and submits it, a reviewer
    reads the comparison on the review page and approves, an editor publishes: all with the
    keyboard, the focus always visible, never trapped, and on the message after each action;
    the article is then live."""
    # The writer: from the admin's home page to the add form.
    log_in(page, demo_site.url, "writer")
    open_by_keyboard(page, page.locator("a.addlink[href$='/admin/articles/article/add/']"))
    stops = go_round_the_page(page)
    assert stops > 30, stops
    tab_to(page, page.locator("#id_title"))
    page.keyboard.type(TITLE)
    tab_to(page, page.locator("#id_slug"))
    page.keyboard.type(SLUG)
    tab_to(page, page.locator("#id_summary"))
    page.keyboard.type("How medicines can keep bones strong.")
    tab_to(page, page.locator("#id_body"))
    page.keyboard.type(BODY)
    choose_topic(page, "Bone metastases")
    # The references inline: "Add another Reference" adds a form and takes the focus to it.
    tab_to(page, page.get_by_role("button", name="Add another Reference"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'id_references-0-position'")
    tab_to(page, page.locator("#id_references-0-title"))
    page.keyboard.type("Denosumab versus zoledronic acid for bone metastases")
    tab_to(page, page.locator("#id_references-0-journal"))
    page.keyboard.type("J Clin Oncol")
    tab_to(page, page.locator("input[name=_continue]"))
    activate(page)
    assert_focus_on_message(page, "was added successfully")
    article = Article.objects.get(slug=SLUG)
    assert article.references.get().title.startswith("Denosumab")
    assert [topic.name for topic in article.topics.all()] == ["Bone metastases"]

    # Send it for review from the workflow panel.
    tab_to(page, page.locator("form.workflow-submit button[type=submit]"))
    activate(page)
    assert_focus_on_message(page, "Submit for review: done.")
    log_out(page)

    # The clinical reviewer: the queue, the article, its review page.
    log_in(page, demo_site.url, "reviewer")
    open_by_keyboard(page, page.get_by_role("link", name="Needs my review"))
    open_by_keyboard(page, page.get_by_role("link", name=TITLE, exact=True))
    open_by_keyboard(page, page.get_by_role("link", name="Open the review page"))
    assert "/review/" in page.url
    go_round_the_page(page)
    # The comparison of the body is a scrollable region the keyboard reaches and reads.
    body_changes = page.get_by_role("region", name="Changes to body")
    tab_to(page, body_changes)
    page.keyboard.press("ArrowDown")
    assert body_changes.evaluate(IS_FOCUSED)
    assert "A drug can make your bones stronger" in body_changes.inner_text()
    tab_to(page, page.locator("#wf-approve-comment"))
    page.keyboard.type("Accurate and clear.")
    press(page, "Tab")
    assert page.locator("form.workflow-approve button[type=submit]").evaluate(IS_FOCUSED)
    activate(page)
    assert_focus_on_message(page, "Approve: done.")
    log_out(page)

    # The editor publishes from the "ready to publish" queue.
    log_in(page, demo_site.url, "editor")
    open_by_keyboard(page, page.get_by_role("link", name="Approved, ready to publish"))
    open_by_keyboard(page, page.get_by_role("link", name=TITLE, exact=True))
    go_round_the_page(page)
    tab_to(page, page.locator("form.workflow-publish button[type=submit]"))
    activate(page)
    assert_focus_on_message(page, "Publish: done.")

    article.refresh_from_db()
    assert PublishedArticle.objects.live().filter(article=article, version=article.version).exists()
    response = page.goto(demo_site.url + article.get_absolute_url())
    assert response.status == 200
    assert page.get_by_role("heading", name=TITLE, level=1).is_visible()
