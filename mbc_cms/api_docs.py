"""API documentation pages (Swagger UI and Redoc) served from local files, no CDN.

Both UIs inject inline styles and Redoc starts web workers from blob: URLs, so these two
pages get a Content-Security-Policy of their own; scripts still come only from this site.
"""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


class DocsCSPMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(DocsCSPMixin, SpectacularSwaggerSplitView):
    """Swagger UI; its start-up script is served from a URL, not inlined."""


class RedocView(DocsCSPMixin, SpectacularRedocView):
    """Redoc, without the web fonts its stock template loads from a CDN."""

    template_name = "drf_spectacular/redoc_local.html"
