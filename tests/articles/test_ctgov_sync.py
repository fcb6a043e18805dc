"""Storing a ClinicalTrials.gov study: one transaction and one version per study, the changes
that matter to citing articles recorded and handed to evidence tracking."""

import json

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.ctgov.sync import SYNC_COMMENT, sync_study
from articles.models import ClinicalTrial, TrialChange
from articles.services import save_trial
from reviews import evidence
from tests.admin_client import AdminSession
from tests.articles.ctgov_studies import FULL, NEW_CODES, study, with_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(monkeypatch) -> list:
    """Every call the sync makes to evidence tracking, as (trial NCT, [(field, old, new)])."""
    calls = []

    def flag(trial, changes):
        calls.append((trial.nct_id, [(c.field, c.old_value, c.new_value) for c in changes]))
        assert all(change.pk for change in changes)
        return []

    monkeypatch.setattr(evidence, "flag_citing_articles", flag)
    return calls


def versions(nct_id: str) -> list[Version]:
    trial = ClinicalTrial.objects.get(nct_id=nct_id)
    return list(Version.objects.get_for_object(trial).select_related("revision").order_by("pk"))


def test_a_new_study_is_created_as_a_version_by_the_sync(flagged):
    """A study not stored yet becomes a trial, versioned "Synced from ClinicalTrials.gov" with
    no user; nothing is recorded as a change and nobody is flagged."""
    result = sync_study(study(FULL), expected_nct_id=FULL)
    assert (result.outcome, result.describe(), result.changes) == ("created", f"{FULL} created", [])
    trial = ClinicalTrial.objects.get(nct_id=FULL)
    assert trial.phases == ["PHASE2", "PHASE3"] and trial.sponsor_class == "NETWORK"
    assert trial.synced_at is not None and trial.sync_warnings == []
    [version] = versions(FULL)
    assert version.revision.comment == SYNC_COMMENT == "Synced from ClinicalTrials.gov"
    assert version.revision.user is None
    assert json.loads(version.serialized_data)[0]["fields"]["overall_status"] == "RECRUITING"
    assert not TrialChange.objects.exists() and flagged == []


def test_a_changed_status_is_recorded_and_flags_the_citing_articles(flagged):
    """A second sync that moves the status records one trial change, saves a new version and
    hands the change to evidence tracking; other moved fields are named but not tracked."""
    sync_study(study(FULL))
    data = with_status(FULL, "COMPLETED")
    data["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = "Renamed Group"
    result = sync_study(data)
    assert result.outcome == "updated"
    assert (
        result.describe() == f"{FULL} updated: overall_status RECRUITING → COMPLETED; also sponsor"
    )
    [change] = TrialChange.objects.all()
    assert (change.field, change.old_value, change.new_value) == (
        "overall_status",
        "RECRUITING",
        "COMPLETED",
    )
    assert change.changed_at == ClinicalTrial.objects.get(nct_id=FULL).synced_at
    assert flagged == [(FULL, [("overall_status", "RECRUITING", "COMPLETED")])]
    assert [v.revision.comment for v in versions(FULL)] == [SYNC_COMMENT, SYNC_COMMENT]


def test_every_tracked_field_is_recorded(flagged):
    """Phases, eligibility, completion date and results availability are tracked too, in the
    order of TrialChange.TRACKED_FIELDS."""
    sync_study(study(FULL))
    data = study(FULL)
    section = data["protocolSection"]
    section["designModule"]["phases"] = ["PHASE3"]
    section["eligibilityModule"]["eligibilityCriteria"] = "Inclusion Criteria:\n\n* Adults"
    section["statusModule"]["completionDateStruct"]["date"] = "2029-03"
    data["hasResults"] = True
    sync_study(data)
    [(_, changes)] = flagged
    assert [field for field, *_ in changes] == [
        "phases",
        "eligibility_criteria",
        "completion_date",
        "has_results",
    ]
    assert changes[0][1:] == (["PHASE2", "PHASE3"], ["PHASE3"])
    assert changes[3][1:] == (False, True)


def test_an_unchanged_study_writes_no_version(flagged):
    """A record that maps to what is stored adds no version and no change: only the time of
    the sync moves."""
    first = sync_study(study(FULL)).trial.synced_at
    result = sync_study(study(FULL))
    assert (result.outcome, result.describe()) == ("unchanged", f"{FULL} unchanged")
    assert len(versions(FULL)) == 1
    assert ClinicalTrial.objects.get(nct_id=FULL).synced_at > first
    assert not TrialChange.objects.exists() and flagged == []


def test_the_first_sync_of_a_hand_typed_trial_records_only_real_moves(editor, flagged):
    """Filling in what a hand-typed trial never had (eligibility, dates, results) is not a
    change of evidence; a status that differs from the typed one is."""
    save_trial(
        trial=ClinicalTrial(nct_id=FULL, brief_title="Typed", overall_status="NOT_YET_RECRUITING"),
        user=editor,
    )
    data = study(FULL)
    data["hasResults"] = True
    sync_study(data)
    assert flagged == [(FULL, [("overall_status", "NOT_YET_RECRUITING", "RECRUITING")])]


def test_the_editors_plain_language_eligibility_is_kept(editor, flagged):
    """A sync never overwrites the plain-language eligibility summary an editor wrote."""
    save_trial(
        trial=ClinicalTrial(nct_id=FULL, brief_title="Typed", eligibility_summary="Adults with…"),
        user=editor,
    )
    sync_study(study(FULL))
    assert ClinicalTrial.objects.get(nct_id=FULL).eligibility_summary == "Adults with…"


def test_a_failure_while_flagging_rolls_the_whole_study_back(monkeypatch):
    """Evidence tracking runs in the study's transaction: if it fails, the trial, its new
    version and the recorded changes are all rolled back."""
    sync_study(study(FULL))

    def broken(trial, changes):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(evidence, "flag_citing_articles", broken)
    with pytest.raises(RuntimeError):
        sync_study(with_status(FULL, "COMPLETED"))
    assert ClinicalTrial.objects.get(nct_id=FULL).overall_status == "RECRUITING"
    assert len(versions(FULL)) == 1 and not TrialChange.objects.exists()


def test_a_bad_study_is_a_failed_result_that_stores_nothing():
    """A record for another study than asked is reported, never raised, and stores nothing."""
    result = sync_study(study(FULL), expected_nct_id="NCT05500009")
    assert result.failed
    assert result.describe() == (
        "NCT05500009 error: asked for NCT05500009 but the record is NCT05500001; nothing stored."
    )
    assert not ClinicalTrial.objects.exists()


def test_readers_see_a_synced_change_at_once(client):
    """The trial page is cached; a sync that changes the trial starts a new generation, so the
    next reader sees the new title."""
    sync_study(study(FULL))
    url = f"/trials/{FULL}/"
    assert "Versus Chemotherapy" in client.get(url).text
    data = study(FULL)
    data["protocolSection"]["identificationModule"]["briefTitle"] = "Retitled by the registry"
    sync_study(data)
    assert "Retitled by the registry" in client.get(url).text


def test_the_admin_keeps_a_status_it_does_not_know(editor):
    """A trial the sync stored with a status we do not know yet shows it in the admin (the
    registry's fields are read-only once synced), and saving our own texts keeps it; a crafted
    status in the POST is ignored."""
    sync_study(study(NEW_CODES))
    trial = ClinicalTrial.objects.get(nct_id=NEW_CODES)
    session = AdminSession(editor)
    url = reverse("admin:articles_clinicaltrial_change", args=[trial.pk])
    page = session.get(url).text
    assert "Paused for safety review" in page or "PAUSED_FOR_SAFETY_REVIEW" in page
    form = {
        "summary": trial.summary,
        "eligibility_summary": "Adults using a smartphone.",
        "last_verified": "",
        "overall_status": "SOMETHING_ELSE",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    response = session.post(url, form)
    assert response.status_code == 302, response.text
    trial.refresh_from_db()
    assert trial.overall_status == "PAUSED_FOR_SAFETY_REVIEW"
    assert trial.phases == ["PHASE2", "PHASE5"]
    assert trial.eligibility_summary == "Adults using a smartphone."
