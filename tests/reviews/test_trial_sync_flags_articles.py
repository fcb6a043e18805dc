"""End to end, as the issue's "done when" reads: ``sync_trials --from-file`` on a directory of
v2 study files creates and updates trials; a second run with a changed status flags the
articles citing the trial, e-mails their reviewer, shows the flag in the editorial API, and a
clinical confirmation clears it with a note in the audit trail."""

import io

import pytest
from django.core.management import call_command

from articles.models import ClinicalTrial, TrialChange
from reviews import workflow
from reviews.models import AuditEntry, EvidenceFlag
from tests.articles.ctgov_studies import FULL, study, with_status, write
from tests.reviews.editorial_client import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def sync(directory) -> str:
    out = io.StringIO()
    call_command("sync_trials", "--from-file", str(directory), stdout=out, stderr=out)
    return out.getvalue()


def test_a_status_change_flags_citing_articles_until_a_clinician_confirms(
    tmp_path,
    make_article,
    writer,
    reviewer,
    reviewer2,
    editor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    write(tmp_path / f"{FULL}.json", study(FULL))
    output = sync(tmp_path)
    assert f"{FULL} created" in output
    trial = ClinicalTrial.objects.get(nct_id=FULL)

    article = make_article(writer, title="A trial explained")
    article.related_trials.add(trial)
    article = workflow.save_working_copy(article=article, user=writer, comment="Cite the trial.")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor)
    mailoutbox.clear()

    old_status = trial.overall_status
    write(tmp_path / f"{FULL}.json", with_status(FULL, "COMPLETED"))
    with django_capture_on_commit_callbacks(execute=True):
        output = sync(tmp_path)
    assert f"{FULL} updated" in output
    change = TrialChange.objects.get(trial=trial, field="overall_status")
    assert (change.old_value, change.new_value) == (old_status, "COMPLETED")
    flag = EvidenceFlag.objects.get(article=article, change=change)
    assert flag.cleared_at is None
    recipients = {address for message in mailoutbox for address in message.to}
    assert {reviewer.email, writer.email} <= recipients

    detail = client_for(editor).get(f"/api/v1/editorial/articles/{article.pk}/").json()
    assert detail["evidence_changed"] is True
    assert detail["evidence_changes"][0]["new_value"] == "COMPLETED"

    # A third run with nothing new flags nothing more.
    assert f"{FULL} unchanged" in sync(tmp_path)
    assert EvidenceFlag.objects.filter(article=article).count() == 1

    response = client_for(reviewer2).act(article, "confirm-current", {"comment": "Checked."})
    assert response.status_code == 200
    assert response.json()["evidence_changed"] is False
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.cleared_by_review.reviewer == reviewer2
    entry = AuditEntry.objects.filter(article=article, action="confirm_current").get()
    assert "Trial changes considered" in entry.comment and FULL in entry.comment
