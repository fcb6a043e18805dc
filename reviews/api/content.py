"""Topics and clinical trials in the editorial API: every editorial user reads them, editors
create, change and delete them (the admin's model permissions), each save a version through
``articles.services`` (``save_topic``, ``save_trial``, ``delete_topic``, ``delete_trial``).

A trial synced from ClinicalTrials.gov keeps its registry fields as the sync wrote them (the
next sync would overwrite an edit): sending one is a 400, as they are read-only in the admin.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from articles import services
from articles.models import ClinicalTrial, Topic
from articles.validators import normalise_nct_id, validate_nct_id

from .inputs import TopicField
from .versioned import RecordInputMixin, VersionedRecordViewSet, record_schemas


class EditorialTopicSerializer(RecordInputMixin, serializers.ModelSerializer):
    """A topic: where articles are listed, two levels deep."""

    parent = TopicField(
        required=False,
        allow_null=True,
        help_text="Slug of the top-level topic it sits under; null for a top-level topic.",
    )

    class Meta:
        model = Topic
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "parent",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class TopicFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", help_text="Part of the name or slug."
    )

    class Meta:
        model = Topic
        fields = ["search"]

    def filter_search(self, queryset, name: str, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


@extend_schema_view(
    **record_schemas(
        name="topic",
        plural="topics",
        serializer=EditorialTopicSerializer,
        who_writes="only editors create, change or delete them",
        delete_refused="A topic with sub-topics, or that an article or a published page is "
        "listed under, is not deleted.",
    )
)
@extend_schema(tags=["editorial"])
class EditorialTopicViewSet(VersionedRecordViewSet):
    """Topics: list, read, create, change, delete."""

    serializer_class = EditorialTopicSerializer
    filterset_class = TopicFilter
    record_argument = "topic"
    save_service = staticmethod(services.save_topic)
    delete_service = staticmethod(services.delete_topic)

    def get_queryset(self):
        return Topic.objects.select_related("parent").order_by(
            "parent__position", "position", "name", "pk"
        )


class InterventionInputSerializer(serializers.Serializer):
    type = serializers.CharField(
        required=False, max_length=40, help_text="ClinicalTrials.gov code, e.g. DRUG."
    )
    name = serializers.CharField(max_length=300, help_text="e.g. Trastuzumab deruxtecan.")


class LocationInputSerializer(serializers.Serializer):
    facility = serializers.CharField(required=False, allow_blank=True, max_length=300)
    city = serializers.CharField(required=False, allow_blank=True, max_length=200)
    country = serializers.CharField(required=False, allow_blank=True, max_length=200)
    status = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="e.g. RECRUITING."
    )


def _text_list(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, help_text=help_text
    )


SYNCED_MESSAGE = (
    "This field is read-only: the trial is synced from ClinicalTrials.gov, and the next sync "
    "would overwrite a change. Edit the plain-language texts (summary, eligibility_summary, "
    "last_verified) instead."
)


class EditorialTrialSerializer(RecordInputMixin, serializers.ModelSerializer):
    """A clinical trial: the ClinicalTrials.gov record (codes as the registry gives them) and
    our plain-language texts. Once synced, the registry's fields are read-only."""

    nct_id = serializers.CharField(
        max_length=20, help_text="ClinicalTrials.gov identifier, e.g. NCT03734029."
    )
    overall_status = serializers.CharField(
        required=False, max_length=32, help_text="ClinicalTrials.gov code, e.g. RECRUITING."
    )
    phases = _text_list('e.g. ["PHASE2", "PHASE3"] for a phase 2/3 trial.')
    conditions = _text_list('e.g. ["Metastatic Breast Cancer"].')
    keywords = _text_list("The registry's keywords.")
    interventions = serializers.ListField(
        child=InterventionInputSerializer(), required=False, help_text="What is tested."
    )
    locations = serializers.ListField(
        child=LocationInputSerializer(), required=False, help_text="The study sites."
    )
    synced = serializers.SerializerMethodField(
        help_text="Whether the record comes from ClinicalTrials.gov (its registry fields are "
        "then read-only)."
    )

    class Meta:
        model = ClinicalTrial
        fields = [
            "id",
            "nct_id",
            "summary",
            "eligibility_summary",
            "last_verified",
            *ClinicalTrial.REGISTRY_FIELDS,
            "synced",
            "synced_at",
            "sync_warnings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "synced_at", "sync_warnings", "created_at", "updated_at"]

    def get_synced(self, trial: ClinicalTrial) -> bool:
        return trial.synced_at is not None

    def validate_nct_id(self, value: str) -> str:
        nct_id = normalise_nct_id(value)
        try:
            validate_nct_id(nct_id)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        others = ClinicalTrial.objects.filter(nct_id=nct_id)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"There is a trial {nct_id} already.")
        return nct_id

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if self.instance is not None and self.instance.synced_at is not None:
            locked = ("nct_id", *ClinicalTrial.REGISTRY_FIELDS)
            errors = {name: [SYNCED_MESSAGE] for name in attrs if name in locked}
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class TrialFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", help_text="Part of the NCT number, title or acronym."
    )

    class Meta:
        model = ClinicalTrial
        fields = ["search"]

    def filter_search(self, queryset, name: str, value: str):
        return queryset.filter(
            Q(nct_id__icontains=value)
            | Q(brief_title__icontains=value)
            | Q(acronym__icontains=value)
        )


@extend_schema_view(
    **record_schemas(
        name="trial",
        plural="trials",
        serializer=EditorialTrialSerializer,
        who_writes="only editors create, change or delete them; once synced from "
        "ClinicalTrials.gov, a trial's registry fields are read-only (400)",
        delete_refused="A trial that any version of an article names, or with changes "
        "recorded by a sync, is not deleted.",
    )
)
@extend_schema(tags=["editorial"])
class EditorialTrialViewSet(VersionedRecordViewSet):
    """Clinical trials: list, read, create, change, delete."""

    serializer_class = EditorialTrialSerializer
    filterset_class = TrialFilter
    record_argument = "trial"
    save_service = staticmethod(services.save_trial)
    delete_service = staticmethod(services.delete_trial)

    def get_queryset(self):
        return ClinicalTrial.objects.order_by("nct_id", "pk")
