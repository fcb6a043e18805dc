"""Clinical trials, named by their ClinicalTrials.gov NCT numbers."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from ..choices import TrialStatus
from ..validators import (
    normalise_nct_id,
    validate_interventions,
    validate_locations,
    validate_nct_id,
    validate_phases,
    validate_registry_code,
    validate_string_list,
)
from .base import TimeStampedModel


@reversion.register()
class ClinicalTrial(TimeStampedModel):
    """A clinical study registered on ClinicalTrials.gov, named by its NCT number."""

    # The registry's fields: written by ``manage.py sync_trials``, read-only once the trial
    # is synced (the admin and the editorial API); the plain-language texts stay ours.
    REGISTRY_FIELDS = (
        "brief_title",
        "official_title",
        "acronym",
        "overall_status",
        "why_stopped",
        "phases",
        "study_type",
        "conditions",
        "keywords",
        "interventions",
        "sponsor",
        "sponsor_class",
        "enrollment",
        "enrollment_type",
        "start_date",
        "primary_completion_date",
        "completion_date",
        "last_update_posted",
        "has_results",
        "eligibility_criteria",
        "sex",
        "minimum_age",
        "maximum_age",
        "healthy_volunteers",
        "locations",
    )

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
        validators=[validate_locations],
        help_text='Sites: [{"facility": …, "city": …, "country": …, "status": "RECRUITING"}].',
    )
    last_verified = models.DateField(
        "last verified", null=True, blank=True, help_text="When the registry record was checked."
    )
    # From the ClinicalTrials.gov API v2 (manage.py sync_trials); dates are kept as the
    # registry gives them ("2024-03" or "2024-03-15").
    official_title = models.TextField("official title", blank=True)
    acronym = models.CharField("acronym", max_length=100, blank=True)
    why_stopped = models.TextField("why stopped", blank=True)
    start_date = models.CharField("start date", max_length=10, blank=True)
    primary_completion_date = models.CharField("primary completion date", max_length=10, blank=True)
    completion_date = models.CharField("completion date", max_length=10, blank=True)
    last_update_posted = models.DateField(
        "last update posted",
        null=True,
        blank=True,
        help_text="When ClinicalTrials.gov last posted a change to the record.",
    )
    sponsor = models.CharField("lead sponsor", max_length=300, blank=True)
    sponsor_class = models.CharField(
        "sponsor class", max_length=40, blank=True, help_text="e.g. INDUSTRY, NIH, OTHER."
    )
    keywords = models.JSONField(
        "keywords", default=list, blank=True, validators=[validate_string_list]
    )
    study_type = models.CharField(
        "study type", max_length=40, blank=True, help_text="e.g. INTERVENTIONAL."
    )
    enrollment = models.PositiveIntegerField("enrollment", null=True, blank=True)
    enrollment_type = models.CharField(
        "enrollment type", max_length=20, blank=True, help_text="ACTUAL or ESTIMATED."
    )
    eligibility_criteria = models.TextField(
        "eligibility criteria", blank=True, help_text="The registry's inclusion and exclusion text."
    )
    sex = models.CharField("sex", max_length=10, blank=True, help_text="ALL, FEMALE or MALE.")
    minimum_age = models.CharField("minimum age", max_length=30, blank=True)
    maximum_age = models.CharField("maximum age", max_length=30, blank=True)
    healthy_volunteers = models.BooleanField("healthy volunteers", null=True, blank=True)
    has_results = models.BooleanField(
        "results posted", default=False, help_text="Whether results are posted on the registry."
    )
    synced_at = models.DateTimeField(
        "synced",
        null=True,
        blank=True,
        editable=False,
        help_text="When the record was last read from ClinicalTrials.gov.",
    )
    sync_warnings = models.JSONField(
        "sync warnings",
        default=list,
        blank=True,
        editable=False,
        help_text="What the last sync could not map as expected (e.g. unknown values).",
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
        exclude = set(exclude or ())
        errors: dict = {}
        if "overall_status" not in exclude and self.overall_status not in TrialStatus.values:
            # The registry adds statuses now and then; a sync keeps one we do not know yet
            # (with a warning), so any registry code is valid, not only our choices.
            exclude.add("overall_status")
            try:
                validate_registry_code(self.overall_status)
            except ValidationError as error:
                errors["overall_status"] = error.error_list
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class TrialChange(models.Model):
    """A change to a trial that matters to the articles citing it, recorded by a sync."""

    # The fields whose change flags the citing articles for clinical re-review.
    TRACKED_FIELDS = (
        "overall_status",
        "phases",
        "eligibility_criteria",
        "primary_completion_date",
        "completion_date",
        "has_results",
        "sex",
        "minimum_age",
        "maximum_age",
        "healthy_volunteers",
    )

    # A trial with a recorded change cannot be deleted: the change is the evidence behind
    # the flags of the articles citing it, and their reviewers' notes refer to it.
    trial = models.ForeignKey(
        ClinicalTrial,
        verbose_name="trial",
        on_delete=models.PROTECT,
        related_name="changes",
    )
    field = models.CharField("field", max_length=40)
    old_value = models.JSONField("old value", null=True, blank=True)
    new_value = models.JSONField("new value", null=True, blank=True)
    changed_at = models.DateTimeField("recorded at", db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = "trial change"
        verbose_name_plural = "trial changes"

    def __str__(self) -> str:
        return f"{self.trial.nct_id} {self.field}: {self.old_value!r} → {self.new_value!r}"
