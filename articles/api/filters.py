"""Query parameters of the public API, each validated: a bad value is a 400, never a 500."""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.widgets import BaseCSVWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field

from articles import public, trials
from articles.forms import TrialPhaseField, TrialStatusField, TrialTextField
from articles.models import (
    Audience,
    ClinicalTrial,
    PublishedArticle,
    Topic,
    TrialPhase,
    TrialStatus,
)
from articles.validators import shown_value

ORDERING_FIELDS = (
    ("title", "title"),
    ("go_live_at", "updated_at"),
    ("first_published_at", "published_at"),
    ("last_reviewed", "last_reviewed"),
)
ORDERING_KEYS = tuple(f"{sign}{name}" for _field, name in ORDERING_FIELDS for sign in ("", "-"))
ORDERING_PARAMETER = OpenApiParameter(
    "ordering",
    {
        "type": "array",
        "items": {
            "type": "string",
            "enum": list(ORDERING_KEYS),
            # Names for generated clients' enumerations (TITLE, TITLE_DESC…), not VALUE_1.
            "x-enum-varnames": [
                key.lstrip("-").upper() + ("_DESC" if key.startswith("-") else "")
                for key in ORDERING_KEYS
            ],
        },
    },
    OpenApiParameter.QUERY,
    explode=True,
    style="form",
    description="Sort keys, the first the most significant: title, updated_at, published_at, "
    "last_reviewed; prefix - to reverse. Repeat the parameter "
    "(ordering=-updated_at&ordering=title) or separate the keys with commas "
    "(ordering=-updated_at,title): both give the same order. An unknown key is a 400. "
    "Default: the most recently updated first.",
)


class EveryValueCSVWidget(BaseCSVWidget, forms.TextInput):
    """Every value of a repeated parameter, each split at its commas, in order: ``a,b``,
    ``a&a=b`` and ``a,b&a=c`` are read alike (DRF and Django forms would keep only the last)."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return None
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return [key.strip() for value in values for key in str(value).split(",") if key.strip()]


class ISO8601Field(forms.Field):
    """A date or date-time in ISO 8601 (a date means its midnight, UTC)."""

    default_error_messages = {
        "invalid": "Enter an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T09:00:00Z."
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(" ", "+")  # a raw "+" in a query string arrives as " "
        try:
            moment = parse_datetime(text)
            if moment is None:
                day = parse_date(text)
                if day is None:
                    raise ValueError(text)
                moment = datetime.datetime.combine(day, datetime.time.min)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment


@extend_schema_field(OpenApiTypes.DATETIME)
class ISO8601Filter(django_filters.Filter):
    field_class = ISO8601Field


@extend_schema_field(OpenApiTypes.STR)
class TopicSlugFilter(django_filters.ModelChoiceFilter):
    """A topic named by its slug."""


class OrderingFilter(django_filters.OrderingFilter):
    """The keys asked for, then the id: pages of a sorted list neither repeat nor skip an
    article whose keys tie with another's."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


def _short_echo(error: forms.ValidationError) -> forms.ValidationError:
    params = {
        key: shown_value(value) if isinstance(value, str) else value
        for key, value in (error.params or {}).items()
    }
    return forms.ValidationError(error.message, code=error.code, params=params or None)


class ShortEchoFilterSet(django_filters.FilterSet):
    """A filter set whose errors echo at most ``shown_value``'s 50 characters of a value
    (a choice filter's "Select a valid choice. <value> is not one of…" would echo it all)."""

    @property
    def errors(self) -> ErrorDict:
        return ErrorDict(
            {
                name: ErrorList([_short_echo(error) for error in errors])
                for name, errors in self.form.errors.as_data().items()
            }
        )


class ArticleFilter(ShortEchoFilterSet):
    topic = TopicSlugFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        method="filter_topic",
        help_text="A topic slug; articles in its sub-topics are included.",
    )
    audience = django_filters.ChoiceFilter(choices=Audience.choices)
    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES,
        help_text="Only articles in this language (a code of the site's languages, e.g. es). "
        "An explicit parameter: Accept-Language is not read.",
    )
    search = django_filters.CharFilter(method="filter_search", help_text="Words to search for.")
    updated_since = ISO8601Filter(
        field_name="go_live_at", lookup_expr="gte", help_text="Updated at or after (ISO 8601)."
    )
    reviewed_since = ISO8601Filter(
        method="filter_reviewed_since", help_text="Clinically reviewed on or after (ISO 8601)."
    )
    ordering = OrderingFilter(fields=ORDERING_FIELDS, widget=EveryValueCSVWidget)

    class Meta:
        model = PublishedArticle
        fields = [
            "topic",
            "audience",
            "language",
            "search",
            "updated_since",
            "reviewed_since",
            "ordering",
        ]

    def filter_topic(self, queryset, name, topic: Topic):
        return queryset.filter(Q(topics=topic) | Q(topics__parent=topic)).distinct()

    def filter_search(self, queryset, name, value: str):
        return public.search_articles(value, queryset=queryset)

    def filter_reviewed_since(self, queryset, name, moment: datetime.datetime):
        return queryset.filter(last_reviewed__gte=moment.date())


@extend_schema_field(
    {"type": "string", "enum": TrialStatus.values, "description": "e.g. RECRUITING"}
)
class TrialStatusFilter(django_filters.Filter):
    field_class = TrialStatusField


@extend_schema_field({"type": "string", "enum": TrialPhase.values})
class TrialPhaseFilter(django_filters.Filter):
    field_class = TrialPhaseField


@extend_schema_field({"type": "string", "maxLength": trials.FILTER_TEXT_MAX})
class TrialTextFilter(django_filters.Filter):
    field_class = TrialTextField


class TrialFilter(ShortEchoFilterSet):
    """The filters of the trial list page (``articles.trials.filter_trials``)."""

    status = TrialStatusFilter(
        help_text="ClinicalTrials.gov overallStatus, e.g. RECRUITING (any case). A status a "
        "stored trial holds is accepted too.",
    )
    phase = TrialPhaseFilter(
        help_text="e.g. PHASE3; a phase 2/3 trial matches PHASE2 and PHASE3.",
    )
    condition = TrialTextFilter(
        help_text="Part of a condition studied, any case, e.g. her2-positive.",
    )
    intervention = TrialTextFilter(help_text="Part of an intervention's name, e.g. palbociclib.")
    country = TrialTextFilter(
        help_text="A country where the trial has a site, whole, any case, e.g. United Kingdom.",
    )

    class Meta:
        model = ClinicalTrial
        fields = ["status", "phase", "condition", "intervention", "country"]

    def filter_queryset(self, queryset):
        """All the filters at once (the JSON lists are read in one pass)."""
        given = {name: value for name, value in self.form.cleaned_data.items() if value}
        return trials.filter_trials(queryset, trials.TrialFilters(**given))
