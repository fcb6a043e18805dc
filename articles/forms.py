"""Public forms."""

from django import forms


class FeedbackForm(forms.Form):
    """Was this page helpful? Yes or no, with an optional comment."""

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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Please do not include personal or medical details. We cannot reply.",
    )
