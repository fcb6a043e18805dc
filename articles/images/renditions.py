"""An image's files in storage, and the service that records an uploaded image.

Every file is stored through ``django.core.files.storage.default_storage`` (the local
``MEDIA_ROOT`` or an S3 bucket, see ``settings.media_storage``) under a name that holds the
digest of the clean original:

- ``images/<digest>/original.<jpg|png|webp>``: the clean original (``uploads.clean_upload``);
- ``images/<digest>/<width>.<webp|jpg|png>``: renditions at each of ``RENDITION_WIDTHS``
  narrower than the original, and at the original width, in WebP and in the original format.

A name is written once: an identical upload finds its files there and reuses them, and a new
file for an image writes new names, leaving the old ones to the pages that still show them.
Every rendition is encoded before any file is written (``prepare_files``, where an encoder
error is a ``ValidationError``), and the original is written last (``write_files``), so a
refused or failed upload leaves no half-stored image. Each rendition records the SHA-256 of
its bytes, which the sign-off covers.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
from dataclasses import dataclass
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
    "rights_holder",
    "source_url",
)


def original_name(digest: str, image_format: str) -> str:
    return f"images/{digest}/original.{EXTENSIONS[image_format]}"


def rendition_name(digest: str, width: int, image_format: str) -> str:
    return f"images/{digest}/{width}.{EXTENSIONS[image_format]}"


def rendition_widths(width: int) -> list[int]:
    """The widths an image of ``width`` pixels is delivered at: the standard ones narrower
    than it, then its own."""
    return [size for size in RENDITION_WIDTHS if size < width] + [width]


def _height_at(clean: CleanImage, width: int) -> int:
    return max(1, round(clean.height * width / clean.width))


def stored_sha256(name: str) -> str:
    """SHA-256 (hex) of the stored file ``name``."""
    sha = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        for block in iter(lambda: stored.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


@dataclass(frozen=True)
class PreparedImage:
    """A clean image with its renditions encoded, nothing stored yet (``prepare_files``):
    ``renditions`` is its ``Image.renditions`` list, ``files`` the bytes of each file not
    stored already, renditions first and the original last (``write_files``)."""

    clean: CleanImage
    renditions: list[dict]
    files: dict[str, bytes]


def prepare_files(clean: CleanImage) -> PreparedImage:
    """Encode, in memory, the renditions of ``clean`` not stored yet, and list them all: one
    ``{"width", "height", "format", "name", "sha256"}`` per file, narrowest first, WebP
    before the original format. ``sha256`` is the digest of the file's bytes (read back when
    the file is stored already): the sign-off covers it.

    Raises ``ValidationError`` (``cannot_encode``) when a rendition cannot be encoded; as
    nothing is written here, a refused image leaves no file behind."""
    formats = ["WEBP"] if clean.format == "WEBP" else ["WEBP", clean.format]
    renditions: list[dict] = []
    files: dict[str, bytes] = {}
    with PillowImage.open(io.BytesIO(clean.content)) as source:
        for width in rendition_widths(clean.width):
            height = _height_at(clean, width)
            resized = None
            for image_format in formats:
                name = rendition_name(clean.digest, width, image_format)
                if default_storage.exists(name):
                    sha256 = stored_sha256(name)
                else:
                    if width == clean.width and image_format == clean.format:
                        # The original at its own width: the same bytes, not encoded again.
                        content = clean.content
                    else:
                        if resized is None:
                            resized = source.resize((width, height), PillowImage.Resampling.LANCZOS)
                        content = encode(resized, image_format)
                    files[name] = content
                    sha256 = hashlib.sha256(content).hexdigest()
                renditions.append(
                    {
                        "width": width,
                        "height": height,
                        "format": image_format,
                        "name": name,
                        "sha256": sha256,
                    }
                )
    original = original_name(clean.digest, clean.format)
    if not default_storage.exists(original):
        files[original] = clean.content
    return PreparedImage(clean=clean, renditions=renditions, files=files)


def write_files(prepared: PreparedImage) -> None:
    """Store the prepared files not stored yet, the original last. Should the storage fail
    part-way (a full disk), the files this call began writing are removed again and the
    error raised: no half-stored image is left for an identical upload to reuse."""
    begun: list[str] = []
    try:
        for name, content in prepared.files.items():
            if default_storage.exists(name):
                continue  # An identical upload wrote it meanwhile: the same bytes.
            begun.append(name)
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:
                # Another upload of the same image wrote it in between; storage kept both
                # under different names, and only ours is surplus.
                begun.remove(name)
                default_storage.delete(saved)
    except Exception:
        for name in begun:
            with contextlib.suppress(Exception):
                default_storage.delete(name)
        raise


def _shown_values(image: Image) -> dict:
    return {
        field: (image.file.name if field == "file" else getattr(image, field))
        for field in SHOWN_FIELDS
    }


def store_image(
    *,
    image: Image,
    user: AbstractBaseUser | None,
    upload: IO[bytes] | CleanImage | PreparedImage | None = None,
    comment: str = "",
    expected_updated_at: datetime.datetime | None = None,
) -> Image:
    """Save ``image`` (a new record, or changes to one), with ``upload`` as its new file if
    given: an uploaded file (checked by ``uploads.clean_upload`` here), an image it already
    cleaned, or one whose renditions are already encoded (``prepare_files``, as the admin's
    form does while it validates).

    Raises ``ValidationError`` for a refused file, a rendition that cannot be encoded or
    invalid fields, before anything is stored. The files are written next (never
    overwritten; a storage failure part-way removes those written), so a failure after that
    leaves at most unused files; then, in one transaction, the record is saved with a
    django-reversion version by ``user``, and the articles showing the image hear of any
    change to what they show (``image_usage.image_changed``). A new record's uploader is
    ``user``. With ``expected_updated_at`` (when the client read the record), a record
    changed since is not saved (``records.StaleRecord``)."""
    if upload is not None and not isinstance(upload, CleanImage | PreparedImage):
        upload = clean_upload(upload)
    clean = upload.clean if isinstance(upload, PreparedImage) else upload
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
        prepared = upload if isinstance(upload, PreparedImage) else prepare_files(clean)
        write_files(prepared)
        image.renditions = prepared.renditions
    with transaction.atomic():
        with reversion.create_revision():
            ensure_unchanged(image, expected_updated_at)
            image.save()
            reversion.set_user(user)
            reversion.set_comment(comment or ("Uploaded." if before is None else "Changed."))
        # Outside the image's revision: each article saved again gets a revision of its own
        # (a version is one revision of one article).
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
