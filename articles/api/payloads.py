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

from articles import translations
from articles.images.delivery import api_image
from articles.models import ClinicalTrial, PublishedArticle, Topic
from articles.public import PageImages, review_status, site_url
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


def _datetime(value: datetime.datetime | None) -> str | None:
    """``DateTimeField.to_representation``: in the current time zone, ISO 8601, UTC as ``Z``
    (by DRF itself for anything but an aware time in that format)."""
    if value is None:
        return None
    if value.tzinfo is None or not settings.USE_TZ or api_settings.DATETIME_FORMAT != ISO_8601:
        return _DATETIME.to_representation(value)
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value: datetime.date | None) -> str | None:
    if value is None:
        return None
    if api_settings.DATE_FORMAT != ISO_8601:
        return _DATE.to_representation(value)
    return value.isoformat()


# An article page's path is the same in a language but for the slug: reversed once per
# language and script prefix, it is only filled in (reversing was a fifth of a list's miss).
_page_paths: dict[tuple[str, str], tuple[str, str]] = {}


def page_path(snapshot: PublishedArticle) -> str:
    """``translations.page_path(snapshot)``, the path of its page in its language."""
    if not SAFE_SLUG.fullmatch(snapshot.slug):  # reverse would quote it
        return translations.page_path(snapshot)
    key = (snapshot.language, get_script_prefix())
    parts = _page_paths.get(key)
    if parts is None:
        before, after = reverse_in(snapshot.language, "articles:article", slug=SLUG_MARKER).split(
            SLUG_MARKER
        )
        parts = _page_paths[key] = (before, after)
    return parts[0] + snapshot.slug + parts[1]


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
    request: HttpRequest,
    status: TranslationStatus,
    topics: Iterable[Topic],
) -> dict[str, Any]:
    """``ArticleListSerializer``'s payload of ``snapshot``: ``status`` is its translation
    status and ``topics`` its topics, both read by the caller (for a whole page at once)."""
    return {
        "id": snapshot.article_id,
        "slug": snapshot.slug,
        "url": site_url(page_path(snapshot), request),
        "title": snapshot.title,
        "summary": snapshot.summary,
        "audience": snapshot.audience,
        "language": snapshot.language,
        "translation_status": status.public_status,
        "source_version": snapshot.source_version,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in topics],
        "last_reviewed": _date(snapshot.last_reviewed),
        "next_review_due": _date(snapshot.next_review_due),
        "review_status": review_status(snapshot.next_review_due).value,
        "published_at": _datetime(snapshot.first_published_at),
        "updated_at": _datetime(snapshot.go_live_at),
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


def _trial(trial: ClinicalTrial, request: HttpRequest) -> dict[str, Any]:
    return {
        "nct_id": trial.nct_id,
        "brief_title": trial.brief_title,
        "overall_status": _text(trial.overall_status),
        "phases": None if trial.phases is None else [str(phase) for phase in trial.phases],
        "url": site_url(trial.get_absolute_url(), request),
    }


def article_detail(
    snapshot: PublishedArticle,
    request: HttpRequest,
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
        return api_image(data, request.build_absolute_uri)

    payload = article_item(snapshot, request, status, topics)
    authors = snapshot.authors
    payload.update(
        {
            "body_html": images.body_html,
            "images": [image(data) for data in images.images],
            "lead_image": image(images.lead_image) if images.lead_image else None,
            "authors": None if authors is None else [str(name) for name in authors],
            "reviewed_by": _reviewer(snapshot.reviewed_by),
            "references": [_citation(reference) for reference in snapshot.references],
            "related_trials": [_trial(trial, request) for trial in trials],
            "changes": [
                {
                    "date": _datetime(change.go_live_at),
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
                    "url": site_url(page_path(version), request),
                }
                for version in language_versions
            ],
            "signoff": {
                "version": snapshot.version,
                "approved_at": _datetime(snapshot.reviewed_at),
                "digest": snapshot.digest,
            },
        }
    )
    return payload
