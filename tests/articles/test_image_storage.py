"""Storing images: the clean original and its renditions under digest names, written once;
the record's version; what articles hear of a change; the media view; the S3 settings."""

import datetime
import hashlib
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image as PillowImage
from reversion.models import Version

from articles import image_usage
from articles.images.renditions import store_image
from articles.images.uploads import CleanImage
from articles.models import Image
from tests.articles import image_files
from tests.articles.image_files import upload

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def new_image(user, content: bytes | None = None, **fields) -> Image:
    values = {"title": "Port diagram", "alt_text": "A port under the skin.", **fields}
    return store_image(
        image=Image(**values), user=user, upload=upload(content or image_files.picture(1700, 850))
    )


def test_original_and_renditions_are_stored_under_digest_names(writer):
    """A 1700-pixel PNG gets 320, 640, 1024, 1600 and 1700 wide renditions, each in WebP and
    PNG, all under images/<digest>/, with the record pointing at them."""
    image = new_image(writer)
    digest = image.digest
    assert len(digest) == 64
    assert image.file.name == f"images/{digest}/original.png"
    assert (image.format, image.width, image.height) == ("PNG", 1700, 850)
    assert [(r["width"], r["height"], r["format"]) for r in image.renditions] == [
        (width, height, image_format)
        for width, height in [(320, 160), (640, 320), (1024, 512), (1600, 800), (1700, 850)]
        for image_format in ("WEBP", "PNG")
    ]
    expected = {f"images/{digest}/original.png"} | {r["name"] for r in image.renditions}
    assert stored_files() == expected
    for rendition in image.renditions:
        path = Path(settings.MEDIA_ROOT) / rendition["name"]
        assert rendition["name"] == f"images/{digest}/{rendition['width']}.{path.suffix[1:]}"
        with PillowImage.open(path) as stored:
            assert stored.format == rendition["format"]
            assert stored.size == (rendition["width"], rendition["height"])


def test_small_image_has_one_rendition_width_and_webp_original_one_format(writer):
    """Narrower than 320: only its own width; a WebP original: WebP renditions only."""
    image = new_image(writer, image_files.picture(300, 200, "WEBP"))
    assert [(r["width"], r["format"]) for r in image.renditions] == [(300, "WEBP")]


def test_store_records_a_version_by_the_uploader(writer):
    """The record is saved with a django-reversion version by the user; they are its uploader."""
    image = new_image(writer)
    assert image.uploaded_by == writer
    versions = Version.objects.get_for_object(image)
    assert versions.count() == 1
    assert versions[0].revision.user == writer


def test_identical_upload_reuses_the_same_files(writer, editor):
    """Uploading the same picture again writes nothing new: same digest, same names."""
    first = new_image(writer, image_files.phone_photo())
    files = stored_files()
    mtimes = {name: os.stat(Path(settings.MEDIA_ROOT) / name).st_mtime_ns for name in files}
    second = new_image(editor, image_files.phone_photo(), title="Again")
    assert second.pk != first.pk
    assert second.digest == first.digest and second.renditions == first.renditions
    assert stored_files() == files
    assert {n: os.stat(Path(settings.MEDIA_ROOT) / n).st_mtime_ns for n in files} == mtimes


def test_each_rendition_records_the_sha256_of_its_file(writer, editor):
    """Every rendition carries the SHA-256 of its stored bytes (the sign-off check compares
    the files readers are served with it), an identical upload reusing the files too."""
    first = new_image(writer, image_files.picture(700, 350, "JPEG"))
    for rendition in first.renditions:
        stored = (Path(settings.MEDIA_ROOT) / rendition["name"]).read_bytes()
        assert rendition["sha256"] == hashlib.sha256(stored).hexdigest()
    assert new_image(editor, image_files.picture(700, 350, "JPEG")).renditions == first.renditions


def test_the_upgrade_records_the_sha256_of_renditions_stored_before(writer):
    """Images stored before renditions carried their SHA-256 (a demo database upgraded) get it
    from their stored files (migration 0016); a rendition whose file is gone is left without
    one (the sign-off check reports the missing file)."""
    image = new_image(writer)
    before = [
        {key: value for key, value in rendition.items() if key != "sha256"}
        for rendition in image.renditions
    ]
    Image.objects.filter(pk=image.pk).update(renditions=before)
    (Path(settings.MEDIA_ROOT) / before[0]["name"]).unlink()
    migration = importlib.import_module("articles.migrations.0016_rendition_sha256")
    migration.record_rendition_hashes(django_apps, None)
    expected = [before[0]] + [
        {
            **rendition,
            "sha256": hashlib.sha256(
                (Path(settings.MEDIA_ROOT) / rendition["name"]).read_bytes()
            ).hexdigest(),
        }
        for rendition in before[1:]
    ]
    assert Image.objects.get(pk=image.pk).renditions == expected


def test_replacing_the_file_keeps_the_old_files_and_tells_the_articles(writer, monkeypatch):
    """A new file writes new names; the old ones stay for the pages still showing them; the
    articles using the image hear that its file changed."""
    calls = []
    monkeypatch.setattr(image_usage, "image_changed", lambda *args: calls.append(args) or [])
    image = new_image(writer)
    old_files = stored_files()
    old_digest = image.digest
    image = Image.objects.get(pk=image.pk)
    store_image(image=image, user=writer, upload=upload(image_files.picture(800, 400, "JPEG")))
    image.refresh_from_db()
    assert image.digest != old_digest and image.format == "JPEG"
    assert old_files < stored_files()
    assert image.file.name == f"images/{image.digest}/original.jpg"
    assert calls == [(image, writer, ["file", "digest"])]
    assert Version.objects.get_for_object(image).count() == 2


@pytest.mark.parametrize(
    ("changes", "told"),
    [
        ({"alt_text": "A new description."}, ["alt_text"]),
        ({"caption": "New caption", "credit": "Someone"}, ["caption", "credit"]),
        ({"decorative": True, "alt_text": ""}, ["alt_text", "decorative"]),
        ({"license": "cc0-1.0"}, ["license"]),
        (
            {"rights_holder": "Us", "source_url": "https://example.org/ours"},
            ["rights_holder", "source_url"],
        ),
        ({"title": "Only the library's title"}, None),
    ],
    ids=["alt", "caption-credit", "decorative", "licence", "rights-holder-source", "title-only"],
)
def test_articles_hear_of_changes_to_what_they_show(writer, monkeypatch, changes, told):
    """Alt text, decorative, caption, credit, licence, rights holder and source changes go to
    image_changed; the library's own title does not."""
    calls = []
    monkeypatch.setattr(image_usage, "image_changed", lambda *args: calls.append(args) or [])
    image = Image.objects.get(pk=new_image(writer).pk)
    for name, value in changes.items():
        setattr(image, name, value)
    store_image(image=image, user=writer)
    assert calls == ([(image, writer, told)] if told else [])


def test_refused_upload_stores_nothing(writer):
    """A refused file leaves no record and no file."""
    with pytest.raises(ValidationError):
        new_image(writer, image_files.decompression_bomb())
    with pytest.raises(ValidationError):
        new_image(writer, image_files.SVG)
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_an_encoder_error_while_storing_is_a_refusal_and_stores_nothing(writer):
    """A clean image whose renditions cannot be encoded (here taller than WebP allows, as
    clean_upload would refuse) is refused with a ValidationError: no record, and no file,
    not even its original."""
    content = image_files.long_sided_png(300, 17_000)
    clean = CleanImage(
        content=content,
        format="PNG",
        width=300,
        height=17_000,
        digest=hashlib.sha256(content).hexdigest(),
    )
    image = Image(title="Too tall", alt_text="A tall strip.")
    with pytest.raises(ValidationError) as raised:
        store_image(image=image, user=writer, upload=clean)
    assert raised.value.code == "cannot_encode"
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_a_storage_failure_removes_the_files_this_upload_wrote(writer, monkeypatch):
    """Should the storage fail part-way (a full disk), the files written so far are removed
    and the original is never written: no half-stored image is left for a later identical
    upload to reuse."""
    real_save = default_storage.save
    saved: list[str] = []

    def failing_save(name, content, *args, **kwargs):
        if len(saved) == 3:
            raise OSError("No space left on device")
        saved.append(name)
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_save)
    with pytest.raises(OSError):
        new_image(writer)
    assert len(saved) == 3 and not any(name.endswith("/original.png") for name in saved)
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_invalid_record_stores_no_file(writer):
    """Alt text missing (not decorative): refused before any file is written."""
    with pytest.raises(ValidationError) as raised:
        new_image(writer, alt_text="")
    assert "alt_text" in raised.value.message_dict
    assert stored_files() == set()


# The media view -----------------------------------------------------------------------------


def test_media_view_serves_files_cacheable_forever(client, writer):
    """/media/images/<digest>/<name> answers with the right type, immutable caching, nosniff."""
    image = new_image(writer, image_files.picture(700, 350, "JPEG"))
    for name, content_type in [
        (image.file.name, "image/jpeg"),
        (f"images/{image.digest}/320.webp", "image/webp"),
        (f"images/{image.digest}/640.jpg", "image/jpeg"),
    ]:
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        assert body == (Path(settings.MEDIA_ROOT) / name).read_bytes()
    assert client.head(f"/media/{image.file.name}").status_code == 200
    assert client.post(f"/media/{image.file.name}").status_code == 405


def expire(*images: Image, on: datetime.date | None = None) -> None:
    """End the rights of ``images`` yesterday (or ``on``)."""
    ended = on or timezone.localdate() - datetime.timedelta(days=1)
    Image.objects.filter(pk__in=[image.pk for image in images]).update(rights_expire_on=ended)


def status_of(client, image_or_name: Image | str) -> int:
    name = image_or_name if isinstance(image_or_name, str) else image_or_name.file.name
    return client.get(f"/media/{name}").status_code


def test_media_view_refuses_the_files_of_an_image_whose_rights_expired(client, writer):
    """From the day after its rights end, the image's original and renditions are 404, not
    cacheable; on its last day they are still served."""
    image = new_image(writer, image_files.picture(700, 350, "JPEG"))
    expire(image, on=timezone.localdate())
    assert status_of(client, image) == 200
    expire(image)
    for name in [image.file.name, *(rendition["name"] for rendition in image.renditions)]:
        response = client.get(f"/media/{name}")
        assert response.status_code == 404, name
        assert "immutable" not in response.get("Cache-Control", "")


def test_a_file_two_images_share_is_served_while_either_may_be_shown(client, writer, editor):
    """Two library images with the same file (identical uploads) and different rights: the
    file is served until the rights of both have ended."""
    first = new_image(writer, image_files.phone_photo())
    second = new_image(editor, image_files.phone_photo(), title="Again")
    assert first.digest == second.digest
    expire(first)
    assert status_of(client, first) == 200
    expire(second)
    assert status_of(client, first) == 404


def test_the_old_files_of_a_replaced_image_are_served_while_its_rights_last(client, writer):
    """After a new file, the old one (no library image has it any more, pages approved with
    it still link to it) is served until the rights of the image it belonged to end."""
    image = new_image(writer)
    old = image.file.name
    store_image(image=image, user=writer, upload=upload(image_files.picture(800, 400, "JPEG")))
    assert not Image.objects.filter(digest=old.split("/")[1]).exists()
    assert status_of(client, old) == 200
    expire(image)
    assert status_of(client, old) == 404
    assert status_of(client, image) == 404


def test_a_file_no_image_ever_had_is_still_served(client, writer):
    """A stored file that no library image has or had on record (rows written without a
    version, before the library recorded one) keeps being served: its rights are unknown."""
    image = new_image(writer)
    Image.objects.filter(pk=image.pk).delete()
    Version.objects.all().delete()
    assert status_of(client, image) == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/{digest}/2000.webp",  # not stored
        "/media/images/{digest}/original.gif",
        "/media/images/{digest}/../../secret.txt",
        "/media/images/%2e%2e/secret.txt",
        "/media/images/{digest}/..%2f..%2fsecret.txt",
        "/media/images/{digest}/original.jpg/",
        "/media/secret.txt",
        "/media/other/secret.txt",
        "/media/images/{digest}",
        "/media/images/ABC/original.jpg",
        "/media/images/{digest}/original.jpg%00.txt",
    ],
)
def test_media_view_serves_nothing_else(client, writer, path):
    """Anything but a stored image file's name is 404: other folders, traversal, odd names."""
    image = new_image(writer, image_files.picture(400, 200, "JPEG"))
    (Path(settings.MEDIA_ROOT) / "secret.txt").write_text("secret")
    (Path(settings.MEDIA_ROOT) / "other").mkdir()
    (Path(settings.MEDIA_ROOT) / "other" / "secret.txt").write_text("secret")
    response = client.get(path.format(digest=image.digest))
    assert response.status_code == 404
    assert b"secret" not in response.content


# Settings -----------------------------------------------------------------------------------

SHOW_STORAGE = (
    "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mbc_cms.settings'; "
    "from django.conf import settings as s; "
    "print(json.dumps({'default': s.STORAGES['default'], 'origins': s.MEDIA_ORIGINS, "
    "'root': str(s.MEDIA_ROOT)}))"
)


def run_with_settings(script: str, **env: str) -> subprocess.CompletedProcess:
    """``script`` run in a fresh interpreter whose environment has only ``env`` of the
    project's DJANGO_* and AWS_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    clean.update(DJANGO_DEBUG="1", **env)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def printed_by(script: str, **env: str) -> str:
    result = run_with_settings(script, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def storage_settings(**env: str) -> dict:
    return json.loads(printed_by(SHOW_STORAGE, **env).strip().splitlines()[-1])


def test_local_filesystem_by_default():
    """Without S3 settings, files go to MEDIA_ROOT (DJANGO_MEDIA_ROOT) on the filesystem."""
    found = storage_settings(DJANGO_MEDIA_ROOT="/srv/mbc/media")
    assert found["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert found["root"] == "/srv/mbc/media" and found["origins"] == []


def test_s3_bucket_when_its_settings_are_given():
    """DJANGO_S3_* select django-storages' S3 backend: no overwrite, immutable caching,
    permanent URLs; behind a CDN the bucket stays private and the CDN is the image origin."""
    found = storage_settings(
        DJANGO_S3_BUCKET="mbc-media",
        DJANGO_S3_ENDPOINT_URL="https://s3.example.net",
        DJANGO_S3_REGION="eu-west-2",
        DJANGO_S3_CUSTOM_DOMAIN="media.example.org",
    )
    assert found["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "mbc-media",
            "file_overwrite": False,
            "default_acl": "private",
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "endpoint_url": "https://s3.example.net",
            "region_name": "eu-west-2",
            "custom_domain": "media.example.org",
        },
    }
    assert found["origins"] == ["https://media.example.org"]
    plain = storage_settings(DJANGO_S3_BUCKET="mbc-media", DJANGO_S3_REGION="eu-west-2")
    assert plain["default"]["OPTIONS"]["default_acl"] == "public-read"
    assert plain["origins"] == ["https://mbc-media.s3.eu-west-2.amazonaws.com"]


def test_s3_storage_builds_permanent_urls_without_the_network():
    """The configured backend loads and names files at the CDN address, with no signature."""
    script = (
        SHOW_STORAGE.split("print(")[0]
        + "from django.core.files.storage import storages; d = storages['default']; "
        "print(type(d).__name__, d.url('images/abc/original.png'))"
    )
    printed = printed_by(
        script,
        DJANGO_S3_BUCKET="mbc-media",
        DJANGO_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    assert printed.split() == [
        "S3Storage",
        "https://media.example.org/images/abc/original.png",
    ]


def test_unknown_s3_acl_stops_the_start():
    """DJANGO_S3_ACL other than private or public-read is refused at startup."""
    result = run_with_settings(
        SHOW_STORAGE, DJANGO_S3_BUCKET="b", DJANGO_S3_ACL="public-read-write"
    )
    assert result.returncode != 0
    assert "DJANGO_S3_ACL must be private or public-read" in result.stderr


def test_production_server_serves_the_demo_images(tmp_path):
    """Under gunicorn with DJANGO_DEBUG=0 (as `make serve`), the app serves the seeded
    diagrams from DJANGO_MEDIA_ROOT with immutable caching; other media paths are 404."""
    import urllib.error
    import urllib.request

    from tests.servers import gunicorn_server

    with gunicorn_server(tmp_path, workers=1, commands=(("seed_demo",),)) as base:
        media = tmp_path / "media"
        originals = sorted(media.glob("images/*/original.png"))
        assert len(originals) == 4
        name = originals[0].relative_to(media).as_posix()
        with urllib.request.urlopen(f"{base}/media/{name}", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "image/png"
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.read() == originals[0].read_bytes()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/media/db.sqlite3", timeout=10)
        assert missing.value.code == 404
