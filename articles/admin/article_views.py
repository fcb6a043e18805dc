"""The article admin's own pages: the workflow buttons, the review page with its discussion,
version comparison and restore, and the live Markdown preview.

Each view validates its input with a form and calls ``reviews.workflow``; the rules live there.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from reviews import evidence, quality, workflow
from reviews.forms import form_for
from reviews.readability import analyse
from reviews.roles import CREDENTIALS_NOT_VERIFIED, has_verified_credentials
from reviews.selectors import latest_review

from ..images.manifest import build_manifest, by_id
from ..models import Article
from ..previews import preview_url
from ..rendering import render_markdown
from ..selectors import article_version_content, article_versions, compare_versions
from ..snapshots import article_digest


def _version_number(raw: str | None, article: Article) -> int | None:
    """A saved version of ``article`` older than the current one, from a query parameter."""
    if not raw or not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) < article.version:
        return None
    return int(raw)


def _change_line(change) -> str:
    """A changed field's label, with its changed numbers (doses, percentages) if any."""
    if not change.numbers_changed:
        return change.label
    pairs = ", ".join(f"{old or '—'} → {new or '—'}" for old, new in change.numbers_changed)
    return f"{change.label} ({pairs})"


def stale_summary(article: Article, error: workflow.StaleVersion) -> str:
    """The stale-action message, with what changed between the version the user saw and now."""
    seen, current = error.seen_version, error.current_version
    if not 1 <= seen < current:
        return error.message
    changes = compare_versions(article, seen, current)
    changed = [_change_line(change) for change in changes if change.changed]
    what = "; ".join(changed) if changed else "nothing in the content"
    return f"{error.message} Changed since version {seen}: {what}."


class ArticleViews:
    """The extra pages of ``ArticleAdmin`` (a ``ModelAdmin`` mixin)."""

    def _workflow_context(self, request: HttpRequest, article: Article) -> dict:
        review = latest_review(article)
        flags = evidence.open_flags(article)
        actions = workflow.allowed_actions(request.user, article, workflow.REVIEW_ACTIONS)
        signs_off = {
            workflow.Action.APPROVE,
            workflow.Action.REQUEST_CHANGES,
            workflow.Action.CONFIRM_CURRENT,
        }
        return {
            "workflow_actions": [(action, workflow.Action(action).label) for action in actions],
            # What the user is shown now: the forms send it back, so that a click on this page
            # never approves or publishes text that changed since.
            "shown_digest": article_digest(article) if signs_off & set(actions) else "",
            # The quality gates the workflow applies (reviews.quality), shown before acting.
            "quality_problems": quality.problems(article),
            "quality_warnings": quality.warnings(article),
            # Why a clinical reviewer sees no decision buttons, when that is the reason.
            "credentials_notice": CREDENTIALS_NOT_VERIFIED
            if workflow.is_clinical_reviewer(request.user)
            and not has_verified_credentials(request.user)
            else "",
            "may_archive": bool(
                workflow.allowed_actions(
                    request.user,
                    article,
                    [workflow.Action.ARCHIVE, workflow.Action.UNARCHIVE],
                )
            ),
            "live_snapshot": workflow.live_snapshot(article),
            # Trials the article cites that changed since a clinician last signed it off; the
            # decision forms send back the newest one shown (a decision clears them).
            "evidence_changes": evidence.change_rows(flags),
            "evidence_seen": max((flag.pk for flag in flags), default=0),
            "scheduled_snapshot": article.snapshots.filter(go_live_at__gt=timezone.now())
            .filter(live_until__isnull=True)
            .first(),
            "current_review": review,
            "review_comments": review.comments.select_related("author") if review else [],
            "has_ever_published": article.snapshots.exists(),
            "preview_link": request.build_absolute_uri(preview_url(article.pk, article.version)),
            "preview_days": settings.PREVIEW_MAX_AGE // 86400,
        }

    def workflow_view(self, request: HttpRequest, object_id: int, action: str) -> HttpResponse:
        """POST only: run one workflow action with its form and report the outcome."""
        article = self._article_or_403(request, object_id)
        change_page = reverse("admin:articles_article_change", args=[article.pk])
        if request.method != "POST" or action not in workflow.TRANSITION_SERVICES:
            return HttpResponseRedirect(change_page)
        form = form_for(action)(request.POST)
        if not form.is_valid():
            messages.error(request, form.error_text())
            if set(form.errors) & set(form.input_names):
                return self._refused_form(request, article, action, form.input_names, form.errors)
            return HttpResponseRedirect(change_page)
        try:
            workflow.TRANSITION_SERVICES[action](
                article=article, user=request.user, seen=form.seen(), **form.inputs()
            )
        except workflow.StaleVersion as error:
            messages.error(request, stale_summary(article, error))
            review_page = reverse("admin:articles_article_review", args=[article.pk])
            return HttpResponseRedirect(f"{review_page}?since={error.seen_version}")
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
            if error.field in form.input_names:
                errors = {error.field: [error.message]}
                return self._refused_form(request, article, action, form.input_names, errors)
        else:
            messages.success(request, f"{workflow.Action(action).label}: done.")
        return HttpResponseRedirect(change_page)

    def _refused_form(
        self,
        request: HttpRequest,
        article: Article,
        action: str,
        input_names: tuple[str, ...],
        errors: dict[str, list[str]],
    ) -> HttpResponse:
        """The review page again (400) with the refused form's errors beside its inputs and
        what was typed kept; the message above says it too, and takes the focus."""
        refused = {
            "action": action,
            "errors": {name: list(errors[name]) for name in input_names if name in errors},
            "values": {name: request.POST.get(name, "") for name in input_names},
        }
        response = self.review_view(request, article.pk, refused=refused)
        response.status_code = 400
        return response

    def archive_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST only: archive the article (delete means archive), or restore it."""
        action = workflow.Action.UNARCHIVE if request.POST.get("restore") else "archive"
        return self.workflow_view(request, object_id, action)

    def review_view(
        self, request: HttpRequest, object_id: int, refused: dict | None = None
    ) -> HttpResponse:
        """Template ``admin/articles/article/review.html``: what changed, and the discussion;
        ``refused`` is a workflow form shown again with its errors (``_refused_form``)."""
        article = self._article_or_403(request, object_id)
        baseline = workflow.review_baseline_version(article)
        changes = compare_versions(article, baseline, article.version)
        score = analyse(article.body, article.language)
        since = _version_number(request.GET.get("since"), article)
        since_changes = (
            compare_versions(article, since, article.version) if since is not None else []
        )
        context = {
            "since": since,
            "since_changes": since_changes,
            "since_count": sum(change.changed for change in since_changes),
            **self.admin_site.each_context(request),
            **self._workflow_context(request, article),
            "opts": self.opts,
            "original": article,
            "title": f"Review version {article.version} of “{article.title}”",
            "baseline": baseline,
            "changes": changes,
            "changed_count": sum(change.changed for change in changes),
            "readability": score,
            "long_sentences": quality.long_sentences(article.body),
            "audit_entries": article.audit_entries.select_related("user")[:30],
            "refused_action": refused,
        }
        if article.translation_of_id is not None:
            # The clinician checks a translation against its source: which one, which version.
            context.update(self._translation_context(request, article))
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def evidence_view(self, request: HttpRequest) -> HttpResponse:
        """Template ``admin/articles/article/evidence.html``: the articles in use flagged
        "evidence changed", each with its trial changes, for editors and clinical reviewers
        (anyone the admin lets see articles)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        flagged = evidence.with_open_flags(
            evidence.flagged_articles(Article.objects.active())
        ).order_by("title", "pk")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Evidence changed",
            "flagged": [
                (article, evidence.change_rows(evidence.open_flags(article))) for article in flagged
            ],
        }
        return TemplateResponse(request, "admin/articles/article/evidence.html", context)

    def review_comment_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST only: add a message to the review discussion."""
        article = self._article_or_403(request, object_id)
        if request.method == "POST":
            try:
                workflow.add_review_comment(
                    article=article, user=request.user, body=request.POST.get("body", "")
                )
            except workflow.WorkflowError as error:
                messages.error(request, error.message)
                if error.field == "body":
                    errors = {"body": [error.message]}
                    return self._refused_form(request, article, "comment", ("body",), errors)
            else:
                messages.success(request, "Comment added.")
        return redirect("admin:articles_article_review", article.pk)

    def get_urls(self):
        views = [
            ("preview/", self.preview_view, "preview"),
            ("evidence/", self.evidence_view, "evidence"),
            ("<int:object_id>/workflow/<str:action>/", self.workflow_view, "workflow"),
            ("<int:object_id>/archive/", self.archive_view, "archive"),
            ("<int:object_id>/review/", self.review_view, "review"),
            ("<int:object_id>/review/comment/", self.review_comment_view, "review_comment"),
            ("<int:object_id>/history/compare/", self.compare_view, "compare"),
            ("<int:object_id>/history/restore/<int:number>/", self.restore_view, "restore"),
        ]
        urls = [
            path(route, self.admin_site.admin_view(view), name=f"articles_article_{name}")
            for route, view, name in views
        ]
        return urls + super().get_urls()

    def _article_or_403(self, request: HttpRequest, object_id: int) -> Article:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def compare_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Template ``admin/articles/article/compare.html``: two versions side by side."""
        article = self._article_or_403(request, object_id)
        versions = article_versions(article)
        numbers = [v.number for v in versions]
        try:
            old = int(request.GET.get("from", numbers[-2] if len(numbers) > 1 else numbers[-1]))
            new = int(request.GET.get("to", numbers[-1]))
        except (ValueError, IndexError):
            messages.error(request, "Choose two versions to compare.")
            return redirect("admin:articles_article_history", article.pk)
        changes = compare_versions(article, old, new)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare version {old} with version {new}",
            "old": old,
            "new": new,
            "versions": versions,
            "changes": changes,
            "changed_count": sum(change.changed for change in changes),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request: HttpRequest, object_id: int, number: int) -> HttpResponse:
        """Template ``admin/articles/article/restore.html``: confirm, then restore as new."""
        article = self._article_or_403(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        article_version_content(article, number)  # 404 for an unknown version
        if request.method == "POST":
            try:
                workflow.restore_version(
                    article=article,
                    number=number,
                    user=request.user,
                    expected_version=int(request.POST.get("expected_version", article.version)),
                )
            except workflow.WorkflowError as error:
                messages.error(request, error.message)
                return redirect("admin:articles_article_history", article.pk)
            messages.success(
                request,
                f"Restored the content of version {number} as version {article.version}. It "
                "needs clinical review before it can be published.",
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        changes = compare_versions(article, article.version, number)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Restore version {number}",
            "number": number,
            "changes": changes,
            "changed_count": sum(change.changed for change in changes),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """Render posted Markdown exactly as the public page will (sanitised)."""
        if request.method != "POST":
            return JsonResponse({"error": "Use POST."}, status=405)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        body = request.POST.get("body", "")
        # The images as the library has them now: what the next save would record.
        images = by_id(build_manifest(body, None))
        return JsonResponse({"html": render_markdown(body, images=images).html})
