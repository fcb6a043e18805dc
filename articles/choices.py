"""Choice lists of the content models: audiences, review status, ClinicalTrials.gov statuses
and phases, PDQ levels of evidence and webhook event types. A leaf module, read by models,
validators, forms and serializers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PATIENT = "patient", _("Patients and carers")
    PROFESSIONAL = "professional", _("Health professionals")


# A page whose next review falls within this many days (inclusive) is "due soon".
DUE_SOON_DAYS = 30


class ReviewStatus(models.TextChoices):
    """Where a live page stands in its clinical review cycle (``articles.public.review_status``)."""

    CURRENT = "current", "Current"
    DUE_SOON = "due_soon", "Review due soon"
    OVERDUE = "overdue", "Review overdue"


class TrialStatus(models.TextChoices):
    """ClinicalTrials.gov API v2 ``overallStatus`` values."""

    RECRUITING = "RECRUITING", _("Recruiting")
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", _("Not yet recruiting")
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", _("Enrolling by invitation")
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", _("Active, not recruiting")
    SUSPENDED = "SUSPENDED", _("Suspended")
    TERMINATED = "TERMINATED", _("Terminated")
    COMPLETED = "COMPLETED", _("Completed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")
    UNKNOWN = "UNKNOWN", _("Unknown status")
    # Expanded access records use these.
    AVAILABLE = "AVAILABLE", _("Available")
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE", _("No longer available")
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE", _("Temporarily not available")
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING", _("Approved for marketing")
    WITHHELD = "WITHHELD", _("Withheld")


class TrialPhase(models.TextChoices):
    """ClinicalTrials.gov API v2 ``phases`` values; a phase 2/3 trial lists two."""

    EARLY_PHASE1 = "EARLY_PHASE1", _("Early phase 1")
    PHASE1 = "PHASE1", _("Phase 1")
    PHASE2 = "PHASE2", _("Phase 2")
    PHASE3 = "PHASE3", _("Phase 3")
    PHASE4 = "PHASE4", _("Phase 4")
    NA = "NA", _("Not applicable")


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


class WebhookEventType(models.TextChoices):
    """What happened to an article, as partners receive it in the payload's ``type``."""

    PUBLISHED = "article.published", "Article published"
    UPDATED = "article.updated", "Article updated"
    UNPUBLISHED = "article.unpublished", "Article unpublished"
