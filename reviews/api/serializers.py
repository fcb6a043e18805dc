"""Input and output shapes of the editorial API.

Serializers validate and present; they never write. The views hand validated data to
``reviews.workflow``, the only code that saves an article or moves it through review.
"""

import copy

from django.contrib.auth import get_user_model
from django.core.validators import MinLengthValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from articles.models import (
    ARTICLE_EDITED_FIELDS,
    REFERENCE_CONTENT_FIELDS,
    Article,
    Image,
    PublishedArticle,
    Reference,
)
from articles.translations import (
    EDITORIAL_STATUSES,
    article_translation_status,
    language_versions,
)
from articles.validators import doi_warning
from reviews import evidence, quality, workflow
from reviews import roles as staff_roles
from reviews.readability import analyse

from .inputs import (
    AuthorField,
    CounterpartField,
    ReferenceListSerializer,
    StrictInputMixin,
    TopicField,
    TrialField,
)

EVIDENCE_CHANGED_HELP = (
    "Whether a trial the article cites changed on ClinicalTrials.gov since a clinical reviewer "
    "last approved or confirmed it; cleared by the next approval or confirmation."
)

# The workflow actions the API offers: reviewing and publishing, and the archive.
API_ACTIONS = (*workflow.REVIEW_ACTIONS, workflow.Action.ARCHIVE, workflow.Action.UNARCHIVE)
TRANSLATION_OF_HELP = "For a translation: the id of its source article; null otherwise."
SOURCE_VERSION_HELP = (
    "For a translation: the version of its source this version of the translation matches "
    "(set when it was started and by the update-source-version action; approved with the "
    "text). Null otherwise."
)
TRANSLATION_STATUS_HELP = (
    "For a translation that is live: `current` while its live page matches the source's live "
    "version, `outdated` once a newer version of the source went live, `source_withdrawn` when "
    "the source is no longer live (unpublished, archived or overdue) while the translation "
    "still is: an editor decides whether to unpublish it too. Null for an article that is not "
    "a translation, or not live."
)


def _translation_status_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[(status, status) for status in EDITORIAL_STATUSES],
        allow_null=True,
        help_text=TRANSLATION_STATUS_HELP,
    )


# Concrete Article fields an API client may write; the rest of the input is related rows.
ARTICLE_INPUT_FIELDS = tuple(
    name for name in ARTICLE_EDITED_FIELDS if not Article._meta.get_field(name).many_to_many
)


@extend_schema_serializer(
    description=(
        "One citation. Identifiers are checked after normalising: a https://doi.org/ prefix is "
        "removed, NCT numbers are upper-cased."
    )
)
class ReferenceSerializer(serializers.ModelSerializer):
    """One citation. Validated by the model itself, after it normalises the identifiers."""

    number = serializers.IntegerField(
        source="position", read_only=True, help_text="Cite it in the body as [@number]."
    )

    class Meta:
        model = Reference
        fields = ["id", "number", *REFERENCE_CONTENT_FIELDS]
        read_only_fields = ["id"]
        list_serializer_class = ReferenceListSerializer
        # Checked by full_clean() in validate(), which first strips prefixes and upper-cases.
        extra_kwargs = {
            "position": {"help_text": "Its number in the list; defaults to its place (1, 2…)."},
            "pmid": {"validators": []},
            "nct_id": {"validators": []},
        }

    def validate(self, attrs: dict) -> dict:
        reference = Reference(**attrs)
        reference.full_clean(exclude=["article"])
        return {name: getattr(reference, name) for name in attrs}


class ReadabilitySerializer(serializers.Serializer):
    grade = serializers.FloatField(help_text="Flesch-Kincaid grade level of the body.")
    reading_ease = serializers.FloatField(help_text="Flesch reading ease of the body.")
    words = serializers.IntegerField(help_text="Words in the body's prose.")
    warning = serializers.CharField(
        allow_null=True, help_text="Set when a patient page reads above the target grade."
    )


def _live_snapshot(article: Article) -> PublishedArticle | None:
    """The snapshot readers see now (the viewset prefetches ``PublishedArticle.objects.live()``,
    which is what ``workflow.live_snapshot`` reads)."""
    prefetched = getattr(article, "live_snapshots", None)
    if prefetched is None:
        return workflow.live_snapshot(article)
    return prefetched[0] if prefetched else None


@extend_schema_serializer(
    description="A change to a cited trial that no clinical reviewer has considered yet."
)
class EvidenceChangeSerializer(serializers.Serializer):
    nct_id = serializers.CharField(source="trial.nct_id", help_text="The trial, e.g. NCT02819518.")
    field = serializers.CharField(help_text="The trial field, e.g. overall_status or phases.")
    old_value = serializers.JSONField(help_text="As ClinicalTrials.gov gave it before.")
    new_value = serializers.JSONField(help_text="As ClinicalTrials.gov gives it now.")
    changed_at = serializers.DateTimeField(help_text="When the sync recorded the change.")


@extend_schema_serializer(description="An article in the editorial list.")
class ArticleSummarySerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    authors = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field=get_user_model().USERNAME_FIELD
    )
    live_version = serializers.SerializerMethodField()
    evidence_changed = serializers.SerializerMethodField()
    translation_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=TRANSLATION_OF_HELP
    )
    source_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=SOURCE_VERSION_HELP
    )
    translation_status = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "title",
            "audience",
            "language",
            "translation_of",
            "source_version",
            "translation_status",
            "topics",
            "authors",
            "state",
            "version",
            "live_version",
            "last_reviewed",
            "next_review_due",
            "updated_at",
            "evidence_changed",
        ]
        read_only_fields = fields

    def get_live_version(self, article: Article) -> int | None:
        snapshot = _live_snapshot(article)
        return snapshot.version if snapshot else None

    @extend_schema_field(serializers.BooleanField(help_text=EVIDENCE_CHANGED_HELP))
    def get_evidence_changed(self, article: Article) -> bool:
        annotated = getattr(article, "evidence_changed", None)
        return bool(evidence.open_flags(article)) if annotated is None else annotated

    @extend_schema_field(_translation_status_field())
    def get_translation_status(self, article: Article) -> str | None:
        return article_translation_status(article)


@extend_schema_serializer(description="Another language version of the same content.")
class EditorialLanguageVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Its article id.")
    language = serializers.CharField(help_text="Its language code, e.g. es.")
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="Its working copy in this API.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, article: Article) -> str:
        path = reverse("api:editorial-article-detail", args=[article.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_serializer(
    description=(
        "An article's working copy: what writers edit, with its workflow status alongside. On "
        "input, topics, related_trials and references replace the stored lists when given; "
        "workflow fields are read-only, and sending one is an error."
    )
)
class ArticleSerializer(StrictInputMixin, serializers.ModelSerializer):
    """An article's working copy: what writers edit, with its workflow status alongside.

    On input, ``topics``, ``related_trials`` and ``references`` replace the stored lists when
    given. Workflow fields are read-only; sending one is an error.
    """

    # The validator repeats allow_empty=False so that the schema says minItems: 1.
    topics = serializers.ManyRelatedField(
        child_relation=TopicField(),
        allow_empty=False,
        validators=[MinLengthValidator(1)],
        help_text="Topic slugs: at least one.",
    )
    authors = serializers.ManyRelatedField(
        child_relation=AuthorField(),
        required=False,
        help_text="Usernames of the people credited in the byline (active writers, clinical "
        "reviewers or editors: GET /api/v1/editorial/people/); given on input, they replace "
        "the list. A new article without them credits its creator.",
    )
    references = ReferenceSerializer(
        many=True, required=False, help_text="The citations; given on input, they replace all."
    )
    related_trials = TrialField(many=True, required=False, help_text="NCT numbers.")
    counterpart = CounterpartField(
        required=False,
        allow_null=True,
        help_text="Slug of the same subject written for the other audience.",
    )
    lead_image = serializers.PrimaryKeyRelatedField(
        queryset=Image.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the media library image shown at the top of the page and when it is "
        "shared; null for none.",
    )
    images = serializers.JSONField(
        read_only=True,
        help_text="The library images this version shows (body, then lead image) as they "
        "stood when it was saved: id, alt, decorative, caption, credit, license, "
        "license_text, rights_holder, source_url, digest (SHA-256 of the file), width, "
        "height, format, renditions (width, height, format, name, sha256 of the file). "
        "Worked out at every save from the body's image:<id> and lead_image; part of what "
        "the clinician approves.",
    )
    live_version = serializers.SerializerMethodField()
    live_url = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    readability = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    evidence_changed = serializers.SerializerMethodField()
    evidence_changes = serializers.SerializerMethodField()
    translation_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=TRANSLATION_OF_HELP
    )
    source_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=SOURCE_VERSION_HELP
    )
    translation_status = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    comment = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why you saved: recorded with the new version.",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "body",
            "audience",
            "language",
            "translation_of",
            "source_version",
            "translation_status",
            "translations",
            "topics",
            "authors",
            "references",
            "related_trials",
            "counterpart",
            "lead_image",
            "images",
            "review_interval_months",
            "state",
            "version",
            "live_version",
            "live_url",
            "last_reviewed",
            "next_review_due",
            "created_at",
            "updated_at",
            "allowed_actions",
            "readability",
            "warnings",
            "evidence_changed",
            "evidence_changes",
            "comment",
        ]
        read_only_fields = ["state", "version", "last_reviewed", "next_review_due"]

    def validate_references(self, references: list[dict]) -> list[dict]:
        return [
            {"position": index, **reference} for index, reference in enumerate(references, start=1)
        ]

    def validate(self, attrs: dict) -> dict:
        if self.partial and not set(attrs) - {"comment"}:
            # Any save is a new version and withdraws an open review; an empty edit is a mistake.
            raise serializers.ValidationError("Send at least one field to change.")
        # The model's own rules (counterpart for the other audience, unique slug, lengths),
        # checked on the article as it would be after this change.
        candidate = copy.copy(self.instance) if self.instance else Article()
        for name in ARTICLE_INPUT_FIELDS:
            if name in attrs:
                setattr(candidate, name, attrs[name])
        candidate.full_clean()
        return attrs

    def get_live_version(self, article: Article) -> int | None:
        snapshot = _live_snapshot(article)
        return snapshot.version if snapshot else None

    def get_live_url(self, article: Article) -> str | None:
        snapshot = _live_snapshot(article)
        if snapshot is None:
            return None
        request = self.context.get("request")
        path = snapshot.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[(a, a.label) for a in API_ACTIONS]),
            help_text="The workflow actions you may take now (request_changes is the "
            "request-changes/ endpoint, confirm_current confirm-current/).",
        )
    )
    def get_allowed_actions(self, article: Article) -> list[str]:
        request = self.context.get("request")
        return workflow.allowed_actions(request.user if request else None, article, API_ACTIONS)

    @extend_schema_field(ReadabilitySerializer)
    def get_readability(self, article: Article) -> dict:
        scores = analyse(article.body)
        return {
            "grade": scores.flesch_kincaid_grade,
            "reading_ease": scores.flesch_reading_ease,
            "words": scores.words,
            "warning": quality.grade_warning(article),
        }

    @extend_schema_field(serializers.BooleanField(help_text=EVIDENCE_CHANGED_HELP))
    def get_evidence_changed(self, article: Article) -> bool:
        return bool(evidence.open_flags(article))

    @extend_schema_field(_translation_status_field())
    def get_translation_status(self, article: Article) -> str | None:
        return article_translation_status(article)

    @extend_schema_field(
        EditorialLanguageVersionSerializer(
            many=True,
            help_text="The other language versions in use: the source and its translations "
            "(for a translation, its source and the other translations).",
        )
    )
    def get_translations(self, article: Article) -> list[dict]:
        return EditorialLanguageVersionSerializer(
            language_versions(article), many=True, context=self.context
        ).data

    @extend_schema_field(EvidenceChangeSerializer(many=True))
    def get_evidence_changes(self, article: Article) -> list[dict]:
        """The trial changes behind ``evidence_changed``, oldest first."""
        flags = evidence.open_flags(article)
        return EvidenceChangeSerializer([flag.change for flag in flags], many=True).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="Things worth checking that were not errors, such as a DOI of unusual shape.",
        )
    )
    def get_warnings(self, article: Article) -> list[str]:
        warnings = []
        for reference in article.references.all():
            warning = doi_warning(reference.doi)
            if warning:
                warnings.append(f"Reference {reference.position}: {warning}")
        return warnings


@extend_schema_serializer(
    description="A saved version of an article: its number, when and by whom it was saved, and why."
)
class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    created_at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Username of who saved it.")
    comment = serializers.CharField(allow_blank=True)


class VersionRangeSerializer(serializers.Serializer):
    """The two versions to compare (``from`` is a Python keyword, hence ``get_fields``)."""

    def get_fields(self) -> dict:
        return {
            "from": serializers.IntegerField(min_value=1, help_text="The older version."),
            "to": serializers.IntegerField(min_value=1, help_text="The newer version."),
        }


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Field name, e.g. body.")
    label = serializers.CharField(help_text="Field label, e.g. Body.")
    changed = serializers.BooleanField()
    old = serializers.CharField(allow_blank=True, help_text="Value in the older version.")
    new = serializers.CharField(allow_blank=True, help_text="Value in the newer version.")
    diff = serializers.CharField(allow_blank=True, help_text="Unified diff; empty if unchanged.")
    numbers_changed = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text='Changed numbers as [old, new] pairs, e.g. [["75 mg", "100 mg"]]; "" when a '
        "number was only removed or only added.",
    )


class VersionComparisonSerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        return {
            "from": serializers.IntegerField(),
            "to": serializers.IntegerField(),
            "changes": FieldChangeSerializer(many=True),
        }


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ReviewCommentSerializer(serializers.Serializer):
    """One message of a review's discussion."""

    id = serializers.IntegerField()
    review = serializers.IntegerField(source="review_id", help_text="The review it belongs to.")
    version = serializers.IntegerField(
        source="review.version", help_text="The version under that review."
    )
    author = serializers.CharField(
        source="author.username",
        allow_null=True,
        default=None,
        help_text="Username of who wrote it; null if that account was deleted.",
    )
    author_name = serializers.SerializerMethodField(help_text="Their name as the admin shows it.")
    body = serializers.CharField(help_text="Plain text.")
    created_at = serializers.DateTimeField()

    def get_author_name(self, comment) -> str:
        author = comment.author
        if author is None:
            return ""
        return author.get_full_name() or author.get_username()


class PersonSerializer(serializers.Serializer):
    """A member of the editorial staff: who can be credited as an author or be assigned work.
    No e-mail address or other contact detail."""

    id = serializers.IntegerField(help_text="Their user id (feedback's assignee).")
    username = serializers.CharField(help_text="As articles' authors name them.")
    name = serializers.SerializerMethodField(help_text="Full name, or the username.")
    roles = serializers.SerializerMethodField()
    verified_reviewer = serializers.SerializerMethodField(
        help_text="A clinical reviewer whose credentials an editor verified: may sign off."
    )

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(staff_roles.ROLE_NAMES)))
    )
    def get_roles(self, user) -> list[str]:
        return staff_roles.roles_of(user)

    def get_verified_reviewer(self, user) -> bool:
        return staff_roles.is_clinical_reviewer(user) and staff_roles.has_verified_credentials(user)
