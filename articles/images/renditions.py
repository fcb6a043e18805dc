"""An image's files in storage, and the service that records an uploaded image.

Every file is stored through ``django.core.files.storage.default_storage`` (the local
``MEDIA_ROOT`` or an S3 bucket, see ``settings.media_storage``) under a name that holds the
digest of the clean original:

- ``images/<digest>/original.<jpg|png|webp>``: the clean original (``uploads.clean_upload``);
- ``images/<digest>/<width>.<webp|jpg|png>``: renditions at each of ``RENDITION_WIDTHS``
  narrower than the original, and at the original width, in WebP and in the original format.

A name is written once: an identical upload finds its files there and reuses them, and a new
file for an image writes new names, leaving the old ones to the pages that still show them.
"""

from __future__ import annotations

import datetime
import io
from typing import IO, TYPE_CHECKING

import reversion
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from PIL import Image as PillowImage

from .. import image_usage
from ..models import Image
from ..records import ProtectedRecord, ensure_unchanged
from .rights import articles_showing
from .uploads import EXTENSIONS, CleanImage, clean_upload, encode

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

RENDITION_WIDTHS = (320, 640, 1024, 1600)

#: What articles show of an image: a change to any of these goes to the articles using it
#: (``image_usage.image_changed``). A new file changes ``file`` and ``digest``.
SHOWN_FIELDS = (
    "file",
    "digest",
    "alt_text",
    "decorative",
    "caption",
    "credit",
    "license",
    "license_text",
)


def original_name(digest: str, image_format: str) -> str:
    return f"images/{digest}/original.{EXTENSIONS[image_format]}"


def rendition_name(digest: str, width: int, image_format: str) -> str:
    return f"images/{digest}/{width}.{EXTENSIONS[image_format]}"


def rendition_widths(width: int) -> list[int]:
    """The widths an image of ``width`` pixels is delivered at: the standard ones narrower
    than it, then its own."""
    return [size for size in RENDITION_WIDTHS if size < width] + [width]


def _write_once(name: str, content: bytes) -> None:
    """Store ``content`` as ``name`` unless a file of that name is there already (it then
    holds the same bytes: the name carries the digest of the original it was made from)."""
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        # Another upload of the same image wrote it in between; storage kept both under
        # different names, and only ours is surplus.
        default_storage.delete(saved)


def _height_at(clean: CleanImage, width: int) -> int:
    return max(1, round(clean.height * width / clean.width))


def store_files(clean: CleanImage) -> list[dict]:
    """Write ``clean``'s original and those of its renditions not stored yet, and return the
    ``Image.renditions`` list: one ``{"width", "height", "format", "name"}`` per file,
    narrowest first, WebP before the original format."""
    _write_once(original_name(clean.digest, clean.format), clean.content)
    formats = ["WEBP"] if clean.format == "WEBP" else ["WEBP", clean.format]
    renditions = []
    with PillowImage.open(io.BytesIO(clean.content)) as source:
        for width in rendition_widths(clean.width):
            height = _height_at(clean, width)
            resized = None
            for image_format in formats:
                name = rendition_name(clean.digest, width, image_format)
                if not default_storage.exists(name):
                    if width == clean.width and image_format == clean.format:
                        # The original at its own width: the same bytes, not encoded again.
                        content = clean.content
                    else:
                        if resized is None:
                            resized = source.resize((width, height), PillowImage.Resampling.LANCZOS)
                        content = encode(resized, image_format)
                    _write_once(name, content)
                renditions.append(
                    {"width": width, "height": height, "format": image_format, "name": name}
                )
    return renditions


def _shown_values(image: Image) -> dict:
    return {
        field: (image.file.name if field == "file" else getattr(image, field))
        for field in SHOWN_FIELDS
    }


def store_image(
    *,
    image: Image,
    user: AbstractBaseUser | None,
    upload: IO[bytes] | CleanImage | None = None,
    comment: str = "",
    expected_updated_at: datetime.datetime | None = None,
) -> Image:
    """Save ``image`` (a new record, or changes to one), with ``upload`` as its new file if
    given (an uploaded file, checked by ``uploads.clean_upload`` here, or an image it
    already cleaned).

    Raises ``ValidationError`` for a refused file or invalid fields, before anything is
    stored. The files are written first (they are never overwritten, so a failure after that
    leaves at most unused files); then, in one transaction, the record is saved with a
    django-reversion version by ``user``, and the articles showing the image hear of any
    change to what they show (``image_usage.image_changed``). A new record's uploader is
    ``user``. With ``expected_updated_at`` (when the client read the record), a record
    changed since is not saved (``records.StaleRecord``)."""
    clean = upload
    if upload is not None and not isinstance(upload, CleanImage):
        clean = clean_upload(upload)
    if image.pk is None:
        image.uploaded_by = user
        before = None
    else:
        before = Image.objects.filter(pk=image.pk).first()
    if clean is not None:
        image.file = original_name(clean.digest, clean.format)
        image.digest = clean.digest
        image.format = clean.format
        image.width = clean.width
        image.height = clean.height
    image.full_clean(exclude=["renditions"])
    if clean is not None:
        image.renditions = store_files(clean)
    with transaction.atomic(), reversion.create_revision():
        ensure_unchanged(image, expected_updated_at)
        image.save()
        reversion.set_user(user)
        reversion.set_comment(comment or ("Uploaded." if before is None else "Changed."))
        if before is not None:
            old, new = _shown_values(before), _shown_values(image)
            changed = [field for field in SHOWN_FIELDS if old[field] != new[field]]
            if changed:
                image_usage.image_changed(image, user, changed)
    return image


def delete_image(
    *,
    image: Image,
    user: AbstractBaseUser | None,
    expected_updated_at: datetime.datetime | None = None,
) -> None:
    """Delete an image of the library that no article shows (as the admin refuses): not one
    an article in use shows in its working copy, live or scheduled page, nor the lead image
    of any article. Its files stay in storage for the old snapshots that name them. Raises
    ``records.ProtectedRecord``."""
    with transaction.atomic():
        ensure_unchanged(image, expected_updated_at)
        titles = list(articles_showing(image).values_list("title", flat=True))
        if titles:
            shown = ", ".join(f"“{title}”" for title in titles[:5])
            more = f" and {len(titles) - 5} more" if len(titles) > 5 else ""
            raise ProtectedRecord(f"Articles show this image ({shown}{more}).")
        try:
            image.delete()
        except ProtectedError as error:
            raise ProtectedRecord(
                "An archived article has this image as its lead image; it is kept."
            ) from error
