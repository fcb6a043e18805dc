"""The images a version of an article shows: its manifest (``Article.images``).

The manifest is the data (``delivery.image_data``) of every library image the body names
(``image:<id>``) and of the lead image, read from the library when the version is saved
(``reviews.workflow.save_working_copy``). Pages of that version are rendered from it, never
from the library as it stands later: a change in the library reaches readers only through a
new version, reviewed again (``articles.image_usage.image_changed``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Image
from ..rendering import MAX_IMAGE_ID, image_references
from .delivery import image_data


def shown_image_ids(body: str, lead_image_id: int | None) -> list[int]:
    """The ids of the images ``body`` names, in order, then the lead image; each once.
    Numbers too large to be an id are left out (no such image exists)."""
    ids = [ref.image_id for ref in image_references(body)]
    if lead_image_id is not None:
        ids.append(lead_image_id)
    return [image_id for image_id in dict.fromkeys(ids) if 0 < image_id <= MAX_IMAGE_ID]


def build_manifest(body: str, lead_image_id: int | None) -> list[dict]:
    """The manifest of a version with ``body`` and ``lead_image_id``, from the library as it
    stands (one query); ids that name no image are left out."""
    ids = shown_image_ids(body, lead_image_id)
    if not ids:
        return []
    images = {image.pk: image for image in Image.objects.filter(pk__in=ids)}
    return [image_data(images[image_id]) for image_id in ids if image_id in images]


def by_id(manifest: Iterable[dict]) -> dict[int, dict]:
    """The manifest's entries by image id."""
    return {int(entry["id"]): entry for entry in manifest or ()}


#: What the stored JSON of any image's data starts with (see :func:`json_pattern`): the
#: manifests and snapshots that show at least one image hold it.
ANY_IMAGE_PATTERN = '{"id": '


def json_pattern(image_id: int) -> str:
    """What the stored JSON of an image's data starts with: ``{"id": 42,`` (``id`` is the
    first key as Python writes it and the shortest key, hence first, in PostgreSQL's jsonb),
    so ``images__contains`` on the text finds the manifests and snapshots that show it on
    every database (a caption quoting it is escaped, ``{\\"id\\"``, and does not match)."""
    return f"{ANY_IMAGE_PATTERN}{int(image_id)},"
