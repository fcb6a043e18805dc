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

    class Meta:
        model = Article
        fields = ["state", "audience", "topic", "search", "evidence_changed"]

    def filter_evidence_changed(self, queryset, name: str, value: str):
        if value == "true":
            return evidence.flagged_articles(queryset)
        return evidence.unflagged_articles(queryset)
