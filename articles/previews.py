"""Signed, expiring preview links for a working-copy version (shareable without an account)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview"


class PreviewExpired(Exception):
    """The link was valid once but is older than PREVIEW_MAX_AGE."""


def preview_token(article_id: int, version: int) -> str:
    """A URL-safe token naming one version of one article."""
    return signing.dumps({"article": article_id, "version": version}, salt=SALT, compress=True)


def preview_url(article_id: int, version: int) -> str:
    return reverse("preview", kwargs={"token": preview_token(article_id, version)})


def read_preview_token(token: str) -> tuple[int, int]:
    """The (article id, version) a token names; raises BadSignature or PreviewExpired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PreviewExpired from exc
    return int(data["article"]), int(data["version"])
