"""Export all content to one JSON file, and restore it into an empty database.

The file holds every row that makes up the editorial record: users and roles, reviewer
profiles, topics, trials, the media library's image records (their files stay in the media
storage, backed up apart from this file), articles with references, every django-reversion
revision and version, the version numbering, reviews and their discussions, the audit trail,
published snapshots, reader feedback and webhook registrations. Primary keys are kept, so
links between rows (and version history that names rows by id) survive; content types and
permissions are written by natural key, because their ids differ between databases.

The file holds staff's personal data, so it is written readable by its owner only (mode 0600).
Password hashes, API tokens and webhook signing secrets are left out unless asked for
(``include_secrets``): restored from such a file, users have unusable passwords (set new ones
with ``manage.py changepassword``) and webhook endpoints get new signing secrets.
"""

import contextlib
import datetime
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from reviews.signoff import verify

from .models import new_webhook_secret

FORMAT = "mbc_cms-content"
FORMAT_VERSION = 1

# Parents before children, so a restore can check foreign keys as it goes.
MODELS = [
    "auth.Group",
    "auth.User",
    "reviews.ReviewerProfile",
    "articles.Topic",
    "articles.ClinicalTrial",
    "articles.Image",
    "articles.ImageRightsNotice",
    "articles.Article",
    "articles.Reference",
    "reversion.Revision",
    "reversion.Version",
    "articles.ArticleRevision",
    "articles.PublishedArticle",
    "reviews.Review",
    "reviews.ReviewComment",
    "reviews.AuditEntry",
    "reviews.TranslationNotice",
    "articles.Feedback",
    "articles.WebhookEndpoint",
    "articles.WebhookEvent",
    "articles.WebhookDelivery",
    "articles.WebhookAttempt",
]
# Rows ``migrate`` creates itself (the editorial roles): matched by name, never written twice.
MERGED_MODELS = ["auth.Group"]
# Exported only with include_secrets: the fields (by model label) and whole models.
SECRET_FIELDS = {"auth.user": "password", "articles.webhookendpoint": "secret"}
SECRET_MODELS = ["authtoken.Token"]
# Fields older exports carry that are no longer kept: they are not restored.
DROPPED_FIELDS = {"articles.webhookattempt": ["response_excerpt"]}  # articles 0008


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps times to the microsecond (Django's encoder rounds them to milliseconds), so a
    restored database holds exactly what was exported."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class RestoreError(Exception):
    """The file cannot be restored here; the message says why."""


def _ordered(model):
    queryset = model._default_manager.all()
    if model._meta.label == "articles.Topic":
        # Top-level topics before their children.
        return queryset.order_by("parent_id", "pk")
    return queryset.order_by("pk")


def export_content(path: Path, *, include_secrets: bool = False) -> dict[str, int]:
    """Write every row of MODELS to ``path``; returns the number of rows per model.

    Without ``include_secrets`` the file holds no password hash, API token or webhook signing
    secret. Raises ``OSError`` when ``path`` cannot be written.
    """
    objects: list[dict] = []
    counts: dict[str, int] = {}
    labels = MODELS + SECRET_MODELS if include_secrets else MODELS
    with transaction.atomic():  # one consistent snapshot of the database
        for label in labels:
            model = apps.get_model(label)
            rows = serializers.serialize(
                "python",
                _ordered(model),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
            )
            if not include_secrets:
                for row in rows:
                    row["fields"].pop(SECRET_FIELDS.get(row["model"], ""), None)
            counts[label] = len(rows)
            objects.extend(rows)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "secrets_included": include_secrets,
        "counts": counts,
        "objects": objects,
    }
    _write_private(path, json.dumps(document, cls=ExactJSONEncoder, ensure_ascii=False, indent=1))
    return counts


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as a file only its owner can read or write (mode 0600).

    ``mkstemp`` creates a new file beside ``path`` with ``os.open(O_CREAT | O_EXCL, 0o600)``;
    the text goes there, then one rename puts it at ``path``. So the export is never readable by
    others, not even for a moment, a file already at ``path`` is replaced rather than rewritten
    with its old mode, and an interrupted export leaves no half-written file.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _drop_removed_fields(objects: list[dict]) -> None:
    for row in objects:
        for field in DROPPED_FIELDS.get(row["model"], ()):
            row["fields"].pop(field, None)


def _fill_missing_secrets(objects: list[dict]) -> None:
    """Rows exported without secrets: users get unusable passwords, endpoints new secrets.

    A restored endpoint keeps receiving events, signed with its new secret (shown on its admin
    page), which the partner needs before it can verify them again.
    """
    for row in objects:
        fields = row["fields"]
        if row["model"] == "auth.user":
            fields.setdefault("password", make_password(None))
        elif row["model"] == "articles.webhookendpoint":
            fields.setdefault("secret", new_webhook_secret())


@dataclass
class RestoreReport:
    """What a restore wrote (or, in a dry run, would write) and what the sign-off check found."""

    counts: dict[str, int]
    live: int
    scheduled: int
    dry_run: bool


def _read(path: Path) -> dict:
    try:
        document = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RestoreError(f"Cannot read {path}: {exc}") from exc
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or document.get("version") != FORMAT_VERSION
        or not isinstance(document.get("objects"), list)
    ):
        raise RestoreError(f"{path} is not an mbc_cms content export (format {FORMAT} v1).")
    for number, item in enumerate(document["objects"], start=1):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("model"), str)
            and isinstance(item.get("fields"), dict)
        ):
            raise RestoreError(
                f"{path} cannot be restored: object {number} is not a row (it needs a model "
                "name and its fields)."
            )
    return document


def _refuse_rows_already_here(objects: list[dict]) -> None:
    """Every table the file writes must be empty: a restore never mixes two databases."""
    labels = [*MODELS, *SECRET_MODELS]
    held = {
        label: count
        for label in labels
        if label not in MERGED_MODELS and (count := apps.get_model(label)._default_manager.count())
    }
    if held:
        listed = ", ".join(f"{label} ({count})" for label, count in held.items())
        raise RestoreError(
            f"The database already holds content in tables the file would write: {listed}. Restore "
            "into a new database: create it, run `manage.py migrate`, then import."
        )


def _merge_existing_groups(objects: list[dict]) -> list[dict]:
    """Leave out groups that ``migrate`` already created; users name groups by name."""
    Group = apps.get_model("auth.Group")
    existing = set(Group.objects.values_list("name", flat=True))
    return [
        item
        for item in objects
        if not (item.get("model") == "auth.group" and item["fields"].get("name") in existing)
    ]


def _write(objects: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with connection.constraint_checks_disabled():
        for item in serializers.deserialize("python", objects, handle_forward_references=True):
            item.save()
            counts[item.object._meta.label] = counts.get(item.object._meta.label, 0) + 1
        connection.check_constraints()
    return counts


def import_content(path: Path, *, dry_run: bool = False) -> RestoreReport:
    """Restore a file written by :func:`export_content` into a new, migrated database.

    Everything happens in one transaction: the rows are written, then every live and scheduled
    snapshot they contain is checked against the sign-off ledger (``reviews.signoff``); on any
    error or violation nothing is kept. A dry run does all of it and then rolls back.
    """
    document = _read(path)
    objects = document["objects"]
    _refuse_rows_already_here(objects)
    _drop_removed_fields(objects)
    _fill_missing_secrets(objects)
    objects = _merge_existing_groups(objects)
    try:
        with transaction.atomic():
            counts = _write(objects)
            report = verify()
            if report.violations:
                shown = "\n".join(f"  {violation}" for violation in report.violations[:20])
                more = len(report.violations) - 20
                raise RestoreError(
                    f"{path} holds published pages that fail the sign-off check, so nothing was "
                    f"restored ({len(report.violations)} violation(s)):\n{shown}"
                    + (f"\n  … and {more} more" if more > 0 else "")
                )
            if dry_run:
                transaction.set_rollback(True)
            else:  # PostgreSQL's setval is not rolled back, so a dry run leaves it alone
                _reset_sequences()
    except RestoreError:
        raise
    except (DeserializationError, DatabaseError, ValidationError, LookupError, ValueError) as exc:
        raise RestoreError(f"{path} cannot be restored: {exc}") from exc
    return RestoreReport(
        counts=counts, live=report.live, scheduled=report.scheduled, dry_run=dry_run
    )


def _reset_sequences() -> None:
    """After inserting explicit ids, let PostgreSQL hand out new ids above them."""
    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
