"""Clinical sign-off that cannot be bypassed, through the admin over HTTP or the editorial API.

An approval is of exactly what the reviewer read, publishing binds to the approved version the
editor saw, archived articles stay out of the workflow, a live page's address cannot be taken
over, and partners and readers are told only about versions that went live. Everything goes
through the admin over HTTP (session and CSRF) or the editorial API, as a user or an attacker
would.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, PublishedArticle, WebhookEndpoint, WebhookEvent
from articles.snapshots import content_digest, snapshot_content
from reviews import workflow
from reviews.models import AuditEntry, Review
from tests.admin_client import AdminBrowser, messages_in
from tests.reviews.workflow_scenarios import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

ONE_TABLET = "## Dose\n\nTake 1 tablet a day with food [@1]."
TEN_TABLETS = "## Dose\n\nTake 10 tablets a day with food [@1]."


# The admin, as a browser uses it ------------------------------------------------------------


def edit_body(article, user, body: str) -> Article:
    article = fresh(article)
    article.body = body
    return workflow.save_working_copy(article=article, user=user, comment="Dose changed.")


# 1. An approval is of what the reviewer read --------------------------------------------------


def test_stale_admin_approve_refused_and_shows_what_changed(make_article, writer, reviewer):
    """A reviewer's Approve click on "Take 1 tablet" does not approve "Take 10 tablets"."""
    article = make_article(writer, body=ONE_TABLET)
    workflow.submit(article=article, user=writer)
    browser = AdminBrowser(reviewer)
    form = browser.action_form(article, "approve", page="review")
    edit_body(article, writer, TEN_TABLETS)  # meanwhile the writer edits and resubmits
    workflow.submit(article=fresh(article), user=writer)

    response = browser.act(article, "approve", form, comment="Dose is right.")

    assert fresh(article).state == workflow.State.IN_REVIEW
    assert not Review.objects.filter(article=article, status=Review.Status.APPROVED).exists()
    (message,) = messages_in(response)
    assert "Nothing was done" in message and "Body (1 → 10)" in message
    assert response.request["PATH_INFO"].endswith(f"/{article.pk}/review/")
    assert "Changed since you opened version 1" in response.text


def test_stale_admin_request_changes_refused(make_article, writer, reviewer):
    """Requesting changes on text that changed since the reviewer opened it is refused too."""
    article = make_article(writer, body=ONE_TABLET)
    workflow.submit(article=article, user=writer)
    browser = AdminBrowser(reviewer)
    form = browser.action_form(article, "request_changes", page="review")
    edit_body(article, writer, TEN_TABLETS)
    workflow.submit(article=fresh(article), user=writer)

    browser.act(article, "request_changes", form, comment="Check the dose.")

    assert fresh(article).state == workflow.State.IN_REVIEW
    assert Review.objects.get(article=article, version=2).status == Review.Status.PENDING


def test_admin_approve_with_a_different_digest_is_refused(make_article, writer, reviewer):
    """The form's content digest must be that of the current content, not any other."""
    article = make_article(writer, body=ONE_TABLET)
    workflow.submit(article=article, user=writer)
    browser = AdminBrowser(reviewer)
    form = browser.action_form(article, "approve", page="review")
    assert re.fullmatch(r"[0-9a-f]{64}", form["digest"])

    browser.act(article, "approve", {**form, "digest": "0" * 64})

    assert fresh(article).state == workflow.State.IN_REVIEW


@pytest.mark.parametrize("action", ["approve", "request_changes", "submit", "publish"])
def test_crafted_admin_action_without_version_is_refused(
    action, make_article, writer, reviewer, editor
):
    """A hand-made POST that does not say which version it saw changes nothing."""
    article = make_article(writer)
    user = {"submit": writer, "publish": editor}.get(action, reviewer)
    if action != "submit":
        workflow.submit(article=article, user=writer)
    if action == "publish":
        workflow.approve(article=article, user=reviewer)
    before = (fresh(article).state, AuditEntry.objects.count())

    response = AdminBrowser(user).act(article, action, {}, comment="Looks fine.")

    assert (fresh(article).state, AuditEntry.objects.count()) == before
    assert any("which version you were shown" in text for text in messages_in(response))
    assert not PublishedArticle.objects.filter(article=article).exists()


def test_admin_publish_binds_to_the_approved_version_the_editor_saw(
    make_article, writer, reviewer, reviewer2, editor
):
    """An editor's Publish click on approved version 1 does not publish a later approval."""
    article = make_article(writer, body=ONE_TABLET)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    browser = AdminBrowser(editor)
    form = browser.action_form(article, "publish")
    assert form["version"] == "1"
    edit_body(article, writer, TEN_TABLETS)  # withdrawn, changed, approved again meanwhile
    workflow.submit(article=fresh(article), user=writer)
    workflow.approve(article=fresh(article), user=reviewer2)

    browser.act(article, "publish", form)

    assert not PublishedArticle.objects.filter(article=article).exists()


# The editorial API: every action needs the current ETag -----------------------------------

API_ACTIONS = {
    # action: (situation it needs, role, body)
    "submit": ("draft", "writer", {}),
    "approve": ("in_review", "reviewer", {"comment": "Accurate."}),
    "request-changes": ("in_review", "reviewer", {"comment": "Check the dose."}),
    "publish": ("approved", "editor", {}),
    "unpublish": ("live", "editor", {"reason": "Guidance withdrawn."}),
}


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
    return client


def bring_to(situation: str, article, writer, reviewer, editor) -> Article:
    steps = {
        "draft": [],
        "in_review": [(workflow.submit, writer)],
        "approved": [(workflow.submit, writer), (workflow.approve, reviewer)],
        "live": [
            (workflow.submit, writer),
            (workflow.approve, reviewer),
            (workflow.publish, editor),
        ],
    }[situation]
    for service, user in steps:
        service(article=fresh(article), user=user)
    return fresh(article)


def footprint(article) -> tuple:
    article = fresh(article)
    return (
        article.state,
        article.version,
        article.audit_entries.count(),
        list(article.snapshots.values_list("pk", "live_until")),
    )


@pytest.mark.parametrize("action", API_ACTIONS)
@pytest.mark.parametrize(("if_match", "status"), [(None, 428), ("stale", 412)])
def test_api_action_needs_current_etag(
    action, if_match, status, make_article, writer, reviewer, editor
):
    """Every workflow action without If-Match is 428, with a stale one 412; nothing changes."""
    situation, role, body = API_ACTIONS[action]
    article = bring_to(situation, make_article(writer), writer, reviewer, editor)
    user = {"writer": writer, "reviewer": reviewer, "editor": editor}[role]
    headers = {}
    if if_match == "stale":
        headers["If-Match"] = f'"{article.pk}-{article.version - 1 or 9}-{article.state}"'
    before = footprint(article)

    response = api_for(user).post(
        f"/api/v1/editorial/articles/{article.pk}/{action}/", body, format="json", headers=headers
    )

    assert response.status_code == status, response.content
    assert footprint(article) == before


def test_api_action_with_current_etag_proceeds(make_article, writer, reviewer):
    """With the ETag of the version read, the action applies to exactly that version."""
    article = bring_to("in_review", make_article(writer), writer, reviewer, None)
    etag = api_for(reviewer).get(f"/api/v1/editorial/articles/{article.pk}/").headers["ETag"]
    response = api_for(reviewer).post(
        f"/api/v1/editorial/articles/{article.pk}/approve/",
        {},
        format="json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200
    assert Review.objects.get(article=article).status == Review.Status.APPROVED


# 2. The digest, from approval to the public API --------------------------------------------


def test_approval_snapshot_and_api_carry_the_same_digest(live_article, client):
    """The approval, the live snapshot and the public API's signoff name one digest, which is
    the digest of what the snapshot serves."""
    review = Review.objects.get(article=live_article)
    snapshot = PublishedArticle.objects.get(article=live_article)
    assert re.fullmatch(r"[0-9a-f]{64}", review.digest)
    assert snapshot.digest == review.digest == content_digest(snapshot_content(snapshot))
    signoff = client.get(f"/api/v1/articles/{snapshot.slug}/").json()["signoff"]
    assert signoff == {
        "version": 1,
        "approved_at": review.decided_at.isoformat().replace("+00:00", "Z"),
        "digest": review.digest,
    }
    approval = AuditEntry.objects.get(article=live_article, action="approve")
    publication = AuditEntry.objects.get(article=live_article, action="publish")
    assert approval.digest == publication.digest == review.digest


# 3. No path around the gate: archived articles ---------------------------------------------


def test_crafted_admin_posts_cannot_revive_an_archived_article(
    live_article, writer, reviewer, editor
):
    """Archived, an article cannot be submitted, approved or published by hand-made admin
    POSTs, even with the right version; it stays off the site."""
    workflow.archive(article=live_article, user=editor, reason="Superseded.")
    version = {"version": str(fresh(live_article).version)}
    for user, action, inputs in [
        (writer, "submit", {}),
        (reviewer, "approve", {"comment": "Fine."}),
        (editor, "publish", {"change_note": "Back."}),
    ]:
        AdminBrowser(user).act(live_article, action, version, **inputs)
    article = fresh(live_article)
    assert (article.state, article.archived_at is not None) == ("draft", True)
    assert not PublishedArticle.objects.live().filter(article=article).exists()
    assert not Review.objects.filter(article=article, status__in=["pending", "approved"]).exists()


def test_archived_article_cannot_be_edited_or_restored_in_the_admin(live_article, editor):
    """The change form of an archived article is read-only: a crafted save is refused (403),
    and so is restoring an old version into it."""
    workflow.archive(article=live_article, user=editor, reason="Superseded.")
    browser = AdminBrowser(editor)
    change = reverse("admin:articles_article_change", args=[live_article.pk])
    response = browser.post(
        change, {"title": "Revived", "summary": "x", "body": "y", "expected_version": 2}
    )
    assert response.status_code == 403
    restore = reverse("admin:articles_article_restore", args=[live_article.pk, 1])
    assert browser.post(restore, {"expected_version": 1}).status_code == 403
    assert fresh(live_article).title != "Revived"
    assert fresh(live_article).version == 1


def test_workflow_refuses_every_action_on_an_archived_article(live_article, writer, editor):
    """The services themselves refuse archived articles, whoever calls them."""
    workflow.archive(article=live_article, user=editor, reason="Superseded.")
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.submit(article=fresh(live_article), user=editor)
    article = fresh(live_article)
    article.body = "Changed while archived."
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.save_working_copy(article=article, user=writer)
    assert workflow.allowed_actions(editor, fresh(live_article)) == ["unarchive"]


# Slugs ------------------------------------------------------------------------------------


def publish_new(make_article, writer, reviewer, editor, **fields):
    article = make_article(writer, **fields)
    for service, user in [(workflow.submit, writer), (workflow.approve, reviewer)]:
        service(article=fresh(article), user=user)
    return fresh(article)


def test_publishing_onto_another_live_address_is_409(
    live_article, make_article, writer, reviewer, editor
):
    """A second article cannot take over a live page's address: publishing it is refused with
    a 409 naming the article that holds it, and readers still see the original."""
    slug = live_article.slug
    moved = fresh(live_article)
    moved.slug = f"{slug}-old"  # the working copy moves on; the live page keeps the address
    workflow.save_working_copy(article=moved, user=writer)
    intruder = publish_new(make_article, writer, reviewer, editor, title="Intruder", slug=slug)
    etag = f'"{intruder.pk}-{intruder.version}-{intruder.state}"'

    response = api_for(editor).post(
        f"/api/v1/editorial/articles/{intruder.pk}/publish/",
        {},
        format="json",
        headers={"If-Match": etag},
    )

    assert response.status_code == 409
    assert live_article.title in response.json()["detail"]
    assert not PublishedArticle.objects.filter(article=intruder).exists()
    assert APIClient().get(f"/api/v1/articles/{slug}/").json()["id"] == live_article.pk


# What partners and readers are told --------------------------------------------------------


def approve_update(article, writer, reviewer2, title: str) -> Article:
    article = fresh(article)
    article.title = title
    workflow.save_working_copy(article=article, user=writer)
    workflow.submit(article=fresh(article), user=writer)
    return workflow.approve(article=fresh(article), user=reviewer2)


def test_unpublished_webhook_describes_the_page_readers_saw(
    live_article, writer, reviewer2, editor
):
    """Unpublishing while a new version is scheduled tells partners about the live version,
    not the scheduled one they never saw."""
    WebhookEndpoint.objects.create(name="Partner", url="https://partner.example/hook")
    approve_update(live_article, writer, reviewer2, "Scheduled title")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    workflow.publish(
        article=fresh(live_article), user=editor, publish_at=tomorrow, change_note="New title."
    )

    workflow.unpublish(article=fresh(live_article), user=editor, reason="Withdrawn.")

    event = WebhookEvent.objects.get(event_type="article.unpublished")
    assert event.payload["data"]["version"] == 1
    assert event.payload["data"]["title"] == live_article.title
    assert event.payload["data"]["slug"] == live_article.slug


def test_change_log_lists_only_versions_that_went_live(
    live_article, writer, reviewer2, reviewer, editor, monkeypatch, client
):
    """A version scheduled and then withdrawn before its time is not in the public change log."""
    start = timezone.now()
    approve_update(live_article, writer, reviewer2, "Never shown")
    workflow.publish(
        article=fresh(live_article),
        user=editor,
        publish_at=start + datetime.timedelta(hours=1),
        change_note="Scheduled, then withdrawn.",
    )
    workflow.unpublish(article=fresh(live_article), user=editor, reason="Not yet.")
    approve_update(live_article, writer, reviewer, "Shown again")
    later = start + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    workflow.publish(article=fresh(live_article), user=editor, change_note="Back, revised.")

    changes = client.get(f"/api/v1/articles/{fresh(live_article).slug}/").json()["changes"]

    assert [change["version"] for change in changes] == [3, 1]
    assert (
        "Scheduled, then withdrawn."
        not in client.get(f"/articles/{fresh(live_article).slug}/").text
    )
