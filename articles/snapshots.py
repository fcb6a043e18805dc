"""What readers are shown of an article, frozen into a pre-rendered, sanitised snapshot, and
the sign-off digest of exactly that content.

:func:`reader_content` renders the working copy into everything a reader is shown; an
approval stores its :func:`content_digest`, and publishing writes the same content into a
:class:`PublishedArticle` with the same digest. :func:`snapshot_content` reads the content back
out of a stored snapshot, so anyone can recompute the digest of what is live and compare it with
the approval (``manage.py verify_signoff``). Snapshots are written only by
``reviews.workflow.publish`` inside its transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from reviews.readability import analyse

from .images.manifest import by_id
from .models import Article, PublishedArticle, Reference
from .page_parts import render_parts
from .rendering import html_to_text, render_markdown

if TYPE_CHECKING:
    from reviews.models import Review

# Bumped whenever the canonical content gains or changes a key (images, translations), so a
# digest always says which rules made it. 1: text, references, byline, trials. 2: and the
# images shown (``images``, ``lead_image``). 3: and the SHA-256 of each of their renditions
# (``renditions[].sha256``: the files readers are served). 4: and, for a translation, its
# source article and the source version it was translated from (``translation_of_id``,
# ``source_version``; both null for other articles, so older formats still describe them).
SIGNOFF_FORMAT = 4
# The keys each format added to the canonical content.
FORMAT_KEYS = {2: ("images", "lead_image"), 4: ("translation_of_id", "source_version")}
# The format that added a key to each image's renditions.
RENDITION_HASH_FORMAT = 3


def person_name(user: AbstractBaseUser) -> str:
    """A user's name as printed in bylines."""
    return user.get_full_name() or user.get_username()


def reference_data(reference: Reference) -> dict:
    """A reference as stored in snapshots and returned by the public API."""
    return {
        "number": reference.position,
        "authors": reference.authors,
        "title": reference.title,
        "journal": reference.journal,
        "year": reference.year,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "pmid": reference.pmid or None,
        "doi": reference.doi or None,
        "nct_id": reference.nct_id or None,
        "url": reference.url or None,
        "evidence_level": reference.evidence_level or None,
        "pubmed_url": reference.pubmed_url or None,
        "doi_url": reference.doi_url or None,
        "clinicaltrials_url": reference.trial_url or None,
    }


def counterpart_id(article: Article) -> int | None:
    """The article for the other audience that the page links to: its own counterpart, else
    an article that names it as theirs."""
    return (
        article.counterpart_id
        or Article.objects.filter(counterpart=article).values_list("pk", flat=True).first()
    )


def reader_content(article: Article) -> dict[str, Any]:
    """Everything a reader is shown of ``article`` as it now stands, rendered and sanitised:
    the canonical content that a clinician approves and a snapshot freezes."""
    references = list(article.references.order_by("position", "pk"))
    manifest = by_id(article.images)
    rendered = render_markdown(article.body, reference_count=len(references), images=manifest)
    return {
        "title": article.title,
        "summary": article.summary,
        "audience": article.audience,
        "language": article.language,
        "body_html": rendered.html,
        "body_text": html_to_text(rendered.html),
        "toc": rendered.toc,
        "references": [reference_data(reference) for reference in references],
        "counterpart_id": counterpart_id(article),
        "authors": [person_name(user) for user in article.authors.order_by("last_name", "pk")],
        "related_trials": sorted(article.related_trials.values_list("nct_id", flat=True)),
        # Each figure of the body as shown (the writer's alt text and caption applied), and
        # the lead image, from the version's manifest.
        "images": list(rendered.images),
        "lead_image": manifest.get(article.lead_image_id) if article.lead_image_id else None,
        # A translation is signed off as the translation of one version of its source.
        "translation_of_id": article.translation_of_id,
        "source_version": article.source_version,
    }


def snapshot_content(snapshot: PublishedArticle) -> dict[str, Any]:
    """The canonical content of a stored snapshot: the same keys as :func:`reader_content`,
    read from what the snapshot serves to readers."""
    return {
        "title": snapshot.title,
        "summary": snapshot.summary,
        "audience": snapshot.audience,
        "language": snapshot.language,
        "body_html": snapshot.body_html,
        "body_text": snapshot.body_text,
        "toc": snapshot.toc,
        "references": snapshot.references,
        "counterpart_id": snapshot.counterpart_id,
        "authors": snapshot.authors,
        "related_trials": sorted(trial.nct_id for trial in snapshot.related_trials.all()),
        "images": snapshot.images,
        "lead_image": snapshot.lead_image,
        "translation_of_id": snapshot.translation_of_id,
        "source_version": snapshot.source_version,
    }


def _shown_images(content: dict[str, Any]) -> list[dict]:
    lead = content.get("lead_image")
    return [*(content.get("images") or []), *([lead] if lead else [])]


def _holds_rendition_hashes(content: dict[str, Any]) -> bool:
    return any(
        isinstance(rendition, dict) and "sha256" in rendition
        for data in _shown_images(content)
        if isinstance(data, dict)
        for rendition in data.get("renditions") or []
    )


def _without_rendition_hashes(data: Any) -> Any:
    if not isinstance(data, dict) or not data.get("renditions"):
        return data
    renditions = [
        {key: value for key, value in rendition.items() if key != "sha256"}
        if isinstance(rendition, dict)
        else rendition
        for rendition in data["renditions"]
    ]
    return {**data, "renditions": renditions}


def _format_content(content: dict[str, Any], signoff_format: int) -> dict[str, Any]:
    """``content`` as format ``signoff_format`` knew it: without the keys added later."""
    later = {key for number, keys in FORMAT_KEYS.items() if number > signoff_format for key in keys}
    known = {name: value for name, value in content.items() if name not in later}
    if signoff_format < RENDITION_HASH_FORMAT:
        if known.get("images"):
            known["images"] = [_without_rendition_hashes(data) for data in known["images"]]
        if known.get("lead_image"):
            known["lead_image"] = _without_rendition_hashes(known["lead_image"])
    return known


def content_digest(content: dict[str, Any], signoff_format: int = SIGNOFF_FORMAT) -> str:
    """SHA-256 (hex) of the canonical JSON of ``content`` under the rules of
    ``signoff_format`` (the current ones by default): sorted keys, no spaces, UTF-8."""
    canonical = json.dumps(
        {"signoff_format": signoff_format, **_format_content(content, signoff_format)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def signoff_formats(content: dict[str, Any]) -> list[int]:
    """The formats whose rules can describe ``content``, the current one first: an older
    format only when the content holds nothing it did not know (format 2: no rendition
    hash; format 1: no image either)."""
    formats = [SIGNOFF_FORMAT]
    for number in range(SIGNOFF_FORMAT - 1, 0, -1):
        added = [key for later, keys in FORMAT_KEYS.items() if later > number for key in keys]
        if any(content.get(key) for key in added):
            break
        if number < RENDITION_HASH_FORMAT and _holds_rendition_hashes(content):
            break
        formats.append(number)
    return formats


def digest_format(content: dict[str, Any], digest: str) -> int | None:
    """The format under which ``content`` has ``digest``, or None if it has it under none:
    a sign-off given before images (or their rendition hashes) joined the digest still holds
    for a page without any."""
    for signoff_format in signoff_formats(content):
        if content_digest(content, signoff_format) == digest:
            return signoff_format
    return None


def snapshot_fields(content: dict[str, Any], digest: str | None = None) -> dict[str, Any]:
    """The snapshot's model fields that hold ``content`` (its related trials are set apart),
    with the digest of that content (``digest``, when the approval's is of an older format)."""
    fields = {name: value for name, value in content.items() if name != "related_trials"}
    return {**fields, "digest": digest or content_digest(content)}


def article_digest(article: Article) -> str:
    """The sign-off digest of the working copy as it now stands."""
    return content_digest(reader_content(article))


def reading_grade(body: str, language: str = "en") -> float | None:
    """The readability score of a body on its language's scale (``reviews.readability``):
    the Flesch-Kincaid grade of English, the Fernández-Huerta reading ease of Spanish (so a
    snapshot's ``reading_grade`` is read with its ``language``); None when the body is too
    short for the formula to mean anything (``READABILITY_MIN_WORDS``, the plain-language
    warning's own limit)."""
    scores = analyse(body, language)
    return scores.score if scores.words >= settings.READABILITY_MIN_WORDS else None


def new_snapshot(
    *,
    article: Article,
    content: dict[str, Any],
    byline: dict,
    approved_at: datetime.datetime | None,
    user: AbstractBaseUser,
    go_live_at: datetime.datetime,
    first_published_at: datetime.datetime,
    change_note: str,
    digest: str | None = None,
) -> PublishedArticle:
    """An unsaved snapshot of ``article`` (its version, address and review dates as they stand)
    serving ``content``, approved by the clinician of ``byline`` at ``approved_at``."""
    snapshot = PublishedArticle(
        article=article,
        version=article.version,
        slug=article.slug,
        **snapshot_fields(content, digest),
        reading_grade=reading_grade(article.body, article.language),
        reviewed_by=byline,
        reviewed_at=approved_at,
        last_reviewed=article.last_reviewed,
        next_review_due=article.next_review_due,
        first_published_at=first_published_at,
        go_live_at=go_live_at,
        change_note=change_note,
        published_by=user,
    )
    snapshot.page_parts = render_parts(snapshot)
    return snapshot


def build_snapshot(
    *,
    article: Article,
    content: dict[str, Any],
    review: Review,
    user: AbstractBaseUser,
    go_live_at: datetime.datetime,
    first_published_at: datetime.datetime,
    change_note: str,
) -> PublishedArticle:
    """Freeze ``content`` (from :func:`reader_content`, approved by ``review``) into a new
    snapshot carrying the digest the clinician approved."""
    snapshot = new_snapshot(
        article=article,
        content=content,
        byline=review.reviewer_byline,
        approved_at=review.decided_at,
        user=user,
        go_live_at=go_live_at,
        first_published_at=first_published_at,
        change_note=change_note,
        digest=review.digest,
    )
    snapshot.save()
    snapshot.topics.set(article.topics.all())
    snapshot.related_trials.set(article.related_trials.all())
    return snapshot


def sign_live_snapshot(
    snapshot: PublishedArticle,
    *,
    byline: dict,
    reviewed_at: datetime.datetime,
    article: Article,
) -> None:
    """Sign the live page again after a clinician confirmed it is still accurate: the
    reviewer and the review dates change, the content (and its digest) does not; the parts
    of the page that show them are rendered again."""
    snapshot.reviewed_by = byline
    snapshot.reviewed_at = reviewed_at
    snapshot.last_reviewed = article.last_reviewed
    snapshot.next_review_due = article.next_review_due
    snapshot.page_parts = render_parts(snapshot)
    snapshot.save(
        update_fields=[
            "reviewed_by",
            "reviewed_at",
            "last_reviewed",
            "next_review_due",
            "page_parts",
        ]
    )
