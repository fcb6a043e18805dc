"""The article working copy, its references, and the numbering of its versions.

An :class:`Article` is the working copy writers edit; every save is a django-reversion version
(``reviews.workflow.save_working_copy``). Readers never see it: they see a
``PublishedArticle`` snapshot of an approved version.
"""

from dataclasses import dataclass

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mbc_cms.languages import reverse_in
from reviews.states import State

from ..choices import Audience, EvidenceLevel
from ..validators import (
    normalise_doi,
    normalise_nct_id,
    validate_language,
    validate_nct_id,
    validate_pmid,
    validate_publication_year,
)
from .base import TimeStampedModel
from .images import Image
from .topics import Topic
from .trials import ClinicalTrial


@dataclass(frozen=True)
class ContentField:
    """One field of an article's content, with its label in comparisons, whether readers
    are shown it (then it is part of what a clinician signs off: ``articles.snapshots``), and
    whether writers edit it (else the workflow works it out at every save)."""

    name: str
    label: str
    shown_to_readers: bool
    edited: bool = True


# The article's content, the one list: what a version records, the admin form and the API
# edit, a restore brings back and a comparison shows. Workflow fields (state, version, review
# dates, archive) are never content: restoring an old version must not restore an old approval.
ARTICLE_CONTENT = (
    ContentField("title", "Title", shown_to_readers=True),
    ContentField("slug", "Slug", shown_to_readers=False),
    ContentField("summary", "Summary", shown_to_readers=True),
    ContentField("body", "Body", shown_to_readers=True),
    ContentField("audience", "Audience", shown_to_readers=True),
    ContentField("language", "Language", shown_to_readers=True),
    ContentField("topics", "Topics", shown_to_readers=False),
    ContentField("authors", "Authors", shown_to_readers=True),
    ContentField("counterpart", "Counterpart", shown_to_readers=True),
    ContentField("related_trials", "Related trials", shown_to_readers=True),
    ContentField("lead_image", "Lead image", shown_to_readers=True),
    # The library images the version shows, as they stood: worked out from the body and the
    # lead image by ``reviews.workflow.save_working_copy``, never typed.
    ContentField("images", "Images shown", shown_to_readers=True, edited=False),
    # A translation's source and the source version it matches: set when the translation is
    # started and when a writer marks it updated to a newer source version
    # (``reviews.workflow.translation``), never typed; signed off with the text.
    ContentField("translation_of", "Translation of", shown_to_readers=True, edited=False),
    ContentField("source_version", "Source version", shown_to_readers=True, edited=False),
    ContentField("review_interval_months", "Review interval (months)", shown_to_readers=False),
)
ARTICLE_CONTENT_FIELDS = tuple(field.name for field in ARTICLE_CONTENT)
# The content fields writers edit (admin form, editorial API input).
ARTICLE_EDITED_FIELDS = tuple(field.name for field in ARTICLE_CONTENT if field.edited)
# A version also records its own number.
ARTICLE_VERSIONED_FIELDS = (*ARTICLE_CONTENT_FIELDS, "version")
# A reference's content, as versions, restores, comparisons and the API know it.
REFERENCE_CONTENT_FIELDS = (
    "position", "authors", "title", "journal", "year", "volume", "issue", "pages", "pmid",
    "doi", "nct_id", "url", "evidence_level",
)  # fmt: skip


class ArticleQuerySet(models.QuerySet):
    def active(self) -> "ArticleQuerySet":
        """Articles that are not archived."""
        return self.filter(archived_at__isnull=True)


# Each version follows the references, so it records the citations as they stood.
@reversion.register(fields=ARTICLE_VERSIONED_FIELDS, follow=["references"])
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
        help_text="Markdown. Use ## headings (they build the table of contents), cite "
        "references with [@1], [@2]… by their position in the reference list, and show an "
        "image of the media library on a line of its own with ![](image:42) (optionally "
        '![alt text](image:42 "caption") to change its alt text or caption here).',
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
        "language",
        max_length=10,
        default="en",
        validators=[validate_language],
        help_text="One of the site's languages (settings.LANGUAGES), e.g. en or es.",
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name="translation of",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="The article this one translates (in another language).",
    )
    source_version = models.PositiveIntegerField(
        "source version",
        null=True,
        blank=True,
        help_text="The version of the source article this translation was made from.",
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
    lead_image = models.ForeignKey(
        Image,
        verbose_name="lead image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="Shown at the top of the page and when the page is shared.",
    )
    images = models.JSONField(
        "images shown",
        default=list,
        blank=True,
        editable=False,
        help_text="The library images this version shows (in the body, then the lead image): "
        "their alt text, caption, credit, licence, file digest and renditions as they stood "
        "when it was saved. Written by the workflow at every save, never by hand.",
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
        """The page's address in its language: ``/es/articles/<slug>/`` for Spanish."""
        return reverse_in(self.language, "articles:article", slug=self.slug)

    def clean(self) -> None:
        self._clean_translation()
        if self.counterpart_id is not None:
            if self.pk and self.counterpart_id == self.pk:
                raise ValidationError({"counterpart": "An article cannot be its own counterpart."})
            if self.counterpart.audience == self.audience:
                raise ValidationError(
                    {"counterpart": "The counterpart must be written for the other audience."}
                )

    def _clean_translation(self) -> None:
        """A translation is in another language than its source, and one language has one
        translation in use: the language of either cannot be changed to break that."""
        if self.translation_of_id is not None:
            if self.translation_of.language == self.language:
                raise ValidationError(
                    {
                        "language": "A translation must be in another language than its "
                        f"source ({self.translation_of.language})."
                    }
                )
            siblings = Article.objects.active().filter(
                translation_of_id=self.translation_of_id, language=self.language
            )
            if siblings.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"language": f"The source already has a translation into {self.language}."}
                )
        elif self.pk and self.translations.active().filter(language=self.language).exists():
            raise ValidationError(
                {"language": f"This article already has a translation into {self.language}."}
            )


@reversion.register()
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
