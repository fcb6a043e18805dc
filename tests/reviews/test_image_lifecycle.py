"""An image's whole life through the real stack, both halves of the media work together: an
upload in the admin, a page approved and published with it, the file replaced, the live
page keeping the approved file until the new version is signed off, the rights ending."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Image
from reviews import workflow
from tests.admin_client import AdminSession
from tests.articles import image_files
from tests.articles.image_files import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def image_form(**overrides) -> dict:
    return {
        "title": "Sites of spread",
        "alt_text": "Outline of a body with the bones, lungs, liver and brain marked.",
        "caption": "Where breast cancer most often spreads.",
        "credit": "Jane Doe",
        "license": "cc-by-4.0",
        "license_text": "",
        "source_url": "",
        "rights_holder": "Jane Doe",
        "rights_expire_on": "",
        **overrides,
    }


def shown_digests(html: str) -> set[str]:
    return set(re.findall(r"/media/images/([0-9a-f]{64})/", html))


def sign_off_and_publish(article, writer, reviewer, editor, change_note=""):
    article.refresh_from_db()
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor, change_note=change_note)
    article.refresh_from_db()
    return article


def test_an_image_from_upload_to_rights_expiry(make_article, writer, writer2, reviewer, editor):
    session = AdminSession(writer2)
    added = session.post(
        reverse("admin:articles_image_add"),
        {**image_form(), "upload": upload(image_files.phone_photo(), "photo.jpg", "image/jpeg")},
    )
    assert added.status_code == 302, added.text[:500]
    image = Image.objects.get()
    first_digest = image.digest

    article = make_article(writer, body=f"Bone pain is common [@1].\n\n![](image:{image.pk})")
    article = sign_off_and_publish(article, writer, reviewer, editor)
    reader = Client()
    page = reader.get(f"/articles/{article.slug}/").text
    assert shown_digests(page) == {first_digest}
    [src] = re.findall(r'<img[^>]* src="([^"]+)"', page)
    served = reader.get(src)
    assert served.status_code == 200
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert 'alt="Outline of a body with the bones, lungs, liver and brain marked."' in page

    # A new file: the article gets a new working version; readers keep the approved image.
    replaced = session.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {**image_form(), "upload": upload(image_files.picture(900, 300, "WEBP"), "new.webp")},
    )
    assert replaced.status_code == 302
    image.refresh_from_db()
    assert image.digest != first_digest
    article.refresh_from_db()
    assert article.state == "draft" and article.version == 2
    page = reader.get(f"/articles/{article.slug}/").text
    assert shown_digests(page) == {first_digest}
    assert reader.get(src).status_code == 200  # the approved file is still there

    # The image's editor wrote version 2, so another writer submits; a reviewer signs it off.
    article = sign_off_and_publish(article, writer, reviewer, editor, "New diagram.")
    page = reader.get(f"/articles/{article.slug}/").text
    assert shown_digests(page) == {image.digest}

    # Rights that ended yesterday take the figure off the page at once, its caption kept.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ended = session.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        image_form(rights_expire_on=yesterday.isoformat()),
    )
    assert ended.status_code == 302
    page = reader.get(f"/articles/{article.slug}/").text
    assert shown_digests(page) == set()
    assert "Where breast cancer most often spreads." in page
