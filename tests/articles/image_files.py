"""Image files for the media library's tests, built with Pillow: plain pictures, a phone photo
with GPS and camera details, a decompression bomb, files that only pretend to be images."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

SERIAL = "SN-4471-SECRET"
MAKER = "Phonemaker"
XMP_SECRET = "xmp-secret-location"
COMMENT = b"comment-secret-text"


def picture(width: int = 200, height: int = 100, image_format: str = "PNG", **save) -> bytes:
    """A picture whose left half is red and right half blue (orientation can be checked)."""
    image = Image.new("RGB", (width, height), (200, 20, 20))
    image.paste((20, 20, 200), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, image_format, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "picture.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def phone_photo() -> bytes:
    """A 200 × 100 JPEG as a phone writes it: EXIF with the orientation "rotate 90° clockwise
    to view" (6), GPS coordinates, maker and serial number; XMP and a comment too."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = MAKER
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
        }
    )
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{XMP_SECRET}</x:xmpmeta>'.encode()
    return picture(200, 100, "JPEG", exif=exif.tobytes(), xmp=xmp, comment=COMMENT, quality=95)


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SERIAL)
    info.add_itxt("XML:com.adobe.xmp", XMP_SECRET)
    return picture(120, 80, "PNG", pnginfo=info)


def decompression_bomb() -> bytes:
    """A PNG of a few kilobytes declaring 10,000 × 5,000 pixels (50 megapixels)."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, "PNG")
    return buffer.getvalue()


def animated_webp() -> bytes:
    """Two frames: red, then blue."""
    frames = [Image.new("RGB", (64, 48), colour) for colour in ((220, 0, 0), (0, 0, 220))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    return buffer.getvalue()


def long_sided_png(width: int = 300, height: int = 17_000) -> bytes:
    """A plain greyscale PNG of a few kilobytes, longer on one side than WebP allows
    (16383 pixels) though far under the megapixel limit."""
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def wide_canvas_webp(canvas_width: int = 20_000, canvas_height: int = 100) -> bytes:
    """An animated WebP of two 64 × 48 frames whose header declares a canvas of
    ``canvas_width`` × ``canvas_height`` (its VP8X chunk rewritten)."""
    content = bytearray(animated_webp())
    offset = content.index(b"VP8X") + 8 + 4  # chunk name and size, flags and reserved bytes
    content[offset : offset + 3] = (canvas_width - 1).to_bytes(3, "little")
    content[offset + 3 : offset + 6] = (canvas_height - 1).to_bytes(3, "little")
    return bytes(content)


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
