"""Reads: an article's version history, the content of any version, comparisons, and reader
feedback for the editorial team."""

import operator
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import reduce

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from reversion.models import Version

from .diff import FieldChange, compare_dicts
from .images.delivery import describe
from .models import (
    ARTICLE_CONTENT,
    ARTICLE_CONTENT_FIELDS,
    Article,
    ArticleRevision,
    ClinicalTrial,
    Feedback,
    Image,
    PublishedArticle,
    Reference,
    Topic,
)
from .snapshots import person_name

COMPARED_FIELDS: list[tuple[str, str]] = [
    *((field.name, field.label) for field in ARTICLE_CONTENT),
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


def _names(model, ids: list) -> dict:
    """What people call the rows ``ids`` of ``model``, by id."""
    rows = model.objects.filter(pk__in=ids)
    if model is get_user_model():
        return {user.pk: person_name(user) for user in rows}
    if model is Image:
        return {pk: f"Image {pk}: {title}" for pk, title in rows.values_list("pk", "title")}
    attribute = {Topic: "name", ClinicalTrial: "nct_id", Article: "title"}[model]
    return dict(rows.values_list("pk", attribute))


def _display_content(content: VersionContent) -> dict:
    """A version's content with stored ids turned into names people recognise."""
    fields = content.fields
    shown: dict = {}
    for name in ARTICLE_CONTENT_FIELDS:
        field = Article._meta.get_field(name)
        if name == "images":
            # The images shown, in words: what a reviewer approves of each.
            shown[name] = [describe(data) for data in fields.get(name) or []]
        elif field.many_to_many:
            ids = fields.get(name, [])
            names = _names(field.related_model, ids)
            shown[name] = sorted(names.get(pk, f"#{pk}") for pk in ids)
        elif field.is_relation:
            pk = fields.get(field.attname)
            shown[name] = _names(field.related_model, [pk]).get(pk, "") if pk else ""
        else:
            shown[name] = fields.get(name)
    shown["references"] = [format_reference(ref) for ref in content.references]
    return shown


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


def feedback_assignees():
    """Who may be given reader feedback to handle: active staff members who are editors
    (or superusers) or clinical reviewers with a reviewer profile, by name."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__name=settings.EDITORS_GROUP)
            | Q(groups__name=settings.REVIEWERS_GROUP, reviewer_profile__isnull=False)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def feedback_for_triage():
    """Reader feedback with what its lists show (article, assignee), newest first."""
    return Feedback.objects.select_related("article", "assignee").order_by("-created_at", "-pk")


def articles_naming_trials(trial_ids: list[int]) -> list[str]:
    """Titles of the articles whose working copy or any published version names one of the
    trials among its related trials (archived ones included: their history is kept)."""
    return list(
        Article.objects.filter(
            Q(related_trials__in=trial_ids) | Q(snapshots__related_trials__in=trial_ids)
        )
        .order_by("title")
        .values_list("title", flat=True)
        .distinct()
    )


def cites_by_reference(snapshot: PublishedArticle, nct_ids: Collection[str]) -> set[str]:
    """Which of ``nct_ids`` the snapshot's references give."""
    given = {
        reference.get("nct_id")
        for reference in snapshot.references or []
        if isinstance(reference, dict)
    }
    return given & set(nct_ids)


def snapshots_citing_by_reference(
    snapshots: QuerySet[PublishedArticle], nct_ids: Collection[str]
) -> dict[str, list[PublishedArticle]]:
    """The snapshots among ``snapshots`` whose references give one of ``nct_ids``, by NCT
    number, in one query: the JSON text is searched first (any database can), then each
    candidate's references are read (``snapshots`` must load ``references``)."""
    found: dict[str, list[PublishedArticle]] = {}
    if not nct_ids:
        return found
    mentions = reduce(operator.or_, (Q(references__icontains=nct_id) for nct_id in nct_ids))
    for snapshot in snapshots.filter(mentions):
        for nct_id in cites_by_reference(snapshot, nct_ids):
            found.setdefault(nct_id, []).append(snapshot)
    return found
