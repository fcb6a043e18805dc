"""Uploaded images are untrusted input: ``clean_upload`` checks one and re-encodes it cleanly.

What is refused, each with a message that names the problem (a ``ValidationError`` whose
``code`` says which):

- a file over ``settings.IMAGE_MAX_BYTES`` (20 MB), by its size, before anything is read
  (``too_large``);
- anything but JPEG, PNG and WebP, recognised by Pillow from the bytes (the name and the
  browser's content type are never read); the message says what the file looks like, such
  as SVG, GIF or PDF (``unsupported``);
- more than ``settings.IMAGE_MAX_PIXELS`` (40 megapixels), by the size in the header, before
  the pixels are decoded: a small file can declare a huge image (a decompression bomb)
  (``too_many_pixels``);
- a side longer than ``MAX_SIDE`` (16383 pixels, WebP's limit: every image gets a WebP
  rendition at its own width), by the size in the header too (``side_too_long``);
- a file Pillow cannot decode to the end: truncated, corrupt (``corrupt``);
- pixels Pillow cannot encode again (``cannot_encode``): :func:`encode` turns any encoder
  error into this refusal, here and for the renditions.

What is kept is the picture only: the EXIF orientation is applied to the pixels, then the
image is re-encoded from its pixels alone, so no EXIF (GPS position, camera serial numbers,
dates), XMP, comment or text chunk survives; an embedded colour profile is converted to sRGB
and dropped. An animated PNG or WebP keeps its first frame only. The digest is the SHA-256 of
the clean bytes, so an identical upload gives the identical file and digest.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

#: Formats accepted, as Pillow names them, and the extension each is stored under.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

#: The longest side an image may have: WebP's own limit (every image is delivered in WebP).
MAX_SIDE = 16383

#: How other kinds of file begin, only to tell the uploader what they sent.
_LOOKS_LIKE = [
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "an icon (ICO)"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"8BPS", "a Photoshop document"),
]


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image: its bytes, their format, size in pixels and SHA-256 digest."""

    content: bytes
    format: str
    width: int
    height: int
    digest: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def describe(head: bytes) -> str:
    """What a file that is not an accepted image seems to be, from its first bytes."""
    for magic, name in _LOOKS_LIKE:
        if head.startswith(magic):
            return name
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return "HEIC or AVIF"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") and b"<svg" in text:
        return "SVG"
    if text.startswith((b"<!doctype html", b"<html")):
        return "HTML"
    if not head:
        return "an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "an unrecognised kind of file"
    return "text"


def _read_limited(file: IO[bytes], limit: int) -> bytes:
    """The file's bytes, refusing it as soon as more than ``limit`` of them arrive (a size
    reported wrongly, or not at all, cannot make us read more)."""
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        raise _refuse(
            f"This file is larger than {_megabytes(limit)}; upload a smaller image.", "too_large"
        )
    return content


def _check_size(file: IO[bytes]) -> None:
    size = getattr(file, "size", None)
    limit = settings.IMAGE_MAX_BYTES
    if size is not None and size > limit:
        raise _refuse(
            f"This file is {_megabytes(size)}; images may be at most {_megabytes(limit)}.",
            "too_large",
        )


def _open(content: bytes) -> Image.Image:
    """The image Pillow recognises in ``content`` (JPEG, PNG or WebP only), headers read,
    pixels not yet decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(content), formats=list(EXTENSIONS))
        except UnidentifiedImageError:
            raise _refuse(
                "This file is not a JPEG, PNG or WebP image "
                f"(it looks like {describe(content[:512])}).",
                "unsupported",
            ) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _corrupt() from None


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    limit = settings.IMAGE_MAX_PIXELS / 1_000_000
    size = f" ({width} × {height} pixels)" if width and height else ""
    return _refuse(
        f"This image is too large{size}: images may have at most {limit:g} megapixels.",
        "too_many_pixels",
    )


def _corrupt() -> ValidationError:
    return _refuse(
        "This image is damaged or incomplete and cannot be read; export it again and upload "
        "the new file.",
        "corrupt",
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted from an embedded colour profile to sRGB (the profile itself is
    dropped); unchanged when there is none or it cannot be used."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted or image


def _plain_mode(image: Image.Image, image_format: str) -> Image.Image:
    """The image in a mode its format stores plainly: greyscale or RGB, with alpha where the
    format has it and the image uses it."""
    if image_format == "JPEG":
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    if image.mode in ("L", "LA", "RGB", "RGBA"):
        return image
    has_alpha = "A" in image.getbands() or image.has_transparency_data
    return image.convert("RGBA" if has_alpha else "RGB")


def encode(image: Image.Image, image_format: str) -> bytes:
    """``image``'s pixels in ``image_format``, with nothing else: no metadata is passed to
    the encoder and the image's own ``info`` is cleared first. An encoder error is a
    ``ValidationError`` (``cannot_encode``), never an error page."""
    image.info = {}
    buffer = io.BytesIO()
    try:
        if image_format == "JPEG":
            image.save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
        elif image_format == "PNG":
            image.save(buffer, "PNG")
        else:
            image.save(buffer, "WEBP", quality=85, method=4)
    except (OSError, ValueError, RuntimeError, MemoryError):
        raise _refuse(
            f"This image could not be converted to {image_format} for the web; export it "
            "again (smaller, or in another format) and upload the new file.",
            "cannot_encode",
        ) from None
    return buffer.getvalue()


def clean_upload(file: IO[bytes]) -> CleanImage:
    """Check an uploaded file and return its clean re-encoded image, or raise a
    ``ValidationError`` saying why it is refused (see the module's description)."""
    _check_size(file)
    content = _read_limited(file, settings.IMAGE_MAX_BYTES)
    image = _open(content)
    # A JPEG holding several pictures (MPO, from some cameras) is read as its first one.
    image_format = "JPEG" if image.format == "MPO" else image.format
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    if max(width, height) > MAX_SIDE:
        raise _refuse(
            f"This image is {width} × {height} pixels: images may be at most {MAX_SIDE} "
            "pixels wide or high. Export it smaller and upload the new file.",
            "side_too_long",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)  # An animation keeps its first frame.
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(width, height) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise _corrupt() from None
    clean = _plain_mode(_to_srgb(upright), image_format)
    content = encode(clean, image_format)
    return CleanImage(
        content=content,
        format=image_format,
        width=clean.width,
        height=clean.height,
        digest=hashlib.sha256(content).hexdigest(),
    )
