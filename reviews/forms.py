"""One Django form per workflow action, built from the inputs each transition declares in
``reviews.states`` (the editorial API's input serializers are built from the same
declarations), plus what the user was shown: the version and its sign-off digest.

The forms only parse; whether an input is required, and every other rule, is the workflow's
to decide (``reviews.workflow.permissions.check``), so the admin and the API refuse alike.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.conf import settings

from .models import ReviewerProfile
from .states import TRANSITIONS, Input
from .workflow import Seen

DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]


class WorkflowActionForm(forms.Form):
    """The version (and sign-off digest) the user acted on, sent back by the page they saw."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This form did not say which version you were shown. Reload the page "
            "and act again.",
        },
    )
    digest = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "The content digest sent with the form is not valid."},
    )

    evidence = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    input_names: tuple[str, ...] = ()

    def seen(self) -> Seen:
        return Seen(
            version=self.cleaned_data["version"],
            digest=self.cleaned_data.get("digest") or None,
            evidence=self.cleaned_data.get("evidence"),
        )

    def inputs(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.input_names}

    def error_text(self) -> str:
        """Every error in one line, each naming its field."""
        return " ".join(
            f"{self.fields[name].label or name}: {message}" if name in self.fields else message
            for name, messages in self.errors.items()
            for message in messages
        )


def _field(item: Input) -> forms.Field:
    if item.kind == "datetime":
        return forms.DateTimeField(
            label=item.label,
            help_text=item.help_text,
            required=False,
            input_formats=DATETIME_FORMATS,
            error_messages={"invalid": "Enter the time as YYYY-MM-DD HH:MM."},
        )
    return forms.CharField(
        label=item.label, help_text=item.help_text, required=False, max_length=item.max_length
    )


@cache
def form_for(action: str) -> type[WorkflowActionForm]:
    """The form class of ``action``."""
    inputs = TRANSITIONS[action].inputs
    attrs: dict[str, Any] = {item.name: _field(item) for item in inputs}
    attrs["input_names"] = tuple(item.name for item in inputs)
    name = "".join(part.title() for part in action.split("_")) + "Form"
    return type(name, (WorkflowActionForm,), attrs)


class VerifyCredentialsForm(forms.Form):
    """An editor's record of how a reviewer's credentials were checked."""

    note = forms.CharField(
        label="How you checked",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80, "aria-describedby": "verify-help"}),
        help_text="The professional register and the registration number, and what it says, "
        "e.g. “GMC register, 1234567, licensed to practise, specialist register: medical "
        "oncology”.",
        error_messages={"required": "Say how the credentials were checked."},
    )


class RevokeVerificationForm(forms.Form):
    """Why an editor withdraws a verification."""

    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        error_messages={"required": "Say why the verification is withdrawn."},
    )


class ReviewerProfileForm(forms.ModelForm):
    """The reviewer profile form of the admin: the review languages as a choice among the
    site's languages (``settings.LANGUAGES``), never free text."""

    languages = forms.TypedMultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Review languages",
        help_text="The languages of the content this clinician signs off. A translation is "
        "approved only by a reviewer who reviews in its language.",
    )

    class Meta:
        model = ReviewerProfile
        fields = [
            "user",
            "display_name",
            "credentials",
            "specialty",
            "institution",
            "disclosure",
            "languages",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "languages" in self.fields:
            self.fields["languages"].choices = settings.LANGUAGES

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data.get("languages") or [])
        # In the order of settings.LANGUAGES, so that a save without a change is no change.
        return [code for code in dict(self.fields["languages"].choices) if code in chosen]
