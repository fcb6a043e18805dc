"""Export all content to one JSON file, and restore it into an empty database.

The file holds every row that makes up the editorial record: users and roles, reviewer
profiles, topics, trials, articles with references, every django-reversion revision and
version, the version numbering, reviews and their discussions, the audit trail, published
snapshots, reader feedback and webhook registrations. Primary keys are kept, so links between
rows (and version history that names rows by id) survive; content types and permissions are
written by natural key, because their ids differ between databases.

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
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

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
    "articles.Article",
    "articles.Reference",
    "reversion.Revision",
    "reversion.Version",
    "articles.ArticleRevision",
    "articles.PublishedArticle",
    "reviews.Review",
    "reviews.ReviewComment",
    "reviews.AuditEntry",
    "articles.Feedback",
    "articles.WebhookEndpoint",
    "articles.WebhookEvent",
    "articles.WebhookDelivery",
    "articles.WebhookAttempt",
]
# Rows that must not already exist for a restore to make sense.
CONTENT_MODELS = ["articles.Article", "articles.Topic", "articles.ClinicalTrial"]
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


def import_content(path: Path) -> dict[str, int]:
    """Restore a file written by :func:`export_content` into a database with no content.

    Everything is restored in one transaction: on any error nothing is written.
    """
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise RestoreError(f"Cannot read {path}: {exc}") from exc
    if document.get("format") != FORMAT or document.get("version") != FORMAT_VERSION:
        raise RestoreError(f"{path} is not an mbc_cms content export (format {FORMAT} v1).")
    for label in CONTENT_MODELS:
        if apps.get_model(label)._default_manager.exists():
            raise RestoreError(
                f"The database already holds content ({label}); restore into an empty "
                "database (run `manage.py migrate` on a new one)."
            )
    counts: dict[str, int] = {}
    _drop_removed_fields(document["objects"])
    _fill_missing_secrets(document["objects"])
    with transaction.atomic(), connection.constraint_checks_disabled():
        for item in serializers.deserialize(
            "python", document["objects"], handle_forward_references=True
        ):
            item.save()
            counts[item.object._meta.label] = counts.get(item.object._meta.label, 0) + 1
        connection.check_constraints()
        _reset_sequences()
    return counts


def _reset_sequences() -> None:
    """After inserting explicit ids, let PostgreSQL hand out new ids above them."""
    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
