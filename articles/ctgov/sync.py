"""Writes a ClinicalTrials.gov study into a ``ClinicalTrial``: one transaction per study.

``sync_study`` creates the trial or updates it under a row lock, as a django-reversion
version with the comment "Synced from ClinicalTrials.gov" and no user, sets ``synced_at`` and
``sync_warnings``, records a ``TrialChange`` for each field in
``TrialChange.TRACKED_FIELDS`` whose value moved, and hands those changes to
``reviews.evidence.flag_citing_articles`` in the same transaction, so that a trial never
changes without its citing articles being flagged. The save starts a new generation of the
public cache (``articles.signals``). A record that maps to what is stored writes no version:
only ``synced_at`` and ``sync_warnings`` move.

``sync_many`` syncs a stream of ``StudyInput`` (from ``sources``) and yields one
``SyncResult`` per study; one bad study never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import evidence

from ..models import ClinicalTrial, TrialChange
from ..services import save_trial
from .errors import InvalidStudy, SyncError
from .mapping import map_study, study_nct_id

logger = logging.getLogger(__name__)

SYNC_COMMENT = "Synced from ClinicalTrials.gov"

Outcome = Literal["created", "updated", "unchanged", "failed"]


@dataclass
class StudyInput:
    """One study to sync: its record, or the error met while getting it. ``source`` names
    where it came from (an NCT number, a file); ``expected_nct_id`` is the one asked for."""

    source: str
    data: Any = None
    error: SyncError | None = None
    expected_nct_id: str | None = None


@dataclass
class SyncResult:
    """What a sync did to one study."""

    nct_id: str
    outcome: Outcome
    changes: list[TrialChange] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    trial: ClinicalTrial | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    def describe(self) -> str:
        """One line: ``NCT… created``, ``NCT… updated: overall_status RECRUITING → COMPLETED``,
        ``NCT… unchanged`` or ``NCT… error: …``."""
        if self.failed:
            return f"{self.nct_id} error: {self.error}"
        if self.outcome != "updated":
            return f"{self.nct_id} {self.outcome}"
        tracked = {change.field for change in self.changes}
        parts = [
            f"{change.field} {_shown(change.old_value)} → {_shown(change.new_value)}"
            for change in self.changes
        ]
        others = [name for name in self.changed_fields if name not in tracked]
        if others:
            parts.append(("also " if parts else "") + ", ".join(others))
        return f"{self.nct_id} updated: " + "; ".join(parts)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        return text.replace("\n", " ") or "(blank)"
    return str(value)


def _is_blank(value: Any) -> bool:
    return value is None or value is False or value in ("", [])


def sync_study(data: Any, *, expected_nct_id: str | None = None, source: str = "") -> SyncResult:
    """Create or update the trial a v2 study record describes; a bad study is a failed
    result (named by its NCT number, else by ``source``), never an exception."""
    try:
        mapped = map_study(data, expected_nct_id=expected_nct_id)
    except SyncError as error:
        return SyncResult(
            nct_id=error.study or study_nct_id(data) or source or "study",
            outcome="failed",
            error=error.message,
        )
    try:
        with transaction.atomic():
            return _store(mapped.nct_id, mapped.values, mapped.warnings)
    except InvalidStudy as error:
        return SyncResult(
            nct_id=mapped.nct_id, outcome="failed", error=error.message, warnings=mapped.warnings
        )
    except IntegrityError:
        return SyncResult(
            nct_id=mapped.nct_id,
            outcome="failed",
            error="another process stored this trial at the same moment; run the sync again.",
            warnings=mapped.warnings,
        )


def _store(nct_id: str, values: dict[str, Any], warnings: list[str]) -> SyncResult:
    now = timezone.now()
    trial = ClinicalTrial.objects.select_for_update().filter(nct_id=nct_id).first()
    created = trial is None
    if created:
        trial = ClinicalTrial(nct_id=nct_id)
    changed_fields = [name for name, value in values.items() if getattr(trial, name) != value]
    if not created and not changed_fields:
        # Nothing a reader or an editor sees moved: no new version, just the bookkeeping.
        ClinicalTrial.objects.filter(pk=trial.pk).update(synced_at=now, sync_warnings=warnings)
        trial.synced_at, trial.sync_warnings = now, warnings
        return SyncResult(nct_id=nct_id, outcome="unchanged", warnings=warnings, trial=trial)

    changes = [] if created else _tracked_changes(trial, values, now)
    for name, value in values.items():
        setattr(trial, name, value)
    trial.synced_at = now
    trial.sync_warnings = warnings
    try:
        save_trial(trial=trial, user=None, comment=SYNC_COMMENT)
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise InvalidStudy(
            f"the record does not pass validation ({problems}).", study=nct_id
        ) from error
    if changes:
        changes = TrialChange.objects.bulk_create(changes)
        evidence.flag_citing_articles(trial, changes)
    return SyncResult(
        nct_id=nct_id,
        outcome="created" if created else "updated",
        changes=changes,
        changed_fields=changed_fields,
        warnings=warnings,
        trial=trial,
    )


def _tracked_changes(
    trial: ClinicalTrial, values: dict[str, Any], now: datetime
) -> list[TrialChange]:
    """The moves of the fields that matter to citing articles. The first sync of a trial
    typed in by hand fills in values it never had: that completes the record, it is not
    evidence that moved, so a change from a blank value counts only after a first sync."""
    synced_before = trial.synced_at is not None
    return [
        TrialChange(
            trial=trial,
            field=name,
            old_value=getattr(trial, name),
            new_value=values[name],
            changed_at=now,
        )
        for name in TrialChange.TRACKED_FIELDS
        if name in values
        and getattr(trial, name) != values[name]
        and (synced_before or not _is_blank(getattr(trial, name)))
    ]


def sync_many(studies: Iterable[StudyInput]) -> Iterator[SyncResult]:
    """Sync each study in turn, yielding its result; errors stay with their study."""
    for study in studies:
        if study.error is not None:
            yield SyncResult(
                nct_id=study.error.study or study.source,
                outcome="failed",
                error=study.error.message,
            )
            continue
        try:
            yield sync_study(study.data, expected_nct_id=study.expected_nct_id, source=study.source)
        except Exception as error:  # one study's surprise must not stop the run
            logger.exception("Syncing %s failed unexpectedly.", study.source)
            yield SyncResult(
                nct_id=study_nct_id(study.data) or study.expected_nct_id or study.source,
                outcome="failed",
                error=f"unexpected error ({type(error).__name__}: {error}); nothing stored.",
            )
