"""ETags and the If-Match check that guards edits against lost updates: of articles (their
version and state) and of the versioned records outside the workflow (topics, trials, library
images: the time they last changed)."""

from django.db import models
from rest_framework.request import Request

from articles.models import Article

from .exceptions import PreconditionFailed, PreconditionRequired


def article_etag(article: Article) -> str:
    """The strong ETag of an article: it changes with every saved version and every move."""
    return f'"{article.pk}-{article.version}-{article.state}"'


def record_etag(record: models.Model) -> str:
    """The strong ETag of a topic, trial or image: it changes with every save."""
    return f'"{record.pk}-{record.updated_at:%Y%m%d%H%M%S%f}"'


def _if_match(request: Request, current: str, *, required: bool, stale: str) -> None:
    """Refuse the request unless its If-Match header names ``current``.

    Only the exact current tag matches: ``*`` and weak tags (``W/"..."``) do not, because an
    edit must be based on the version the client actually read.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired(
                "Send the ETag you received with it in an If-Match header, so that a change "
                "cannot overwrite a version you have not seen."
            )
        return
    if current not in {tag.strip() for tag in header.split(",")}:
        raise PreconditionFailed(stale)


def check_if_match(request: Request, article: Article, *, required: bool) -> None:
    """Refuse the request unless its If-Match header names the article's current ETag."""
    _if_match(
        request,
        article_etag(article),
        required=required,
        stale=f"The article changed since you read it (it is now version {article.version}, "
        f"{article.get_state_display().lower()}). Nothing was saved: fetch it again, "
        "reapply your change and send the new ETag.",
    )


def check_record_if_match(request: Request, record: models.Model) -> None:
    """Refuse the request unless its If-Match header (required) names the record's ETag."""
    _if_match(
        request,
        record_etag(record),
        required=True,
        stale=f"This {record._meta.verbose_name} changed since you read it. Nothing was "
        "changed: fetch it again, reapply your change and send the new ETag.",
    )
