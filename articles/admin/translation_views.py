"""The article admin's translation pages: "Translate into …" and "Mark as updated to source
version N" on the change page, and the queue of translations to update.

Each view validates its input and calls ``reviews.workflow`` (``start_translation``,
``update_source_version``); whether a translation is out of date is read from
``articles.translations``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from reviews import workflow
from reviews.roles import language_name

from ..models import Article
from ..selectors import compare_versions
from ..translations import article_translation_status, language_versions, outdated_translations


class TranslationViews:
    """Translation pages of ``ArticleAdmin`` (a ``ModelAdmin`` mixin, before ``ArticleViews``)."""

    def _translation_context(self, request: HttpRequest, article: Article) -> dict:
        """What the change page shows about translations, and the buttons open to the user."""
        may_write = (
            article.archived_at is None
            and self.has_change_permission(request, article)
            and workflow.has_role(request.user, workflow.Role.AUTHOR_WRITER_OR_EDITOR, article)
        )
        source = article.translation_of
        source_live = workflow.live_snapshot(source) if source is not None else None
        languages = []
        if source is None and may_write and workflow.live_snapshot(article) is not None:
            languages = workflow.translation_languages(article)
        return {
            "translation_source": source,
            "translation_source_live": source_live,
            "translation_status": article_translation_status(article) if source else None,
            "may_mark_updated": bool(
                may_write and source_live and source_live.version != article.source_version
            ),
            "translate_languages": languages,
            "language_versions": list(language_versions(article)),
        }

    def translate_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST only, ``language``: start the translation of this article into it, then open
        the new translation's change page."""
        source = self._article_or_403(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        language = request.POST.get("language", "")
        try:
            translation = workflow.start_translation(
                source=source, language=language, user=request.user
            )
        except workflow.ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[source.pk]))
        messages.success(
            request,
            f"Started the translation into {language_name(language)} as a draft (version 1), "
            f"from version {translation.source_version} of “{source.title}”. Translate the "
            "text, then send it for clinical review.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[translation.pk]))

    def source_version_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST only, ``version`` (the version the page showed): mark the translation as
        updated to its source's live version, a new version to review."""
        article = self._article_or_403(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        change_page = reverse("admin:articles_article_change", args=[article.pk])
        raw = request.POST.get("version", "")
        if not (raw.isascii() and raw.isdigit()):
            messages.error(
                request, "Nothing was done: the page did not say which version it showed."
            )
            return HttpResponseRedirect(change_page)
        try:
            saved = workflow.update_source_version(
                article=article, user=request.user, expected_version=int(raw)
            )
        except workflow.ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Saved as version {saved.version}, matching source version "
                f"{saved.source_version}. Send it for clinical review to publish it.",
            )
        return HttpResponseRedirect(change_page)

    def translations_view(self, request: HttpRequest) -> HttpResponse:
        """Template ``admin/articles/article/translations.html``: "Translations to update",
        every translation in use whose source was withdrawn (first: a page pulled from the site,
        perhaps for clinical safety, still live in another language) or whose live page is out
        of date, with what changed in its source since the version it matches."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        outdated = (
            outdated_translations(Article.objects.active())
            .select_related("translation_of")
            .order_by("-source_withdrawn", "title", "pk")
        )
        rows = []
        # One comparison per source and pair of versions, whatever the number of languages
        # translated from it (each comparison reads two stored versions).
        diffs: dict[tuple[int, int, int], list] = {}
        for article in outdated:
            source = article.translation_of
            changes = []
            if article.live_source_version and article.source_live_version:
                key = (source.pk, article.live_source_version, article.source_live_version)
                if key not in diffs:
                    diffs[key] = compare_versions(source, key[1], key[2])
                changes = diffs[key]
            rows.append(
                {
                    "article": article,
                    "source": source,
                    "changes": changes,
                    "changed_count": sum(change.changed for change in changes),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Translations to update",
            "rows": rows,
        }
        return TemplateResponse(request, "admin/articles/article/translations.html", context)

    def get_urls(self):
        views = [
            ("translations/", self.translations_view, "translations"),
            ("<int:object_id>/translate/", self.translate_view, "translate"),
            ("<int:object_id>/source-version/", self.source_version_view, "source_version"),
        ]
        urls = [
            path(route, self.admin_site.admin_view(view), name=f"articles_article_{name}")
            for route, view, name in views
        ]
        return urls + super().get_urls()
