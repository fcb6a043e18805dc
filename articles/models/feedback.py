"""Reader feedback on published articles."""

from django.db import models

from .articles import Article


class Feedback(models.Model):
    """A reader's answer to "Was this helpful?" on a published article."""

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
    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"
