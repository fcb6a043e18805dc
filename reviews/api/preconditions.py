"""The article's ETag and the If-Match check that guards edits against lost updates."""

from rest_framework.request import Request

from articles.models import Article

from .exceptions import PreconditionFailed, PreconditionRequired


def article_etag(article: Article) -> str:
    """The strong ETag of an article: it changes with every saved version and every move."""
    return f'"{article.pk}-{article.version}-{article.state}"'


def check_if_match(request: Request, article: Article, *, required: bool) -> None:
    """Refuse the request unless its If-Match header names the article's current ETag.

    Only the exact current tag matches: ``*`` and weak tags (``W/"..."``) do not, because an
    edit must be based on the version the writer actually read.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired(
                "Send the ETag you received with the article in an If-Match header, so that "
                "an edit cannot overwrite a version you have not seen."
            )
        return
    current = article_etag(article)
    if current not in {tag.strip() for tag in header.split(",")}:
        raise PreconditionFailed(
            f"The article changed since you read it (it is now version {article.version}, "
            f"{article.get_state_display().lower()}). Nothing was saved: fetch it again, "
            "reapply your change and send the new ETag."
        )
