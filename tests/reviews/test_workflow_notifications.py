"""The e-mails a workflow move sends after commit, and the silence of a refused one."""

import pytest

from tests.reviews.workflow_scenarios import FORBIDDEN, bring_to, outcome, perform

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


# fmt: off
NOTIFICATIONS = [
    # situation    action             by          e-mailed after commit (usernames)
    ("draft",      "submit",          "author",   ["reviewer", "reviewer2"]),
    ("in_review",  "approve",         "reviewer", ["editor", "reviewer_author", "writer"]),
    ("in_review",  "request_changes", "reviewer", ["reviewer_author", "writer"]),
]
# fmt: on


@pytest.mark.parametrize(("situation", "action", "role", "recipients"), NOTIFICATIONS)
def test_notifications(
    situation,
    action,
    role,
    recipients,
    article,
    people,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Submit e-mails reviewers, not authors; decisions e-mail authors, approval also editors."""
    article = bring_to(situation, article, people)
    with django_capture_on_commit_callbacks(execute=True):
        perform(action, article, people[role])
        assert mailoutbox == []
    addresses = sorted(address for message in mailoutbox for address in message.to)
    assert addresses == sorted(f"{username}@example.org" for username in recipients)
    assert all(article.title in message.subject for message in mailoutbox)


def test_refused_move_sends_no_email(
    article, people, mailoutbox, django_capture_on_commit_callbacks
):
    """A refused approval queues no e-mail."""
    article = bring_to("in_review", article, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert outcome("approve", article, people["reviewer_author"]) is FORBIDDEN
    assert (callbacks, mailoutbox) == ([], [])
