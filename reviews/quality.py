"""Quality gates before clinical sign-off.

Two kinds of check run on the exact version a clinician is asked to sign off:

- **Problems** stop a version from being sent for review (and a live page from being confirmed
  as still accurate): a citation marker ``[@N]`` with no N-th reference, a link that is not
  https, a treatment page (an article in the treatments topic tree) with no reference, an
  ``image:<id>`` that names no image of the media library (or stands where no image can, in a
  heading or a link), an image from elsewhere, an image (or lead image) whose rights expired.
- **Warnings** are about plain language on patient pages: a Flesch-Kincaid grade above
  ``settings.READABILITY_MAX_GRADE`` (for bodies of at least ``READABILITY_MIN_WORDS`` words:
  the formula means little on a few words) or sentences longer than ``LONG_SENTENCE_WORDS``
  words. A
  reviewer may still sign off, but only with a written override reason, which is stored on
  the review and in the audit trail.

The workflow services call :func:`problems` and :func:`warnings`; the admin shows the same
lists, so what a writer or reviewer is told is what the workflow enforces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from articles.choices import Audience
from articles.images.manifest import by_id
from articles.models import Article, Image, Topic
from articles.rendering import (
    CITATION_RE,
    external_images,
    link_targets,
    render_markdown,
)
from articles.snapshots import reading_grade

from .readability import FERNANDEZ_HUERTA, plain_text_from_markdown, scale_for
from .readability.sentences import WORD_RE, split_sentences

# Addresses that are not web links, or are on this site, and so need no https.
SAFE_LINK_PREFIXES = ("https://", "mailto:", "tel:", "#")


@dataclass(frozen=True)
class Problem:
    """A reason a version cannot be signed off, with the field to fix."""

    field: str
    message: str


def _is_safe_link(target: str) -> bool:
    lowered = target.lower()
    # Browsers drop tabs and newlines from addresses and read "\" as "/": "/\evil.org" and
    # "/<tab>/evil.org" lead to another site.
    if "\\" in lowered or any(char.isspace() or ord(char) < 32 for char in lowered):
        return False
    if lowered.startswith(SAFE_LINK_PREFIXES):
        return True
    # An image of the media library (``![alt](image:42)``), not an address.
    if re.fullmatch(r"image:[0-9]{1,18}", lowered):
        return True
    # A path on this site; "//host/..." is another site without a scheme.
    return lowered.startswith("/") and not lowered.startswith("//")


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def treatment_topic_ids() -> set[int]:
    """The treatments topic (``settings.TREATMENT_TOPIC_SLUG``) and every topic below it."""
    ids = set(Topic.objects.filter(slug=settings.TREATMENT_TOPIC_SLUG).values_list("pk", flat=True))
    frontier = set(ids)
    while frontier:
        frontier = set(
            Topic.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids |= frontier
    return ids


def is_treatment_page(article: Article) -> bool:
    return article.topics.filter(pk__in=treatment_topic_ids()).exists()


def _listed(numbers: list[int]) -> str:
    return ", ".join(f"image:{number}" for number in numbers)


def image_problems(article: Article) -> list[Problem]:
    """Library images the version cannot show: named but not in the media library when it
    was saved (its manifest) or no longer in it now (its row deleted since), standing where
    no figure can, or whose rights expired (the lead image too)."""
    found: list[Problem] = []
    manifest = by_id(article.images)
    rendering = render_markdown(article.body or "", images=manifest)
    refs = rendering.image_refs
    in_library = (
        set(Image.objects.filter(pk__in=manifest).values_list("pk", flat=True))
        if manifest
        else set()
    )
    unknown = sorted({ref.image_id for ref in refs if ref.image_id not in in_library})
    if unknown:
        found.append(
            Problem(
                "body",
                f"The body shows {_listed(unknown)}, but the media library has no such image "
                "(as of this version, or any more): correct the number, or add the image to "
                "the library and save again.",
            )
        )
    misplaced = sorted({ref.image_id for ref in rendering.misplaced})
    if misplaced:
        found.append(
            Problem(
                "body",
                f"{_listed(misplaced)} stands in a heading or a link, where no image can be "
                "shown: put it on a line of its own.",
            )
        )
    expired = (
        set(Image.objects.rights_expired().filter(pk__in=in_library).values_list("pk", flat=True))
        if in_library
        else set()
    )
    in_body = sorted(expired & {ref.image_id for ref in refs})
    if in_body:
        found.append(
            Problem(
                "body",
                f"The rights to {_listed(in_body)} have expired, so readers cannot be shown it: "
                "remove it from the body or renew its rights in the media library.",
            )
        )
    if article.lead_image_id is not None and article.lead_image_id in expired:
        found.append(
            Problem(
                "lead_image",
                f"The rights to the lead image (image {article.lead_image_id}) have expired: "
                "choose another lead image or renew its rights in the media library.",
            )
        )
    return found


def problems(article: Article) -> list[Problem]:
    """What stops this version being signed off, each naming the field to fix."""
    found: list[Problem] = []
    references = list(article.references.order_by("position", "pk"))
    count = len(references)
    missing = sorted(
        {int(n) for n in CITATION_RE.findall(article.body or "") if not 1 <= int(n) <= count}
    )
    if missing:
        markers = ", ".join(f"[@{n}]" for n in missing)
        found.append(
            Problem(
                "body",
                f"The body cites {markers}, but the article has "
                f"{count} reference{'s' if count != 1 else ''}: add the reference or correct "
                "the marker.",
            )
        )
    external = external_images(article.body or "")
    if external:
        listed = ", ".join(f"“{_shorten(target)}”" for target in external[:5])
        found.append(
            Problem(
                "body",
                f"Images must come from the media library (![](image:42)): {listed} would "
                "not be shown. Upload the image to the library and use its number.",
            )
        )
    targets = link_targets(article.body)
    insecure = [
        target for target in targets if target not in external and not _is_safe_link(target)
    ]
    if insecure:
        listed = ", ".join(f"“{_shorten(target)}”" for target in insecure[:5])
        found.append(
            Problem(
                "body",
                f"Every link must use https:// (or be a path on this site such as "
                f"/articles/…): change {listed}.",
            )
        )
    insecure_references = [
        f"[{reference.position}]"
        for reference in references
        if reference.url and not reference.url.lower().startswith("https://")
    ]
    if insecure_references:
        found.append(
            Problem(
                "references",
                f"Reference {', '.join(insecure_references)} links to an address that is not "
                "https://: use the https address of the source.",
            )
        )
    if count == 0 and is_treatment_page(article):
        found.append(
            Problem(
                "references",
                "A treatment page needs at least one reference: cite the evidence for the "
                "treatment information.",
            )
        )
    return found + image_problems(article)


def long_sentences(markdown_text: str, limit: int | None = None) -> list[str]:
    """The sentences of the body longer than ``limit`` words (by default the house limit)."""
    limit = limit or settings.LONG_SENTENCE_WORDS
    return [
        sentence
        for sentence in split_sentences(plain_text_from_markdown(markdown_text or ""))
        if len(WORD_RE.findall(sentence)) > limit
    ]


def grade_warning(article: Article) -> str | None:
    """The warning for a patient page that reads harder than its language's target, if it
    does: an English page above ``READABILITY_MAX_GRADE`` (Flesch-Kincaid), a Spanish one
    below ``READABILITY_MIN_EASE_ES`` (Fernández-Huerta reading ease)."""
    if article.audience != Audience.PATIENT:
        return None
    score = reading_grade(article.body, article.language)
    if score is None:
        return None
    if scale_for(article.language) == FERNANDEZ_HUERTA:
        minimum = settings.READABILITY_MIN_EASE_ES
        if score >= minimum:
            return None
        return (
            f"Fernández-Huerta reading ease {score:.1f} is below the {minimum:g} target for "
            "Spanish patient pages: use shorter sentences and everyday words."
        )
    limit = settings.READABILITY_MAX_GRADE
    if score <= limit:
        return None
    return (
        f"Reading grade {score:.1f} is above the grade {limit:g} target for patient pages: "
        "use shorter sentences and everyday words."
    )


def warnings(article: Article) -> list[str]:
    """Plain-language warnings for a patient page; professional pages have none."""
    if article.audience != Audience.PATIENT:
        return []
    found = [warning] if (warning := grade_warning(article)) else []
    long = long_sentences(article.body)
    if long:
        examples = "; ".join(f"“{_shorten(sentence, 60)}”" for sentence in long[:3])
        found.append(
            f"{len(long)} sentence{'s are' if len(long) != 1 else ' is'} longer than "
            f"{settings.LONG_SENTENCE_WORDS} words: {examples}."
        )
    return found
