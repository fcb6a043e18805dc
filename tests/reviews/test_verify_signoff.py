"""``manage.py verify_signoff``: live and scheduled pages are exactly what a clinician approved.

Every live and scheduled snapshot serves exactly the content a clinical reviewer, who did not
write it, approved; and anything else is caught, one line each.
"""

import datetime
import io
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import PublishedArticle
from reviews import workflow
from reviews.models import AuditEntry, Review, ReviewerProfile
from tests.commands import manage
from tests.workflow_steps import approve_new_version

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("verify_signoff", stdout=out)
    return out.getvalue()


def violations() -> list[str]:
    """The lines verify_signoff prints, after it has failed."""
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_signoff", stdout=out)
    return out.getvalue().splitlines()


def test_passes_on_live_and_scheduled_snapshots(live_article, writer, reviewer2, editor):
    """A live article with an update scheduled: both snapshots verify."""
    article = live_article
    approve_new_version(article, writer, reviewer2, summary="A clearer summary.")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    workflow.publish(article=article, user=editor, publish_at=tomorrow, change_note="Summary.")
    assert verify().startswith("Sign-off verified: 1 live and 1 scheduled snapshots")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body_html", "<p>Take 10 tablets a day.</p>"),
        ("body_text", "Take 10 tablets a day."),
        ("title", "A different title"),
        ("summary", "A different summary."),
        ("references", []),
    ],
)
def test_catches_a_snapshot_changed_in_the_database(live_article, field, value):
    """Content changed in the database after publication is caught, naming the article and
    version."""
    PublishedArticle.objects.filter(article=live_article).update(**{field: value})
    lines = violations()
    assert lines
    assert all(line.startswith(f"article {live_article.pk} (") for line in lines)
    assert "version 1: the content served" in lines[0]


def test_catches_an_approval_of_other_content(live_article):
    """A snapshot whose approval names another digest is caught."""
    Review.objects.filter(article=live_article).update(digest="0" * 64)
    assert any("not the content the clinical reviewer approved" in line for line in violations())


def test_catches_a_snapshot_without_approval(live_article):
    """A snapshot with no approval of its version is caught."""
    Review.objects.filter(article=live_article).update(version=99)
    assert any("no clinical approval of this version" in line for line in violations())


def test_catches_an_approver_who_wrote_the_version(live_article, writer):
    """An approval recorded under a contributor (say, forged in the database) is caught."""
    ReviewerProfile.objects.create(user=writer, display_name="W", credentials="MD", specialty="x")
    Review.objects.filter(article=live_article).update(reviewer=writer)
    AuditEntry.objects.filter(article=live_article, action="approve").update(user=writer)
    assert any("who wrote or edited this version" in line for line in violations())


def test_catches_an_approver_without_profile(live_article, reviewer):
    """An approval by someone who is not a clinical reviewer with a profile is caught."""
    ReviewerProfile.objects.filter(user=reviewer).delete()
    assert any("has no reviewer profile" in line for line in violations())


def test_catches_a_missing_audit_entry(live_article):
    """The ledger must record the approval and the publication."""
    AuditEntry.objects.filter(article=live_article, action="approve").delete()
    assert any("no record of this sign-off" in line for line in violations())


def test_catches_a_reviewer_byline_that_is_not_the_approver(live_article):
    """The clinician named on the page must be the one who approved."""
    PublishedArticle.objects.filter(article=live_article).update(
        reviewed_by={"name": "Dr Someone Else", "credentials": "MD", "specialty": "Oncology"}
    )
    assert any("reviewer shown on the page" in line for line in violations())


def test_seeded_demo_and_synthetic_articles_verify():
    """The demo and ``--extra`` synthetic articles carry approvals by a demo reviewer, their
    audit entries and matching digests."""
    call_command("seed_demo", "--extra", "60", stdout=io.StringIO(), stderr=io.StringIO())
    synthetic = PublishedArticle.objects.filter(slug__startswith="synthetic-article-")
    assert synthetic.count() == 60
    assert verify().startswith(f"Sign-off verified: {PublishedArticle.objects.live().count()} live")
    reviews = Review.objects.filter(article__slug__startswith="synthetic-article-")
    assert not reviews.filter(reviewer__isnull=True).exists()
    assert (
        AuditEntry.objects.filter(article__slug__startswith="synthetic-", action="approve").count()
        == 60
    )


def test_command_exit_codes_on_a_real_database(tmp_path):
    """Run as a user would: 0 on a seeded database, 1 after a snapshot is altered in the
    database, with one line per violation."""
    database = tmp_path / "signoff.sqlite3"
    assert manage(database, "migrate", "--noinput", check=False).returncode == 0
    assert manage(database, "seed_demo", check=False).returncode == 0
    passed = manage(database, "verify_signoff", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.startswith("Sign-off verified: 22 live")

    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE articles_publishedarticle SET body_html = replace(body_html, 'a', 'o') "
            "WHERE id = (SELECT min(id) FROM articles_publishedarticle)"
        )
    failed = manage(database, "verify_signoff", check=False)
    assert failed.returncode == 1
    assert "snapshot was changed after publication" in failed.stdout
    assert "1 sign-off violation" in failed.stderr or "2 sign-off violation" in failed.stderr
