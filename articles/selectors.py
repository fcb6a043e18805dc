"""Reads: an article's version history, the content of any version, and comparisons."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from reversion.models import Version

from .diff import FieldChange, compare_dicts
from .models import Article, ArticleRevision, ClinicalTrial, Reference, Topic

COMPARED_FIELDS: list[tuple[str, str]] = [
    ("title", "Title"),
    ("slug", "Slug"),
    ("summary", "Summary"),
    ("body", "Body"),
    ("audience", "Audience"),
    ("language", "Language"),
    ("topics", "Topics"),
    ("authors", "Authors"),
    ("counterpart", "Counterpart"),
    ("related_trials", "Related trials"),
    ("review_interval_months", "Review interval (months)"),
    ("references", "References"),
]


@dataclass(frozen=True)
class VersionInfo:
    """One saved version of an article."""

    number: int
    created_at: datetime
    user: str | None
    comment: str
    revision_id: int


def article_versions(article: Article) -> list[VersionInfo]:
    """Every saved version of ``article``, oldest first."""
    rows = (
        ArticleRevision.objects.filter(article=article)
        .select_related("revision__user")
        .order_by("version")
    )
    return [
        VersionInfo(
            number=row.version,
            created_at=row.revision.date_created,
            user=row.revision.user.get_username() if row.revision.user else None,
            comment=row.revision.get_comment(),
            revision_id=row.revision_id,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class VersionContent:
    """The content of one version: article fields plus its references as they stood."""

    number: int
    fields: dict
    references: list[dict]


def article_version_content(article: Article, number: int) -> VersionContent:
    """Load version ``number`` of ``article`` from its revision; 404 if there is none."""
    try:
        row = ArticleRevision.objects.get(article=article, version=number)
    except ArticleRevision.DoesNotExist as exc:
        raise Http404(f"Version {number} of this article does not exist.") from exc
    versions = Version.objects.filter(revision_id=row.revision_id)
    article_type = ContentType.objects.get_for_model(Article)
    reference_type = ContentType.objects.get_for_model(Reference)
    fields: dict = {}
    references: list[dict] = []
    for version in versions:
        if version.content_type_id == article_type.pk and version.object_id == str(article.pk):
            fields = dict(version.field_dict)
        elif version.content_type_id == reference_type.pk:
            data = dict(version.field_dict)
            if data.get("article_id") == article.pk:
                references.append(data)
    references.sort(key=lambda ref: (ref.get("position") or 0, ref.get("id") or 0))
    return VersionContent(number=number, fields=fields, references=references)


def format_reference(data: dict) -> str:
    """A one-line citation, for comparisons."""
    parts = [
        data.get("authors") or "",
        data.get("title") or "",
        data.get("journal") or "",
        str(data.get("year") or ""),
        ";".join(filter(None, [data.get("volume"), data.get("issue"), data.get("pages")])),
    ]
    ids = [
        f"{label} {data[key]}"
        for key, label in (("pmid", "PMID"), ("doi", "DOI"), ("nct_id", ""), ("url", ""))
        if data.get(key)
    ]
    level = f"Level of evidence {data['evidence_level']}" if data.get("evidence_level") else ""
    text = ". ".join(p for p in parts if p)
    tail = " ".join(i.strip() for i in ids)
    return f"[{data.get('position')}] {text}. {tail} {level}".strip()


def _display_content(content: VersionContent) -> dict:
    """Turn stored ids into names people recognise."""
    fields = content.fields
    topic_names = dict(
        Topic.objects.filter(pk__in=fields.get("topics", [])).values_list("pk", "name")
    )
    user_names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=fields.get("authors", []))
    }
    trial_ids = dict(
        ClinicalTrial.objects.filter(pk__in=fields.get("related_trials", [])).values_list(
            "pk", "nct_id"
        )
    )
    counterpart = (
        Article.objects.filter(pk=fields.get("counterpart_id"))
        .values_list("title", flat=True)
        .first()
    )
    return {
        "title": fields.get("title", ""),
        "slug": fields.get("slug", ""),
        "summary": fields.get("summary", ""),
        "body": fields.get("body", ""),
        "audience": fields.get("audience", ""),
        "language": fields.get("language", ""),
        "topics": sorted(topic_names.get(pk, f"#{pk}") for pk in fields.get("topics", [])),
        "authors": sorted(user_names.get(pk, f"#{pk}") for pk in fields.get("authors", [])),
        "counterpart": counterpart or "",
        "related_trials": sorted(
            trial_ids.get(pk, f"#{pk}") for pk in fields.get("related_trials", [])
        ),
        "review_interval_months": fields.get("review_interval_months"),
        "references": [format_reference(ref) for ref in content.references],
    }


def compare_versions(
    article: Article, old_number: int | None, new_number: int
) -> list[FieldChange]:
    """Field-by-field comparison of two versions; with no old version, everything is new."""
    new = _display_content(article_version_content(article, new_number))
    if old_number is None:
        old = {name: "" for name, _label in COMPARED_FIELDS}
    else:
        old = _display_content(article_version_content(article, old_number))
    return compare_dicts(old, new, COMPARED_FIELDS)
