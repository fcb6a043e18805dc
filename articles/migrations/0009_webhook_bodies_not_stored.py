"""Webhook attempts no longer keep the endpoint's response body: dropping the column also deletes
the bodies already stored (an answer from an internal service must not stay in our database).
The endpoint URL's help text says it must be a public address."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_signoff_digest"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="webhookattempt",
            name="response_excerpt",
        ),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="url",
            field=models.URLField(
                help_text="Where events are POSTed: an http or https address on the public internet (never a loopback, private or link-local one). Redirects are not followed.",
                max_length=500,
                validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                verbose_name="URL",
            ),
        ),
    ]
