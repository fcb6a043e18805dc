"""Public reads are sent gzipped to clients that accept it; nothing a BREACH-style attack
could read from compressed sizes (staff pages, the editorial API, form answers, pages with a
CSRF token beside requested text) ever is."""

import gzip
import re

import pytest
from django.test import Client

from articles.images.delivery import image_data, main_url
from tests.conftest import PASSWORD
from tests.reviews.editorial_client import client_for, detail_url, etag, patch

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
NONCE = re.compile(rb'nonce="[^"]+"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def plain(body: bytes) -> bytes:
    """A page without its per-response values (the CSP nonce, the masked CSRF token)."""
    return CSRF.sub(b"csrf", NONCE.sub(b"nonce", body))


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


@pytest.fixture
def public_urls(live_article, topic):
    return [
        "/",
        f"/articles/{live_article.slug}/",
        f"/topics/{topic.slug}/",
        "/trials/",
        "/search/?q=bone",
        "/about/editorial-policy/",
        "/feed/",
        "/sitemap.xml",
        "/api/v1/articles/",
        f"/api/v1/articles/{live_article.slug}/",
        "/api/schema/?format=json",
    ]


def test_public_pages_and_api_are_gzipped_for_clients_that_accept_it(public_urls):
    """HTML, JSON, Atom and XML come gzipped, with Vary: Accept-Encoding and a weak ETag,
    rendered or from the cache; they unpack to what a client without gzip gets."""
    reader = Client()
    for url in public_urls:
        bare = reader.get(url)
        assert bare.status_code == 200 and not bare.has_header("Content-Encoding"), url
        assert "accept-encoding" in vary(bare), url
        for attempt in ("rendered or cached", "cached"):
            packed = reader.get(url, **GZIP)
            assert packed["Content-Encoding"] == "gzip", (url, attempt)
            assert "accept-encoding" in vary(packed), url
            assert int(packed["Content-Length"]) == len(packed.content) < len(bare.content)
            assert plain(gzip.decompress(packed.content)) == plain(bare.content), url
            assert packed["ETag"].startswith('W/"'), url


def test_a_gzipped_answer_still_answers_conditional_requests(live_article):
    """The weak ETag of a gzipped answer gets 304, for a page and for the API."""
    reader = Client()
    for url in (f"/articles/{live_article.slug}/", "/api/v1/articles/"):
        packed = reader.get(url, **GZIP)
        assert reader.get(url, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP).status_code == 304


def test_gzip_sizes_are_padded_at_random(live_article):
    """The same answer has compressed sizes that vary (Django's "Heal the Breach" padding)."""
    reader = Client()
    sizes = {len(reader.get("/api/v1/articles/", **GZIP).content) for _ in range(12)}
    assert len(sizes) > 1


def test_signed_in_staff_get_nothing_compressed(live_article, editor):
    """With a session cookie, neither the admin nor a public page is compressed."""
    staff = Client()
    assert staff.login(username=editor.username, password=PASSWORD)
    for url in ("/admin/", "/admin/articles/article/", f"/articles/{live_article.slug}/"):
        response = staff.get(url, **GZIP)
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url


def test_pages_that_echo_the_request_beside_a_csrf_token_are_not_compressed(live_article):
    """The admin login page (which echoes ?next= beside a CSRF token) and the answer to a
    feedback form with mistakes (which echoes the comment) are sent as they are."""
    reader = Client()
    login = reader.get("/admin/login/?next=/admin/" + "x" * 300, **GZIP)
    assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
    assert not login.has_header("Content-Encoding")
    reader.get(f"/articles/{live_article.slug}/")
    mistaken = reader.post(
        f"/articles/{live_article.slug}/feedback/",
        {"comment": "y" * 2001},
        HTTP_ORIGIN="http://testserver",
        **GZIP,
    )
    assert mistaken.status_code == 400 and b"yyyy" in mistaken.content
    assert not mistaken.has_header("Content-Encoding")


def test_the_editorial_api_is_not_compressed_and_keeps_its_strong_etag(live_article, writer):
    """A token client of the editorial API gets its answers as they are, with the strong
    ETag that If-Match needs, and an edit with that ETag works; so does the token endpoint."""
    api = client_for(writer)
    response = api.get(detail_url(live_article), **GZIP)
    assert response.status_code == 200 and not response.has_header("Content-Encoding")
    assert response["ETag"] == etag(live_article)
    edited = patch(api, live_article, {"summary": "A shorter summary."}, if_match=response["ETag"])
    assert edited.status_code == 200
    token = Client().post(
        "/api/v1/auth/token/",
        {"username": writer.username, "password": PASSWORD},
        content_type="application/json",
        **GZIP,
    )
    assert token.status_code == 200 and not token.has_header("Content-Encoding")


def test_images_are_not_compressed_again(client, make_image):
    """An image file (compressed already) is sent as stored."""
    response = client.get(main_url(image_data(make_image(image_format="PNG"))), **GZIP)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert not response.has_header("Content-Encoding")
