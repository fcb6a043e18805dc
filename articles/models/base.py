"""What the content models share."""

from django.db import models


class TimeStampedModel(models.Model):
    """Creation and last-change times, shared by the content models."""

    created_at = models.DateTimeField(
        "created", auto_now_add=True, help_text="When it was created."
    )
    updated_at = models.DateTimeField("updated", auto_now=True, help_text="When it last changed.")

    class Meta:
        abstract = True
