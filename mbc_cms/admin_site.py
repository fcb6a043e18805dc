"""The admin site: Django's, plus the editorial dashboard (``reviews.dashboard``) at
``/admin/dashboard/`` and a link to it at the top of the admin index, with a warning there
while purges of the caching proxies keep failing (``articles.edge``)."""

from functools import partial

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path

from reviews.dashboard.views import dashboard_view, may_view_dashboard, review_log_view


class EditorialAdminSite(admin.AdminSite):
    def get_urls(self):
        urls = [
            path(
                "dashboard/",
                self.admin_view(partial(dashboard_view, site=self)),
                name="dashboard",
            ),
            path(
                "dashboard/review-log.csv",
                self.admin_view(review_log_view),
                name="dashboard-review-log",
            ),
        ]
        return urls + super().get_urls()

    def index(self, request: HttpRequest, extra_context: dict | None = None):
        from articles.models import EdgePurge

        context = {
            "show_dashboard": may_view_dashboard(request.user),
            "failing_purges": EdgePurge.objects.failing().count(),
            **(extra_context or {}),
        }
        return super().index(request, extra_context=context)
