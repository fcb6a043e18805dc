"""What the services of the versioned records outside the workflow (topics, trials, library
images) share: refusing a change based on a record someone changed since, and refusing to
delete a record in use.

A leaf module: the services of ``articles.services`` and ``articles.images`` both import it.
"""

from __future__ import annotations

import datetime

from django.db import models


class StaleRecord(Exception):
    """A change based on a version of the record that is no longer the stored one."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProtectedRecord(Exception):
    """A deletion refused because the record is in use; the message says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def ensure_unchanged(record: models.Model, expected_updated_at: datetime.datetime | None) -> None:
    """Lock the stored row of ``record`` and raise :class:`StaleRecord` unless it was last
    changed at ``expected_updated_at`` (the time the client read). Call it inside the
    transaction that writes; with ``expected_updated_at`` None, nothing is checked."""
    if expected_updated_at is None or record.pk is None:
        return
    stored = (
        type(record)
        ._default_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    name = type(record)._meta.verbose_name
    if stored is None:
        raise StaleRecord(f"This {name} was deleted since you read it.")
    if stored != expected_updated_at:
        raise StaleRecord(
            f"This {name} changed since you read it. Nothing was saved: fetch it again, "
            "reapply your change and send the new ETag."
        )
