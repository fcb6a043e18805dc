"""Full-text search indexes.

- SQLite: an FTS5 table over every snapshot's title, summary and body text
  (``articles.search_index``), kept in step with ``articles_publishedarticle`` by triggers, so
  every publication, unpublication or edit of a snapshot updates it in the same transaction;
  whether a snapshot is live is decided at query time (scheduled ones included).
- PostgreSQL: the Spanish counterpart of 0007's GIN index, for the Spanish pages' searches
  (a partial index over the Spanish snapshots, on the very expression they match).
"""

from django.db import migrations

SPANISH_INDEX = "snapshot_search_es"


def _spanish_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.db.models import Q

    from articles.public import search_vector

    return GinIndex(search_vector("spanish"), name=SPANISH_INDEX, condition=Q(language="es"))


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        from articles import search_index

        search_index.install(connection)
    elif connection.vendor == "postgresql":
        model = apps.get_model("articles", "PublishedArticle")
        schema_editor.add_index(model, _spanish_index())


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        from articles import search_index

        search_index.uninstall(connection)
    elif connection.vendor == "postgresql":
        model = apps.get_model("articles", "PublishedArticle")
        schema_editor.remove_index(model, _spanish_index())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_edge_purge"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
