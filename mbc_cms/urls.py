"""URL configuration for mbc_cms."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from articles.caching import cached_page
from articles.edge import listing
from articles.images.serving import media_file
from articles.sitemaps import SITEMAPS
from articles.views import preview, robots_txt

from .api_docs import RedocView, SwaggerView
from .views import favicon, healthz

admin.site.site_header = "mbc_cms editorial"
admin.site.site_title = "mbc_cms"
admin.site.index_title = "Content and clinical review"

urlpatterns = [
    # Reader pages first: the busiest routes are found with the fewest pattern tests. English
    # unprefixed, other languages under /<code>/ (mbc_cms.languages); nothing else is prefixed.
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
    # A shared preview shows a working copy in its own language, at one address.
    path("preview/<str:token>/", preview, name="preview"),
    path("api/v1/", include("articles.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("api/schema/", SpectacularAPIView.as_view(schema=None), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v1/", include("reviews.api.urls")),
    path("sitemap.xml", cached_page(listing(sitemap)), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]

if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    # Uploaded images on the local filesystem are served by the app (articles.images.serving);
    # a reverse proxy may serve MEDIA_ROOT in its place. In a bucket, they are served from there.
    urlpatterns.append(path("media/<path:name>", media_file, name="media"))

handler404 = "mbc_cms.views.page_not_found"
handler500 = "mbc_cms.views.server_error"
