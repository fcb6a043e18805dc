"""Library images for tests: small Pillow-made files stored as the media library stores them
(``images/<digest>/original.<ext>`` and ``images/<digest>/<width>.<ext>``), with their
``Image`` row, so that article tests do not depend on the upload pipeline."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from articles.images.delivery import EXTENSIONS, original_name
from articles.models import Image

WIDTHS = (320, 640, 1024, 1600)


def encoded(width: int, height: int, color: tuple[int, int, int], image_format: str) -> bytes:
    """A plain image of ``color`` in ``image_format`` (JPEG, PNG or WEBP)."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), color).save(buffer, format=image_format)
    return buffer.getvalue()


def _store(name: str, data: bytes) -> None:
    if not default_storage.exists(name):
        assert default_storage.save(name, ContentFile(data)) == name


def make_image(
    *,
    title: str = "Where breast cancer can spread",
    alt_text: str = "Outline of a body with the bones, lungs, liver and brain marked.",
    width: int = 800,
    height: int = 600,
    color: tuple[int, int, int] = (138, 28, 74),
    image_format: str = "PNG",
    **fields,
) -> Image:
    """An image of the library with its clean original and renditions in the storage: at
    each of ``WIDTHS`` narrower than the original and at its own width, in WebP and in its
    own format, each with the SHA-256 of its file."""
    original = encoded(width, height, color, image_format)
    digest = hashlib.sha256(original).hexdigest()
    _store(original_name(digest, image_format), original)
    renditions = []
    for rendition_width in [w for w in WIDTHS if w < width] + [width]:
        rendition_height = round(height * rendition_width / width)
        for rendition_format in dict.fromkeys(("WEBP", image_format)):
            name = f"images/{digest}/{rendition_width}.{EXTENSIONS[rendition_format]}"
            _store(name, encoded(rendition_width, rendition_height, color, rendition_format))
            with default_storage.open(name, "rb") as stored:
                sha256 = hashlib.sha256(stored.read()).hexdigest()
            renditions.append(
                {
                    "width": rendition_width,
                    "height": rendition_height,
                    "format": rendition_format,
                    "name": name,
                    "sha256": sha256,
                }
            )
    values = {
        "caption": "The places breast cancer most often spreads to.",
        "credit": "MBC Info",
        "license": "cc-by-4.0",
        "rights_holder": "MBC Info charity",
        **fields,
    }
    image = Image(
        file=original_name(digest, image_format),
        title=title,
        alt_text=alt_text,
        digest=digest,
        format=image_format,
        width=width,
        height=height,
        renditions=renditions,
        **values,
    )
    image.full_clean()
    image.save()
    return image
