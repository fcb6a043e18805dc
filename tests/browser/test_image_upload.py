"""The media library in a real browser: an editor uploads a phone photo through the admin
form, sees its thumbnail in the list, and the list and change pages pass axe-core under the
strict Content-Security-Policy."""

from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Image
from tests.articles import image_files
from tests.browser.conftest import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_uploads_an_image_and_sees_its_thumbnail(demo_site, page):
    """Upload (Playwright's set_input_files), saved without its GPS data, thumbnail loaded in
    the list; the list and the change page have no serious axe violation and no console
    error (nothing blocked by the CSP)."""
    errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append((page.url, message.text)),
    )
    log_in(page, demo_site.url, "editor")
    page.goto(f"{demo_site.url}/admin/articles/image/add/")
    page.set_input_files(
        "#id_upload",
        files=[
            {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": image_files.phone_photo()}
        ],
    )
    page.fill("#id_title", "Port photo")
    page.fill("#id_alt_text", "A small round port under the skin of the upper chest.")
    page.fill("#id_credit", "Jane Doe")
    page.select_option("#id_license", "cc-by-4.0")
    page.click("input[name=_save]")
    page.wait_for_url(f"{demo_site.url}/admin/articles/image/")
    assert "was added successfully" in page.locator("ul.messagelist").inner_text()

    image = Image.objects.get(title="Port photo")
    assert image.uploaded_by.username == "editor"
    stored = (Path(settings.MEDIA_ROOT) / image.file.name).read_bytes()
    assert image_files.SERIAL.encode() not in stored and b"Exif" not in stored

    row = page.locator("tr", has=page.locator("a", has_text="Port photo"))
    thumbnail = row.locator("img.image-thumbnail")
    assert thumbnail.get_attribute("alt") == ""
    assert thumbnail.get_attribute("src") == f"/media/images/{image.digest}/100.webp"
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )

    page.goto(f"{demo_site.url}/admin/articles/image/{image.pk}/change/")
    preview = page.locator("img.image-preview")
    assert preview.get_attribute("alt") == image.alt_text
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )
    # Checked before axe-core runs: its own probes are not the page's.
    assert not errors, errors

    problems = serious_violations(page, "image change page")
    page.goto(f"{demo_site.url}/admin/articles/image/")
    problems += serious_violations(page, "image list")
    assert not problems, "\n".join(problems)


def test_refused_upload_is_explained_on_the_form(demo_site, page):
    """An SVG renamed .png is refused on the form, with its message next to the field."""
    log_in(page, demo_site.url, "writer")
    page.goto(f"{demo_site.url}/admin/articles/image/add/")
    page.set_input_files(
        "#id_upload",
        files=[{"name": "diagram.png", "mimeType": "image/png", "buffer": image_files.SVG}],
    )
    page.fill("#id_title", "Not really a PNG")
    page.fill("#id_alt_text", "Anything.")
    page.click("input[name=_save]")
    assert (
        "This file is not a JPEG, PNG or WebP image (it looks like SVG)."
        in page.locator(".field-upload .errorlist").inner_text()
    )
    assert not Image.objects.filter(title="Not really a PNG").exists()
