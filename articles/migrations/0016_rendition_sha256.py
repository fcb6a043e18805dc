"""Each rendition of an image records the SHA-256 of its file (``Image.renditions[].sha256``),
which the sign-off covers from format 3 on.

Images stored before get it here, read from their stored files: every file name holds the
digest of the original it was made from and is never overwritten, so the file as it is now is
the file that was written. A rendition whose file is missing is left without a hash (the
sign-off check reports the missing file). Nothing else changes: working copies pick the
hashes up at their next save, and the pages and approvals made before keep their format-2
digest. No version of the image is recorded (what the image shows did not change).
"""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations


def _file_sha256(name: str) -> str | None:
    if not default_storage.exists(name):
        return None
    sha = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        for block in iter(lambda: stored.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def record_rendition_hashes(apps, schema_editor) -> None:
    Image = apps.get_model("articles", "Image")
    for image in Image.objects.only("pk", "renditions").iterator(chunk_size=500):
        renditions = []
        for rendition in image.renditions or []:
            sha256 = rendition.get("sha256") or _file_sha256(rendition["name"])
            renditions.append({**rendition, "sha256": sha256} if sha256 else rendition)
        if renditions != image.renditions:
            image.renditions = renditions
            image.save(update_fields=["renditions"])


def forget_rendition_hashes(apps, schema_editor) -> None:
    Image = apps.get_model("articles", "Image")
    for image in Image.objects.only("pk", "renditions").iterator(chunk_size=500):
        renditions = [
            {key: value for key, value in rendition.items() if key != "sha256"}
            for rendition in image.renditions or []
        ]
        if renditions != image.renditions:
            image.renditions = renditions
            image.save(update_fields=["renditions"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_image_rights_notice"),
    ]

    operations = [
        migrations.RunPython(record_rendition_hashes, forget_rendition_hashes, elidable=True),
    ]
