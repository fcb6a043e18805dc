"""Fill the search text of snapshots published before the field existed."""

from django.db import migrations

from articles.rendering import html_to_text


def backfill(apps, schema_editor):
    PublishedArticle = apps.get_model("articles", "PublishedArticle")
    for snapshot in PublishedArticle.objects.filter(body_text="").only("pk", "body_html"):
        snapshot.body_text = html_to_text(snapshot.body_html)
        snapshot.save(update_fields=["body_text"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_webhooks")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
