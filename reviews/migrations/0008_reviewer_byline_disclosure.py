"""The frozen reviewer byline now holds the conflict-of-interest disclosure (help text only)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_backfill_signoff_digests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="reviewer_byline",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Name, credentials, specialty, institution and conflict-of-interest disclosure when the decision was made.",
                verbose_name="reviewer as they stood",
            ),
        ),
    ]
