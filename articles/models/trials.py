"""Clinical trials, named by their ClinicalTrials.gov NCT numbers."""

import reversion
from django.db import models
from django.urls import reverse

from ..choices import TrialStatus
from ..validators import (
    normalise_nct_id,
    validate_interventions,
    validate_nct_id,
    validate_phases,
    validate_string_list,
)
from .base import TimeStampedModel


@reversion.register()
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
