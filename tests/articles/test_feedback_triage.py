"""Reader feedback that reaches someone: the public form (clinical concern, honeypot, rate
limit, nothing personal stored), the e-mails it sends, and its triage in the admin."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles import ratelimit, stamp
from articles.models import Article, Feedback
from articles.services import FEEDBACK_LIMIT
from reviews import notifications
from tests.admin_client import AdminSession
from tests.conftest import make_user
from tests.feedback_steps import (
    feedback_on_two_articles,
    recipients,
    reload,
    send_feedback,
    stored_feedback,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_feedback_changelist")


def change_url(feedback: Feedback) -> str:
    return reverse("admin:articles_feedback_change", args=[feedback.pk])


def triage_form(feedback: Feedback, **overrides) -> dict:
    """The admin change form as the browser sends it back."""
    data = {
        "status": feedback.status,
        "assignee": feedback.assignee_id or "",
        "notes": feedback.notes,
        **({"clinical_concern": "on"} if feedback.clinical_concern else {}),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# The public form ---------------------------------------------------------------------------


def test_form_offers_the_concern_and_hides_the_trap_without_inline_style(client, live_article):
    """The page has the clinical-concern checkbox and a honeypot that the stylesheet hides,
    the keyboard skips and screen readers announce as "leave empty"; no inline style."""
    page = client.get(f"/articles/{live_article.slug}/")
    html = page.text
    assert "I think something on this page is medically wrong or out of date" in html
    assert re.search(r'<input type="checkbox" name="clinical_concern"[^>]*>', html)
    trap = re.search(r'<p class="feedback-trap">(.*?)</p>', html, re.S).group(1)
    assert 'for="id_website"' in trap and "Leave this field empty" in trap
    field = re.search(r'<input type="text" name="website"[^>]*>', trap).group(0)
    assert 'autocomplete="off"' in field and 'tabindex="-1"' in field
    form = re.search(r'<form[^>]*action="[^"]*feedback/".*?</form>', html, re.S).group(0)
    assert "style=" not in form and "<script" not in form
    css = (Path(settings.BASE_DIR) / "static" / "site.css").read_text()
    assert re.search(r"\.feedback-trap \{[^}]*left: -10000px", css)


def test_reader_flags_a_clinical_concern(
    client, live_article, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    """A ticked concern is stored; the editors and the reviewer of record are e-mailed,
    each once, after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        response = send_feedback(
            client, live_article, helpful="no", comment="The dose is wrong.", clinical_concern="on"
        )
    assert response.status_code == 302 and "feedback=thanks" in response["Location"]
    feedback = Feedback.objects.get()
    assert feedback.clinical_concern and feedback.status == Feedback.Status.NEW
    assert recipients(mailoutbox) == ["editor@example.org", "reviewer@example.org"]
    to_editors, to_reviewer = sorted(mailoutbox, key=lambda message: message.to)
    for message in (to_editors, to_reviewer):
        assert live_article.title in message.subject
        assert "The dose is wrong." in message.body and "Helpful: no" in message.body
        assert f"/admin/articles/feedback/{feedback.pk}/change/" in message.body
        assert "medically wrong or out of date" in message.body
    assert to_editors.subject.startswith("Clinical concern:")
    assert "a page you reviewed" in to_reviewer.subject


def test_plain_feedback_emails_active_editors_and_superusers_only(
    client, live_article, editor, mailoutbox, django_capture_on_commit_callbacks
):
    """Without a concern only editors hear of it: active ones, with an address, superusers
    included; not the reviewer, not the writer."""
    make_user("editor_gone", settings.EDITORS_GROUP, is_active=False)
    mute = make_user("editor_mute", settings.EDITORS_GROUP)
    mute.email = ""
    mute.save()
    make_user("boss", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        send_feedback(client, live_article, comment="Clear.")
    assert not Feedback.objects.get().clinical_concern
    assert recipients(mailoutbox) == ["boss@example.org", "editor@example.org"]
    assert mailoutbox[0].subject.startswith("Reader feedback:")


def test_email_subjects_are_one_line(live_article, editor, reviewer, mailoutbox):
    """A title or text with line breaks cannot add a header to the e-mail."""
    feedback = stored_feedback(live_article, clinical_concern=True, comment="x\r\nBcc: a@b.c")
    feedback.article.title = "Bone\r\nBcc: attacker@example.com"
    notifications.feedback_received(feedback)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        headers = message.message()
        assert headers.get_all("Bcc") is None and len(headers.get_all("To")) == 1
        assert message.bcc == []


def test_honeypot_answers_like_success_and_keeps_nothing(
    client, live_article, editor, mailoutbox, django_capture_on_commit_callbacks
):
    """A filled honeypot gets the thanks redirect, but nothing is stored or sent."""
    with django_capture_on_commit_callbacks(execute=True):
        response = send_feedback(client, live_article, comment="Buy now", website="http://spam")
    assert response.status_code == 302 and "feedback=thanks" in response["Location"]
    assert not Feedback.objects.exists() and mailoutbox == []


def test_rate_limit_still_applies_with_the_concern(client, live_article):
    """Past FEEDBACK_LIMIT in a window the reader gets 429 and nothing more is stored."""
    for _ in range(FEEDBACK_LIMIT):
        assert send_feedback(client, live_article, clinical_concern="on").status_code == 302
    limited = send_feedback(client, live_article, clinical_concern="on")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Feedback.objects.count() == FEEDBACK_LIMIT


def test_no_client_address_is_stored_in_clear(live_article, monkeypatch):
    """The limiter's shared-cache keys are keyed hashes of the address, never the address,
    and the feedback row holds only what the reader typed."""
    monkeypatch.setattr(stamp, "cache_is_per_process", lambda: False)  # as with REDIS_URL
    keys = []
    count_in_cache = ratelimit._count_in_cache
    monkeypatch.setattr(
        ratelimit,
        "_count_in_cache",
        lambda key, *args: keys.append(key) or count_in_cache(key, *args),
    )
    address = "203.0.113.77"
    send_feedback(Client(REMOTE_ADDR=address), live_article, comment="Fine")
    assert keys, "the limiter stored nothing in the shared cache"
    assert any(ratelimit.private_key(f"feedback:{address}") in key for key in keys)
    assert not any(address in key for key in keys)
    row = Feedback.objects.values().get()
    assert address not in repr(row)
    assert ratelimit.private_key("feedback:1.2.3.4") != ratelimit.private_key("feedback:1.2.3.5")


# E-mail to the reviewer of record when an editor sets the flag ------------------------------


def test_editor_setting_the_flag_emails_the_reviewer_once(
    live_article, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    """Setting the flag in the admin e-mails the reviewer of record; saving it again does not."""
    feedback = stored_feedback(live_article, comment="Out of date?")
    session = AdminSession(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = session.post(change_url(feedback), triage_form(feedback, clinical_concern="on"))
    assert response.status_code == 302
    assert reload(feedback).clinical_concern
    assert recipients(mailoutbox) == ["reviewer@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        session.post(change_url(feedback), triage_form(feedback, notes="Asked Dr Ada."))
    assert reload(feedback).notes == "Asked Dr Ada." and len(mailoutbox) == 1


def test_reader_flag_is_not_mailed_again_when_an_editor_keeps_it(
    live_article, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    """Feedback the reader flagged does not e-mail the reviewer again as editors handle it."""
    with django_capture_on_commit_callbacks(execute=True):
        feedback = stored_feedback(live_article, clinical_concern=True)
    assert recipients(mailoutbox) == ["editor@example.org", "reviewer@example.org"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        AdminSession(editor).post(change_url(feedback), triage_form(feedback, status="triaged"))
    assert reload(feedback).status == "triaged" and mailoutbox == []


# The admin ----------------------------------------------------------------------------------


@pytest.fixture
def feedback_set(live_article, make_article, writer, reviewer, editor):
    """Four items on two articles, in different states of handling."""
    made = feedback_on_two_articles(
        live_article, make_article, writer, reviewer, editor, first_comment="Too <b>long</b>"
    )
    return {"new": made["bone"], **{k: v for k, v in made.items() if k != "bone"}}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=new", {"new", "concern", "liver"}),
        ("status__exact=actioned", {"done"}),
        ("clinical_concern__exact=1", {"concern"}),
        ("helpful__exact=0", {"new", "done"}),
        ("assignee__id__exact={editor}", {"done"}),
        ("article__id__exact={liver}", {"liver", "done"}),
    ],
)
def test_admin_filters(feedback_set, editor, query, expected, django_assert_max_num_queries):
    """Editors filter feedback by status, concern, helpful, assignee and article."""
    liver = feedback_set["liver"].article_id
    session = AdminSession(editor)
    with django_assert_max_num_queries(12):
        page = session.get(f"{CHANGELIST}?{query.format(editor=editor.pk, liver=liver)}").text
    shown = {
        name
        for name, item in feedback_set.items()
        if f"/admin/articles/feedback/{item.pk}/change/" in page
    }
    assert shown == expected


def test_admin_list_query_count_does_not_grow(feedback_set, editor, django_assert_max_num_queries):
    """The list page reads the same number of queries with 4 or 40 items."""
    session = AdminSession(editor)
    article = Article.objects.get(pk=feedback_set["new"].article_id)
    for _ in range(36):
        stored_feedback(article)
        ratelimit.clear_counts()
    with django_assert_max_num_queries(12):
        assert session.get(CHANGELIST).status_code == 200


def test_editor_triages_in_the_change_form(feedback_set, editor, reviewer):
    """Status, assignee, notes and the flag change; what the reader sent does not, even in a
    crafted POST; the reader's comment is shown escaped."""
    feedback = feedback_set["new"]
    session = AdminSession(editor)
    page = session.get(change_url(feedback)).text
    assert "Too &lt;b&gt;long&lt;/b&gt;" in page and "Too <b>long</b>" not in page
    response = session.post(
        change_url(feedback),
        triage_form(
            feedback,
            status="triaged",
            assignee=reviewer.pk,
            notes="Shorten the intro.",
            helpful="on",
            comment="rewritten",
            version=99,
        ),
    )
    assert response.status_code == 302
    feedback = reload(feedback)
    assert (feedback.status, feedback.assignee, feedback.notes) == (
        "triaged",
        reviewer,
        "Shorten the intro.",
    )
    assert (feedback.helpful, feedback.comment, feedback.version) == (False, "Too <b>long</b>", 1)


def test_admin_refuses_an_ineligible_assignee(feedback_set, editor, writer):
    """A writer (or an inactive editor) cannot be given feedback: a form error, no change."""
    feedback = feedback_set["new"]
    gone = make_user("gone", settings.EDITORS_GROUP, is_active=False)
    session = AdminSession(editor)
    for person in (writer, gone):
        response = session.post(change_url(feedback), triage_form(feedback, assignee=person.pk))
        assert response.status_code == 200 and "errorlist" in response.text
        assert reload(feedback).assignee is None


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("mark_triaged", "status", "triaged"),
        ("mark_actioned", "status", "actioned"),
        ("mark_dismissed", "status", "dismissed"),
        ("assign_to_me", "assignee_id", "editor"),
    ],
)
def test_bulk_actions(feedback_set, editor, action, field, value):
    """Bulk actions change every selected item and nothing else."""
    chosen = [feedback_set["new"].pk, feedback_set["concern"].pk]
    response = AdminSession(editor).post(
        CHANGELIST, {"action": action, "_selected_action": chosen}, follow=True
    )
    assert response.status_code == 200 and "2 item(s) of feedback" in response.text
    expected = editor.pk if value == "editor" else value
    assert set(Feedback.objects.filter(pk__in=chosen).values_list(field, flat=True)) == {expected}
    assert reload(feedback_set["liver"]).status == "new"


def test_reviewer_reads_but_cannot_change(feedback_set, reviewer):
    """A clinical reviewer sees the list and an item with its notes; a crafted change or
    bulk action changes nothing."""
    feedback = feedback_set["concern"]
    Feedback.objects.filter(pk=feedback.pk).update(notes="Checking with pharmacy.")
    session = AdminSession(reviewer)
    assert session.get(CHANGELIST).status_code == 200
    page = session.get(change_url(feedback))
    assert page.status_code == 200 and "Checking with pharmacy." in page.text
    assert 'name="status"' not in page.text
    crafted = session.post(change_url(feedback), triage_form(reload(feedback), status="dismissed"))
    assert crafted.status_code == 403
    session.post(CHANGELIST, {"action": "mark_dismissed", "_selected_action": [feedback.pk]})
    assert reload(feedback).status == "new"


def test_writer_has_no_feedback_admin(feedback_set, writer):
    """Writers have no feedback permission: the admin refuses the list and an item."""
    session = AdminSession(writer)
    assert session.get(CHANGELIST).status_code == 403
    assert session.get(change_url(feedback_set["new"])).status_code == 403


def test_editorial_policy_says_how_feedback_is_handled(client):
    """The editorial policy page tells readers who reads feedback and what is kept."""
    page = client.get(reverse("articles:editorial_policy")).text
    assert "Your feedback" in page and "clinician who reviewed the page is also told" in page
    assert "We do not store your name, e-mail or IP address" in page
