from django.db import migrations, models

SEARCH_INDEX = "snapshot_search"


def _search_index():
    from django.contrib.postgres.indexes import GinIndex

    from articles.public import search_vector

    return GinIndex(search_vector(), name=SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    """PostgreSQL only: a GIN index on the very expression searches match against."""
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("articles", "PublishedArticle")
        schema_editor.add_index(model, _search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("articles", "PublishedArticle")
        schema_editor.remove_index(model, _search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_help_texts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publishedarticle",
            index=models.Index(fields=["go_live_at", "live_until"], name="snapshot_live_window"),
        ),
        migrations.RunPython(add_search_index, remove_search_index),
    ]
