"""Freezing an approved working copy into a pre-rendered, sanitised public snapshot.

Called only by ``reviews.workflow.publish`` inside its transaction.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser

from .models import Article, PublishedArticle, Reference
from .rendering import html_to_text, render_markdown


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


def build_snapshot(
    *,
    article: Article,
    review,
    user: AbstractBaseUser,
    go_live_at: datetime.datetime,
    first_published_at: datetime.datetime,
    change_note: str,
) -> PublishedArticle:
    """Render ``article`` as it stands (the approved version) into a new snapshot."""
    references = list(article.references.order_by("position", "pk"))
    rendered = render_markdown(article.body, reference_count=len(references))
    snapshot = PublishedArticle.objects.create(
        article=article,
        version=article.version,
        slug=article.slug,
        title=article.title,
        summary=article.summary,
        body_html=rendered.html,
        body_text=html_to_text(rendered.html),
        counterpart_id=article.counterpart_id
        or Article.objects.filter(counterpart=article).values_list("pk", flat=True).first(),
        toc=rendered.toc,
        audience=article.audience,
        language=article.language,
        authors=[person_name(author) for author in article.authors.order_by("last_name", "pk")],
        references=[reference_data(reference) for reference in references],
        reviewed_by=review.reviewer_byline,
        reviewed_at=review.decided_at,
        last_reviewed=article.last_reviewed,
        next_review_due=article.next_review_due,
        first_published_at=first_published_at,
        go_live_at=go_live_at,
        change_note=change_note,
        published_by=user,
    )
    snapshot.topics.set(article.topics.all())
    snapshot.related_trials.set(article.related_trials.all())
    return snapshot
