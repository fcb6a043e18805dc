"""Export all content to one JSON file, and restore it into an empty database.

The file holds every row that makes up the editorial record: users and roles, reviewer
profiles, topics, trials, articles with references, every django-reversion revision and
version, the version numbering, reviews and their discussions, the audit trail, published
snapshots, reader feedback and webhook registrations. Primary keys are kept, so links between
rows (and version history that names rows by id) survive; content types and permissions are
written by natural key, because their ids differ between databases.
"""

import datetime
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

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


def export_content(path: Path) -> dict[str, int]:
    """Write every row of MODELS to ``path``; returns the number of rows per model."""
    objects: list[dict] = []
    counts: dict[str, int] = {}
    with transaction.atomic():  # one consistent snapshot of the database
        for label in MODELS:
            model = apps.get_model(label)
            rows = serializers.serialize(
                "python",
                _ordered(model),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
            )
            counts[label] = len(rows)
            objects.extend(rows)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "counts": counts,
        "objects": objects,
    }
    path.write_text(json.dumps(document, cls=ExactJSONEncoder, ensure_ascii=False, indent=1))
    return counts


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
