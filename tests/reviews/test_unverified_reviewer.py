"""A clinical reviewer whose credentials no editor has verified cannot sign off content: the
workflow refuses them in the admin and the editorial API, and review requests skip them."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.snapshots import article_digest
from reviews import profiles, workflow
from reviews.roles import CREDENTIALS_NOT_VERIFIED, has_verified_credentials
from reviews.selectors import needs_review_by
from tests.admin_client import AdminSession
from tests.conftest import make_reviewer
from tests.reviews.editorial_client import client_for, detail_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


@pytest.fixture
def newcomer(db):
    """A clinical reviewer with a profile that no editor has verified."""
    return make_reviewer("newcomer", verified=False)


def state_of(article) -> tuple[str, int]:
    article = Article.objects.get(pk=article.pk)
    return article.state, article.reviews.filter(status="approved").count()


def test_predicate_reads_the_profile(newcomer, reviewer, writer):
    """Verified: a profile with a verification time; no profile or no time is not."""
    assert has_verified_credentials(reviewer)
    assert not has_verified_credentials(newcomer)
    assert not has_verified_credentials(writer)
    assert not has_verified_credentials(None)


@pytest.mark.parametrize("action", ["approve", "request_changes"])
def test_workflow_refuses_an_unverified_reviewer(in_review, newcomer, action):
    """Approve and request changes raise ActionForbidden with the reason; nothing changes."""
    with pytest.raises(workflow.ActionForbidden) as refused:
        workflow.TRANSITION_SERVICES[action](
            article=in_review, user=newcomer, comment="Looks fine."
        )
    assert refused.value.message == CREDENTIALS_NOT_VERIFIED
    assert state_of(in_review) == ("in_review", 0)
    assert workflow.allowed_actions(newcomer, in_review) == []


def test_revoked_reviewer_is_refused_until_verified_again(in_review, reviewer, editor):
    """A revocation takes effect at once; a new verification restores the right to approve."""
    profiles.revoke_verification(
        profile=reviewer.reviewer_profile, editor=editor, reason="Registration lapsed."
    )
    with pytest.raises(workflow.ActionForbidden, match="have not been verified"):
        workflow.approve(article=in_review, user=reviewer)
    profiles.verify_credentials(
        profile=reviewer.reviewer_profile, editor=editor, note="GMC register, 1234567."
    )
    workflow.approve(article=in_review, user=reviewer)
    assert state_of(in_review) == ("approved", 1)


def test_admin_refuses_a_crafted_approval_and_says_why(in_review, newcomer):
    """The admin offers no decision buttons, says why on the change and review pages, and a
    crafted approve POST is refused with the same message."""
    session = AdminSession(newcomer)
    change_url = reverse("admin:articles_article_change", args=[in_review.pk])
    review_url = reverse("admin:articles_article_review", args=[in_review.pk])
    for url in (change_url, review_url):
        page = session.get(url).text
        assert "workflow-approve" not in page and "workflow-request_changes" not in page
        assert "have not been verified by an editor yet" in page
    response = session.post(
        reverse("admin:articles_article_workflow", args=[in_review.pk, "approve"]),
        {"version": in_review.version, "digest": article_digest(in_review)},
        follow=True,
    )
    assert response.status_code == 200
    assert "have not been verified by an editor yet" in response.text
    assert state_of(in_review) == ("in_review", 0)


def test_verified_reviewer_sees_no_credentials_notice(in_review, reviewer):
    """The notice is for unverified reviewers only."""
    page = (
        AdminSession(reviewer)
        .get(reverse("admin:articles_article_review", args=[in_review.pk]))
        .text
    )
    assert "workflow-approve" in page
    assert "have not been verified" not in page


def test_api_approval_by_an_unverified_reviewer_is_403(in_review, newcomer):
    """POST approve with the current If-Match is 403 naming the reason; nothing is approved;
    the article's allowed actions for them are empty."""
    client = client_for(newcomer)
    response = client.act(in_review, "approve", {"comment": "Fine."})
    assert response.status_code == 403
    assert response.json() == {"detail": CREDENTIALS_NOT_VERIFIED}
    refused = client.act(in_review, "request-changes", {"comment": "Change it."})
    assert refused.status_code == 403
    assert state_of(in_review) == ("in_review", 0)
    assert client.get(detail_url(in_review)).json()["allowed_actions"] == []


def test_review_requests_go_only_to_verified_reviewers(
    make_article,
    writer,
    reviewer,
    reviewer2,
    newcomer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Submitting e-mails the verified reviewers, not the unverified one."""
    article = make_article(writer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=article, user=writer)
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == ["reviewer2@example.org", "reviewer@example.org"]


def test_review_queue_still_lists_articles_for_an_unverified_reviewer(in_review, newcomer):
    """The queue shows what awaits review; only the decision waits for verification."""
    assert list(needs_review_by(newcomer, Article.objects.all())) == [in_review]
