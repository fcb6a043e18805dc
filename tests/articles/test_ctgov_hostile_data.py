"""Hostile or odd registry data never aborts a sync run: each bad study is one failed line
(or a value left out with a warning) and the others are still synced."""

import json

import pytest
from django.core.exceptions import ValidationError

from articles.ctgov import sync as sync_module
from articles.ctgov.client import retry_after_seconds
from articles.ctgov.errors import MalformedStudy
from articles.ctgov.mapping import map_study
from articles.ctgov.sources import MAX_FILE_BYTES, studies_from_file
from articles.ctgov.sync import StudyInput, sync_many, sync_study
from articles.models import ClinicalTrial, TrialChange
from articles.validators import validate_nct_id
from tests.articles.ctgov_studies import BARE, FULL, study, write
from tests.articles.test_ctgov_command import failing, sync_trials

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["NCT٠١٢٣٤٥٦٧", "NCT０１２３４５６７", "NCT01234567\n"])
def test_nct_numbers_are_ascii_digits_only(value):
    """Digits of other scripts match ``\\d`` in Python; an NCT number is ASCII only."""
    with pytest.raises(ValidationError):
        validate_nct_id(value)


def test_a_non_ascii_nct_number_is_refused_as_an_argument():
    error, lines = failing("NCT٠١٢٣٤٥٦٧")
    assert "Not an NCT number" in str(error) and lines == []


@pytest.mark.parametrize("header", ["²", "١٢", "1e3", "12.5", "-5"])
def test_a_retry_after_that_is_not_ascii_seconds_or_a_date_is_ignored(header):
    assert retry_after_seconds(header) is None


def test_json_nested_too_deep_is_one_failed_study(tmp_path):
    """A file nesting arrays deeper than the parser can follow is a clear error, not a crash."""
    write(tmp_path / "a-deep.json", "[" * 200_000 + "]" * 200_000)
    write(tmp_path / "b.json", study(BARE))
    error, lines = failing("--from-file", str(tmp_path))
    assert lines[0] == f"{tmp_path / 'a-deep.json'} error: not valid JSON: nested too deeply."
    assert lines[1] == f"{BARE} created"
    assert error.returncode == 1


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    [failed] = studies_from_file(path)
    assert isinstance(failed.error, MalformedStudy)
    assert failed.error.message == "the file is larger than 20 MB; nothing read."


def test_an_empty_path_is_refused_rather_than_reading_the_current_directory():
    error, lines = failing("--from-file", "")
    assert "--from-file needs a path" in str(error) and lines == []


def test_lone_surrogates_and_control_characters_are_dropped_from_texts():
    """JSON can encode a lone surrogate (``\\ud800``), which no database stores as text."""
    data = study(FULL)
    identification = data["protocolSection"]["identificationModule"]
    identification["briefTitle"] = "Trial\ud800 of\x01 drug X\tin MBC"
    data["protocolSection"]["conditionsModule"]["keywords"] = ["HER2\udfff-low", "\x07"]
    result = sync_study(json.loads(json.dumps(data)))
    assert result.outcome == "created", result.error
    trial = ClinicalTrial.objects.get(nct_id=FULL)
    assert trial.brief_title == "Trial of drug X\tin MBC"
    assert trial.keywords == ["HER2-low"]


def test_an_enrollment_beyond_what_the_database_holds_is_left_out():
    data = study(FULL)
    data["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 10**12
    mapped = map_study(data)
    assert mapped.values["enrollment"] is None
    assert "enrollmentInfo.count 1000000000000 is not a whole number we can store; left out" in (
        mapped.warnings
    )
    assert sync_study(data).outcome == "created"


def test_an_unexpected_error_in_one_study_fails_that_study_only(monkeypatch):
    """Whatever goes wrong with one study (a bug included) is reported with it; the run goes
    on with the next one."""
    real_store = sync_module._store

    def store(nct_id, values, warnings):
        if nct_id == FULL:
            raise RuntimeError("boom")
        return real_store(nct_id, values, warnings)

    monkeypatch.setattr(sync_module, "_store", store)
    results = list(
        sync_many([StudyInput(source="a", data=study(FULL)), StudyInput("b", study(BARE))])
    )
    assert [(result.nct_id, result.outcome) for result in results] == [
        (FULL, "failed"),
        (BARE, "created"),
    ]
    assert results[0].error == "unexpected error (RuntimeError: boom); nothing stored."
    assert not ClinicalTrial.objects.filter(nct_id=FULL).exists()


# Missing is not a change -------------------------------------------------------------------


def test_a_record_without_has_results_keeps_the_stored_value():
    """A record that says nothing about results is not a record saying there are none."""
    data = study(FULL)
    data["hasResults"] = True
    sync_study(data)
    del data["hasResults"]
    result = sync_study(data)
    assert ClinicalTrial.objects.get(nct_id=FULL).has_results is True
    assert result.outcome == "unchanged"
    assert not TrialChange.objects.exists()


def test_a_record_without_a_status_keeps_the_stored_status():
    sync_study(study(FULL))
    data = study(FULL)
    del data["protocolSection"]["statusModule"]
    result = sync_study(data)
    assert ClinicalTrial.objects.get(nct_id=FULL).overall_status == "RECRUITING"
    assert not TrialChange.objects.filter(field="overall_status").exists()
    assert result.outcome == "updated"  # the dates of the status module are gone


def test_a_new_trial_without_a_status_is_unknown():
    data = study(BARE)
    assert sync_study(data).outcome == "created"
    assert ClinicalTrial.objects.get(nct_id=BARE).overall_status == "UNKNOWN"


def test_tracked_eligibility_and_dates(monkeypatch):
    """Sex, ages, healthy volunteers and the primary completion date are tracked too."""
    flagged = []
    monkeypatch.setattr(
        sync_module.evidence,
        "flag_citing_articles",
        lambda trial, changes: flagged.extend(change.field for change in changes) or [],
    )
    sync_study(study(FULL))
    data = study(FULL)
    eligibility = data["protocolSection"]["eligibilityModule"]
    eligibility.update(sex="FEMALE", minimumAge="21 Years", maximumAge="65 Years")
    eligibility["healthyVolunteers"] = True
    data["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["date"] = "2030-01"
    sync_study(data)
    assert flagged == [
        "primary_completion_date",
        "sex",
        "minimum_age",
        "maximum_age",
        "healthy_volunteers",
    ]


def test_sync_trials_still_prints_one_line_per_study(tmp_path):
    write(tmp_path / "a.json", study(BARE))
    assert sync_trials("--from-file", str(tmp_path))[0] == f"{BARE} created"
