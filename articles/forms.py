"""Public forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import trials
from .validators import shown_value

# The honeypot's name: a field people skip and form-filling robots fill in.
HONEYPOT_FIELD = "website"


class FeedbackForm(forms.Form):
    """Was this page helpful? Yes or no, with an optional comment and an optional flag that
    something on the page may be medically wrong; and a honeypot field that readers leave
    empty (hidden by the stylesheet, skipped by the keyboard, labelled for screen readers).

    Each field is described by its help text and its error (Django's ``aria-describedby``:
    ``<id>_helptext``, ``<id>_error``); the template gives those elements these ids."""

    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comment = forms.CharField(
        label=_("How could we improve this page? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please do not include personal or medical details. We cannot reply."),
    )
    clinical_concern = forms.BooleanField(
        label=_("I think something on this page is medically wrong or out of date"),
        required=False,
        help_text=_("The clinician who reviewed the page will be told."),
    )
    website = forms.CharField(
        label=_("Leave this field empty: it is here to catch automated spam"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_trapped(self) -> bool:
        """True when the honeypot was filled in: a robot, answered as if it had succeeded."""
        return bool(str(self.data.get(HONEYPOT_FIELD) or "").strip())


class RegistryCodeField(forms.CharField):
    """A ClinicalTrials.gov code (``RECRUITING``, ``PHASE3``; any case): one we know, or one a
    stored trial holds (a value the registry added since). Anything else is refused."""

    what = "code"
    example = ""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return super().to_python(value).upper()

    def is_known(self, value: str) -> bool:
        raise NotImplementedError

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not (trials.CODE.match(value) and self.is_known(value)):
            raise forms.ValidationError(
                _(
                    "Unknown %(what)s %(value)s: use a ClinicalTrials.gov %(what)s such as "
                    "%(example)s, or leave it empty for any."
                ),
                code="unknown_code",
                params={"what": self.what, "value": shown_value(value), "example": self.example},
            )


class TrialStatusField(RegistryCodeField):
    what, example = _("status"), "RECRUITING"

    def is_known(self, value: str) -> bool:
        return trials.status_is_known(value)


class TrialPhaseField(RegistryCodeField):
    what, example = _("phase"), "PHASE3"

    def is_known(self, value: str) -> bool:
        return trials.phase_is_known(value)


class TrialTextField(forms.CharField):
    """Free text to look for in a trial's lists (conditions, interventions, sites)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", trials.FILTER_TEXT_MAX)
        super().__init__(**kwargs)


class TrialFilterForm(forms.Form):
    """The filters of /trials/ (GET), each offered from the stored trials where it is a list."""

    status = TrialStatusField(label=_("Status"))
    phase = TrialPhaseField(label=_("Phase"))
    condition = TrialTextField(
        label=_("Condition"), help_text=_("A word or phrase, e.g. HER2-positive.")
    )
    intervention = TrialTextField(
        label=_("Treatment or intervention"), help_text=_("A name, e.g. palbociclib.")
    )
    country = TrialTextField(label=_("Country where it has a site"))

    def __init__(self, *args, choices: trials.FilterChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["status"].widget = forms.Select(choices=anything + choices.statuses)
        self.fields["phase"].widget = forms.Select(choices=anything + choices.phases)
        self.fields["country"].widget = forms.Select(
            choices=anything + [(name, name) for name in choices.countries]
        )

    def filters(self) -> trials.TrialFilters:
        """The valid filters (call after ``is_valid()``)."""
        return trials.TrialFilters(**self.cleaned_data)
