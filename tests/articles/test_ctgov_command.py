"""``manage.py sync_trials``: from files, pages and directories, from the registry by NCT
number or ``--all``; one line per study, failures that never stop the others, exit codes."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from articles.models import ClinicalTrial, TrialChange
from reviews import evidence
from tests.articles.ctgov_studies import (
    BARE,
    FIXTURES,
    FULL,
    NEW_CODES,
    study,
    with_status,
    write,
)
from tests.articles.webhook_doubles import Reply
from tests.commands import manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(monkeypatch) -> list:
    calls = []
    monkeypatch.setattr(
        evidence,
        "flag_citing_articles",
        lambda trial, changes: calls.append((trial.nct_id, [c.field for c in changes])) or [],
    )
    return calls


def sync_trials(*args) -> list[str]:
    """The command's output lines; raises CommandError as the command does."""
    out = io.StringIO()
    call_command("sync_trials", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def failing(*args) -> tuple[CommandError, list[str]]:
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("sync_trials", *args, stdout=out, stderr=io.StringIO())
    return info.value, out.getvalue().splitlines()


def test_from_a_directory_creates_then_updates_and_flags(tmp_path, flagged):
    """A directory of v2 files creates its trials; a second run where one status moved updates
    that trial, records the change and flags the articles citing it."""
    for nct_id in (FULL, BARE):
        shutil.copy(FIXTURES / f"{nct_id}.json", tmp_path)
    write(tmp_path / "notes.txt", "not a study")
    assert sync_trials("--from-file", str(tmp_path)) == [
        f"{FULL} created",
        f"{BARE} created",
        "2 studies: 2 created, 0 updated, 0 unchanged, 0 failed.",
    ]
    write(tmp_path / f"{FULL}.json", with_status(FULL, "ACTIVE_NOT_RECRUITING"))
    assert sync_trials("--from-file", str(tmp_path)) == [
        f"{FULL} updated: overall_status RECRUITING → ACTIVE_NOT_RECRUITING",
        f"{BARE} unchanged",
        "2 studies: 0 created, 1 updated, 1 unchanged, 0 failed.",
    ]
    assert ClinicalTrial.objects.get(nct_id=FULL).overall_status == "ACTIVE_NOT_RECRUITING"
    assert list(TrialChange.objects.values_list("field", "old_value", "new_value")) == [
        ("overall_status", "RECRUITING", "ACTIVE_NOT_RECRUITING")
    ]
    assert flagged == [(FULL, ["overall_status"])]


def test_from_a_single_file_with_warnings(flagged):
    """One study file; each warning is printed under its study's line."""
    assert sync_trials("--from-file", str(FIXTURES / f"{NEW_CODES}.json")) == [
        f"{NEW_CODES} created",
        "  warning: unknown overallStatus 'PAUSED_FOR_SAFETY_REVIEW' kept as is",
        "  warning: unknown studyType 'HYBRID' kept as is",
        "  warning: unknown phase 'PHASE5' kept as is",
        "  warning: unknown intervention type 'DIGITAL_THERAPEUTIC' kept as is",
        "  warning: unknown sex 'NONBINARY' kept as is",
        "  warning: unknown location status 'SCREENING' kept as is",
        "1 study: 1 created, 0 updated, 0 unchanged, 0 failed.",
    ]
    assert ClinicalTrial.objects.get(nct_id=NEW_CODES).sync_warnings[0] == (
        "unknown overallStatus 'PAUSED_FOR_SAFETY_REVIEW' kept as is"
    )


def test_from_a_page_of_studies(flagged):
    """A {"studies": [...]} page, as the v2 /studies endpoint answers, syncs each study."""
    assert sync_trials("--from-file", str(FIXTURES / "page.json"))[:2] == [
        f"{FULL} created",
        f"{BARE} created",
    ]
    assert ClinicalTrial.objects.count() == 2


def test_bad_files_and_studies_fail_alone(tmp_path, flagged):
    """A malformed JSON file, a page with a broken study and a file that is not a study each
    give one error line; the good studies are still synced and the exit status is 1."""
    shutil.copy(FIXTURES / "malformed.json", tmp_path / "a-malformed.json")
    write(tmp_path / "b-page.json", {"studies": [study(FULL), {"protocolSection": []}]})
    write(tmp_path / "c-list.json", "[1, 2, 3]")
    shutil.copy(FIXTURES / f"{BARE}.json", tmp_path / "d.json")
    error, lines = failing("--from-file", str(tmp_path))
    assert lines == [
        f"{tmp_path / 'a-malformed.json'} error: not valid JSON: Expecting property name "
        "enclosed in double quotes (line 4, column 1).",
        f"{FULL} created",
        "b-page.json study 2 error: not a ClinicalTrials.gov v2 study: it has no "
        "protocolSection object.",
        "c-list.json error: not a ClinicalTrials.gov v2 study: it has no protocolSection object.",
        f"{BARE} created",
    ]
    assert str(error) == "5 studies: 2 created, 0 updated, 0 unchanged, 3 failed."
    assert error.returncode == 1
    assert set(ClinicalTrial.objects.values_list("nct_id", flat=True)) == {FULL, BARE}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give NCT numbers, or --all, or --from-file PATH (exactly one of them)."),
        (("--all", "NCT05500001"), "exactly one of them"),
        (("--all", "--from-file", "x"), "exactly one of them"),
        (("NCT123", "nct05500001"), "Not an NCT number: NCT123 (NCT followed by 8 digits"),
        (("--from-file", "/nonexistent/studies"), "is neither a file nor a directory"),
    ],
)
def test_bad_arguments_are_refused_clearly(args, message):
    """Nothing to sync, two modes at once, a malformed NCT number or a missing path."""
    error, lines = failing(*args)
    assert message in str(error) and lines == []


def test_an_empty_directory_is_refused(tmp_path):
    """A directory without .json files is a mistake worth saying."""
    error, _ = failing("--from-file", str(tmp_path))
    assert str(error) == f"--from-file: {tmp_path} holds no .json files."


@pytest.fixture
def registry(receiver, settings):
    """ClinicalTrials.gov on loopback, with the client's pauses made instant."""
    settings.CTGOV_BASE_URL = f"http://127.0.0.1:{receiver.port}/api/v2"
    return receiver


@pytest.fixture
def no_waiting(monkeypatch):
    monkeypatch.setattr("articles.ctgov.client.time.sleep", lambda seconds: None)


def reply(data: dict) -> Reply:
    return Reply(200, json.dumps(data).encode(), (("Content-Type", "application/json"),))


def test_by_nct_number_from_the_registry(registry, no_waiting, flagged):
    """Each NCT number is fetched in turn; an unknown one is reported and the next still syncs."""
    registry.script(reply(study(FULL)), Reply(404, b"{}"), reply(study(BARE)))
    error, lines = failing(FULL, "NCT05500009", BARE)
    assert lines == [
        f"{FULL} created",
        "NCT05500009 error: unknown NCT id: ClinicalTrials.gov has no study NCT05500009 "
        "(HTTP 404).",
        f"{BARE} created",
    ]
    assert error.returncode == 1
    assert [r.path for r in registry.requests] == [
        f"/api/v2/studies/{FULL}",
        "/api/v2/studies/NCT05500009",
        f"/api/v2/studies/{BARE}",
    ]


def test_a_record_for_another_study_is_refused(registry, no_waiting, flagged):
    """The registry answering with another study's record stores nothing."""
    registry.script(reply(study(BARE)))
    _, lines = failing(FULL)
    assert lines == [f"{FULL} error: asked for {FULL} but the record is {BARE}; nothing stored."]
    assert not ClinicalTrial.objects.exists()


def test_all_refreshes_every_stored_trial(registry, no_waiting, flagged):
    """--all fetches every stored trial, in NCT order, and reports each."""
    sync_trials("--from-file", str(FIXTURES / "page.json"))
    registry.script(reply(with_status(FULL, "COMPLETED")), reply(study(BARE)))
    assert sync_trials("--all") == [
        f"{FULL} updated: overall_status RECRUITING → COMPLETED",
        f"{BARE} unchanged",
        "2 studies: 0 created, 1 updated, 1 unchanged, 0 failed.",
    ]
    assert [r.path for r in registry.requests] == [
        f"/api/v2/studies/{FULL}",
        f"/api/v2/studies/{BARE}",
    ]
    assert flagged == [(FULL, ["overall_status"])]


def test_all_with_no_trials_does_nothing(registry):
    """With nothing stored, --all asks the registry nothing."""
    assert sync_trials("--all") == ["0 studies: 0 created, 0 updated, 0 unchanged, 0 failed."]
    assert registry.requests == []


def test_exit_status_as_an_operator_sees_it(tmp_path):
    """Run as a process: 0 when every study synced, 1 when one failed (the others kept)."""
    database = tmp_path / "db.sqlite3"
    manage(database, "migrate", "--noinput")
    good = manage(database, "sync_trials", "--from-file", str(FIXTURES / f"{FULL}.json"))
    assert good.stdout.splitlines()[0] == f"{FULL} created"
    bad = manage(database, "sync_trials", "--from-file", str(FIXTURES), check=False)
    assert bad.returncode == 1
    assert f"{FULL} unchanged" in bad.stdout and "malformed.json error" in bad.stdout
    assert "6 studies: 2 created, 0 updated, 3 unchanged, 1 failed." in bad.stderr
