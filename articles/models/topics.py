"""Topics: where articles are listed, two levels deep."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from .base import TimeStampedModel


@reversion.register()
class Topic(TimeStampedModel):
    """A subject area; topics nest two levels deep (for example Metastasis > Bone)."""

    name = models.CharField("name", max_length=120, help_text="Shown in menus and headings.")
    slug = models.SlugField(
        "slug", max_length=120, unique=True, help_text="The topic's address: /topics/your-slug/."
    )
    description = models.TextField(
        "description", blank=True, help_text="One or two sentences introducing the topic."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="parent topic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level topic. Only two levels are allowed.",
    )
    position = models.PositiveSmallIntegerField(
        "position", default=0, help_text="Order among its siblings; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "topic"
        verbose_name_plural = "topics"

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Topics nest two levels deep: choose a top-level topic as the parent."}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This topic has sub-topics, so it must stay a top-level topic."}
            )
