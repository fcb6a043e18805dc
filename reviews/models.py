"""Reviewer profiles, reviews bound to exact versions, and the audit trail.

Only ``reviews.workflow`` creates or changes reviews and audit entries.
"""

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Q


def default_review_languages() -> list[str]:
    """A reviewer reviews English content unless an editor says otherwise."""
    return ["en"]


# Every change is a version with its user and comment: the public identity a clinician signs
# with is part of the clinical audit trail.
@reversion.register()
class ReviewerProfile(models.Model):
    """A clinician's public identity as a medical reviewer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="user",
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
        help_text="The account that signs reviews.",
    )
    display_name = models.CharField(
        "display name", max_length=150, help_text="As printed on pages, e.g. Dr Amara Okafor."
    )
    credentials = models.CharField(
        "credentials", max_length=100, help_text="Qualifications, e.g. MD, FRCP."
    )
    specialty = models.CharField("specialty", max_length=150, help_text="e.g. Medical oncology.")
    institution = models.CharField(
        "institution", max_length=200, blank=True, help_text="Where they practise."
    )
    disclosure = models.TextField(
        "conflict-of-interest disclosure",
        blank=True,
        help_text="Relevant financial or professional interests; “None declared” if none.",
    )
    verification_note = models.TextField(
        "how the credentials were checked",
        blank=True,
        help_text="Set by an editor: the professional register and number checked, e.g. "
        "“GMC register, 1234567, licensed to practise”.",
    )
    credentials_verified_at = models.DateTimeField(
        "credentials verified",
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor checked the credentials; empty means not verified, and the "
        "profile cannot be used to approve. Changing the name or credentials clears it.",
    )
    credentials_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="credentials verified by",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who checked the credentials.",
    )
    languages = models.JSONField(
        "review languages",
        default=default_review_languages,
        blank=True,
        help_text='Language codes of the content this clinician reviews, e.g. ["en", "es"]; '
        "a translation is approved only by a reviewer who lists its language.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = "reviewer profile"
        verbose_name_plural = "reviewer profiles"

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}"

    def as_byline(self) -> dict[str, str]:
        """The reviewer's public identity as it stands now, for freezing into a review.

        The disclosure is frozen too: readers must see the interests declared when this
        version was approved, not ones declared (or withdrawn) later.
        """
        return {
            "name": self.display_name,
            "credentials": self.credentials,
            "specialty": self.specialty,
            "institution": self.institution,
            "disclosure": self.disclosure,
        }


class Review(models.Model):
    """A request for clinical review of one exact version of an article, and its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        WITHDRAWN = "withdrawn", "Withdrawn (the text changed)"
        PUBLISHED = "published", "Approved and published"
        CONFIRMED = "confirmed", "Confirmed still accurate"

    OPEN_STATUSES = (Status.PENDING, Status.APPROVED)

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    version = models.PositiveIntegerField(
        "version", help_text="The exact version under review; any later save withdraws it."
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="submitted by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("submitted at")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="reviewer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_made",
    )
    reviewer_byline = models.JSONField(
        "reviewer as they stood",
        default=dict,
        blank=True,
        help_text=(
            "Name, credentials, specialty, institution and conflict-of-interest disclosure "
            "when the decision was made."
        ),
    )
    reviewer_languages = models.JSONField(
        "reviewer's review languages as they stood",
        null=True,
        blank=True,
        help_text="The language codes the reviewer's profile listed when the decision was "
        "made (manage.py verify_signoff checks that a live page's language was among them); "
        "empty on decisions made before they were recorded.",
    )
    decided_at = models.DateTimeField("decided at", null=True, blank=True)
    comment = models.TextField("decision comment", blank=True)
    quality_warnings = models.JSONField(
        "quality warnings",
        default=list,
        blank=True,
        help_text="The plain-language warnings shown to the reviewer for this version.",
    )
    override_reason = models.TextField(
        "override reason",
        blank=True,
        help_text="Why the reviewer signed off despite the quality warnings.",
    )
    digest = models.CharField(
        "content digest",
        max_length=64,
        blank=True,
        help_text="SHA-256 of the canonical content the reviewer decided on "
        "(articles.snapshots.content_digest); a publication must serve exactly this content.",
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "review"
        verbose_name_plural = "reviews"
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_review_per_article",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.article} v{self.version}: {self.get_status_display()}"


class AuditEntry(models.Model):
    """One workflow event: who did what to which version, when, and why."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="audit_entries",
    )
    action = models.CharField("action", max_length=30, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="user",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("at", db_index=True)
    version = models.PositiveIntegerField("version")
    from_state = models.CharField("from state", max_length=20, blank=True)
    to_state = models.CharField("to state", max_length=20, blank=True)
    comment = models.TextField("comment", blank=True)
    digest = models.CharField(
        "content digest",
        max_length=64,
        blank=True,
        help_text="For approvals and publications: the digest of the content signed off.",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} v{self.version} of {self.article}"


class ReviewComment(models.Model):
    """A message in the discussion of one review: reviewer questions, writer replies."""

    review = models.ForeignKey(
        Review, verbose_name="review", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="author",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField("comment", help_text="Plain text.")
    created_at = models.DateTimeField("posted at", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "review comment"
        verbose_name_plural = "review comments"

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.review}"


class EvidenceFlag(models.Model):
    """An article cites a trial that changed (``articles.TrialChange``): it is flagged
    "evidence changed" until a clinical reviewer approves a new version or confirms the
    article is still accurate, which clears the flag with that review."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="evidence_flags",
    )
    change = models.ForeignKey(
        "articles.TrialChange",
        verbose_name="trial change",
        on_delete=models.CASCADE,
        related_name="flags",
    )
    flagged_at = models.DateTimeField("flagged at", db_index=True)
    cleared_at = models.DateTimeField("cleared at", null=True, blank=True, db_index=True)
    cleared_by_review = models.ForeignKey(
        Review,
        verbose_name="cleared by review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cleared_flags",
        help_text="The approval or confirmation that considered the change.",
    )

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        verbose_name = "evidence flag"
        verbose_name_plural = "evidence flags"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "change"], name="one_flag_per_article_and_change"
            ),
        ]

    def __str__(self) -> str:
        state = "cleared" if self.cleared_at else "open"
        return f"{self.article}: {self.change} ({state})"


class TranslationNotice(models.Model):
    """The authors of a live translation were told that its source moved on: the source's
    version ``source_version`` went live while the translation matched an older one; or, with
    ``source_withdrawn``, the authors and the editors were told that the source's version
    ``source_version``, the last one live, was taken off the site (unpublished, archived,
    overdue) while the translation stayed live. One per translation, source version and kind,
    so they are told once (``reviews.translations``)."""

    translation = models.ForeignKey(
        "articles.Article",
        verbose_name="translation",
        on_delete=models.CASCADE,
        related_name="translation_notices",
    )
    source_version = models.PositiveIntegerField(
        "source version", help_text="The source's live version the authors were told of."
    )
    translated_from = models.PositiveIntegerField(
        "translated from",
        null=True,
        blank=True,
        help_text="The source version the live translation matched then.",
    )
    source_withdrawn = models.BooleanField(
        "source withdrawn",
        default=False,
        help_text="The notice is of the source taken off the site, not of a newer version.",
    )
    sent_at = models.DateTimeField("sent at", auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "translation notice"
        verbose_name_plural = "translation notices"
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "source_version", "source_withdrawn"],
                name="one_notice_per_translation_source_version_and_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.source_withdrawn:
            return f"{self.translation}: source version {self.source_version} was withdrawn"
        return f"{self.translation}: source version {self.source_version} went live"
