"""Form errors in the admin reach screen readers: a refused workflow form is shown again with
each error tied to its input (``aria-invalid``, ``aria-describedby`` naming the error list) and
what was typed kept; the article form has an error summary linking to each field; messages are
in a live region that takes the focus."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article, PublishedArticle
from reviews import workflow
from tests.admin_client import AdminBrowser, messages_in
from tests.articles.test_admin import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


class _Elements(HTMLParser):
    """Every element of a page with an id: its tag, attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, **{name: value or "" for name, value in attrs}, "text": ""}
        if element.get("id"):
            self.by_id[element["id"]] = element
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def elements(page: str) -> dict[str, dict]:
    parser = _Elements()
    parser.feed(page)
    return parser.by_id


def assert_tied_to_error(page: str, field_id: str, message: str) -> dict:
    """The input ``field_id`` is marked invalid and described by an error list that says
    ``message``; the input."""
    found = elements(page)
    field = found[field_id]
    assert field.get("aria-invalid") == "true", field
    described = field["aria-describedby"].split()
    errors = [found[name]["text"] for name in described if name in found]
    assert any(message in text for text in errors), (described, errors)
    return field


def test_request_changes_without_a_comment_is_shown_at_its_field(in_review, reviewer):
    """Request changes with no comment: the review page again (400) with the comment box
    marked invalid and described by its error; the message says it; nothing changes."""
    browser = AdminBrowser(reviewer)
    form = browser.action_form(in_review, "request_changes", page="review")
    response = browser.act(in_review, "request_changes", form, comment="")
    assert response.status_code == 400
    assert_tied_to_error(response.text, "wf-rc-comment", "a comment is required")
    assert any("comment is required" in message for message in messages_in(response))
    assert 'role="alert"' in response.text
    assert Article.objects.get(pk=in_review.pk).state == "in_review"


def test_a_publish_time_not_understood_is_shown_at_its_field_with_the_text_kept(approved, editor):
    """A publish time that is not a date: the field is marked invalid, described by "Enter
    the time as YYYY-MM-DD HH:MM.", and still holds what the editor typed; nothing is live."""
    browser = AdminBrowser(editor)
    form = browser.action_form(approved, "publish")
    response = browser.act(approved, "publish", form, publish_at="next tuesday", change_note="")
    assert response.status_code == 400
    field = assert_tied_to_error(response.text, "wf-publish-at", "YYYY-MM-DD HH:MM")
    assert field["value"] == "next tuesday"
    assert not PublishedArticle.objects.filter(article=approved).exists()


def test_a_refusal_that_is_no_field_s_stays_a_message(in_review, writer):
    """A writer forcing the approve action is refused with a message only: no input is
    marked invalid."""
    browser = AdminBrowser(writer)
    response = browser.act(in_review, "approve", {"version": in_review.version})
    assert response.status_code == 200
    assert "aria-invalid" not in response.text
    assert any("clinical reviewer" in message for message in messages_in(response))


def test_article_form_errors_have_a_summary_and_are_tied_to_their_fields(
    make_article, writer, writer2
):
    """A save with no title, on a version someone else has saved since: an error summary
    (role alert, focus target) lists both, linking to the title; the title input is invalid
    and described by its error."""
    article = make_article(writer)
    data = change_form_data(article, title="")
    workflow.save_working_copy(article=Article.objects.get(pk=article.pk), user=writer2)
    browser = AdminBrowser(writer)
    response = browser.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    found = elements(response.text)
    summary = found["form-errors"]
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert "data-focus-on-load" in summary
    assert 'href="#id_title"' in response.text
    assert "Someone else saved this article" in summary["text"], summary["text"]
    assert_tied_to_error(response.text, "id_title", "This field is required.")


def test_messages_are_a_live_region_that_takes_the_focus(make_article, writer):
    """After an action the messages are a status region with tabindex -1 that the admin's
    script focuses on load."""
    article = make_article(writer)
    browser = AdminBrowser(writer)
    response = browser.act(article, "submit", browser.action_form(article, "submit"))
    region = elements(response.text)["admin-messages"]
    assert region["role"] == "status" and region["aria-live"] == "polite"
    assert region["tabindex"] == "-1" and "data-focus-on-load" in region
    assert "Submit for review: done." in region["text"]
    assert "admin/admin_a11y.js" in response.text


def test_an_empty_discussion_comment_is_shown_at_its_field(in_review, reviewer):
    """A blank comment in the review discussion: the review page again (400), the comment
    box invalid and described by "Write a comment first."; no comment is added."""
    browser = AdminBrowser(reviewer)
    url = reverse("admin:articles_article_review_comment", args=[in_review.pk])
    response = browser.post(url, {"body": "   "})
    assert response.status_code == 400
    assert_tied_to_error(response.text, "thread-body", "Write a comment first.")
    assert not in_review.reviews.get().comments.exists()
