"""Topics and trials (versioned), and the read-only records: live snapshots and reader
feedback."""

from django.contrib import admin

from mbc_cms.admin_mixins import ReadOnlyAdminMixin
from mbc_cms.version_admin import SafeVersionAdmin

from ..models import ClinicalTrial, Feedback, PublishedArticle, Topic


@admin.register(Topic)
class TopicAdmin(SafeVersionAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


@admin.register(ClinicalTrial)
class ClinicalTrialAdmin(SafeVersionAdmin):
    list_display = ["nct_id", "brief_title", "overall_status", "phase_list", "last_verified"]
    list_filter = ["overall_status"]
    search_fields = ["nct_id", "brief_title", "summary"]

    @admin.display(description="phases")
    def phase_list(self, obj: ClinicalTrial) -> str:
        return ", ".join(obj.phases)


@admin.register(PublishedArticle)
class PublishedArticleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Snapshots are written by the workflow only; the admin shows them read-only."""

    list_display = ["title", "version", "audience", "go_live_at", "live_until", "published_by"]
    list_filter = ["audience"]
    search_fields = ["title", "slug"]
    list_select_related = ["published_by"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Readers' "Was this helpful?" answers, for editors to act on (and spam to delete)."""

    deletable = True

    list_display = ["created_at", "article", "version", "helpful", "short_comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["article__title", "comment"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"

    @admin.display(description="comment")
    def short_comment(self, obj: Feedback) -> str:
        return (obj.comment[:120] + "…") if len(obj.comment) > 120 else obj.comment
