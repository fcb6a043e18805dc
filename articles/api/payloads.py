"""The public API's article payloads as plain dicts, for anonymous JSON reads.

An anonymous JSON answer that no cache holds is built on every publication and every
``PUBLIC_CACHE_SECONDS`` per page and worker. DRF's serializers build a tree of field objects
for each answer and walk it generically; for these two payloads that was a quarter of a miss.
The builders below give the same values in the same order: each value is formatted by the
very DRF field the serializer uses (dates, times), or as the serializer's field would
(``str`` for a ``CharField``, ``int`` for an ``IntegerField``, ``None`` kept as ``None``),
and their keys are the serializers' ``Meta.fields``. ``ArticleListSerializer`` and
``ArticleDetailSerializer`` stay the definition the OpenAPI schema is generated from and what
DRF serves to everyone else (the browsable API, ``?format=``, partners, errors);
``tests/articles/test_api_payloads.py`` builds every demo article and list page both ways and
compares them byte for byte.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils import timezone
from rest_framework import serializers
from rest_framework.settings import ISO_8601, api_settings

from articles.images.delivery import api_image
from articles.models import ClinicalTrial, PublishedArticle, Topic
from articles.public import PageImages, review_status, site_origin, site_url
from articles.translations import TranslationStatus
from mbc_cms.languages import reverse_in

# The serializers' own fields for the values whose text DRF decides (time zone, format).
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
SAFE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_MARKER = "slug-marker-7f3a"

CITATION_INTEGERS = ("number", "year")
CITATION_FIELDS = (
    "number", "authors", "title", "journal", "year", "volume", "issue", "pages", "pmid", "doi",
    "nct_id", "url", "evidence_level", "pubmed_url", "doi_url", "clinicaltrials_url",
)  # fmt: skip


class Answer:
    """What every payload of one answer shares, worked out once for it: the time zone and
    today's date (DRF and ``review_status`` would look them up for each value), the script
    prefix and the requested scheme and host (DRF's ``build_absolute_uri`` per URL)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.zone = timezone.get_current_timezone()
        self.today = timezone.localdate()
        self.prefix = get_script_prefix()
        self.iso_times = settings.USE_TZ and api_settings.DATETIME_FORMAT == ISO_8601
        self.iso_dates = api_settings.DATE_FORMAT == ISO_8601
        # ``request.build_absolute_uri(path)`` of a path as ``reverse`` writes one (ASCII,
        # quoted): the scheme and host, then the path.
        self.origin = site_origin(request)

    def datetime_text(self, value: datetime.datetime | None) -> str | None:
        """``DateTimeField.to_representation``: in the current time zone, ISO 8601, UTC as
        ``Z`` (by DRF itself for anything but an aware time in that format)."""
        if value is None:
            return None
        if value.tzinfo is None or not self.iso_times:
            return _DATETIME.to_representation(value)
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def date_text(self, value: datetime.date | None) -> str | None:
        if value is None:
            return None
        return value.isoformat() if self.iso_dates else _DATE.to_representation(value)

    def page_url(self, snapshot: PublishedArticle) -> str:
        """``site_url(page_path(snapshot), request)``: the absolute address of its page in
        its language."""
        if not SAFE_SLUG.fullmatch(snapshot.slug):  # reverse would quote it
            return site_url(reverse_page(snapshot.language, snapshot.slug), self.request)
        key = (snapshot.language, self.prefix)
        parts = _page_paths.get(key)
        if parts is None:
            path = reverse_page(snapshot.language, SLUG_MARKER)
            before, after = path.split(SLUG_MARKER)
            parts = _page_paths[key] = (before, after)
        return self.origin + parts[0] + snapshot.slug + parts[1]


def reverse_page(language: str, slug: str) -> str:
    """``PublishedArticle.get_absolute_url`` of a page in ``language`` at ``slug``."""
    return reverse_in(language, "articles:article", slug=slug)


# An article page's path is the same in a language but for the slug: reversed once per
# language and script prefix, it is only filled in (reversing was a fifth of a list's miss).
_page_paths: dict[tuple[str, str], tuple[str, str]] = {}


@receiver(setting_changed)
def _forget_page_paths(*, setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _page_paths.clear()


def _text(value: Any) -> str | None:
    """A ``CharField``'s representation: ``None`` stays null, anything else is its text."""
    return None if value is None else str(value)


def _integer(value: Any) -> int | None:
    return None if value is None else int(value)


def article_item(
    snapshot: PublishedArticle,
    answer: Answer,
    status: TranslationStatus,
    topics: Iterable[Topic],
) -> dict[str, Any]:
    """``ArticleListSerializer``'s payload of ``snapshot``: ``status`` is its translation
    status and ``topics`` its topics, both read by the caller (for a whole page at once)."""
    return {
        "id": snapshot.article_id,
        "slug": snapshot.slug,
        "url": answer.page_url(snapshot),
        "title": snapshot.title,
        "summary": snapshot.summary,
        "audience": snapshot.audience,
        "language": snapshot.language,
        "translation_status": status.public_status,
        "source_version": snapshot.source_version,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in topics],
        "last_reviewed": answer.date_text(snapshot.last_reviewed),
        "next_review_due": answer.date_text(snapshot.next_review_due),
        "review_status": review_status(snapshot.next_review_due, answer.today).value,
        "published_at": answer.datetime_text(snapshot.first_published_at),
        "updated_at": answer.datetime_text(snapshot.go_live_at),
        "version": snapshot.version,
    }


def _citation(reference: dict) -> dict[str, Any]:
    return {
        name: (_integer if name in CITATION_INTEGERS else _text)(reference[name])
        for name in CITATION_FIELDS
    }


def _reviewer(reviewed_by: dict | None) -> dict[str, Any] | None:
    if reviewed_by is None:
        return None
    return {
        "name": _text(reviewed_by["name"]),
        "credentials": _text(reviewed_by["credentials"]),
        "specialty": _text(reviewed_by["specialty"]),
        # Snapshots published before disclosures were frozen have no key (the serializer's
        # default).
        "disclosure": _text(reviewed_by.get("disclosure", "")),
    }


def _trial(trial: ClinicalTrial, answer: Answer) -> dict[str, Any]:
    return {
        "nct_id": trial.nct_id,
        "brief_title": trial.brief_title,
        "overall_status": _text(trial.overall_status),
        "phases": None if trial.phases is None else [str(phase) for phase in trial.phases],
        "url": site_url(trial.get_absolute_url(), answer.request),
    }


def article_detail(
    snapshot: PublishedArticle,
    answer: Answer,
    *,
    status: TranslationStatus,
    topics: Iterable[Topic],
    trials: Iterable[ClinicalTrial],
    images: PageImages,
    changes: Iterable[PublishedArticle],
    counterpart: PublishedArticle | None,
    language_versions: Iterable[PublishedArticle],
) -> dict[str, Any]:
    """``ArticleDetailSerializer``'s payload of ``snapshot``, from the rows the caller read
    (the serializer's context: change log, counterpart, images shown, language versions)."""

    def image(data: dict) -> dict[str, Any]:
        return api_image(data, answer.request.build_absolute_uri)

    payload = article_item(snapshot, answer, status, topics)
    authors = snapshot.authors
    payload.update(
        {
            "body_html": images.body_html,
            "images": [image(data) for data in images.images],
            "lead_image": image(images.lead_image) if images.lead_image else None,
            "authors": None if authors is None else [str(name) for name in authors],
            "reviewed_by": _reviewer(snapshot.reviewed_by),
            "references": [_citation(reference) for reference in snapshot.references],
            "related_trials": [_trial(trial, answer) for trial in trials],
            "changes": [
                {
                    "date": answer.datetime_text(change.go_live_at),
                    "version": change.version,
                    "note": _text(change.change_note),
                }
                for change in changes
            ],
            "counterpart": counterpart.slug if counterpart else None,
            "translations": [
                {
                    "language": version.language,
                    "slug": version.slug,
                    "url": answer.page_url(version),
                }
                for version in language_versions
            ],
            "signoff": {
                "version": snapshot.version,
                "approved_at": answer.datetime_text(snapshot.reviewed_at),
                "digest": snapshot.digest,
            },
        }
    )
    return payload
