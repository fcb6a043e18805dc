"""Live snapshots: what readers see, frozen from an approved version."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mbc_cms.languages import reverse_in

from ..choices import Audience
from .articles import Article
from .topics import Topic
from .trials import ClinicalTrial


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

    def went_live(self, at=None) -> "PublishedArticleQuerySet":
        """Snapshots that readers saw at some moment (up to ``at``, now by default): gone
        live, and not closed at the very moment they were due (a scheduled version superseded
        or unpublished before its time)."""
        return self.filter(go_live_at__lte=at or timezone.now()).filter(
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
    translation_of = models.ForeignKey(
        Article,
        verbose_name="translation of",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The source article, when this is a translation.",
    )
    source_version = models.PositiveIntegerField(
        "source version",
        null=True,
        blank=True,
        help_text="The source's version the approved translation was made from.",
    )
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
    images = models.JSONField(
        "images",
        default=list,
        blank=True,
        help_text="The images the page shows as approved: id, alt text, caption, credit, "
        "licence, file digest and renditions.",
    )
    lead_image = models.JSONField(
        "lead image", null=True, blank=True, help_text="As ``images``, for the lead image."
    )
    reading_grade = models.FloatField(
        "reading grade",
        null=True,
        blank=True,
        help_text="Flesch-Kincaid grade of the body as published (the editorial dashboard).",
    )
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
    page_parts = models.JSONField(
        "rendered page parts",
        default=dict,
        blank=True,
        help_text="The trust box, table of contents and references of the page, rendered "
        "from this snapshot when it was written (articles.page_parts), with their format.",
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
            # The API's default order (newest first, then by id): a page of it walks this
            # index and stops, where the one above left every live snapshot to sort.
            models.Index(F("go_live_at").desc(), "id", name="snapshot_newest"),
            # The same two orders of the home page within one language: a Spanish list seeks
            # to its own articles instead of walking past every English one.
            models.Index(
                F("language"),
                F("go_live_at").desc(),
                F("id").desc(),
                name="snapshot_language_newest",
            ),
            models.Index(fields=["language", "last_reviewed"], name="snapshot_language_reviewed"),
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
        """The page's address in its language: ``/es/articles/<slug>/`` for Spanish."""
        return reverse_in(self.language, "articles:article", slug=self.slug)
