"""Uploaded images are untrusted: what clean_upload refuses, and what it keeps of the rest."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from articles.images.uploads import clean_upload, encode
from tests.articles import image_files
from tests.articles.image_files import upload


def refused(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    with pytest.raises(ValidationError) as raised:
        clean_upload(upload(content, name, content_type))
    return raised.value


def test_phone_photo_loses_gps_serial_and_every_other_metadata_and_is_turned_upright():
    """A JPEG with GPS, maker, serial number, XMP and a comment comes out with none of them,
    rotated as its orientation said."""
    original = image_files.phone_photo()
    assert image_files.SERIAL.encode() in original
    clean = clean_upload(upload(original))
    assert (clean.format, clean.width, clean.height) == ("JPEG", 100, 200)
    for secret in (b"Exif", image_files.SERIAL.encode(), image_files.MAKER.encode()):
        assert secret not in clean.content
    assert image_files.XMP_SECRET.encode() not in clean.content
    assert image_files.COMMENT not in clean.content
    image = Image.open(io.BytesIO(clean.content))
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info and "comment" not in image.info
    # Rotated 90° clockwise: the red left half is now on top.
    red, blue = image.convert("RGB").getpixel((50, 20)), image.convert("RGB").getpixel((50, 180))
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]
    assert clean.digest == hashlib.sha256(clean.content).hexdigest()


def test_png_text_chunks_are_dropped():
    """A PNG's text and XMP chunks do not survive."""
    clean = clean_upload(upload(image_files.png_with_text()))
    assert clean.format == "PNG"
    assert image_files.SERIAL.encode() not in clean.content
    assert image_files.XMP_SECRET.encode() not in clean.content
    assert Image.open(io.BytesIO(clean.content)).text == {}


def test_colour_profile_is_not_kept():
    """An embedded ICC profile is converted to sRGB and dropped from the file."""
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    clean = clean_upload(upload(image_files.picture(image_format="JPEG", icc_profile=profile)))
    assert "icc_profile" not in Image.open(io.BytesIO(clean.content)).info


def test_the_format_comes_from_the_content_never_the_name():
    """A PNG named .jpg and sent as text/plain is a PNG."""
    clean = clean_upload(upload(image_files.picture(), "holiday.jpg", "text/plain"))
    assert clean.format == "PNG" and clean.extension == "png"


def test_identical_uploads_give_identical_bytes():
    """Cleaning is deterministic: the same file gives the same digest."""
    first = clean_upload(upload(image_files.phone_photo()))
    second = clean_upload(upload(image_files.phone_photo()))
    assert first.digest == second.digest and first.content == second.content


def test_animated_image_keeps_its_first_frame():
    """An animated WebP becomes a still of its first frame."""
    clean = clean_upload(upload(image_files.animated_webp(), "a.webp", "image/webp"))
    image = Image.open(io.BytesIO(clean.content))
    assert clean.format == "WEBP"
    assert not getattr(image, "is_animated", False)
    assert image.convert("RGB").getpixel((10, 10))[0] > 150


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (image_files.SVG, "SVG"),
        (b"<!-- drawn by hand -->\n<!DOCTYPE svg>\n<svg><rect/></svg>", "SVG"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "GIF"),
        (b"%PDF-1.7\n%binary\n1 0 obj", "PDF"),
        (b"This is a text file renamed to photo.jpg\n", "text"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
        (b"", "an empty file"),
    ],
    ids=["svg", "svg-with-comment", "gif", "pdf", "text", "html", "empty"],
)
def test_other_files_are_refused_naming_what_they_look_like(content, looks_like):
    """Only JPEG, PNG and WebP: the message names what the file seems to be."""
    error = refused(content)
    assert error.code == "unsupported"
    assert error.messages == [
        f"This file is not a JPEG, PNG or WebP image (it looks like {looks_like})."
    ]


def test_real_gif_is_refused():
    """A well-formed GIF is not accepted either."""
    gif = image_files.picture(image_format="GIF")
    assert "it looks like GIF" in refused(gif, "x.gif", "image/gif").messages[0]


def test_oversized_file_is_refused_by_its_size_before_reading():
    """Over 20 MB is refused from the reported size, without reading the file."""

    class Unreadable(io.BytesIO):
        size = 20 * 1024 * 1024 + 1

        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(ValidationError) as raised:
        clean_upload(Unreadable())
    assert raised.value.code == "too_large"
    assert raised.value.messages == ["This file is 20.0 MB; images may be at most 20.0 MB."]


def test_oversized_real_upload_is_refused():
    """A real upload of 21 MB (a valid PNG header and padding) is refused."""
    content = image_files.picture() + b"\0" * (21 * 1024 * 1024)
    error = refused(content, "big.png", "image/png")
    assert error.code == "too_large"
    assert "at most 20.0 MB" in error.messages[0]


def test_a_file_reporting_no_size_is_still_cut_off(settings):
    """When the size is unknown, reading stops just past the limit."""
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as raised:
        clean_upload(io.BytesIO(image_files.picture() + b"\0" * 2000))
    assert raised.value.code == "too_large"


def test_decompression_bomb_is_refused_from_its_header():
    """A 6 KB PNG declaring 10,000 × 5,000 pixels is refused before it is decoded."""
    bomb = image_files.decompression_bomb()
    assert len(bomb) < 10_000
    error = refused(bomb, "tiny.png", "image/png")
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This image is too large (10000 × 5000 pixels): images may have at most 40 megapixels."
    ]


@pytest.mark.parametrize(
    ("content", "size"),
    [
        (image_files.long_sided_png(300, 17_000), "300 × 17000"),
        (image_files.long_sided_png(20_000, 2), "20000 × 2"),
        (image_files.wide_canvas_webp(20_000, 100), "20000 × 100"),
    ],
    ids=["tall-png", "wide-png", "animated-webp-canvas"],
)
def test_a_side_longer_than_webp_allows_is_refused_from_the_header(content, size):
    """Every image gets a WebP rendition at its own width, and WebP stops at 16383 pixels a
    side: a longer side is refused by the size in the header, whatever the megapixels."""
    error = refused(content, "long.png", "image/png")
    assert error.code == "side_too_long"
    assert error.messages == [
        f"This image is {size} pixels: images may be at most 16383 pixels wide or high. "
        "Export it smaller and upload the new file."
    ]


def test_an_encoder_error_is_a_refusal():
    """When Pillow cannot encode the pixels (here WebP's own size limit), the upload is
    refused with a message, not an error page."""
    with pytest.raises(ValidationError) as raised:
        encode(Image.new("L", (300, 17_000)), "WEBP")
    assert raised.value.code == "cannot_encode"
    assert raised.value.messages == [
        "This image could not be converted to WEBP for the web; export it again (smaller, "
        "or in another format) and upload the new file."
    ]


def test_pillows_own_bomb_guard_is_a_clear_refusal_too(monkeypatch):
    """Pillow's DecompressionBombError (its own limit) gives the same clear message."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    error = refused(image_files.picture(), "x.png", "image/png")
    assert error.code == "too_many_pixels"


@pytest.mark.parametrize("keep", [100, 600, -10])
def test_truncated_image_is_refused_as_damaged(keep):
    """A JPEG cut short (in its header, its data, or just before its end) is refused with a
    message, not an error page."""
    content = image_files.picture(400, 300, "JPEG", quality=95)[:keep]
    error = refused(content)
    assert error.code == "corrupt"
    assert error.messages == [
        "This image is damaged or incomplete and cannot be read; export it again and upload "
        "the new file."
    ]
