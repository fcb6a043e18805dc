"""Reader feedback on published articles, and its handling by the editorial team."""

from django.conf import settings
from django.db import models

from .articles import Article


class Feedback(models.Model):
    """A reader's answer to "Was this helpful?" on a published article.

    Nothing about the reader is stored beyond what they typed (no IP address, no account).
    Editors triage it: a status, an assignee, internal notes and a clinical-concern flag.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey(
        Article,
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="feedback",
        help_text="The article the reader was on.",
    )
    version = models.PositiveIntegerField("version", help_text="The live version they read.")
    helpful = models.BooleanField("helpful", help_text="Did the reader find the page helpful?")
    comment = models.TextField("comment", max_length=2000, blank=True)
    clinical_concern = models.BooleanField(
        "clinical concern",
        default=False,
        db_index=True,
        help_text="The reader or an editor thinks something on the page may be medically wrong "
        "or out of date; the article's reviewer of record is told.",
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
        help_text="Where the feedback is in the editorial team's handling.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="assignee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
        help_text="Who on the team is handling it.",
    )
    notes = models.TextField(
        "internal notes", blank=True, help_text="Never shown to readers: what was done and why."
    )
    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"
