"""The editorial dashboard's pages in the admin (``mbc_cms.admin_site`` routes them): the
overview at ``/admin/dashboard/`` and the review log as CSV. For editors and clinical
reviewers; the admin site's ``admin_view`` sends anyone not logged in to the admin login."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_safe

from ..roles import is_clinical_reviewer, is_editor
from . import metrics
from .charts import bar_chart
from .review_log import review_log_lines

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite
    from django.contrib.auth.models import AbstractBaseUser


def may_view_dashboard(user: AbstractBaseUser | None) -> bool:
    """Editors (superusers included) and clinical reviewers see the dashboard."""
    return is_editor(user) or is_clinical_reviewer(user)


def _month_label(month: datetime.date) -> str:
    return format_date(month, "M\nY")


def dashboard_context(user: AbstractBaseUser) -> dict:
    """Every number on the dashboard, and the charts drawn from them, as of now."""
    now = timezone.now()
    turnaround = metrics.review_turnaround(now=now)
    publications = metrics.publications_by_month(now=now)
    readability = metrics.readability_distribution(now=now)
    return {
        "now": now,
        "articles": metrics.article_counts(now=now),
        "queues": metrics.my_queues(user),
        "due": metrics.review_due(today=timezone.localdate(now)),
        "due_soon_days": metrics.DUE_SOON_DAYS,
        "turnaround": turnaround,
        "turnaround_chart": bar_chart(
            slug="turnaround",
            title="Median review turnaround by month",
            description="Median days from the request for clinical review to the approval, "
            "for approvals decided in each of the last 12 months; months with no approval "
            "have no bar. The table beside the chart gives the same numbers.",
            points=[(_month_label(row.month), row.median_days) for row in turnaround],
            unit=" d",
        ),
        "publications": publications,
        "publications_chart": bar_chart(
            slug="publications",
            title="Publications by month",
            description="How many versions went live in each of the last 12 months. The "
            "table beside the chart gives the same numbers.",
            points=[(_month_label(row.month), row.value) for row in publications],
        ),
        "feedback": metrics.feedback_counts(),
        "readability": readability,
        "readability_chart": bar_chart(
            slug="readability",
            title="Reading grade of live patient pages",
            description=f"How many live patient pages fall in each Flesch-Kincaid grade band; "
            f"the target is grade {readability.target:g} or below. The table beside the chart "
            "gives the same numbers.",
            points=[(bucket.label, bucket.value) for bucket in readability.buckets],
        ),
    }


@require_safe
def dashboard_view(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    """Template ``admin/dashboard.html``: the state of the whole site at a glance."""
    if not may_view_dashboard(request.user):
        raise PermissionDenied
    context = {
        **site.each_context(request),
        "title": "Editorial dashboard",
        **dashboard_context(request.user),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)


@require_safe
def review_log_view(request: HttpRequest) -> StreamingHttpResponse:
    """Every review as CSV, streamed; a dated attachment."""
    if not may_view_dashboard(request.user):
        raise PermissionDenied
    response = StreamingHttpResponse(review_log_lines(), content_type="text/csv; charset=utf-8")
    filename = f"review-log-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
