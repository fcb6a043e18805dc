"""Read-only representations of published content for partner apps (API v1)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from articles import trials
from articles.choices import ReviewStatus
from articles.images.delivery import api_image
from articles.models import ClinicalTrial, ImageLicense, PublishedArticle, Topic, TrialChange
from articles.public import PageImages, page_images, review_status, site_url
from articles.translations import STATUSES, page_path, translation_status


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute address of the object's page on the public site."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return site_url(value.get_absolute_url(), self.context.get("request"))


@extend_schema_serializer(description='An error other than invalid input: {"detail": "message"}.')
class ErrorDetailSerializer(serializers.Serializer):
    """An error other than invalid input: ``{"detail": "message"}``."""

    detail = serializers.CharField()


class TopicRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


@extend_schema_serializer(
    description="The clinical reviewer as they stood when they approved this version."
)
class ReviewerSerializer(serializers.Serializer):
    """The reviewer as they stood when they approved this version."""

    name = serializers.CharField()
    credentials = serializers.CharField()
    specialty = serializers.CharField()
    # Snapshots published before disclosures were frozen have no key: "" (nothing declared
    # at the time is known), never today's profile text.
    disclosure = serializers.CharField(
        read_only=True,
        default="",
        help_text="The reviewer's conflict-of-interest disclosure as it stood at approval; "
        "empty when none was declared.",
    )


class CitationSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    authors = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    journal = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(allow_null=True)
    volume = serializers.CharField(allow_blank=True)
    issue = serializers.CharField(allow_blank=True)
    pages = serializers.CharField(allow_blank=True)
    pmid = serializers.CharField(allow_null=True)
    doi = serializers.CharField(allow_null=True)
    nct_id = serializers.CharField(allow_null=True)
    url = serializers.URLField(allow_null=True)
    evidence_level = serializers.CharField(allow_null=True)
    pubmed_url = serializers.URLField(allow_null=True)
    doi_url = serializers.URLField(allow_null=True)
    clinicaltrials_url = serializers.URLField(allow_null=True)


@extend_schema_serializer(
    description=(
        "An image the page shows, as the clinician approved it (alt text and caption as this "
        "page uses them). Images whose rights have expired are left out."
    )
)
class ImageSerializer(serializers.Serializer):
    """An image the page shows, as the clinician approved it (alt text and caption as this
    page uses them). Images whose rights have expired are left out."""

    url = serializers.CharField(
        help_text="The largest rendition in the image's own format (files never change: "
        "their address holds the digest of the original)."
    )
    width = serializers.IntegerField(help_text="Intrinsic width in pixels.")
    height = serializers.IntegerField(help_text="Intrinsic height in pixels.")
    alt = serializers.CharField(
        allow_blank=True, help_text="Alt text; empty for a decorative image."
    )
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True, help_text="Show it with the image.")
    license = serializers.ChoiceField(choices=ImageLicense.choices)
    srcset = serializers.CharField(
        allow_blank=True,
        help_text='Renditions in the image\'s own format: "<url> 320w, <url> 640w, …".',
    )


class ChangeSerializer(serializers.Serializer):
    date = serializers.DateTimeField(source="go_live_at")
    version = serializers.IntegerField()
    note = serializers.CharField(source="change_note")


class TrialRefSerializer(serializers.ModelSerializer):
    # Registry codes as ClinicalTrials.gov gives them: a code new to us is kept as it comes
    # (the sync warns), so these are text, not closed enumerations.
    overall_status = serializers.CharField(help_text="e.g. RECRUITING, COMPLETED.")
    phases = serializers.ListField(
        child=serializers.CharField(), help_text='e.g. ["PHASE2", "PHASE3"].'
    )
    url = PageURLField()

    class Meta:
        model = ClinicalTrial
        fields = ["nct_id", "brief_title", "overall_status", "phases", "url"]


TRANSLATION_STATUS_HELP = (
    "For a translation: `current` while it was translated from the source's live version, "
    "`outdated` once a newer version of the source went live (or the source is no longer "
    "live). Null for an article that is not a translation."
)
SOURCE_VERSION_HELP = (
    "For a translation: the version of its source article it was translated from, as "
    "clinically approved. Null for an article that is not a translation."
)


@extend_schema_serializer(description="A live version of the same content in another language.")
class LanguageVersionSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="Its language code, e.g. es.")
    slug = serializers.CharField(help_text="Its slug: fetch it from the article endpoint.")
    url = serializers.SerializerMethodField(help_text="Its public page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, snapshot: PublishedArticle) -> str:
        return site_url(page_path(snapshot), self.context.get("request"))


@extend_schema_serializer(
    description="A live article in lists: enough to show a card and decide whether to fetch it."
)
class ArticleListSerializer(serializers.ModelSerializer):
    """An article in lists: enough to show a card and decide whether to fetch it."""

    id = serializers.IntegerField(source="article_id", help_text="Stable identifier.")
    url = PageURLField(help_text="The public page.")
    topics = TopicRefSerializer(many=True)
    published_at = serializers.DateTimeField(source="first_published_at")
    updated_at = serializers.DateTimeField(source="go_live_at")
    review_status = serializers.SerializerMethodField(
        help_text="Where the page stands in its clinical review cycle, on today's date: "
        "`overdue` after `next_review_due`, `due_soon` when it falls within the next 30 days "
        "(the due date included), else `current`."
    )
    language = serializers.CharField(help_text="The language the article is written in, e.g. en.")
    translation_status = serializers.SerializerMethodField(help_text=TRANSLATION_STATUS_HELP)
    source_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=SOURCE_VERSION_HELP
    )

    class Meta:
        model = PublishedArticle
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "summary",
            "audience",
            "language",
            "translation_status",
            "source_version",
            "topics",
            "last_reviewed",
            "next_review_due",
            "review_status",
            "published_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ReviewStatus.choices))
    def get_review_status(self, snapshot: PublishedArticle) -> str:
        return review_status(snapshot.next_review_due).value

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[(status, status) for status in STATUSES],
            allow_null=True,
            help_text=TRANSLATION_STATUS_HELP,
        )
    )
    def get_translation_status(self, snapshot: PublishedArticle) -> str | None:
        # Lists work the statuses out for a whole page at once (ArticleViewSet).
        known = getattr(snapshot, "translation", None)
        return (known or translation_status(snapshot)).public_status


@extend_schema_serializer(
    description="The clinical sign-off of the content served: anyone can recompute the digest."
)
class SignoffSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The article version that was approved.")
    approved_at = serializers.DateTimeField(
        source="reviewed_at", allow_null=True, help_text="When the clinician approved it."
    )
    digest = serializers.CharField(
        help_text="SHA-256 (hex) of the canonical content approved and served (title, summary, "
        "body, audience, language, references, counterpart, authors, related trials, images; "
        "for a translation, its source and source version)."
    )


@extend_schema_serializer(
    description="A live article in full, with its clinical review and sources."
)
class ArticleDetailSerializer(ArticleListSerializer):
    authors = serializers.ListField(child=serializers.CharField(), help_text="Byline names.")
    reviewed_by = ReviewerSerializer(help_text="The clinician who approved this version.")
    references = CitationSerializer(many=True)
    related_trials = TrialRefSerializer(many=True)
    changes = serializers.SerializerMethodField(help_text="Public change log, newest first.")
    counterpart = serializers.SerializerMethodField(
        help_text="Slug of the live article on the same subject for the other audience."
    )
    signoff = SignoffSerializer(source="*", help_text="The clinical approval of this content.")
    body_html = serializers.SerializerMethodField(
        help_text="The body as sanitised HTML; a figure whose image's rights have expired is "
        "replaced by its caption, or left out."
    )
    images = serializers.SerializerMethodField(
        help_text="The images of the body, in order (the same image may appear twice)."
    )
    lead_image = serializers.SerializerMethodField(
        help_text="Shown at the top of the page and when it is shared; null if none."
    )
    translations = serializers.SerializerMethodField(
        help_text="Every other live language version of the same content, by language code "
        "(its source and sibling translations for a translation); empty when there is none."
    )

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "body_html",
            "images",
            "lead_image",
            "authors",
            "reviewed_by",
            "references",
            "related_trials",
            "changes",
            "counterpart",
            "translations",
            "signoff",
        ]
        read_only_fields = fields

    def _images(self, snapshot: PublishedArticle) -> PageImages:
        shown = self.context.get("page_images")
        return shown if shown is not None else page_images(snapshot)

    def _absolute(self, data: dict) -> dict:
        request = self.context.get("request")
        return api_image(data, request.build_absolute_uri if request else str)

    def get_body_html(self, snapshot: PublishedArticle) -> str:
        return self._images(snapshot).body_html

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, snapshot: PublishedArticle) -> list[dict]:
        return [self._absolute(data) for data in self._images(snapshot).images]

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_lead_image(self, snapshot: PublishedArticle) -> dict | None:
        lead = self._images(snapshot).lead_image
        return self._absolute(lead) if lead else None

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, snapshot: PublishedArticle) -> list[dict]:
        return ChangeSerializer(self.context["changes"], many=True).data

    @extend_schema_field(LanguageVersionSerializer(many=True))
    def get_translations(self, snapshot: PublishedArticle) -> list[dict]:
        return LanguageVersionSerializer(
            self.context.get("translations", []), many=True, context=self.context
        ).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_counterpart(self, snapshot: PublishedArticle) -> str | None:
        counterpart = self.context.get("counterpart")
        return counterpart.slug if counterpart else None


class TopicSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    children = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = PageURLField()

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "parent", "children", "url", "updated_at"]
        read_only_fields = fields


class InterventionSerializer(serializers.Serializer):
    type = serializers.CharField(required=False, help_text="ClinicalTrials.gov code, e.g. DRUG.")
    type_label = serializers.SerializerMethodField(help_text='In words, e.g. "Drug".')
    name = serializers.CharField()

    def get_type_label(self, item: dict) -> str:
        return trials.intervention_type_label(item.get("type", ""))


@extend_schema_serializer(description="A study site as ClinicalTrials.gov lists it.")
class LocationSerializer(serializers.Serializer):
    facility = serializers.CharField(default="")
    city = serializers.CharField(default="")
    country = serializers.CharField(default="")
    status = serializers.CharField(
        default="", help_text="The site's recruitment status code, e.g. RECRUITING; may be empty."
    )
    status_label = serializers.SerializerMethodField(help_text='In words, e.g. "Recruiting".')

    def get_status_label(self, place: dict) -> str:
        return trials.status_label(place["status"]) if place.get("status") else ""


@extend_schema_serializer(
    description="A change of a tracked registry field, recorded by a sync from ClinicalTrials.gov."
)
class TrialChangeSerializer(serializers.ModelSerializer):
    field = serializers.CharField(
        help_text="The field that changed: " + ", ".join(TrialChange.TRACKED_FIELDS) + "."
    )
    old_value = serializers.JSONField(help_text="The value before (as the field holds it).")
    new_value = serializers.JSONField(help_text="The value after.")

    class Meta:
        model = TrialChange
        fields = ["field", "old_value", "new_value", "changed_at"]
        read_only_fields = fields


@extend_schema_serializer(
    description=(
        "A clinical trial: the ClinicalTrials.gov record (codes as the registry gives them, "
        "with *_label fields in words), our plain-language texts, its change history and the "
        "live articles citing it."
    )
)
class TrialSerializer(serializers.ModelSerializer):
    """A clinical trial: the ClinicalTrials.gov record (codes as the registry gives them, with
    ``*_label`` fields in words), our plain-language texts, its change history and the live
    articles citing it."""

    overall_status = serializers.CharField(
        help_text="ClinicalTrials.gov overallStatus, e.g. RECRUITING. A code the registry adds "
        "later is passed on as it comes."
    )
    overall_status_label = serializers.SerializerMethodField(
        help_text='The status in words, e.g. "Active, not recruiting".'
    )
    phases = serializers.ListField(
        child=serializers.CharField(), help_text='e.g. ["PHASE2", "PHASE3"] for a phase 2/3 trial.'
    )
    phase_label = serializers.SerializerMethodField(
        help_text='The phases in words, e.g. "Phase 2/3"; empty when none is given.'
    )
    conditions = serializers.ListField(child=serializers.CharField())
    keywords = serializers.ListField(child=serializers.CharField())
    interventions = InterventionSerializer(many=True)
    locations = LocationSerializer(many=True)
    sex_label = serializers.SerializerMethodField(help_text='"All", "Female" or "Male"; or empty.')
    age_range = serializers.SerializerMethodField(
        help_text='The age limits in words, e.g. "18 years and over".'
    )
    start_date = serializers.CharField(
        help_text='As the registry gives it: "2024-03" or "2024-03-15".'
    )
    primary_completion_date = serializers.CharField(help_text="As the registry gives it.")
    completion_date = serializers.CharField(help_text="As the registry gives it.")
    healthy_volunteers = serializers.BooleanField(allow_null=True)
    changes = TrialChangeSerializer(
        many=True, help_text="Changes of tracked registry fields, newest first."
    )
    cited_by = serializers.SerializerMethodField(
        help_text="Slugs of the live articles that cite this trial: among their related trials "
        "or by its NCT number in their references."
    )
    url = PageURLField(help_text="The trial's page on this site.")
    clinicaltrials_url = serializers.URLField(source="registry_url")

    class Meta:
        model = ClinicalTrial
        fields = [
            "nct_id",
            "brief_title",
            "official_title",
            "acronym",
            "overall_status",
            "overall_status_label",
            "why_stopped",
            "phases",
            "phase_label",
            "study_type",
            "conditions",
            "keywords",
            "interventions",
            "summary",
            "eligibility_summary",
            "eligibility_criteria",
            "sex",
            "sex_label",
            "minimum_age",
            "maximum_age",
            "age_range",
            "healthy_volunteers",
            "locations",
            "sponsor",
            "sponsor_class",
            "enrollment",
            "enrollment_type",
            "start_date",
            "primary_completion_date",
            "completion_date",
            "has_results",
            "last_update_posted",
            "last_verified",
            "synced_at",
            "changes",
            "cited_by",
            "url",
            "clinicaltrials_url",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overall_status_label(self, trial: ClinicalTrial) -> str:
        return trials.status_label(trial.overall_status)

    def get_phase_label(self, trial: ClinicalTrial) -> str:
        return trials.phase_label(trial.phases)

    def get_sex_label(self, trial: ClinicalTrial) -> str:
        return trials.sex_label(trial.sex)

    def get_age_range(self, trial: ClinicalTrial) -> str:
        return trials.age_range(trial.minimum_age, trial.maximum_age)

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_cited_by(self, trial: ClinicalTrial) -> list[str]:
        # Read by the view for the whole page: ``live_citing`` (related trials, prefetched)
        # and ``live_citing_by_reference`` (``public.add_live_reference_citers``).
        slugs = {snapshot.slug for snapshot in trial.live_citing}
        return sorted(slugs.union(getattr(trial, "live_citing_by_reference", ())))
