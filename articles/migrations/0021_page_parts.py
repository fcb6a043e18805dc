"""Snapshots store the parts of their page that only they decide (``articles.page_parts``).

Existing snapshots start with none: their pages render those parts at read time, with the
same bytes, until they are written again (``manage.py render_page_parts`` fills them in).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_snapshot_newest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedarticle",
            name="page_parts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The trust box, table of contents and references of the page, rendered from this snapshot when it was written (articles.page_parts), with their format.",
                verbose_name="rendered page parts",
            ),
        ),
    ]
