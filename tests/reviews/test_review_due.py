"""review_due: lists articles due for clinical review and e-mails authors and reviewers."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("review_due", *args, stdout=out)
    return out.getvalue()


def test_lists_due_articles_and_emails_people(live_article, mailoutbox, writer, reviewer):
    """An article due in 10 days is listed for --days 30, and its writer and reviewer e-mailed."""
    due = timezone.localdate() + datetime.timedelta(days=10)
    Article.objects.filter(pk=live_article.pk).update(next_review_due=due)
    output = run("--days", "30")
    assert live_article.title in output and "due in 10 days" in output
    recipients = {address for message in mailoutbox for address in message.to}
    assert recipients == {writer.email, reviewer.email}


def test_not_listed_when_due_later(live_article, mailoutbox):
    """An article due in a year is not listed for --days 30 and nobody is e-mailed."""
    output = run("--days", "30")
    assert "No article is due" in output
    assert mailoutbox == []


def test_overdue_articles_listed_first(live_article, mailoutbox):
    """Overdue articles are flagged as overdue."""
    Article.objects.filter(pk=live_article.pk).update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert "OVERDUE by 3 days" in run("--days", "0", "--no-email")
    assert mailoutbox == []
