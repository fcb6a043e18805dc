"""URL configuration for mbc_cms."""

from django.contrib import admin
from django.urls import include, path

from .views import healthz

admin.site.site_header = "mbc_cms editorial"
admin.site.site_title = "mbc_cms"
admin.site.index_title = "Content and clinical review"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
