"""The media library through the editorial API: upload (base64 in JSON) with the admin's
checks, find, describe, replace the file, delete unused images, with the admin's roles."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
from reversion.models import Version

from articles.models import Article, Image
from articles.selectors import article_versions
from tests.articles import image_files
from tests.conftest import make_user
from tests.reviews.editorial_client import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

IMAGES = "/api/v1/editorial/images/"
NOT_AN_IMAGE = "This file is not a JPEG, PNG or WebP image"


def encoded(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def upload_data(content: bytes | None = None, **fields) -> dict:
    return {
        "title": "Bones breast cancer can spread to",
        "alt_text": "A skeleton with the spine, hips and ribs shaded.",
        "license": "own-work",
        "file": encoded(content if content is not None else image_files.picture(800, 400)),
        **fields,
    }


def stored_files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def detail(image) -> str:
    return f"{IMAGES}{image.pk}/"


def changed(api, image, data: dict, *, if_match: str | None = ""):
    headers = {}
    if if_match is not None:
        headers["If-Match"] = if_match or api.get(detail(image))["ETag"]
    return api.patch(detail(image), data, format="json", headers=headers)


# Upload ------------------------------------------------------------------------------------


def test_writer_uploads_an_image_with_its_renditions(writer, media_storage):
    """A base64 PNG with alt text is stored with its renditions and a version by the writer;
    the answer gives the file's URLs, its digest and an ETag."""
    response = client_for(writer).post(IMAGES, upload_data(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    image = Image.objects.get()
    assert response["Location"].endswith(detail(image)) and response["ETag"]
    assert (data["format"], data["width"], data["height"]) == ("PNG", 800, 400)
    assert data["uploaded_by"] == "writer" and data["used_in"] == []
    assert data["url"] == f"http://testserver/media/images/{image.digest}/800.png"
    assert [(r["width"], r["format"]) for r in data["renditions"]] == [
        (320, "WEBP"), (320, "PNG"), (640, "WEBP"), (640, "PNG"), (800, "WEBP"), (800, "PNG"),
    ]  # fmt: skip
    assert "file" not in data
    original = media_storage / f"images/{image.digest}/original.png"
    assert hashlib.sha256(original.read_bytes()).hexdigest() == image.digest
    (version,) = Version.objects.get_for_object(image)
    assert version.revision.user == writer


def test_a_data_url_is_accepted_and_metadata_is_removed(writer, media_storage):
    """A `data:image/jpeg;base64,` prefix and MIME line breaks are allowed; the phone's GPS,
    serial number and other metadata do not survive into the stored file."""
    mime = base64.encodebytes(image_files.phone_photo()).decode("ascii")
    assert "\n" in mime
    data = upload_data(file="data:image/jpeg;base64," + mime)
    response = client_for(writer).post(IMAGES, data, format="json")
    assert response.status_code == 201, response.json()
    image = Image.objects.get()
    stored = (media_storage / image.file.name).read_bytes()
    assert image_files.SERIAL.encode() not in stored
    assert image_files.MAKER.encode() not in stored
    # The orientation was applied: the 200 × 100 photo stands upright.
    assert (image.width, image.height) == (100, 200)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (image_files.SVG, f"{NOT_AN_IMAGE} (it looks like SVG)."),
        (b"GIF89a" + b"\0" * 30, f"{NOT_AN_IMAGE} (it looks like GIF)."),
        (b"just some text", f"{NOT_AN_IMAGE} (it looks like text)."),
        (
            image_files.decompression_bomb(),
            "This image is too large (10000 × 5000 pixels): images may have at most 40 megapixels.",
        ),
        (image_files.picture()[:200], "This image is damaged or incomplete and cannot be read; "
         "export it again and upload the new file."),
    ],
    ids=["svg", "gif", "text", "bomb", "truncated"],
)  # fmt: skip
def test_refused_files_are_400_on_file_and_nothing_is_stored(
    writer, media_storage, content, message
):
    """The admin's upload checks apply: each refusal names the problem on `file`; no record,
    no file."""
    response = client_for(writer).post(IMAGES, upload_data(content), format="json")
    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert not Image.objects.exists()
    assert stored_files(media_storage) == set()


def test_bad_encodings_and_missing_fields_are_400s(writer, media_storage):
    """Text that is not base64, a number, no file, no alt text on an image that is not
    decorative, an unknown key: 400s naming the field, nothing stored."""
    api = client_for(writer)
    cases = [
        (upload_data(file="not base64!"), "file"),
        (upload_data(file=12), "file"),
        ({k: v for k, v in upload_data().items() if k != "file"}, "file"),
        (upload_data(alt_text=""), "alt_text"),
        (upload_data(license="other"), "license_text"),
        (upload_data(owner="me"), "owner"),
        (upload_data(digest="0" * 64), "digest"),
    ]
    for data, field in cases:
        response = api.post(IMAGES, data, format="json")
        assert response.status_code == 400, field
        assert field in response.json(), (field, response.json())
    assert not Image.objects.exists()
    assert stored_files(media_storage) == set()
    decorative = api.post(IMAGES, upload_data(alt_text="", decorative=True), format="json")
    assert decorative.status_code == 201


def test_oversized_files_are_refused_before_decoding(writer, settings, media_storage):
    """With a 10 kB limit, a larger file is a 400 on `file` from its base64 length, and a
    body larger than any image and its details is refused before it is parsed (even when it
    is not JSON at all)."""
    settings.IMAGE_MAX_BYTES = 10_000
    api = client_for(writer)
    big = image_files.picture() + b"\0" * 20_000
    response = api.post(IMAGES, upload_data(big), format="json")
    assert response.status_code == 400
    assert "too large" in response.json()["file"][0]
    garbage = b"{" + b"x" * (14_000 + 64 * 1024)
    response = api.post(IMAGES, garbage, content_type="application/json")
    assert response.status_code == 400
    assert "too large" in response.json()["file"][0]
    assert not Image.objects.exists() and stored_files(media_storage) == set()


def test_a_large_image_within_the_limit_is_accepted(writer):
    """An image of a few megabytes (above Django's in-memory body limit) goes through."""
    noisy = image_files.picture(1600, 1200, "PNG", compress_level=0)
    assert len(noisy) > 3 * 1024 * 1024
    response = client_for(writer).post(IMAGES, upload_data(noisy), format="json")
    assert response.status_code == 201, response.json()


def test_roles_match_the_admin(writer, reviewer, editor, make_image):
    """Clinical reviewers read the library but do not upload or change it; users outside the
    editorial groups and anonymous clients are refused; writers do not delete."""
    image = make_image()
    assert client_for(reviewer).get(detail(image)).status_code == 200
    refused = client_for(reviewer).post(IMAGES, upload_data(), format="json")
    assert refused.status_code == 403 and "images" in refused.json()["detail"]
    assert changed(client_for(reviewer), image, {"caption": "Mine."}).status_code == 403
    outsider = client_for(make_user("outsider"))
    assert outsider.get(IMAGES).status_code == 403
    response = client_for(writer).delete(detail(image), headers={"If-Match": "x"})
    assert response.status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


# Find and describe ---------------------------------------------------------------------


def test_list_searches_and_filters(writer, make_image):
    """`search` looks in the title, alt text, caption, credit and rights holder; `license`
    filters; a bad licence is a 400."""
    make_image(title="Liver diagram", alt_text="The liver and its lobes.", license="cc0-1.0")
    make_image(title="Bone scan", color=(1, 2, 3))
    api = client_for(writer)
    titles = lambda query: [item["title"] for item in api.get(IMAGES, query).json()["results"]]  # noqa: E731
    assert titles({"search": "lobes"}) == ["Liver diagram"]
    assert titles({"license": "cc-by-4.0"}) == ["Bone scan"]
    assert titles({}) == ["Bone scan", "Liver diagram"]
    assert api.get(IMAGES, {"license": "mine"}).status_code == 400


@pytest.mark.parametrize("count", [2, 12])
def test_list_query_count_does_not_grow(count, writer, make_image, django_assert_max_num_queries):
    """A page of the library costs the same queries with 2 images or 12."""
    for number in range(count):
        make_image(title=f"Image {number}", color=(number, 10, 10))
    api = client_for(writer)
    with django_assert_max_num_queries(8):
        response = api.get(IMAGES)
    assert response.json()["count"] == count


def test_new_alt_text_sends_the_articles_showing_it_for_review(
    writer, editor, make_image, make_article
):
    """Changing the alt text (with If-Match) saves a new version of every article showing
    the image, as the admin does; the detail lists those articles."""
    image = make_image()
    article = make_article(writer, body=f"Bone pain is common [@1].\n\n![](image:{image.pk})")
    api = client_for(editor)
    assert api.get(detail(image)).json()["used_in"] == [{"id": article.pk, "title": article.title}]
    response = changed(api, image, {"alt_text": "The skeleton, shaded where cancer spreads."})
    assert response.status_code == 200, response.json()
    article.refresh_from_db()
    assert article.version == 2
    assert article.images[0]["alt"] == "The skeleton, shaded where cancer spreads."
    assert "changed in the media library (alt text)" in article_versions(article)[-1].comment


def test_new_alt_text_gives_each_article_showing_it_its_own_version(
    writer, editor, make_image, make_article
):
    """An image shown by two articles (an English page and its translation, say): each gets a
    new version of its own, recorded as its own revision; the change is a 200, not a 500."""
    image = make_image()
    body = f"Bone pain is common [@1].\n\n![](image:{image.pk})"
    first, second = make_article(writer, body=body), make_article(writer, body=body)
    response = changed(client_for(editor), image, {"alt_text": "The skeleton, shaded."})
    assert response.status_code == 200, response.content
    for article in (first, second):
        article.refresh_from_db()
        assert article.version == 2
        assert article.images[0]["alt"] == "The skeleton, shaded."
        assert "(alt text)" in article_versions(article)[-1].comment
    assert article_versions(first)[-1].revision_id != article_versions(second)[-1].revision_id


def test_image_changes_need_the_current_etag(writer, make_image):
    """No If-Match is 428, an old one 412; an empty change is a 400; nothing is saved."""
    image = make_image()
    api = client_for(writer)
    old = api.get(detail(image))["ETag"]
    assert changed(api, image, {"caption": "New."}, if_match=None).status_code == 428
    assert changed(api, image, {"caption": "Newer."}, if_match=old).status_code == 200
    assert changed(api, image, {"caption": "Lost."}, if_match=old).status_code == 412
    assert changed(api, image, {}).status_code == 400
    assert changed(api, image, {"width": 10}).status_code == 400
    image.refresh_from_db()
    assert (image.caption, image.width) == ("Newer.", 800)


def test_a_new_file_replaces_the_image_and_keeps_the_old_files(writer, make_image, media_storage):
    """A PATCH with `file` replaces the image's file; the old files stay for the pages that
    show them; a refused file changes nothing."""
    image = make_image()
    before = stored_files(media_storage)
    api = client_for(writer)
    refused = changed(api, image, {"file": encoded(image_files.SVG)})
    assert refused.status_code == 400 and "SVG" in refused.json()["file"][0]
    response = changed(api, image, {"file": encoded(image_files.picture(900, 300, "WEBP"))})
    assert response.status_code == 200, response.json()
    image.refresh_from_db()
    assert (image.format, image.width) == ("WEBP", 900)
    assert before < stored_files(media_storage)


# Delete ------------------------------------------------------------------------------------


def test_images_in_use_are_not_deleted(writer, editor, make_image, make_article):
    """An image shown in a body, or as a lead image, is a 409 naming the article; an unused
    one is deleted by an editor with If-Match (204), its files kept."""
    shown = make_image()
    make_article(writer, body=f"Intro [@1].\n\n![](image:{shown.pk})")
    lead = make_image(title="Lead", color=(5, 5, 5))
    make_article(writer, title="With a lead image", lead_image=lead)
    api = client_for(editor)
    for image, title in ((shown, "Bone metastases explained"), (lead, "With a lead image")):
        response = api.delete(detail(image), headers={"If-Match": api.get(detail(image))["ETag"]})
        assert response.status_code == 409 and title in response.json()["detail"]
    unused = make_image(title="Unused", color=(9, 9, 9))
    assert api.delete(detail(unused)).status_code == 428
    response = api.delete(detail(unused), headers={"If-Match": api.get(detail(unused))["ETag"]})
    assert response.status_code == 204
    assert set(Image.objects.values_list("title", flat=True)) == {shown.title, "Lead"}


def test_an_archived_articles_lead_image_is_kept(writer, editor, make_image, make_article):
    """The lead image of an archived article is protected too (409)."""
    from reviews import workflow

    lead = make_image(title="Lead")
    article = make_article(writer, title="Old page", lead_image=lead)
    workflow.archive(article=article, user=editor, reason="Old.")
    api = client_for(editor)
    response = api.delete(detail(lead), headers={"If-Match": api.get(detail(lead))["ETag"]})
    assert response.status_code == 409
    assert Article.objects.get(pk=article.pk).lead_image_id == lead.pk


def test_json_bodies_only(writer):
    """A multipart upload is not how files come in: the body must be JSON."""
    response = client_for(writer).post(IMAGES, json.dumps(upload_data()), content_type="text/plain")
    assert response.status_code == 415
