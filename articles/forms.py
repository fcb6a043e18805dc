"""Public forms."""

from django import forms

# The honeypot's name: a field people skip and form-filling robots fill in.
HONEYPOT_FIELD = "website"


class FeedbackForm(forms.Form):
    """Was this page helpful? Yes or no, with an optional comment and an optional flag that
    something on the page may be medically wrong; and a honeypot field that readers leave
    empty (hidden by the stylesheet, skipped by the keyboard, labelled for screen readers)."""

    helpful = forms.TypedChoiceField(
        label="Was this page helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    comment = forms.CharField(
        label="How could we improve this page? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "feedback-help"}),
        help_text="Please do not include personal or medical details. We cannot reply.",
    )
    clinical_concern = forms.BooleanField(
        label="I think something on this page is medically wrong or out of date",
        required=False,
        help_text="The clinician who reviewed the page will be told.",
        widget=forms.CheckboxInput(attrs={"aria-describedby": "feedback-concern-help"}),
    )
    website = forms.CharField(
        label="Leave this field empty: it is here to catch automated spam",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_trapped(self) -> bool:
        """True when the honeypot was filled in: a robot, answered as if it had succeeded."""
        return bool(str(self.data.get(HONEYPOT_FIELD) or "").strip())
