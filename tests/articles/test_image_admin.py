"""The media library in the admin: uploads through the form, alt text, the list's thumbnails,
search and filters, deletion of an image in use, each role's rights, and the article list's
"image rights expired" filter."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import image_usage
from articles.images import uploads
from articles.images.renditions import store_image
from articles.models import Article, Image
from reviews import workflow
from tests.admin_client import AdminSession
from tests.articles import image_files
from tests.articles.image_files import upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_image_add")
NOT_AN_IMAGE = "This file is not a JPEG, PNG or WebP image"
LIST = reverse("admin:articles_image_changelist")


def change_url(image: Image) -> str:
    return reverse("admin:articles_image_change", args=[image.pk])


def delete_url(image: Image) -> str:
    return reverse("admin:articles_image_delete", args=[image.pk])


def form(**overrides) -> dict:
    """The image form as a browser sends it (the checkbox left out when unticked)."""
    data = {
        "title": "Where it spreads",
        "alt_text": "Outline of a body with the bones, lungs, liver and brain marked.",
        "caption": "Common sites of spread.",
        "credit": "Jane Doe",
        "license": "cc-by-4.0",
        "license_text": "",
        "source_url": "",
        "rights_holder": "Jane Doe",
        "rights_expire_on": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def field_errors(response, name: str) -> list[str]:
    return list(response.context["adminform"].form.errors.get(name, []))


def library_image(user, **fields) -> Image:
    values = {"title": "Diagram", "alt_text": "A diagram.", **fields}
    return store_image(image=Image(**values), user=user, upload=upload(image_files.picture()))


def test_writer_uploads_an_image(writer):
    """The form's file is cleaned, stored with its renditions, and the record saved with a
    version; the writer is its uploader (not a form field)."""
    session = AdminSession(writer)
    page = session.get(ADD)
    assert page.status_code == 200
    assert 'name="uploaded_by"' not in page.text
    response = session.post(
        ADD, form(upload=upload(image_files.phone_photo(), "photo.jpg", "image/jpeg"))
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    image = Image.objects.get()
    assert (image.uploaded_by, image.format, image.width, image.height) == (
        writer,
        "JPEG",
        100,
        200,
    )
    assert image.file.name == f"images/{image.digest}/original.jpg"
    saved = (Path(settings.MEDIA_ROOT) / image.file.name).read_bytes()
    assert image_files.SERIAL.encode() not in saved and b"Exif" not in saved
    assert Version.objects.get_for_object(image).get().revision.user == writer


def test_new_image_needs_a_file(writer):
    """Without a file nothing is saved, and the form says so on the field."""
    response = AdminSession(writer).post(ADD, form())
    assert response.status_code == 200
    assert field_errors(response, "upload") == ["This field is required."]
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (image_files.SVG, "diagram.png", f"{NOT_AN_IMAGE} (it looks like SVG)."),
        (b"just some text", "photo.jpg", f"{NOT_AN_IMAGE} (it looks like text)."),
        (
            image_files.decompression_bomb(),
            "small.png",
            "This image is too large (10000 × 5000 pixels): images may have at most 40 megapixels.",
        ),
        (
            image_files.picture() + b"\0" * (20 * 1024 * 1024),
            "big.png",
            "This file is 20.0 MB; images may be at most 20.0 MB.",
        ),
    ],
    ids=["svg", "renamed-text", "bomb", "oversized"],
)  # fmt: skip
def test_refused_files_are_named_on_the_field_and_nothing_is_stored(writer, content, name, message):
    """An SVG, a renamed text file, a decompression bomb and a file over 20 MB are refused
    with a clear message on the file field; no record, no file."""
    response = AdminSession(writer).post(ADD, form(upload=upload(content, name, "image/png")))
    assert response.status_code == 200
    assert field_errors(response, "upload") == [message]
    assert message in response.text
    assert not Image.objects.exists()
    assert stored_files() == set()


@pytest.mark.parametrize(
    ("content", "name", "size"),
    [
        (image_files.long_sided_png(300, 17_000), "diagram.png", "300 × 17000"),
        (image_files.wide_canvas_webp(20_000, 100), "strip.webp", "20000 × 100"),
    ],
    ids=["tall-png", "animated-webp-canvas"],
)
def test_a_side_longer_than_webp_allows_is_named_on_the_field(writer, content, name, size):
    """A 300 × 17000 PNG (under 40 megapixels) and an animated WebP declaring a 20000-pixel
    canvas are refused on the file field, not with an error page; nothing is stored."""
    response = AdminSession(writer).post(ADD, form(upload=upload(content, name, "image/png")))
    assert response.status_code == 200
    assert field_errors(response, "upload") == [
        f"This image is {size} pixels: images may be at most 16383 pixels wide or high. "
        "Export it smaller and upload the new file."
    ]
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_a_rendition_the_encoder_refuses_is_named_on_the_field(writer, monkeypatch):
    """Should a rendition fail to encode (here the side limit raised past WebP's own), the
    form says so on the file field and nothing is stored."""
    monkeypatch.setattr(uploads, "MAX_SIDE", 20_000)
    content = image_files.long_sided_png(300, 17_000)
    response = AdminSession(writer).post(ADD, form(upload=upload(content, "diagram.png")))
    assert response.status_code == 200
    assert field_errors(response, "upload") == [
        "This image could not be converted to WEBP for the web; export it again (smaller, "
        "or in another format) and upload the new file."
    ]
    assert not Image.objects.exists()
    assert stored_files() == set()


def test_oversized_message_shows_the_real_size(writer):
    """The size in the message is the file's own."""
    content = image_files.picture() + b"\0" * (25 * 1024 * 1024)
    response = AdminSession(writer).post(ADD, form(upload=upload(content, "big.png")))
    assert field_errors(response, "upload") == [
        "This file is 25.0 MB; images may be at most 20.0 MB."
    ]


def test_alt_text_is_required_unless_decorative(writer):
    """Blank alt text is a form error (nothing stored) unless the image is marked decorative."""
    session = AdminSession(writer)
    response = session.post(ADD, form(alt_text="", upload=upload(image_files.picture())))
    assert response.status_code == 200
    assert field_errors(response, "alt_text") == [
        "Describe the image for people who cannot see it, or mark it decorative."
    ]
    assert not Image.objects.exists() and stored_files() == set()
    response = session.post(
        ADD, form(alt_text="", decorative="on", upload=upload(image_files.picture()))
    )
    assert response.status_code == 302
    assert Image.objects.get().decorative


def test_other_licence_needs_its_terms(writer):
    """The licence "Other" without its terms is a form error on the terms."""
    response = AdminSession(writer).post(
        ADD, form(license="other", upload=upload(image_files.picture()))
    )
    assert field_errors(response, "license_text") == [
        'Give the licence terms when the licence is "Other".'
    ]


def test_editing_alt_text_tells_the_articles_and_keeps_the_file(writer, monkeypatch):
    """Changing the alt text in the admin calls image_changed with it; no new file."""
    image = library_image(writer)
    calls = []
    monkeypatch.setattr(image_usage, "image_changed", lambda *args: calls.append(args) or [])
    response = AdminSession(writer).post(
        change_url(image), form(title=image.title, alt_text="A clearer description.")
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "A clearer description."
    assert [(call[0].pk, call[1], call[2]) for call in calls] == [
        (image.pk, writer, ["alt_text", "caption", "credit", "license", "rights_holder"])
    ]


def test_new_alt_text_in_the_admin_gives_each_article_its_own_version(writer, make_article):
    """An image two articles show: the admin's change saves a new version of each, each its
    own revision (one version is one revision of one article), not a 500."""
    image = library_image(writer)
    body = f"Bone pain is common [@1].\n\n![](image:{image.pk})"
    first, second = make_article(writer, body=body), make_article(writer, body=body)
    response = AdminSession(writer).post(
        change_url(image), form(title=image.title, alt_text="A clearer description.")
    )
    assert response.status_code == 302
    for article in (first, second):
        article.refresh_from_db()
        assert article.version == 2
        assert article.images[0]["alt"] == "A clearer description."


def test_replacing_the_file_in_the_admin(writer):
    """A new file on the change page replaces the image; the old files stay."""
    image = library_image(writer)
    before = stored_files()
    response = AdminSession(writer).post(
        change_url(image),
        form(
            title=image.title,
            alt_text=image.alt_text,
            upload=upload(image_files.picture(900, 300, "WEBP"), "new.webp"),
        ),
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.format == "WEBP" and image.width == 900
    assert before < stored_files()


def test_old_versions_are_listed_but_never_written_back(writer, editor):
    """The history lists versions; the revert page is refused (a file change goes through an
    upload, so the articles using it are told)."""
    image = library_image(writer)
    image.alt_text = "Changed."
    store_image(image=image, user=writer)
    session = AdminSession(editor)
    history = session.get(reverse("admin:articles_image_history", args=[image.pk]))
    assert history.status_code == 200
    first = Version.objects.get_for_object(image).last()
    revert = reverse("admin:articles_image_revision", args=[image.pk, first.pk])
    assert session.get(revert).status_code == 403


# The list ---------------------------------------------------------------------------------


def test_list_shows_lazy_thumbnails_without_alt(writer):
    """Each row shows the smallest WebP rendition, lazy, with empty alt beside the title."""
    image = library_image(writer)
    page = AdminSession(writer).get(LIST).text
    thumbnail = f'src="/media/images/{image.digest}/200.webp" alt="" width="96" height="48"'
    assert thumbnail in page
    assert 'loading="lazy"' in page
    assert (
        AdminSession(writer).client.get(f"/media/images/{image.digest}/200.webp").status_code == 200
    )


def make_rows(user, count: int) -> None:
    today = timezone.localdate()
    for number in range(count):
        Image.objects.create(
            title=f"Row {number}",
            alt_text="" if number % 3 == 0 else f"Alt {number}",
            decorative=number % 6 == 0,
            license="cc-by-4.0" if number % 2 else "own-work",
            rights_expire_on=today + datetime.timedelta(days=number - 5) if number % 4 else None,
            uploaded_by=user,
            credit=f"Credit{number}x",
            rights_holder=f"holder{number}",
            file=f"images/{number:064x}/original.png",
            digest=f"{number:064x}",
            format="PNG",
            width=640,
            height=320,
            renditions=[
                {
                    "width": 320,
                    "height": 160,
                    "format": "WEBP",
                    "name": f"images/{number:064x}/320.webp",
                }
            ],
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", None),
        ("q=Credit12x", {"Row 12"}),
        ("q=holder7", {"Row 7"}),
        ("q=Alt+25", {"Row 25"}),
        ("alt_text=missing", {f"Row {n}" for n in range(40) if n % 3 == 0 and n % 6}),
        ("alt_text=decorative", {f"Row {n}" for n in range(40) if n % 6 == 0}),
        ("license__exact=cc-by-4.0", {f"Row {n}" for n in range(40) if n % 2}),
        ("rights=expired", {f"Row {n}" for n in range(40) if n % 4 and n < 5}),
        ("rights=expiring", {f"Row {n}" for n in range(40) if n % 4 and 5 <= n <= 35}),
        ("rights=none", {f"Row {n}" for n in range(40) if n % 4 == 0}),
    ],
    ids=[
        "all",
        "search-credit",
        "search-holder",
        "search-alt",
        "missing-alt",
        "decorative",
        "licence",
        "expired",
        "expiring",
        "none",
    ],
)
def test_list_search_and_filters_in_few_queries(
    editor, query, expected, django_assert_max_num_queries
):
    """Search, the licence, alt-text and rights filters list the right images, in a number of
    queries that does not grow with the list."""
    make_rows(editor, 40)
    session = AdminSession(editor)
    with django_assert_max_num_queries(12):
        page = session.get(f"{LIST}?{query}").text
    shown = set(re.findall(r">(Row \d+)</a>", page))
    assert shown == (expected if expected is not None else {f"Row {n}" for n in range(40)})


def test_list_marks_missing_alt_and_rights_ending(editor):
    """Missing alt text and expired or expiring rights stand out in the list."""
    today = timezone.localdate()
    Image.objects.create(
        title="Old",
        alt_text="",
        rights_expire_on=today - datetime.timedelta(days=1),
        file="images/x/original.png",
        digest="0" * 64,
        format="PNG",
        width=1,
        height=1,
    )
    page = AdminSession(editor).get(LIST).text
    assert '<strong class="image-warning">Missing</strong>' in page
    assert "Expired" in page and "(not shown)" in page


# Deleting -----------------------------------------------------------------------------------


def test_deleting_a_lead_image_is_refused_naming_the_article(writer, editor, make_article):
    """An image that is an article's lead image cannot be deleted; the page names it."""
    image = library_image(writer)
    article = make_article(writer, title="Bones and pain", lead_image=image)
    session = AdminSession(editor)
    page = session.get(delete_url(image))
    assert page.status_code == 200
    assert "cannot be deleted, because these articles show it" in page.text
    assert "Bones and pain" in page.text
    assert session.post(delete_url(image), {"post": "yes"}).status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()
    assert Article.objects.get(pk=article.pk).lead_image == image


def test_deleting_an_image_shown_in_a_body_is_refused(writer, editor, make_article):
    """An image an article's body shows cannot be deleted, from its page or by the list's
    bulk action."""
    image = library_image(writer)
    make_article(writer, title="Ports explained", body=f"Text [@1].\n\n![](image:{image.pk})")
    session = AdminSession(editor)
    page = session.get(delete_url(image)).text
    assert "Ports explained" in page and "cannot be deleted, because these articles show" in page
    session.post(delete_url(image), {"post": "yes"})
    bulk = session.post(
        LIST, {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"}
    )
    assert "protected related objects" in bulk.text and "Ports explained" in bulk.text
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_image_an_archived_article_shows_cannot_be_deleted(writer, editor, make_article):
    """An archived article can be restored: the image its body shows is kept, and the
    deletion page names the article."""
    image = library_image(writer)
    article = make_article(writer, title="Old ports page", body=f"Text.\n\n![](image:{image.pk})")
    workflow.archive(article=article, user=editor, reason="Outdated.")
    session = AdminSession(editor)
    page = session.get(delete_url(image)).text
    assert "Old ports page" in page and "cannot be deleted, because these articles show" in page
    assert session.post(delete_url(image), {"post": "yes"}).status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_image_only_an_earlier_page_showed_cannot_be_deleted(
    writer, reviewer, editor, make_article
):
    """A page that went live showing the image (now replaced by a version without it, then
    unpublished) still names it: the image is kept."""
    image = library_image(writer)
    article = make_article(
        writer, title="Implanted ports", body=f"Text [@1].\n\n![](image:{image.pk})"
    )
    for body in (None, "Text without the diagram [@1]."):
        if body:
            article.body = body
            workflow.save_working_copy(article=article, user=writer)
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        workflow.publish(article=article, user=editor, change_note="The diagram went.")
        article.refresh_from_db()
    workflow.unpublish(article=article, user=editor, reason="Paused.")
    session = AdminSession(editor)
    page = session.get(delete_url(image)).text
    assert "Implanted ports" in page and "cannot be deleted, because these articles show" in page
    assert session.post(delete_url(image), {"post": "yes"}).status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_unused_image_is_deleted_by_an_editor(writer, editor):
    """An image no article shows is deleted; its files stay (pages may still show them)."""
    image = library_image(writer)
    files = stored_files()
    response = AdminSession(editor).post(delete_url(image), {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert stored_files() == files


# Roles --------------------------------------------------------------------------------------


def test_each_role_gets_its_rights(writer, reviewer, editor):
    """Writers and editors add and change images, only editors delete, clinical reviewers
    only look."""
    image = library_image(writer)
    expectations = [
        (writer, {"list": 200, "add": 200, "change_post": 302, "delete": 403}),
        (editor, {"list": 200, "add": 200, "change_post": 302, "delete": 200}),
        (reviewer, {"list": 200, "add": 403, "change_post": 403, "delete": 403}),
    ]
    for user, expected in expectations:
        session = AdminSession(user)
        got = {
            "list": session.get(LIST).status_code,
            "add": session.get(ADD).status_code,
            "change_post": session.post(
                change_url(image), form(title=f"By {user.username}", alt_text="Alt.")
            ).status_code,
            "delete": session.get(delete_url(image)).status_code,
        }
        assert got == expected, user.username
    reviewer_page = AdminSession(reviewer).get(change_url(image))
    assert reviewer_page.status_code == 200 and 'name="alt_text"' not in reviewer_page.text
    assert Image.objects.get(pk=image.pk).title == "By editor"


def test_anonymous_visitors_are_sent_to_log_in(client, writer):
    image = library_image(writer)
    response = client.get(change_url(image))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# The article list -------------------------------------------------------------------------


def articles_listed(session: AdminSession) -> set[str]:
    """The titles the article list's "image rights expired" filter shows."""
    page = session.get(reverse("admin:articles_article_changelist") + "?image_rights=expired")
    assert page.status_code == 200
    return set(re.findall(r'<th class="field-title"><a [^>]*>([^<]+)</a>', page.text))


def test_article_list_flags_articles_showing_images_whose_rights_expired(
    writer, reviewer, editor, make_article
):
    """The article list's "image rights" filter shows the articles whose lead image, an image
    in the body, or an image on the live page has expired rights; not the others."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired_lead = library_image(writer, title="Expired lead", rights_expire_on=yesterday)
    expired_body = library_image(writer, title="Expired body")
    expired_live = library_image(writer, title="Expired on the live page")
    current = library_image(writer, title="Current", rights_expire_on=timezone.localdate())
    lead = make_article(writer, title="Has an expired lead image", lead_image=expired_lead)
    body = make_article(
        writer, title="Shows an expired image", body=f"![](image:{expired_body.pk})"
    )
    live = make_article(
        writer, title="Live page shows one", body=f"T [@1].\n\n![](image:{expired_live.pk})"
    )
    workflow.submit(article=live, user=writer)
    workflow.approve(article=live, user=reviewer)
    workflow.publish(article=live, user=editor)
    live.refresh_from_db()
    live.body = "The diagram is gone from the working copy [@1]."
    workflow.save_working_copy(article=live, user=writer)
    make_article(writer, title="Shows a current image", body=f"![](image:{current.pk})")
    make_article(writer, title="Shows no image")
    Image.objects.filter(pk__in=[expired_body.pk, expired_live.pk]).update(
        rights_expire_on=yesterday
    )
    assert articles_listed(AdminSession(editor)) == {lead.title, body.title, live.title}


def test_the_expired_rights_filter_takes_a_fixed_number_of_queries(
    writer, editor, make_article, django_assert_max_num_queries
):
    """With over a thousand images whose rights expired, the filter still answers, in as many
    queries as with one (no condition per image: SQLite refuses an expression that large)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = library_image(writer, title="Expired", rights_expire_on=yesterday)
    shown = make_article(writer, title="Shows it", body=f"![](image:{expired.pk})")
    session = AdminSession(editor)
    session.get(reverse("admin:articles_article_changelist"))
    with CaptureQueriesContext(connection) as one:
        assert articles_listed(session) == {shown.title}
    Image.objects.bulk_create(
        Image(
            file=f"images/{number:064x}/original.png",
            title=f"Expired {number}",
            alt_text="An image whose rights ended.",
            digest=f"{number:064x}",
            format="PNG",
            width=10,
            height=10,
            rights_expire_on=yesterday,
        )
        for number in range(1100)
    )
    with django_assert_max_num_queries(len(one)):
        assert articles_listed(session) == {shown.title}
