"""The review cycle: confirming a live page is still accurate without a new version, what
``last_reviewed`` means, the quality gates at submit and the plain-language override."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleRevision, PublishedArticle, Reference, Topic, WebhookEndpoint
from articles.rendering import render_markdown
from reviews import profiles, workflow
from reviews.models import AuditEntry, Review
from tests.admin_client import AdminBrowser, messages_in
from tests.commands import manage
from tests.reviews.editorial_client import client_for, etag, patch
from tests.reviews.workflow_scenarios import credit, edit, fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

# 31 words in one sentence: over the 30-word limit, whatever the reading grade.
LONG_SENTENCE = (
    "When the cancer has spread to the bones your team may suggest a drug that makes the bones "
    "stronger and lowers the chance of a break so that you can keep doing the things you "
    "enjoy most."
)


def backdate_live_review(article, days: int) -> datetime.date:
    """Pretend the live version was approved and published ``days`` ago."""
    then = timezone.now() - datetime.timedelta(days=days)
    Review.objects.filter(article=article).update(decided_at=then, submitted_at=then)
    old = timezone.localdate(then)
    article.__class__.objects.filter(pk=article.pk).update(
        last_reviewed=old, next_review_due=old + datetime.timedelta(days=365)
    )
    PublishedArticle.objects.filter(article=article).update(
        reviewed_at=then, last_reviewed=old, next_review_due=old + datetime.timedelta(days=365)
    )
    return old


# Confirm still accurate: the editorial API -------------------------------------------------------


def test_confirm_current_signs_the_live_page_again_without_a_new_version(
    live_article, reviewer2, client
):
    """A second reviewer confirms the live page: a review of the live version with its digest,
    new review dates on the working copy and the live page, an audit entry, no new version."""
    backdate_live_review(live_article, 400)
    revisions = ArticleRevision.objects.filter(article=live_article).count()
    snapshot = PublishedArticle.objects.get(article=live_article)

    response = client_for(reviewer2).act(
        live_article, "confirm-current", {"comment": "Checked against the 2026 guideline."}
    )

    assert response.status_code == 200, response.content
    today = timezone.localdate()
    due = workflow.add_months(today, live_article.review_interval_months)
    body = response.json()
    assert (body["version"], body["state"]) == (1, "approved")
    assert (body["last_reviewed"], body["next_review_due"]) == (str(today), str(due))
    assert ArticleRevision.objects.filter(article=live_article).count() == revisions
    confirmation = Review.objects.get(article=live_article, status=Review.Status.CONFIRMED)
    assert (confirmation.version, confirmation.reviewer) == (1, reviewer2)
    assert confirmation.digest == snapshot.digest
    assert confirmation.comment == "Checked against the 2026 guideline."
    entry = AuditEntry.objects.filter(article=live_article).first()
    assert (entry.action, entry.user, entry.version, entry.digest) == (
        "confirm_current",
        reviewer2,
        1,
        snapshot.digest,
    )
    snapshot.refresh_from_db()
    assert (snapshot.last_reviewed, snapshot.next_review_due) == (today, due)
    assert snapshot.reviewed_by == reviewer2.reviewer_profile.as_byline()
    page = client.get(live_article.get_absolute_url()).text
    assert reviewer2.reviewer_profile.display_name in page
    assert f'datetime="{today:%Y-%m-%d}"' in page
    public = client.get(f"/api/v1/articles/{live_article.slug}/").json()
    assert public["last_reviewed"] == str(today)


def test_confirm_current_queues_an_update_for_partners(live_article, reviewer2):
    """Partners hear that the page's review dates changed."""
    WebhookEndpoint.objects.create(
        name="Partner", url="https://partner.example/hook", secret="s" * 32
    )
    client_for(reviewer2).act(live_article, "confirm-current")
    event = live_article.webhook_events.order_by("-created_at").first()
    assert event is not None and event.event_type == "article.updated"


@pytest.mark.parametrize(
    ("if_match", "status"), [(None, 428), ('"1-1-draft"', 412)], ids=["missing", "stale"]
)
def test_confirm_current_needs_the_current_etag(live_article, reviewer2, if_match, status):
    response = client_for(reviewer2).act(live_article, "confirm-current", if_match=if_match)
    assert response.status_code == status
    assert not Review.objects.filter(status=Review.Status.CONFIRMED).exists()


def test_confirm_current_refuses_the_reviewers_own_writing(live_article, people):
    """Separation of duties: a reviewer in the byline may not confirm it (403)."""
    credit(live_article, people["reviewer_author"])
    # Crediting saved a new version; publish it so the working copy is live again.
    article = fresh(live_article)
    workflow.submit(article=article, user=people["author"])
    workflow.approve(article=article, user=people["other_reviewer"])
    workflow.publish(article=article, user=people["editor"], change_note="Byline.")
    response = client_for(people["reviewer_author"]).act(article, "confirm-current")
    assert response.status_code == 403
    assert "nobody signs off their own writing" in response.json()["detail"]


def test_confirm_current_refuses_the_reviewer_who_wrote_the_live_version(
    live_article, writer, reviewer, reviewer2, editor
):
    """A reviewer who saved the live version (not in the byline) may not confirm it."""
    edit(live_article, reviewer2)
    article = fresh(live_article)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor, change_note="Reworded.")
    assert client_for(reviewer2).act(article, "confirm-current").status_code == 403
    assert client_for(reviewer).act(article, "confirm-current").status_code == 200


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_clinical_reviewers_confirm(live_article, request, role):
    response = client_for(request.getfixturevalue(role)).act(live_article, "confirm-current")
    assert response.status_code == 403


def test_confirm_current_needs_the_working_copy_to_be_the_live_version(
    live_article, writer, reviewer, reviewer2
):
    """After an edit the working copy is not what readers see: 409, nothing recorded."""
    patch(client_for(writer), live_article, {"body": "Changed."}, if_match=etag(live_article))
    response = client_for(reviewer2).act(live_article, "confirm-current")
    assert response.status_code == 409
    assert "draft" in response.json()["detail"]
    # Approved again but not yet published: still not what readers see.
    workflow.submit(article=live_article, user=writer)
    workflow.approve(article=live_article, user=reviewer)
    response = client_for(reviewer2).act(live_article, "confirm-current")
    assert response.status_code == 409
    assert "working copy (version 2) is not the live version (1)" in response.json()["detail"]
    assert not Review.objects.filter(status=Review.Status.CONFIRMED).exists()


def test_confirm_current_needs_a_live_page(approved, reviewer2):
    """An approved version never published has nothing to confirm (409)."""
    assert client_for(reviewer2).act(approved, "confirm-current").status_code == 409


def test_confirm_current_offered_only_when_it_applies(live_article, writer, reviewer2):
    """allowed_actions lists it for an eligible reviewer of a live, unchanged article."""
    detail = f"/api/v1/editorial/articles/{live_article.pk}/"
    assert "confirm_current" in client_for(reviewer2).get(detail).json()["allowed_actions"]
    assert "confirm_current" not in client_for(writer).get(detail).json()["allowed_actions"]


def test_schema_documents_confirm_current(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/editorial/articles/{id}/confirm-current/"]["post"]
    assert any(parameter["name"] == "If-Match" for parameter in operation["parameters"])


# last_reviewed is the date of the clinical sign-off ----------------------------------------------


def test_last_reviewed_is_the_approval_date_not_the_publication_date(approved, editor, client):
    """An approval given ten days before publication is the page's review date."""
    approved_on = timezone.now() - datetime.timedelta(days=10)
    Review.objects.filter(article=approved).update(decided_at=approved_on)
    workflow.publish(article=approved, user=editor)
    article = fresh(approved)
    assert article.last_reviewed == timezone.localdate(approved_on)
    assert PublishedArticle.objects.get(article=article).last_reviewed == article.last_reviewed
    public = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert public["last_reviewed"] == str(timezone.localdate(approved_on))


# Confirm still accurate: the admin ----------------------------------------------------------------


def test_admin_confirm_still_accurate(live_article, reviewer2):
    """The reviewer's change page offers the button; its form confirms and records it."""
    backdate_live_review(live_article, 380)
    browser = AdminBrowser(reviewer2)
    page = browser.page("change", live_article)
    assert "Confirm still accurate" in page
    form = browser.action_form(live_article, "confirm_current")
    response = browser.act(live_article, "confirm_current", form, comment="Still current.")
    assert "Confirm still accurate: done." in messages_in(response)
    article = fresh(live_article)
    assert article.last_reviewed == timezone.localdate()
    assert article.version == 1


def test_admin_confirm_crafted_without_version_is_refused(live_article, reviewer2):
    browser = AdminBrowser(reviewer2)
    response = browser.act(live_article, "confirm_current", {"comment": "x"})
    assert any("which version" in message for message in messages_in(response))
    assert not Review.objects.filter(status=Review.Status.CONFIRMED).exists()


def test_admin_confirm_not_offered_to_the_writer(live_article, writer):
    assert "workflow-confirm_current" not in AdminBrowser(writer).page("change", live_article)


# Quality gates at submit -------------------------------------------------------------------------


def submit_response(article, writer):
    return client_for(writer).act(article, "submit")


def assert_still_draft(article):
    article = fresh(article)
    assert article.state == "draft"
    assert not Review.objects.filter(article=article).exists()


def test_submit_refuses_a_citation_with_no_reference(make_article, writer):
    article = make_article(writer, body="Bone pain is common [@1]. It can be treated [@3].")
    response = submit_response(article, writer)
    assert response.status_code == 400
    assert "[@3]" in response.json()["body"][0]
    assert_still_draft(article)


@pytest.mark.parametrize(
    "link",
    [
        "[a charity](http://example.org/help)",
        "<http://example.org/help>",
        "[files](ftp://example.org/x)",
        "[no scheme](//example.org/x)",
        "[script](javascript:alert(1))",
        "[backslash](/\\evil.org)",
        "[tab](/\t/evil.org)",
    ],
)
def test_submit_refuses_a_link_that_is_not_https(make_article, writer, link):
    article = make_article(writer, body=f"See {link} for help [@1].")
    response = submit_response(article, writer)
    assert response.status_code == 400
    assert "https" in response.json()["body"][0]
    assert_still_draft(article)


def test_submit_accepts_https_site_paths_and_mail_links(make_article, writer):
    body = (
        "See [the charity](https://example.org/help), [our page](/articles/bone/), "
        "[below](#dose), [write](mailto:help@example.org) or [call](tel:+441234567890) [@1]."
    )
    article = make_article(writer, body=body)
    assert submit_response(article, writer).status_code == 200
    # What the gate lets through, the sanitiser keeps: no link silently loses its address.
    assert 'href="tel:+441234567890"' in render_markdown(body, 1).html


def test_submit_refuses_a_reference_url_that_is_not_https(make_article, writer):
    article = make_article(writer)
    Reference.objects.filter(article=article).update(url="http://example.org/paper")
    response = submit_response(article, writer)
    assert response.status_code == 400
    assert "Reference [1]" in response.json()["references"][0]


def test_submit_refuses_a_treatment_page_with_no_reference(make_article, writer):
    """A page anywhere in the treatments topic tree needs a reference (400 on references)."""
    treatments = Topic.objects.create(name="Treatments", slug="treatments")
    chemo = Topic.objects.create(name="Chemotherapy", slug="chemotherapy", parent=treatments)
    article = make_article(
        writer, body="Chemotherapy uses drugs to kill cancer cells.", references=0
    )
    article.topics.set([chemo])
    response = submit_response(article, writer)
    assert response.status_code == 400
    assert "treatment page needs at least one reference" in response.json()["references"][0]
    assert_still_draft(article)
    other = make_article(
        writer, title="Living well", body="Gentle exercise can help.", references=0
    )
    assert submit_response(other, writer).status_code == 200


def test_admin_submit_refused_with_a_message_and_the_problems_shown(make_article, writer):
    article = make_article(writer, body="Bone pain is common [@2].")
    browser = AdminBrowser(writer)
    page = browser.page("change", article)
    assert "Fix before clinical sign-off" in page
    form = browser.action_form(article, "submit")
    response = browser.act(article, "submit", form)
    assert any("[@2]" in message for message in messages_in(response))
    assert_still_draft(article)


def test_gates_also_stop_a_confirmation(live_article, reviewer2, settings):
    """A live page that now fails a gate (the treatment rule, say) cannot be confirmed."""
    Reference.objects.filter(article=live_article).delete()
    treatments = Topic.objects.create(name="Treatments", slug="treatments")
    live_article.topics.add(treatments)
    # Removing the reference changed the working copy's content, so it is no longer the live
    # version's: the confirmation is refused one way or another, and nothing is recorded.
    response = client_for(reviewer2).act(live_article, "confirm-current")
    assert response.status_code in (400, 409)
    assert not Review.objects.filter(status=Review.Status.CONFIRMED).exists()


# Plain-language warnings need an override reason ----------------------------------------------


@pytest.fixture
def wordy_in_review(make_article, writer):
    article = make_article(writer, body=f"## Bones\n\n{LONG_SENTENCE} [@1]")
    return workflow.submit(article=article, user=writer)


def test_approving_a_wordy_patient_page_needs_an_override_reason(wordy_in_review, reviewer):
    client = client_for(reviewer)
    response = client.act(wordy_in_review, "approve", {"comment": "Accurate."})
    assert response.status_code == 400
    assert "override reason" in response.json()["override_reason"][0]
    assert fresh(wordy_in_review).state == "in_review"

    reason = "The sentence explains one idea; splitting it lost the meaning."
    response = client.act(wordy_in_review, "approve", {"override_reason": reason})
    assert response.status_code == 200
    review = Review.objects.get(article=wordy_in_review)
    assert review.override_reason == reason
    assert any("longer than 30 words" in warning for warning in review.quality_warnings)
    entry = AuditEntry.objects.filter(article=wordy_in_review, action="approve").get()
    assert reason in entry.comment


def test_request_changes_needs_no_override(wordy_in_review, reviewer):
    response = client_for(reviewer).act(
        wordy_in_review, "request-changes", {"comment": "Split the long sentence."}
    )
    assert response.status_code == 200


def test_professional_pages_have_no_plain_language_warnings(make_article, writer, reviewer):
    article = make_article(writer, body=f"{LONG_SENTENCE} [@1]", audience="professional")
    workflow.submit(article=article, user=writer)
    assert client_for(reviewer).act(article, "approve").status_code == 200
    assert Review.objects.get(article=article).override_reason == ""


def test_reading_grade_above_the_setting_needs_an_override(
    make_article, writer, reviewer, settings
):
    """The grade limit comes from settings (DJANGO_READABILITY_MAX_GRADE)."""
    body = "Bone pain is common when cancer spreads to the bones of the spine or hips [@1]."
    article = workflow.submit(article=make_article(writer, body=body), user=writer)
    settings.READABILITY_MAX_GRADE = 1
    response = client_for(reviewer).act(article, "approve")
    assert response.status_code == 400
    settings.READABILITY_MAX_GRADE = 12
    assert client_for(reviewer).act(article, "approve").status_code == 200


def test_review_page_shows_the_warnings_and_the_override_field(wordy_in_review, reviewer):
    browser = AdminBrowser(reviewer)
    page = browser.page("review", wordy_in_review)
    assert "Plain-language warnings" in page
    assert 'name="override_reason"' in page
    form = browser.action_form(wordy_in_review, "approve", page="review")
    response = browser.act(wordy_in_review, "approve", form)
    assert any("override reason" in message for message in messages_in(response))
    assert fresh(wordy_in_review).state == "in_review"
    response = browser.act(wordy_in_review, "approve", form, override_reason="Clear enough.")
    assert "Approve: done." in messages_in(response)
    assert Review.objects.get(article=wordy_in_review).override_reason == "Clear enough."


def test_confirming_a_wordy_live_page_needs_an_override(
    make_article, writer, reviewer, reviewer2, editor
):
    article = make_article(writer, body=f"{LONG_SENTENCE} [@1]")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, override_reason="Reads well aloud.")
    workflow.publish(article=article, user=editor)
    client = client_for(reviewer2)
    assert client.act(article, "confirm-current").status_code == 400
    response = client.act(article, "confirm-current", {"override_reason": "Still reads well."})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["abc", "-1", "nan"])
def test_invalid_readability_grade_setting_stops_the_start(value, tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_READABILITY_MAX_GRADE", value)
    result = manage(tmp_path / "db.sqlite3", "check", check=False)
    assert result.returncode != 0
    assert "DJANGO_READABILITY_MAX_GRADE must be a number" in result.stderr


def test_editorial_policy_describes_the_cycle_as_enforced(client, settings):
    """The policy page states the gates, the override and the confirmation, with the grade
    limit the product applies."""
    settings.READABILITY_MAX_GRADE = 7
    page = client.get("/about/editorial-policy/").text
    assert "US reading grade of 7 or below" in page
    assert "must write down why" in page
    assert "every link must be a secure (https) address" in page
    assert "confirms that the page is still accurate" in page
    assert "never just the date it was published" in page


# Sign-off that no longer holds is not published -------------------------------------------------


def test_gates_are_checked_again_at_approval_and_publication(in_review, reviewer, editor):
    """A version sent before a gate applied to it (its topic moved under treatments, with no
    reference) is neither approved nor published."""
    Reference.objects.filter(article=in_review).delete()
    treatments = Topic.objects.create(name="Treatments", slug="treatments")
    in_review.topics.first().__class__.objects.filter(pk=in_review.topics.first().pk).update(
        parent=treatments
    )
    in_review.body = "Bone pain is common."
    type(in_review).objects.filter(pk=in_review.pk).update(body=in_review.body)
    response = client_for(reviewer).act(in_review, "approve")
    assert response.status_code == 400
    assert "treatment page" in response.json()["references"][0]
    Topic.objects.filter(parent=treatments).update(parent=None)
    workflow.approve(article=in_review, user=reviewer)
    Topic.objects.exclude(pk=treatments.pk).update(parent=treatments)
    response = client_for(editor).act(in_review, "publish")
    assert response.status_code == 400
    assert not PublishedArticle.objects.filter(article=in_review).exists()


def test_an_approval_older_than_the_review_interval_is_not_published(approved, editor):
    """Publishing it would put a page live already past its review date (409)."""
    Review.objects.filter(article=approved).update(
        decided_at=timezone.now() - datetime.timedelta(days=400)
    )
    response = client_for(editor).act(approved, "publish")
    assert response.status_code == 409
    assert "already past its review date" in response.json()["detail"]
    assert not PublishedArticle.objects.filter(article=approved).exists()


def test_revoking_credentials_sends_unpublished_approvals_back_to_review(
    approved, reviewer, reviewer2, editor, mailoutbox, django_capture_on_commit_callbacks
):
    """The approvals of a reviewer no longer verified go back to review for someone else;
    published pages stand."""
    with django_capture_on_commit_callbacks(execute=True):
        profiles.revoke_verification(
            profile=reviewer.reviewer_profile, editor=editor, reason="Struck off the register."
        )
    article = fresh(approved)
    assert article.state == "in_review"
    statuses = list(Review.objects.filter(article=article).values_list("status", flat=True))
    assert sorted(statuses) == ["pending", "withdrawn"]
    entry = AuditEntry.objects.filter(article=article).first()
    assert (entry.action, entry.user) == ("withdrawn", editor)
    assert "Struck off the register." in entry.comment
    assert reviewer2.email in {address for message in mailoutbox for address in message.to}
    assert client_for(reviewer2).act(article, "approve").status_code == 200


def test_publishing_refuses_an_approval_by_a_reviewer_no_longer_verified(approved, editor):
    """Whatever path cleared the verification, the approval cannot be published."""
    reviewer = Review.objects.get(article=approved).reviewer
    type(reviewer.reviewer_profile).objects.filter(user=reviewer).update(
        credentials_verified_at=None
    )
    response = client_for(editor).act(approved, "publish")
    assert response.status_code == 409
    assert "no longer has verified credentials" in response.json()["detail"]


def test_reviewer_of_record_is_the_clinician_of_the_page_readers_see(
    live_article, writer, reviewer, reviewer2, editor
):
    """A version approved by someone else and scheduled to replace the page is not what
    readers see yet: clinical concerns go to the live page's reviewer until it goes live."""
    from reviews.selectors import reviewer_of_record

    edit(live_article, writer)
    article = fresh(live_article)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer2)
    workflow.publish(
        article=article,
        user=editor,
        publish_at=timezone.now() + datetime.timedelta(days=3),
        change_note="Scheduled update.",
    )
    assert reviewer_of_record(article) == reviewer
    PublishedArticle.objects.filter(article=article, version=1).update(live_until=timezone.now())
    PublishedArticle.objects.filter(article=article, version=2).update(go_live_at=timezone.now())
    assert reviewer_of_record(article) == reviewer2


def test_editors_queue_lists_approved_versions_not_yet_published(
    approved, live_article, editor, make_article, writer, reviewer
):
    """The admin's "Approved, ready to publish" lists what awaits publication, not every live
    article (whose state stays approved)."""
    session = AdminBrowser(editor)
    page = session.client.get(
        reverse("admin:articles_article_changelist"), {"queue": "to_publish"}
    ).text
    assert f"/admin/articles/article/{approved.pk}/change/" in page
    assert f"/admin/articles/article/{live_article.pk}/change/" not in page
    assert "?queue=to_publish" in session.client.get("/admin/").text
