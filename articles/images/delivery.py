"""Images as readers get them: URLs of the stored files, ``srcset`` and ``sizes``, the data of
one image as an article shows it, and the ``<figure>`` markup of that data.

An image's data (:func:`image_data`) is what a version's manifest (``Article.images``), a
snapshot (``PublishedArticle.images`` / ``lead_image``) and the sign-off digest record: which
image, its alt text, caption, credit, licence and the digest of its file, with the name and
SHA-256 of each rendition (the files readers are served). Pages and the API are built from
that data, never from the current library row, so what a clinician approved is what readers
are shown.

Every stored name includes the digest of the clean original (``images/<digest>/…``): a name
once written never changes, so old snapshots keep their files when an image is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models.images import ImageLicense

if TYPE_CHECKING:
    from ..models import Image

# The column of an article page is at most 48rem wide (``.wrap`` in static/site.css).
SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Licences whose deed has a canonical address (schema.org ``license``).
LICENSE_URLS = {
    ImageLicense.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    ImageLicense.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    ImageLicense.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}
# The keys of one image's data, in the order they are stored.
IMAGE_DATA_KEYS = (
    "id", "alt", "decorative", "caption", "credit", "license", "license_text", "rights_holder",
    "source_url", "digest", "width", "height", "format", "renditions",
)  # fmt: skip


def original_name(digest: str, image_format: str) -> str:
    """The storage name of an image's clean original: ``images/<digest>/original.<ext>``."""
    return f"images/{digest}/original.{EXTENSIONS.get(image_format, 'bin')}"


def file_url(name: str) -> str:
    """The public URL of a stored file (``MEDIA_URL`` + name, or the bucket's address)."""
    return default_storage.url(name)


def url_prefix() -> str:
    """The address every image URL starts with (``MEDIA_URL`` + ``images/``, or the bucket's),
    without a query string. Empty when the storage gives no usable address (an empty
    ``MEDIA_URL``): no image is then shown, rather than one at a relative address."""
    parts = urlsplit(default_storage.url("images/"))
    prefix = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    if prefix.startswith("/") and not prefix.startswith("//"):
        return prefix
    if parts.scheme == "https" or (parts.scheme == "http" and parts.netloc):
        return prefix
    return ""


def _renditions(renditions: list[dict], image_format: str) -> list[dict]:
    return sorted(
        (item for item in renditions if item.get("format") == image_format),
        key=lambda item: item["width"],
    )


def srcset(renditions: list[dict], image_format: str, absolute: Callable[[str], str] = str) -> str:
    """The ``srcset`` of the renditions in ``image_format``, narrowest first:
    ``"<url> 320w, <url> 640w, …"`` (each URL made absolute by ``absolute``)."""
    return ", ".join(
        f"{absolute(file_url(item['name']))} {item['width']}w"
        for item in _renditions(renditions, image_format)
    )


def main_url(data: dict) -> str:
    """The URL of the largest rendition in the image's own format (the original when there
    is none): the ``src`` of its ``<img>``, and ``url`` in the API."""
    own = _renditions(data.get("renditions") or [], data["format"])
    if own:
        return file_url(own[-1]["name"])
    return file_url(original_name(data["digest"], data["format"]))


def license_label(data: dict) -> str:
    """The licence in words: "CC BY 4.0", or the terms given for "other"."""
    if data.get("license") == ImageLicense.OTHER:
        return data.get("license_text") or ""
    try:
        return str(ImageLicense(data.get("license")).label)
    except ValueError:
        return ""


def credit_line(data: dict) -> str:
    """ "Jane Doe (CC BY 4.0)": the credit and licence shown under the image. A Creative
    Commons licence is named even without a credit; other terms need a credit to be shown."""
    label = license_label(data)
    if data.get("credit"):
        return f"{data['credit']} ({label})" if label else data["credit"]
    return label if data.get("license") in LICENSE_URLS else ""


def figcaption_text(data: dict) -> str:
    """The figure's caption: "caption · credit (licence)", or whichever of them there is."""
    return " · ".join(part for part in (data.get("caption"), credit_line(data)) if part)


def with_overrides(data: dict, *, alt: str | None = None, caption: str | None = None) -> dict:
    """``data`` as one use shows it: the writer's alt text and caption (from the Markdown)
    replace the library's when given; an alt text given makes the image not decorative."""
    shown = dict(data)
    if alt:
        shown["alt"] = alt
        shown["decorative"] = False
    if caption:
        shown["caption"] = caption
    return shown


def image_data(image: Image, *, alt: str | None = None, caption: str | None = None) -> dict:
    """The data of ``image`` as an article shows it (``IMAGE_DATA_KEYS``), with the
    writer's ``alt`` and ``caption`` overrides if any."""
    data = {
        "id": image.pk,
        "alt": "" if image.decorative else image.alt_text,
        "decorative": image.decorative,
        "caption": image.caption,
        "credit": image.credit,
        "license": image.license,
        "license_text": image.license_text,
        "rights_holder": image.rights_holder,
        "source_url": image.source_url,
        "digest": image.digest,
        "width": image.width,
        "height": image.height,
        "format": image.format,
        "renditions": [
            {
                "width": item["width"],
                "height": item["height"],
                "format": item["format"],
                "name": item["name"],
                # Images stored before renditions carried their digest may lack one.
                **({"sha256": item["sha256"]} if item.get("sha256") else {}),
            }
            for item in image.renditions or []
        ],
    }
    return with_overrides(data, alt=alt, caption=caption)


def figure_html(data: dict, *, lead: bool = False) -> str:
    """The ``<figure>`` of one image, escaped, XML-well-formed (the Markdown renderer parses it
    into its tree): a ``<picture>`` with a WebP ``<source>`` when the image is in another
    format, an ``<img>`` with its intrinsic size (no layout shift), lazy unless it is the lead
    image, and the caption with credit and licence."""
    loading = format_html(
        ' loading="{}"{} decoding="async"',
        "eager" if lead else "lazy",
        mark_safe(' fetchpriority="high"') if lead else "",
    )
    source = ""
    webp = srcset(data.get("renditions") or [], "WEBP")
    if data["format"] != "WEBP" and webp:
        source = format_html('<source type="image/webp" srcset="{}" sizes="{}" />', webp, SIZES)
    own = srcset(data.get("renditions") or [], data["format"])
    own_srcset = format_html(' srcset="{}" sizes="{}"', own, SIZES) if own else ""
    caption = figcaption_text(data)
    return format_html(
        '<figure class="article-image" data-image="{}"><picture>{}'
        '<img src="{}"{} width="{}" height="{}"{} alt="{}" /></picture>{}</figure>',
        int(data["id"]),
        source,
        main_url(data),
        own_srcset,
        int(data["width"]),
        int(data["height"]),
        loading,
        "" if data.get("decorative") and not data.get("alt") else data.get("alt", ""),
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def api_image(data: dict, absolute: Callable[[str], str] = str) -> dict[str, Any]:
    """One image as the public API gives it (URLs made absolute by ``absolute``)."""
    return {
        "url": absolute(main_url(data)),
        "width": data["width"],
        "height": data["height"],
        "alt": data.get("alt", ""),
        "caption": data.get("caption", ""),
        "credit": data.get("credit", ""),
        "license": data.get("license", ""),
        "srcset": srcset(data.get("renditions") or [], data["format"], absolute),
    }


def image_object(data: dict, absolute: Any) -> dict[str, Any]:
    """A schema.org ``ImageObject`` of one image; ``absolute`` turns a URL into an absolute
    one."""
    item: dict[str, Any] = {
        "@type": "ImageObject",
        "contentUrl": absolute(main_url(data)),
        "width": data["width"],
        "height": data["height"],
    }
    if data.get("caption"):
        item["caption"] = data["caption"]
    if data.get("license") in LICENSE_URLS:
        item["license"] = LICENSE_URLS[data["license"]]
    if data.get("credit"):
        item["creditText"] = data["credit"]
    if data.get("rights_holder"):
        item["copyrightNotice"] = data["rights_holder"]
    return item


def describe(data: dict) -> str:
    """One image's data in words, for comparisons of versions."""
    alt = "decorative (no alt text)" if data.get("decorative") else f"alt “{data.get('alt')}”"
    parts = [f"Image {data.get('id')}: {alt}"]
    if data.get("caption"):
        parts.append(f"caption “{data['caption']}”")
    line = credit_line(data) or license_label(data)
    if line:
        parts.append(f"credit {line}")
    if data.get("rights_holder"):
        parts.append(f"rights holder {data['rights_holder']}")
    if data.get("source_url"):
        parts.append(f"source {data['source_url']}")
    parts.append(f"{data.get('width')}×{data.get('height')} {data.get('format')}")
    parts.append(f"file sha256 {str(data.get('digest'))[:12]}…")
    return "; ".join(parts)
