"""Images of the media library: a clean re-encoded original, its renditions, and the record
of who owns it and on what terms.

An image's file is stored under a name that includes the SHA-256 digest of its bytes
(``images/<digest>/original.<ext>``), as are its renditions, so a file once written never
changes and can be cached forever; replacing an image's file writes new names and leaves the
old files for the snapshots that still show them. What an article shows of an image (which
one, its alt text, caption, credit and file digest) is part of the article's approved content.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .base import TimeStampedModel


class ImageLicense(models.TextChoices):
    OWN_WORK = "own-work", "Own work"
    CC_BY_4 = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    PERMISSION = "permission", "Used with permission"
    OTHER = "other", "Other (described)"


class ImageQuerySet(models.QuerySet):
    def rights_expired(self, on=None) -> "ImageQuerySet":
        """Images whose rights ended before ``on`` (today by default): never shown."""
        return self.filter(rights_expire_on__lt=on or timezone.localdate())

    def shown(self, on=None) -> "ImageQuerySet":
        """Images public pages may show ``on`` (today by default)."""
        return self.exclude(rights_expire_on__lt=on or timezone.localdate())


@reversion.register()
class Image(TimeStampedModel):
    """One image of the media library."""

    file = models.FileField(
        "file",
        max_length=255,
        help_text="The clean re-encoded original (metadata stripped, orientation applied).",
    )
    title = models.CharField("title", max_length=200, help_text="For finding it in the library.")
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for people who cannot see it. Required unless the "
        "image is marked decorative.",
    )
    decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="The image adds nothing a screen reader should announce (empty alt text).",
    )
    caption = models.CharField("caption", max_length=500, blank=True)
    credit = models.CharField(
        "credit", max_length=300, blank=True, help_text='Shown under the image, e.g. "Jane Doe".'
    )
    license = models.CharField(
        "licence", max_length=20, choices=ImageLicense.choices, default=ImageLicense.OWN_WORK
    )
    license_text = models.CharField(
        "licence terms",
        max_length=500,
        blank=True,
        help_text='The terms, when the licence is "Other".',
    )
    source_url = models.URLField("source URL", max_length=500, blank=True)
    rights_holder = models.CharField("rights holder", max_length=300, blank=True)
    rights_expire_on = models.DateField(
        "rights expire on",
        null=True,
        blank=True,
        db_index=True,
        help_text="The last day the image may be shown; from the next day it is taken off "
        "public pages.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="uploaded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_images",
    )
    digest = models.CharField(
        "file digest",
        max_length=64,
        db_index=True,
        help_text="SHA-256 of the stored original's bytes.",
    )
    format = models.CharField("format", max_length=10, help_text="JPEG, PNG or WEBP.")
    width = models.PositiveIntegerField("width")
    height = models.PositiveIntegerField("height")
    # [{"width": 320, "height": 213, "format": "WEBP", "name": "images/<digest>/320.webp"}, …]
    renditions = models.JSONField("renditions", default=list, blank=True)

    # What people write about an image (the admin's form and the editorial API edit these;
    # the file and what is worked out from it are set by ``renditions.store_image``).
    RECORD_FIELDS = (
        "title",
        "alt_text",
        "decorative",
        "caption",
        "credit",
        "license",
        "license_text",
        "source_url",
        "rights_holder",
        "rights_expire_on",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not self.decorative and not self.alt_text.strip():
            errors["alt_text"] = (
                "Describe the image for people who cannot see it, or mark it decorative."
            )
        if self.license == ImageLicense.OTHER and not self.license_text.strip():
            errors["license_text"] = 'Give the licence terms when the licence is "Other".'
        if errors:
            raise ValidationError(errors)


class ImageRightsNotice(models.Model):
    """That the editors were told an image's rights expire soon, or have expired, for one
    expiry date: ``manage.py image_rights`` tells them once per image, state and date (a new
    date is a new notice)."""

    class State(models.TextChoices):
        EXPIRING = "expiring", "Expiring soon"
        EXPIRED = "expired", "Expired"

    image = models.ForeignKey(
        Image, verbose_name="image", on_delete=models.CASCADE, related_name="rights_notices"
    )
    state = models.CharField("state", max_length=10, choices=State.choices)
    rights_expire_on = models.DateField(
        "rights expire on", help_text="The expiry date the notice was about."
    )
    sent_at = models.DateTimeField("sent", default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "image rights notice"
        verbose_name_plural = "image rights notices"
        constraints = [
            models.UniqueConstraint(
                fields=["image", "state", "rights_expire_on"], name="one_rights_notice_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.image}: {self.get_state_display()} ({self.rights_expire_on:%Y-%m-%d})"
