"""Content models: topics, the article working copy, references, trials and live snapshots.

An :class:`Article` is the working copy writers edit; every save is a django-reversion version.
Readers never see it. What they see is a :class:`PublishedArticle`, a frozen, pre-rendered
snapshot of an approved version, written only by the review workflow (``reviews.workflow``).
"""

import secrets
import uuid

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reviews.states import State

from .outbound import validate_public_url
from .validators import (
    normalise_doi,
    normalise_nct_id,
    validate_nct_id,
    validate_pmid,
    validate_publication_year,
)


class TimeStampedModel(models.Model):
    """Creation and last-change times, shared by the content models."""

    created_at = models.DateTimeField(
        "created", auto_now_add=True, help_text="When it was created."
    )
    updated_at = models.DateTimeField("updated", auto_now=True, help_text="When it last changed.")

    class Meta:
        abstract = True


class Audience(models.TextChoices):
    PATIENT = "patient", "Patients and carers"
    PROFESSIONAL = "professional", "Health professionals"


class Topic(TimeStampedModel):
    """A subject area; topics nest two levels deep (for example Metastasis > Bone)."""

    name = models.CharField("name", max_length=120, help_text="Shown in menus and headings.")
    slug = models.SlugField(
        "slug", max_length=120, unique=True, help_text="The topic's address: /topics/your-slug/."
    )
    description = models.TextField(
        "description", blank=True, help_text="One or two sentences introducing the topic."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="parent topic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level topic. Only two levels are allowed.",
    )
    position = models.PositiveSmallIntegerField(
        "position", default=0, help_text="Order among its siblings; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "topic"
        verbose_name_plural = "topics"

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Topics nest two levels deep: choose a top-level topic as the parent."}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This topic has sub-topics, so it must stay a top-level topic."}
            )


class TrialStatus(models.TextChoices):
    """ClinicalTrials.gov API v2 ``overallStatus`` values."""

    RECRUITING = "RECRUITING", "Recruiting"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", "Not yet recruiting"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", "Enrolling by invitation"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", "Active, not recruiting"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"
    COMPLETED = "COMPLETED", "Completed"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    UNKNOWN = "UNKNOWN", "Unknown status"


class TrialPhase(models.TextChoices):
    """ClinicalTrials.gov API v2 ``phases`` values; a phase 2/3 trial lists two."""

    EARLY_PHASE1 = "EARLY_PHASE1", "Early phase 1"
    PHASE1 = "PHASE1", "Phase 1"
    PHASE2 = "PHASE2", "Phase 2"
    PHASE3 = "PHASE3", "Phase 3"
    PHASE4 = "PHASE4", "Phase 4"
    NA = "NA", "Not applicable"


def validate_phases(value: list) -> None:
    """Phases must be a list of ClinicalTrials.gov phase names."""
    if not isinstance(value, list):
        raise ValidationError('Enter the phases as a list, for example ["PHASE2", "PHASE3"].')
    unknown = [item for item in value if item not in TrialPhase.values]
    if unknown:
        raise ValidationError(
            "Unknown phase %(unknown)s: use %(allowed)s.",
            code="invalid_phase",
            params={
                "unknown": ", ".join(map(str, unknown)),
                "allowed": ", ".join(TrialPhase.values),
            },
        )


def validate_string_list(value: list) -> None:
    """A JSON list of non-empty strings (conditions, locations)."""
    if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
        raise ValidationError(
            'Enter a list of text items, for example ["Metastatic breast cancer"].',
            code="invalid_list",
        )


def validate_interventions(value: list) -> None:
    """A JSON list of ``{"type": ..., "name": ...}`` objects, as in ClinicalTrials.gov."""
    if not isinstance(value, list) or not all(
        isinstance(i, dict) and str(i.get("name", "")).strip() for i in value
    ):
        raise ValidationError(
            "Enter interventions as a list of objects with a name and a type, for example "
            '[{"type": "DRUG", "name": "Trastuzumab deruxtecan"}].',
            code="invalid_interventions",
        )


class ClinicalTrial(TimeStampedModel):
    """A clinical study registered on ClinicalTrials.gov, named by its NCT number."""

    nct_id = models.CharField(
        "NCT number",
        max_length=11,
        unique=True,
        validators=[validate_nct_id],
        help_text="ClinicalTrials.gov identifier: NCT followed by 8 digits.",
    )
    brief_title = models.CharField("brief title", max_length=300, help_text="The registry title.")
    overall_status = models.CharField(
        "overall status",
        max_length=32,
        choices=TrialStatus.choices,
        default=TrialStatus.UNKNOWN,
        db_index=True,
        help_text="Recruitment status as ClinicalTrials.gov reports it.",
    )
    phases = models.JSONField(
        "phases",
        default=list,
        blank=True,
        validators=[validate_phases],
        help_text='List of phases, e.g. ["PHASE2", "PHASE3"] for a phase 2/3 trial.',
    )
    conditions = models.JSONField(
        "conditions",
        default=list,
        blank=True,
        validators=[validate_string_list],
        help_text='Conditions studied, e.g. ["Metastatic Breast Cancer"].',
    )
    interventions = models.JSONField(
        "interventions",
        default=list,
        blank=True,
        validators=[validate_interventions],
        help_text='e.g. [{"type": "DRUG", "name": "Pembrolizumab"}].',
    )
    summary = models.TextField("summary", blank=True, help_text="What the trial studies.")
    eligibility_summary = models.TextField(
        "eligibility summary", blank=True, help_text="Who can take part, in plain words."
    )
    locations = models.JSONField(
        "locations",
        default=list,
        blank=True,
        validators=[validate_string_list],
        help_text='Sites, e.g. ["London, United Kingdom"].',
    )
    last_verified = models.DateField(
        "last verified", null=True, blank=True, help_text="When the registry record was checked."
    )

    class Meta:
        ordering = ["nct_id"]
        verbose_name = "clinical trial"
        verbose_name_plural = "clinical trials"

    def __str__(self) -> str:
        return f"{self.nct_id}: {self.brief_title}"

    def get_absolute_url(self) -> str:
        return reverse("articles:trial", kwargs={"nct_id": self.nct_id})

    @property
    def registry_url(self) -> str:
        """The trial's page on ClinicalTrials.gov."""
        return f"https://clinicaltrials.gov/study/{self.nct_id}"

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the format validators run, so " nct01234567 " is accepted.
        self.nct_id = normalise_nct_id(self.nct_id)
        super().clean_fields(exclude=exclude)


class ArticleQuerySet(models.QuerySet):
    def active(self) -> "ArticleQuerySet":
        """Articles that are not archived."""
        return self.filter(archived_at__isnull=True)


class Article(TimeStampedModel):
    """The working copy of an article. Its workflow fields are written only by reviews.workflow."""

    title = models.CharField("title", max_length=200, help_text="The page heading.")
    slug = models.SlugField(
        "slug",
        max_length=200,
        unique=True,
        blank=True,
        help_text="The address: /articles/your-slug/. Leave empty to make one from the title.",
    )
    summary = models.TextField(
        "summary",
        max_length=600,
        help_text="One or two sentences shown under the title and in search results.",
    )
    body = models.TextField(
        "body",
        help_text="Markdown. Use ## headings (they build the table of contents) and cite "
        "references with [@1], [@2]… by their position in the reference list.",
    )
    audience = models.CharField(
        "audience",
        max_length=20,
        choices=Audience.choices,
        default=Audience.PATIENT,
        db_index=True,
        help_text="Who the article is written for.",
    )
    language = models.CharField(
        "language", max_length=10, default="en", help_text="Language code, e.g. en or fr."
    )
    topics = models.ManyToManyField(
        Topic, verbose_name="topics", related_name="articles", help_text="Where it is listed."
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="authors",
        related_name="authored_articles",
        blank=True,
        help_text="Writers credited in the byline.",
    )
    counterpart = models.ForeignKey(
        "self",
        verbose_name="counterpart for the other audience",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counterpart_of",
        help_text="The same subject written for the other audience, if there is one.",
    )
    related_trials = models.ManyToManyField(
        ClinicalTrial,
        verbose_name="related trials",
        related_name="articles",
        blank=True,
        help_text="Clinical trials the article discusses.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review interval (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="How often a clinician must review it: 12 months for fast-moving treatment "
        "pages, at most 36.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="created by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who created the article.",
    )
    # Workflow fields: written only by reviews.workflow, never by forms or serializers.
    version = models.PositiveIntegerField(
        "version", default=0, editable=False, help_text="Number of the latest saved version."
    )
    state = models.CharField(
        "workflow state",
        max_length=20,
        choices=State.choices,
        default=State.DRAFT,
        editable=False,
        db_index=True,
        help_text="Where the working copy is in clinical review.",
    )
    last_reviewed = models.DateField(
        "last reviewed",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a clinician's approval is published.",
    )
    next_review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Last reviewed plus the review interval.",
    )
    archived_at = models.DateTimeField(
        "archived",
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Archived articles are hidden.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="article_state_valid"),
            models.CheckConstraint(
                condition=~Q(counterpart=models.F("pk")), name="article_not_own_counterpart"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.counterpart_id is not None:
            if self.pk and self.counterpart_id == self.pk:
                raise ValidationError({"counterpart": "An article cannot be its own counterpart."})
            if self.counterpart.audience == self.audience:
                raise ValidationError(
                    {"counterpart": "The counterpart must be written for the other audience."}
                )


class EvidenceLevel(models.TextChoices):
    """PDQ levels of evidence for treatment citations."""

    A1 = "A1", "A1: RCT, overall survival"
    A2 = "A2", "A2: RCT, cancer-specific survival"
    A3 = "A3", "A3: RCT, carefully assessed quality of life"
    B1 = "B1", "B1: non-randomised controlled trial, overall survival"
    B2 = "B2", "B2: non-randomised, cancer-specific survival"
    B3 = "B3", "B3: non-randomised, quality of life"
    B4 = "B4", "B4: non-randomised, indirect measure"
    C1 = "C1", "C1: case series, overall survival"
    C2 = "C2", "C2: case series, cancer-specific survival"
    C3 = "C3", "C3: case series, quality of life"
    D = "D", "D: indirect measures of tumour response"


class Reference(models.Model):
    """A structured citation on an article, numbered by its position."""

    article = models.ForeignKey(
        Article,
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="references",
        help_text="The article that cites it.",
    )
    position = models.PositiveSmallIntegerField(
        "number", default=1, help_text="Its number in the list; cite it in the body as [@number]."
    )
    authors = models.CharField(
        "authors", max_length=500, blank=True, help_text="e.g. Cortés J, Kim SB, Chung WP, et al."
    )
    title = models.CharField("title", max_length=500, help_text="Title of the work.")
    journal = models.CharField(
        "journal or publisher", max_length=200, blank=True, help_text="e.g. N Engl J Med."
    )
    year = models.PositiveSmallIntegerField(
        "year", null=True, blank=True, validators=[validate_publication_year]
    )
    volume = models.CharField("volume", max_length=20, blank=True)
    issue = models.CharField("issue", max_length=20, blank=True)
    pages = models.CharField("pages", max_length=40, blank=True, help_text="e.g. 1143-1154.")
    pmid = models.CharField(
        "PMID",
        max_length=8,
        blank=True,
        validators=[validate_pmid],
        help_text="PubMed ID: 1 to 8 digits.",
    )
    doi = models.CharField(
        "DOI",
        max_length=255,
        blank=True,
        help_text="e.g. 10.1056/NEJMoa2115022; a https://doi.org/ prefix is removed.",
    )
    nct_id = models.CharField(
        "NCT number",
        max_length=11,
        blank=True,
        validators=[validate_nct_id],
        help_text="For a trial: NCT followed by 8 digits.",
    )
    url = models.URLField("URL", max_length=500, blank=True, help_text="A web address, if any.")
    evidence_level = models.CharField(
        "PDQ level of evidence",
        max_length=2,
        choices=EvidenceLevel.choices,
        blank=True,
        help_text="Optional, for treatment citations.",
    )

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = "reference"
        verbose_name_plural = "references"

    def __str__(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"[{self.position}] {self.title}{year}"

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the format validators run: pasted identifiers carry prefixes/spaces.
        self.doi = normalise_doi(self.doi)
        self.nct_id = normalise_nct_id(self.nct_id)
        self.pmid = (self.pmid or "").strip()
        super().clean_fields(exclude=exclude)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def trial_url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}" if self.nct_id else ""


class PublishedArticleQuerySet(models.QuerySet):
    def open_at(self, at=None) -> "PublishedArticleQuerySet":
        """Snapshots whose interval is still open at ``at`` (now by default): live then, or
        scheduled to go live later."""
        at = at or timezone.now()
        return self.filter(Q(live_until__isnull=True) | Q(live_until__gt=at))

    def live(self, at=None) -> "PublishedArticleQuerySet":
        """Snapshots readers may see now: gone live, not yet superseded or unpublished."""
        at = at or timezone.now()
        return self.open_at(at).filter(go_live_at__lte=at)

    def went_live(self) -> "PublishedArticleQuerySet":
        """Snapshots that readers saw at some moment: gone live, and not closed at the very
        moment they were due (a scheduled version superseded or unpublished before its time)."""
        return self.filter(go_live_at__lte=timezone.now()).filter(
            Q(live_until__isnull=True) | Q(live_until__gt=models.F("go_live_at"))
        )


class PublishedArticle(models.Model):
    """A frozen, pre-rendered snapshot of one approved version, live for a time interval.

    A snapshot is visible from ``go_live_at`` until ``live_until`` (open-ended while current).
    Scheduling a new version closes the previous interval at the new go-live time, so readers
    switch over at that moment with no background job. Written only by reviews.workflow.
    """

    article = models.ForeignKey(
        Article,
        verbose_name="article",
        on_delete=models.PROTECT,
        related_name="snapshots",
        help_text="The working copy this snapshot was published from.",
    )
    version = models.PositiveIntegerField("version", help_text="The approved version published.")
    slug = models.SlugField("slug", max_length=200, db_index=True)
    title = models.CharField("title", max_length=200)
    summary = models.TextField("summary")
    body_html = models.TextField("body HTML", help_text="Rendered and sanitised Markdown.")
    body_text = models.TextField(
        "body text", blank=True, help_text="The body as plain text, for search and snippets."
    )
    toc = models.JSONField("table of contents", default=list, blank=True)
    audience = models.CharField("audience", max_length=20, choices=Audience.choices)
    language = models.CharField("language", max_length=10, default="en")
    topics = models.ManyToManyField(Topic, verbose_name="topics", related_name="snapshots")
    related_trials = models.ManyToManyField(
        ClinicalTrial, verbose_name="related trials", related_name="snapshots", blank=True
    )
    counterpart = models.ForeignKey(
        Article,
        verbose_name="counterpart",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article for the other audience; linked while it is live.",
    )
    authors = models.JSONField("authors", default=list, help_text="Byline names.")
    references = models.JSONField("references", default=list, help_text="Structured citations.")
    digest = models.CharField(
        "content digest",
        max_length=64,
        blank=True,
        help_text="SHA-256 of the canonical content this snapshot serves; it must equal the "
        "digest of the clinical approval of this version (manage.py verify_signoff).",
    )
    reviewed_by = models.JSONField(
        "reviewed by", default=dict, help_text="Reviewer name, credentials and specialty."
    )
    reviewed_at = models.DateTimeField("reviewed at", null=True, blank=True)
    last_reviewed = models.DateField("last reviewed", null=True, blank=True)
    next_review_due = models.DateField("next review due", null=True, blank=True)
    first_published_at = models.DateTimeField(
        "first published", help_text="When the article first went live."
    )
    go_live_at = models.DateTimeField("goes live at", db_index=True)
    live_until = models.DateTimeField("live until", null=True, blank=True, db_index=True)
    change_note = models.TextField(
        "public change note", blank=True, help_text="What changed, for the public change log."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="published by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = PublishedArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-go_live_at"]
        verbose_name = "published snapshot"
        verbose_name_plural = "published snapshots"
        # One index per public filter and ordering (see articles/api/filters.py).
        indexes = [
            models.Index(fields=["slug", "go_live_at"], name="snapshot_slug_live"),
            models.Index(fields=["audience", "go_live_at"], name="snapshot_audience_live"),
            models.Index(fields=["last_reviewed"], name="snapshot_last_reviewed"),
            models.Index(fields=["first_published_at"], name="snapshot_first_published"),
            models.Index(fields=["title"], name="snapshot_title"),
            models.Index(fields=["article", "go_live_at"], name="snapshot_article_live"),
            # Counting live snapshots reads this index alone (no row lookups).
            models.Index(fields=["go_live_at", "live_until"], name="snapshot_live_window"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(live_until__isnull=True),
                name="one_open_snapshot_per_article",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"slug": self.slug})


class ArticleRevision(models.Model):
    """Numbers each django-reversion revision of an article: version 1, 2, 3…

    The number is attached to the revision as reversion "meta" data when the working copy is
    saved, so history, diffs, reviews and snapshots all name versions the same way.
    """

    revision = models.OneToOneField(
        "reversion.Revision",
        verbose_name="revision",
        on_delete=models.CASCADE,
        related_name="article_revision",
    )
    article = models.ForeignKey(
        Article,
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    version = models.PositiveIntegerField("version")

    class Meta:
        ordering = ["article", "-version"]
        verbose_name = "article revision"
        verbose_name_plural = "article revisions"
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="unique_article_version"),
        ]

    def __str__(self) -> str:
        return f"{self.article} v{self.version}"


class Feedback(models.Model):
    """A reader's answer to "Was this helpful?" on a published article."""

    article = models.ForeignKey(
        Article,
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="feedback",
        help_text="The article the reader was on.",
    )
    version = models.PositiveIntegerField("version", help_text="The live version they read.")
    helpful = models.BooleanField("helpful", help_text="Did the reader find the page helpful?")
    comment = models.TextField("comment", max_length=2000, blank=True)
    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"


def new_webhook_secret() -> str:
    """A fresh signing secret for a webhook endpoint: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class WebhookEventType(models.TextChoices):
    """What happened to an article, as partners receive it in the payload's ``type``."""

    PUBLISHED = "article.published", "Article published"
    UPDATED = "article.updated", "Article updated"
    UNPUBLISHED = "article.unpublished", "Article unpublished"


def validate_event_types(value: list) -> None:
    """A JSON list of webhook event types; empty means every type."""
    if not isinstance(value, list) or not all(item in WebhookEventType.values for item in value):
        raise ValidationError(
            "Enter a list of event types chosen from %(allowed)s, or an empty list for all.",
            code="invalid_event_types",
            params={"allowed": ", ".join(WebhookEventType.values)},
        )


class WebhookEndpoint(models.Model):
    """A partner's address that receives signed article events by HTTP POST."""

    name = models.CharField(
        "name", max_length=120, help_text="Who receives the events, e.g. the partner's name."
    )
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where events are POSTed: an http or https address on the public internet "
        "(never a loopback, private or link-local one). Redirects are not followed.",
    )
    secret = models.CharField(
        "signing secret",
        max_length=100,
        default=new_webhook_secret,
        editable=False,
        help_text="Shared with the partner to verify the X-MBC-Signature header. Generated when "
        "the endpoint is created.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive endpoints receive nothing. Deactivate rather than delete, to keep "
        "the delivery history.",
    )
    event_types = models.JSONField(
        "event types",
        default=list,
        blank=True,
        validators=[validate_event_types],
        help_text="The events this endpoint receives; none ticked means all of them.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True, help_text="When it was added.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="created by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The editor who registered it.",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook endpoint"
        verbose_name_plural = "webhook endpoints"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Not a field validator: it resolves the host name, which can change after saving, so
        # every delivery checks again (articles.webhooks.post).
        try:
            validate_public_url(self.url)
        except ValidationError as error:
            raise ValidationError({"url": error}) from error

    def subscribes_to(self, event_type: str) -> bool:
        """Whether this endpoint wants ``event_type`` (an empty list means every type)."""
        return not self.event_types or event_type in self.event_types


class WebhookEvent(models.Model):
    """One change to an article, queued for every subscribed endpoint: the webhook outbox.

    Written by ``articles.webhooks.enqueue`` in the same transaction as the publication or
    unpublication it reports, so a rolled-back change leaves no event behind.
    """

    id = models.UUIDField(
        "event id",
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Sent as the payload's id; the same for every endpoint.",
    )
    event_type = models.CharField(
        "event type",
        max_length=40,
        choices=WebhookEventType.choices,
        db_index=True,
        help_text="What happened to the article.",
    )
    article = models.ForeignKey(
        Article,
        verbose_name="article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_events",
        help_text="The article the event is about.",
    )
    payload = models.JSONField("payload", help_text="The JSON body POSTed to every endpoint.")
    created_at = models.DateTimeField(
        "created", default=timezone.now, db_index=True, help_text="When the change was made."
    )
    deliver_after = models.DateTimeField(
        "deliver after",
        db_index=True,
        help_text="Not sent before this time: for a scheduled publication, its go-live time.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "webhook event"
        verbose_name_plural = "webhook events"

    def __str__(self) -> str:
        title = (self.payload or {}).get("data", {}).get("title", "")
        return f"{self.get_event_type_display()}: {title}"


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: its status, retry schedule and last outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled (superseded before it was due)"

    id = models.UUIDField(
        "delivery id",
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Sent as X-MBC-Delivery, the same on every retry, so the partner can ignore "
        "a repeat.",
    )
    event = models.ForeignKey(
        WebhookEvent,
        verbose_name="event",
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="What is being sent.",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name="endpoint",
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="Where it is being sent.",
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Pending until the endpoint answers 2xx (succeeded) or every try failed.",
    )
    attempts = models.PositiveSmallIntegerField(
        "attempts", default=0, help_text="How many times it has been sent."
    )
    next_attempt_at = models.DateTimeField(
        "next attempt",
        help_text="When it is next due. While a sender is posting it, the end of that sender's "
        "lease.",
    )
    delivered_at = models.DateTimeField(
        "delivered", null=True, blank=True, help_text="When the endpoint accepted it."
    )
    last_status_code = models.PositiveSmallIntegerField(
        "last HTTP status", null=True, blank=True, help_text="The endpoint's last answer, if any."
    )
    last_error = models.TextField(
        "last error", blank=True, help_text="Why the last try failed, when there was no answer."
    )

    class Meta:
        ordering = ["-event__created_at", "endpoint__name"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="one_webhook_delivery_per_endpoint"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed", "cancelled"]),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: what the endpoint answered, or why there was no answer."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name="delivery",
        on_delete=models.CASCADE,
        related_name="attempts_made",
        help_text="The delivery tried.",
    )
    attempted_at = models.DateTimeField(
        "attempted", default=timezone.now, help_text="When the request was sent."
    )
    status_code = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="Empty when the endpoint did not answer."
    )
    error = models.TextField(
        "error", blank=True, help_text="Connection error, timeout or refused redirect."
    )
    duration_ms = models.PositiveIntegerField("duration (ms)", help_text="How long the try took.")

    class Meta:
        ordering = ["attempted_at", "pk"]
        verbose_name = "webhook attempt"
        verbose_name_plural = "webhook attempts"

    def __str__(self) -> str:
        outcome = f"HTTP {self.status_code}" if self.status_code is not None else self.error
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S}: {outcome}"


# django-reversion registrations. Article versions hold the content only, never the workflow
# fields (state, review dates): restoring an old version must not restore an old approval.
# They follow the references, so each version records the citations as they stood.
ARTICLE_CONTENT_FIELDS = [
    "title",
    "slug",
    "summary",
    "body",
    "audience",
    "language",
    "topics",
    "authors",
    "counterpart",
    "related_trials",
    "review_interval_months",
    "version",
]

reversion.register(Topic)
reversion.register(ClinicalTrial)
reversion.register(Reference)
reversion.register(Article, fields=ARTICLE_CONTENT_FIELDS, follow=["references"])
