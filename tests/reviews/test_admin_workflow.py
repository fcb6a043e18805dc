"""Workflow in the admin: buttons for allowed actions, review page, queues, readability."""

import pytest
from django.urls import reverse

from articles.models import Article, PublishedArticle
from reviews import workflow
from tests.conftest import PASSWORD, shown_form_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def change_page(client, article) -> str:
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).text


def post_action(client, article, action, **data):
    """Send the action's form as the change page shows it, with ``data`` filled in (an action
    the page does not offer is sent with the current version, as a crafted POST would be)."""
    shown = shown_form_fields(change_page(client, article), f"workflow-{action}")
    shown = shown or {"version": str(Article.objects.get(pk=article.pk).version)}
    url = reverse("admin:articles_article_workflow", args=[article.pk, action])
    return client.post(url, {**shown, **data}, follow=True)


def test_writer_sees_only_submit_button(client, make_article, writer):
    """A writer on a draft sees Submit for review and no approve or publish button."""
    article = make_article(writer)
    page = change_page(login(client, writer), article)
    assert "Submit for review" in page
    assert "workflow-approve" not in page and "workflow-publish" not in page


def test_full_cycle_through_admin_buttons(client, make_article, writer, reviewer, editor):
    """Submit, approve and publish through the admin puts the version live."""
    article = make_article(writer)
    post_action(login(client, writer), article, "submit")
    client.logout()
    page = change_page(login(client, reviewer), article)
    assert "workflow-approve" in page and "workflow-request_changes" in page
    response = post_action(client, article, "approve", comment="Clinically accurate.")
    assert "Approve: done." in response.text
    client.logout()
    response = post_action(login(client, editor), article, "publish")
    assert "Publish: done." in response.text
    assert PublishedArticle.objects.live().filter(article=article, version=1).exists()


def test_refused_action_shows_message_not_error(client, make_article, writer):
    """A writer forcing the approve URL gets an explanatory message, and nothing changes."""
    article = make_article(writer)
    response = post_action(login(client, writer), article, "approve")
    assert response.status_code == 200
    assert "Only a clinical reviewer" in response.text
    assert Article.objects.get(pk=article.pk).state == "draft"


def test_request_changes_needs_comment_in_admin(client, make_article, writer, reviewer):
    """Request changes without a comment is refused with a message."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    response = post_action(login(client, reviewer), article, "request_changes", comment="")
    assert "a comment is required" in response.text
    assert Article.objects.get(pk=article.pk).state == "in_review"


def test_scheduled_publish_from_admin(client, make_article, writer, reviewer, editor):
    """An editor can schedule publication; the page is not live before that time."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    post_action(login(client, editor), article, "publish", publish_at="2099-01-01 09:00")
    assert not PublishedArticle.objects.live().filter(article=article).exists()
    assert "scheduled for" in change_page(client, article)


def test_review_page_shows_diff_against_live_and_thread(
    client, live_article, writer, reviewer, reviewer2
):
    """The reviewer sees changes from the live version, numbers highlighted, and can comment."""
    live_article.body = "## Symptoms\n\nBone pain is common in 70% of people [@1]."
    workflow.save_working_copy(article=live_article, user=writer)
    workflow.submit(article=live_article, user=writer, comment="Added a figure.")
    login(client, reviewer2)
    url = reverse("admin:articles_article_review", args=[live_article.pk])
    page = client.get(url).text
    assert "Changes from version 1 (live) to version 2" in page
    assert '<mark class="diff-num">70%</mark>' in page
    client.post(
        reverse("admin:articles_article_review_comment", args=[live_article.pk]),
        {"body": "Where does the 70% figure come from?"},
    )
    assert "Where does the 70% figure come from?" in client.get(url).text


def test_needs_my_review_queue_excludes_own_writing(client, make_article, writer, reviewer):
    """The reviewer's queue lists articles in review except those they wrote."""
    theirs = make_article(writer, title="Liver metastases")
    own = make_article(reviewer, title="Brain metastases")
    for article, author in ((theirs, writer), (own, reviewer)):
        workflow.submit(article=article, user=author)
    page = (
        login(client, reviewer)
        .get(reverse("admin:articles_article_changelist"), {"queue": "mine"})
        .text
    )
    assert "Liver metastases" in page and "Brain metastases" not in page


def test_overdue_filter_lists_overdue_articles(client, live_article, editor):
    """The overdue-review queue shows articles whose next review date has passed."""
    Article.objects.filter(pk=live_article.pk).update(next_review_due="2020-01-01")
    page = (
        login(client, editor)
        .get(reverse("admin:articles_article_changelist"), {"review_due": "overdue"})
        .text
    )
    assert live_article.title in page


def test_readability_warning_for_hard_patient_text(client, make_article, writer):
    """Writers see the reading grade, with a warning above grade 8 for patient pages."""
    article = make_article(
        writer,
        body="Pharmacological intervention utilising cyclin-dependent kinase inhibition "
        "demonstrates statistically significant prolongation of progression-free survival "
        "in hormone-receptor-positive metastatic carcinoma.",
    )
    page = change_page(login(client, writer), article)
    assert "Flesch-Kincaid grade" in page
    assert "above the grade 8 target" in page
