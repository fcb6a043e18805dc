"""Evidence tracking: articles citing a trial that changed are flagged, their reviewer and
authors told, and the flag cleared only by a clinical approval or confirmation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ClinicalTrial, Reference, TrialChange
from reviews import evidence, workflow
from reviews.models import AuditEntry, EvidenceFlag, Review
from tests.admin_client import AdminBrowser, AdminSession, messages_in
from tests.reviews.editorial_client import ARTICLES, client_for, detail_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

NCT = "NCT03734029"  # the ``trial`` fixture
EVIDENCE_PAGE = "/admin/articles/article/evidence/"


def record_change(trial, field="overall_status", old="RECRUITING", new="COMPLETED"):
    """A change as a sync records it."""
    return TrialChange.objects.create(
        trial=trial, field=field, old_value=old, new_value=new, changed_at=timezone.now()
    )


def cite_trial(article, user, trial):
    """``user`` saves a new version naming ``trial`` among the related trials."""
    article.refresh_from_db()
    return workflow.save_working_copy(
        article=article, user=user, save_related=lambda saved: saved.related_trials.add(trial)
    )


def cite_in_references(article, user, nct_id):
    """``user`` saves a new version with a second reference giving ``nct_id``."""
    article.refresh_from_db()

    def add_reference(saved):
        Reference.objects.create(article=saved, position=2, title="The trial", nct_id=nct_id)

    return workflow.save_working_copy(article=article, user=user, save_related=add_reference)


def uncite(article, user):
    """``user`` saves a new version without related trials or trial references."""
    article.refresh_from_db()

    def drop(saved):
        saved.related_trials.clear()
        saved.references.exclude(nct_id="").delete()

    return workflow.save_working_copy(article=article, user=user, save_related=drop)


def publish(article, writer, reviewer, editor):
    """Submit, approve and publish the working copy."""
    article.refresh_from_db()
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(
        article=article, user=editor, change_note="Updated." if article.snapshots.exists() else ""
    )
    article.refresh_from_db()
    return article


@pytest.fixture
def live_citing(make_article, writer, reviewer, editor, trial):
    """A live article by ``writer``, approved by ``reviewer``, naming ``trial``."""
    article = cite_trial(make_article(writer), writer, trial)
    return publish(article, writer, reviewer, editor)


def open_flag_count(article) -> int:
    return EvidenceFlag.objects.filter(article=article, cleared_at__isnull=True).count()


# Who is flagged -------------------------------------------------------------------------------


def test_related_trial_of_the_working_copy_is_flagged(make_article, writer, trial):
    """A draft naming the trial among its related trials gets one flag per change."""
    article = cite_trial(make_article(writer), writer, trial)
    bystander = make_article(writer, title="Liver metastases")
    changes = [record_change(trial), record_change(trial, "has_results", False, True)]
    assert evidence.flag_citing_articles(trial, changes) == [article]
    assert open_flag_count(article) == 2 and open_flag_count(bystander) == 0
    assert [flag.change for flag in evidence.open_flags(article)] == changes


def test_nct_number_in_a_reference_is_flagged(make_article, writer, trial):
    """An article citing the trial only by its NCT number in a reference is flagged."""
    article = cite_in_references(make_article(writer), writer, NCT)
    assert evidence.flag_citing_articles(trial, [record_change(trial)]) == [article]


def test_live_snapshot_that_still_cites_is_flagged(live_citing, writer, trial):
    """Readers still see the trial on the live page: the article is flagged even though its
    working copy no longer names it."""
    uncite(live_citing, writer)
    assert not live_citing.related_trials.exists()
    assert evidence.flag_citing_articles(trial, [record_change(trial)]) == [live_citing]


def test_reference_in_the_live_snapshot_is_flagged(make_article, writer, reviewer, editor, trial):
    """An NCT number in the live snapshot's references flags it; a look-alike does not."""
    article = publish(
        cite_in_references(make_article(writer), writer, NCT), writer, reviewer, editor
    )
    uncite(article, writer)
    other = ClinicalTrial.objects.create(nct_id="NCT03734020", brief_title="Look-alike")
    assert evidence.flag_citing_articles(other, [record_change(other)]) == []
    assert evidence.flag_citing_articles(trial, [record_change(trial)]) == [article]


def test_superseded_snapshot_does_not_count(live_citing, writer, reviewer, editor, trial):
    """Once a version without the trial is live, the old snapshot citing it is history."""
    publish(uncite(live_citing, writer), writer, reviewer, editor)
    assert evidence.flag_citing_articles(trial, [record_change(trial)]) == []


def test_archived_articles_are_not_flagged(make_article, writer, editor, trial):
    """An archived article is out of use: nothing to re-review."""
    article = cite_trial(make_article(writer), writer, trial)
    workflow.archive(article=article, user=editor, reason="Merged into another page.")
    assert evidence.flag_citing_articles(trial, [record_change(trial)]) == []
    assert not EvidenceFlag.objects.exists()


def test_flagging_again_adds_nothing_and_sends_nothing(
    make_article, writer, trial, mailoutbox, django_capture_on_commit_callbacks
):
    """The same changes flag an article once, and e-mail about it once."""
    article = cite_trial(make_article(writer), writer, trial)
    change = record_change(trial)
    with django_capture_on_commit_callbacks(execute=True):
        evidence.flag_citing_articles(trial, [change])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert evidence.flag_citing_articles(trial, [change]) == [article]
    assert EvidenceFlag.objects.count() == 1
    assert (len(callbacks), len(mailoutbox)) == (0, 1)


def test_changes_of_another_trial_are_refused(trial):
    """A change must be of the trial being flagged for."""
    other = ClinicalTrial.objects.create(nct_id="NCT01234567", brief_title="Another")
    with pytest.raises(ValueError, match=NCT):
        evidence.flag_citing_articles(trial, [record_change(other)])


def test_citing_articles_takes_a_fixed_number_of_queries(
    make_article, writer, trial, django_assert_max_num_queries
):
    """Finding and flagging ten citing articles takes as many queries as one."""
    for number in range(10):
        cite_trial(make_article(writer, title=f"Page {number}"), writer, trial)
    change = record_change(trial)
    with django_assert_max_num_queries(5):
        assert len(evidence.flag_citing_articles(trial, [change])) == 10


# Who is told ----------------------------------------------------------------------------------


def test_reviewer_of_record_and_authors_get_one_email_each(
    live_citing,
    make_article,
    writer,
    writer2,
    reviewer,
    trial,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """One e-mail per person, listing their flagged articles and the changes, with links."""
    second = cite_trial(make_article(writer2, title="Trials explained"), writer2, trial)
    second.authors.add(writer)
    changes = [record_change(trial), record_change(trial, "phases", ["PHASE2"], ["PHASE3"])]
    with django_capture_on_commit_callbacks(execute=True):
        evidence.flag_citing_articles(trial, changes)
    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == [
        "reviewer@example.org",
        "writer2@example.org",
        "writer@example.org",
    ]
    to_writer = by_address["writer@example.org"].body
    assert "overall status Recruiting → Completed" in to_writer
    assert "phases Phase 2 → Phase 3" in to_writer
    assert live_citing.title in to_writer and second.title in to_writer
    assert reverse("admin:articles_article_change", args=[live_citing.pk]) in to_writer
    assert reverse("admin:articles_article_review", args=[second.pk]) in to_writer
    to_reviewer = by_address["reviewer@example.org"].body
    assert live_citing.title in to_reviewer and second.title not in to_reviewer
    assert NCT in by_address["reviewer@example.org"].subject


def test_unpublished_article_tells_its_latest_deciding_reviewer(
    make_article, writer, reviewer, trial, mailoutbox, django_capture_on_commit_callbacks
):
    """With nothing live, the reviewer who last decided on the article is told."""
    article = cite_trial(make_article(writer), writer, trial)
    workflow.submit(article=article, user=writer)
    workflow.request_changes(article=article, user=reviewer, comment="Add the trial results.")
    with django_capture_on_commit_callbacks(execute=True):
        evidence.flag_citing_articles(trial, [record_change(trial)])
    assert sorted(message.to[0] for message in mailoutbox) == [
        "reviewer@example.org",
        "writer@example.org",
    ]


def test_nothing_is_sent_if_the_sync_rolls_back(
    make_article, writer, trial, mailoutbox, django_capture_on_commit_callbacks
):
    """E-mail goes only after the sync's transaction commits."""
    cite_trial(make_article(writer), writer, trial)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence.flag_citing_articles(trial, [record_change(trial)])
    assert len(callbacks) == 1 and mailoutbox == []


# What clears the flag -------------------------------------------------------------------------


def test_request_changes_keeps_the_flag(make_article, writer, reviewer, trial):
    """Sending the version back to the writers does not settle the change."""
    article = cite_trial(make_article(writer), writer, trial)
    workflow.submit(article=article, user=writer)
    evidence.flag_citing_articles(trial, [record_change(trial)])
    workflow.request_changes(article=article, user=reviewer, comment="Update the status.")
    assert open_flag_count(article) == 1


def test_approval_of_a_new_version_clears_the_flag_with_a_note(
    live_citing, writer, reviewer, trial
):
    """The approval clears every open flag with itself and names the changes in the audit."""
    evidence.flag_citing_articles(
        trial, [record_change(trial), record_change(trial, "has_results", False, True)]
    )
    article = cite_in_references(live_citing, writer, NCT)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Status updated.")
    approval = Review.objects.get(article=article, version=article.version)
    assert open_flag_count(article) == 0
    flags = EvidenceFlag.objects.filter(article=article)
    assert {(flag.cleared_by_review, flag.cleared_at) for flag in flags} == {
        (approval, approval.decided_at)
    }
    entry = AuditEntry.objects.filter(article=article, action="approve").first()
    assert entry.comment == (
        "Status updated.\nTrial changes considered: NCT03734029 overall status Recruiting → "
        "Completed; NCT03734029 results posted no → yes."
    )


def test_approval_without_flags_writes_no_note(in_review, reviewer):
    """An approval with nothing to consider keeps its audit comment as it was."""
    workflow.approve(article=in_review, user=reviewer, comment="Accurate.")
    assert AuditEntry.objects.filter(article=in_review).first().comment == "Accurate."


def test_confirm_current_clears_the_flag(live_citing, reviewer2, trial):
    """A reviewer confirming the live page still accurate settles the change."""
    evidence.flag_citing_articles(trial, [record_change(trial, "completion_date", "", "2027-06")])
    response = client_for(reviewer2).act(live_citing, "confirm-current", {"comment": "Checked."})
    assert response.status_code == 200
    assert response.json()["evidence_changed"] is False
    confirmation = Review.objects.get(status=Review.Status.CONFIRMED)
    assert EvidenceFlag.objects.get().cleared_by_review == confirmation
    entry = AuditEntry.objects.filter(action="confirm_current").get()
    assert entry.comment == (
        "Checked.\nTrial changes considered: NCT03734029 completion date not set → 2027-06."
    )


def test_a_later_change_flags_again_after_clearing(live_citing, reviewer2, trial):
    """Clearing settles the changes considered, not the ones recorded afterwards."""
    evidence.flag_citing_articles(trial, [record_change(trial)])
    workflow.confirm_current(article=live_citing, user=reviewer2)
    evidence.flag_citing_articles(trial, [record_change(trial, "has_results", False, True)])
    assert [flag.change.field for flag in evidence.open_flags(live_citing)] == ["has_results"]


# The admin ------------------------------------------------------------------------------------


def test_changelist_filter_and_indicator(live_citing, make_article, writer, editor, trial):
    """The article list filters on "evidence changed" and marks the flagged articles."""
    quiet = make_article(writer, title="Liver metastases")
    evidence.flag_citing_articles(trial, [record_change(trial)])
    session = AdminSession(editor)
    url = reverse("admin:articles_article_changelist")
    flagged = session.get(url, {"evidence_changed": "yes"}).text
    assert live_citing.title in flagged and quiet.title not in flagged
    assert f'{EVIDENCE_PAGE}#article-{live_citing.pk}" class="evidence-changed"' in flagged
    others = session.get(url, {"evidence_changed": "no"}).text
    assert quiet.title in others and live_citing.title not in others


@pytest.mark.parametrize("role", ["editor", "reviewer", "author"])
def test_evidence_page_lists_the_changes(live_citing, people, trial, role):
    """Editors and clinical reviewers (and writers, whom the admin lets see articles) get the
    queue: each flagged article with its trial changes and links to act on it."""
    evidence.flag_citing_articles(
        trial, [record_change(trial), record_change(trial, "eligibility_criteria", "Old", "New")]
    )
    response = AdminSession(people[role]).get(EVIDENCE_PAGE)
    assert response.status_code == 200
    page = response.text
    assert live_citing.title in page
    assert "overall status Recruiting → Completed" in page
    assert "eligibility criteria changed" in page
    assert reverse("admin:articles_article_review", args=[live_citing.pk]) in page
    assert f"https://clinicaltrials.gov/study/{NCT}" in page


def test_evidence_page_refuses_staff_without_article_access(people):
    """A staff account with no editorial role may not read the queue."""
    assert AdminSession(people["no_group"]).get(EVIDENCE_PAGE).status_code == 403


def test_evidence_page_is_read_only(editor):
    """The queue only lists: a POST changes nothing and is refused."""
    assert AdminSession(editor).post(EVIDENCE_PAGE, {}).status_code == 405


def test_evidence_page_says_when_nothing_is_flagged(editor, live_citing):
    """An empty queue says so."""
    page = AdminSession(editor).get(EVIDENCE_PAGE).text
    assert "No article is flagged" in page and live_citing.title not in page


def test_evidence_page_query_count_does_not_grow(
    make_article, writer, editor, trial, django_assert_max_num_queries
):
    """Three or twelve flagged articles take the same number of queries."""
    session = AdminSession(editor)
    for number in range(3):
        cite_trial(make_article(writer, title=f"Page {number}"), writer, trial)
    evidence.flag_citing_articles(trial, [record_change(trial)])
    with django_assert_max_num_queries(12) as few:
        session.get(EVIDENCE_PAGE)
    for number in range(3, 12):
        cite_trial(make_article(writer, title=f"Page {number}"), writer, trial)
    evidence.flag_citing_articles(trial, [record_change(trial, "has_results", False, True)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert session.get(EVIDENCE_PAGE).text.count("evidence-article") == 12


@pytest.mark.parametrize("page", ["change", "review"])
def test_reviewer_sees_the_changes_before_deciding(live_citing, reviewer2, trial, page):
    """The change page's workflow panel, also on the review page, lists the open changes."""
    evidence.flag_citing_articles(trial, [record_change(trial)])
    url = reverse(f"admin:articles_article_{page}", args=[live_citing.pk])
    text = AdminSession(reviewer2).get(url).text
    assert 'id="evidence-changed-heading"' in text
    assert "overall status Recruiting → Completed" in text


@pytest.mark.parametrize("action", ["approve", "confirm_current"])
def test_a_change_recorded_after_the_page_was_opened_is_not_cleared_unseen(
    live_citing, writer, reviewer2, trial, action
):
    """The reviewer's form says which changes it showed; one recorded since refuses the
    decision with a message, so that nothing is marked considered that was never shown."""
    evidence.flag_citing_articles(trial, [record_change(trial)])
    if action == "approve":
        article = cite_in_references(live_citing, writer, NCT)
        workflow.submit(article=article, user=writer)
    browser = AdminBrowser(reviewer2)
    form = browser.action_form(live_citing, action)
    assert form["evidence"] == str(EvidenceFlag.objects.get().pk)
    evidence.flag_citing_articles(trial, [record_change(trial, "has_results", False, True)])
    decided = Review.objects.filter(decided_at__isnull=False).count()
    response = browser.act(live_citing, action, form, comment="Checked.")
    assert messages_in(response) == [
        "Nothing was done: new trial changes were recorded for this article since you opened "
        "it. Look at them and act again."
    ]
    assert open_flag_count(live_citing) == 2
    assert Review.objects.filter(decided_at__isnull=False).count() == decided
    again = browser.act(live_citing, action, browser.action_form(live_citing, action))
    assert open_flag_count(live_citing) == 0, messages_in(again)


# The editorial API ----------------------------------------------------------------------------


def test_api_detail_lists_the_open_changes(live_citing, writer, trial):
    """``evidence_changed`` and ``evidence_changes`` show what a reviewer must consider."""
    client = client_for(writer)
    assert client.get(detail_url(live_citing)).json()["evidence_changes"] == []
    change = record_change(trial, "phases", ["PHASE2"], ["PHASE2", "PHASE3"])
    evidence.flag_citing_articles(trial, [change])
    data = client.get(detail_url(live_citing)).json()
    assert data["evidence_changed"] is True
    assert data["evidence_changes"] == [
        {
            "nct_id": NCT,
            "field": "phases",
            "old_value": ["PHASE2"],
            "new_value": ["PHASE2", "PHASE3"],
            "changed_at": change.changed_at.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_api_list_shows_and_filters_the_flag(live_citing, make_article, writer, trial):
    """The list carries ``evidence_changed`` and filters on it; a bad value is a 400."""
    quiet = make_article(writer, title="Liver metastases")
    evidence.flag_citing_articles(trial, [record_change(trial)])
    client = client_for(writer)

    def listed(query: str = "") -> dict[int, bool]:
        results = client.get(f"{ARTICLES}{query}").json()["results"]
        return {item["id"]: item["evidence_changed"] for item in results}

    assert listed() == {live_citing.pk: True, quiet.pk: False}
    assert listed("?evidence_changed=true") == {live_citing.pk: True}
    assert listed("?evidence_changed=false") == {quiet.pk: False}
    response = client.get(ARTICLES, {"evidence_changed": "maybe"})
    assert response.status_code == 400
    assert "maybe" in str(response.json()["evidence_changed"])


def test_api_flag_is_read_only(live_citing, writer):
    """A client cannot clear the flag by writing it."""
    response = client_for(writer).patch(
        detail_url(live_citing), {"evidence_changed": False}, format="json"
    )
    assert response.status_code == 400
    assert "read-only" in str(response.json()["evidence_changed"])


def test_api_list_query_count_holds_with_flags(
    live_citing, make_article, writer, trial, django_assert_max_num_queries
):
    """Flagged articles add no query to the list (the same budget as without flags)."""
    for number in range(12):
        cite_trial(make_article(writer, title=f"Page {number}"), writer, trial)
    evidence.flag_citing_articles(trial, [record_change(trial)])
    client = client_for(writer)
    with django_assert_max_num_queries(7):
        response = client.get(ARTICLES)
    assert all(item["evidence_changed"] for item in response.json()["results"])


def test_schema_documents_the_flag(client):
    """The OpenAPI schema documents the fields and the list filter."""
    schema = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    schema = schema.json()
    article = schema["components"]["schemas"]["Article"]["properties"]
    assert article["evidence_changed"]["type"] == "boolean"
    assert article["evidence_changes"]["readOnly"] is True
    change = schema["components"]["schemas"]["EvidenceChange"]["properties"]
    assert set(change) == {"nct_id", "field", "old_value", "new_value", "changed_at"}
    summary = schema["components"]["schemas"]["ArticleSummary"]["properties"]
    assert summary["evidence_changed"]["type"] == "boolean"
    parameters = schema["paths"][ARTICLES]["get"]["parameters"]
    (flag,) = [p for p in parameters if p["name"] == "evidence_changed"]
    assert flag["schema"]["enum"] == ["false", "true"]


# Deleting a trial -----------------------------------------------------------------------------


def delete_trial(user, trial):
    session = AdminSession(user)
    url = reverse("admin:articles_clinicaltrial_delete", args=[trial.pk])
    return session.get(url), session.post(url, {"post": "yes"})


def test_a_trial_with_recorded_changes_cannot_be_deleted(editor, trial):
    """The changes are the evidence behind flags and reviewers' notes: the trial stays."""
    record_change(trial)
    page, posted = delete_trial(editor, trial)
    assert "would require deleting the following protected related objects" in page.text
    assert "Trial change: NCT03734029 overall_status" in page.text
    assert posted.status_code == 200  # the same refusal, nothing deleted
    assert ClinicalTrial.objects.filter(pk=trial.pk).exists()
    assert TrialChange.objects.filter(trial=trial).count() == 1


def test_a_trial_cited_by_an_article_cannot_be_deleted(live_citing, make_article, editor, trial):
    """Deleting it would silently drop it from the live page and the working copy."""
    page, posted = delete_trial(editor, trial)
    assert f"Article citing it: {live_citing.title}" in page.text
    assert posted.status_code == 200
    assert ClinicalTrial.objects.filter(pk=trial.pk).exists()
    assert live_citing.related_trials.filter(pk=trial.pk).exists()


def test_an_uncited_trial_without_changes_can_be_deleted(editor, trial):
    _, posted = delete_trial(editor, trial)
    assert posted.status_code == 302
    assert not ClinicalTrial.objects.filter(pk=trial.pk).exists()
