"""Query-string filters for the editorial article list."""

import django_filters

from articles.models import Article, Audience
from reviews import evidence
from reviews.states import State


class ArticleFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices, help_text="Workflow state.")
    audience = django_filters.ChoiceFilter(choices=Audience.choices, help_text="Audience.")
    topic = django_filters.CharFilter(
        field_name="topics__slug", distinct=True, help_text="Slug of a topic the article is in."
    )
    search = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", help_text="Part of the title."
    )
    evidence_changed = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_evidence_changed",
        help_text="true: only articles citing a trial that changed since their last clinical "
        "sign-off; false: only the others.",
    )

    archived = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_archived",
        help_text="true: only archived articles (to read or restore them from the archive); "
        "false, or absent: only the articles in use.",
    )

    class Meta:
        model = Article
        fields = ["state", "audience", "topic", "search", "evidence_changed", "archived"]

    def filter_queryset(self, queryset):
        # Articles in use unless the archive is asked for (its own method runs only when the
        # parameter is given).
        if self.form.cleaned_data.get("archived") != "true":
            queryset = queryset.active()
        return super().filter_queryset(queryset)

    def filter_archived(self, queryset, name: str, value: str):
        if value == "true":
            return queryset.filter(archived_at__isnull=False)
        return queryset

    def filter_evidence_changed(self, queryset, name: str, value: str):
        if value == "true":
            return evidence.flagged_articles(queryset)
        return evidence.unflagged_articles(queryset)
