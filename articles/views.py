"""Public reading pages. They read live snapshots only (``articles.public``), never drafts."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from mbc_cms import languages
from reviews.models import ReviewerProfile

from . import caching, edge, origin, page_languages, page_parts, public, ratelimit, trials
from .caching import cached_page
from .choices import ReviewStatus
from .forms import FeedbackForm, TrialFilterForm
from .images import delivery
from .images.manifest import by_id
from .models import Article, ClinicalTrial, PublishedArticle
from .previews import PreviewExpired, read_preview_token
from .rendering import render_markdown
from .selectors import article_version_content
from .services import RateLimited, record_feedback
from .structured_data import medical_trial, to_json_ld, web_page_json_ld
from .templatetags.cards import article_url

PAGE_SIZE = 20


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE, count: int | None = None):
    """One page of ``items`` from ``?page=``; a missing or out-of-range page is a 404. With
    ``count``, the number of items is not asked of the database again."""
    paginator = (
        Paginator(items, per_page)
        if count is None
        else caching.CountedPaginator(items, per_page, count=count)
    )
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page.") from exc


@require_safe
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    """Template ``articles/home.html``: topics, latest and recently reviewed articles, trials."""
    language = languages.current()
    context = {
        "topics": [topic for topic in _topic_tree(request) if topic.parent_id is None],
        "latest": public.latest_articles(language),
        "recently_reviewed": public.recently_reviewed_articles(language),
        "trials": public.home_trials(),
        "canonical_url": public.canonical_url(reverse("articles:home"), request),
    }
    edge.tag(request, edge.LIST)
    edge.tag_articles(request, [*context["latest"], *context["recently_reviewed"]])
    _tag_topics(request, context["topics"])
    edge.tag(request, *(edge.trial_key(trial.pk) for trial in context["trials"]))
    return render(request, "articles/home.html", _in_every_language(context))


def _topic_tree(request: HttpRequest) -> list:
    """``public.topic_tree()``, read once per generation of public content and process: a
    topic's save or deletion starts a new generation. Shared by the generation's requests,
    which only read it."""
    return caching.generation_value(request, "topic_tree", public.topic_tree)


def _tag_topics(request: HttpRequest, topics) -> None:
    """``topic-<pk>`` of each topic shown, and of its sub-topics (``public.topic_tree``)."""
    edge.tag(
        request,
        *(edge.topic_key(t.pk) for topic in topics for t in (topic, *topic.subtopics)),
    )


def _in_every_language(context: dict) -> dict:
    """A page every language has: its switcher and alternates from its canonical address."""
    context["page_languages"] = page_languages.for_list_page(context["canonical_url"])
    return context


def _share_tags(image: dict | None, absolute) -> dict | None:
    """The Open Graph and Twitter card image of a page, absolute URL and all."""
    if image is None:
        return None
    return {
        "url": absolute(delivery.main_url(image)),
        "alt": image.get("alt", ""),
        "width": image["width"],
        "height": image["height"],
    }


def _article_context(
    request: HttpRequest, snapshot: PublishedArticle, feedback_form: FeedbackForm | None = None
) -> dict:
    """What ``articles/article_detail.html`` shows of live ``snapshot`` (read by
    ``public.live_article``); ``feedback_form`` is a refused post's bound form (None: the
    empty form, rendered once per language)."""
    topics, related_trials = public.page_topics(snapshot), public.page_trials(snapshot)
    url = public.canonical_url(article_url(snapshot), request)
    versions = page_languages.live_language_versions(snapshot, request)
    images = public.page_images(snapshot)
    absolute = functools.partial(public.site_url, request=request)
    # What only the snapshot decides, stored with it at publication.
    parts = page_parts.page_parts(snapshot)
    counterpart = public.live_counterpart(snapshot)
    edge.tag_articles(
        request, [snapshot, *versions.values(), *([counterpart] if counterpart else [])]
    )
    edge.tag(
        request,
        *(edge.topic_key(topic.pk) for topic in topics),
        *(edge.trial_key(trial.pk) for trial in related_trials),
    )
    return {
        "article": snapshot,
        "topics": topics,
        "trials": related_trials,
        "body_html": images.body_html,
        # Stored with the other parts; shown while the lead image still is (not withdrawn).
        "lead_figure": parts[page_parts.LEAD_FIGURE] if images.lead_image else "",
        "share_image": _share_tags(images.share_image, absolute),
        "parts": parts,
        "review_overdue": public.review_status(snapshot.next_review_due) == ReviewStatus.OVERDUE,
        "changes": public.page_change_log(snapshot),
        "counterpart": counterpart,
        # Stored with the other parts, its address and the images still shown filled in.
        "json_ld": web_page_json_ld(
            snapshot, parts[page_parts.JSON_LD], url, images.all_images, absolute
        ),
        "feedback_form": feedback_form,
        "canonical_url": url,
        "page_languages": page_languages.for_article(snapshot, versions, request),
        "source_update": page_languages.source_update(snapshot, versions),
    }


@require_safe
@cached_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Template ``articles/article_detail.html``: one live article with its trust signals, at
    the address of its language. At the address of another language (``/es/articles/<slug>``
    of an English article), its live version in that language is a redirect (302: a
    translation may come and go), and with none the answer is 404."""
    snapshot = _in_language_of_request(public.live_article(slug))
    if isinstance(snapshot, HttpResponse):
        return snapshot
    context = _article_context(request, snapshot)
    context["feedback_thanks"] = request.GET.get("feedback") == "thanks"
    return render(request, "articles/article_detail.html", context)


def _in_language_of_request(snapshot) -> PublishedArticle | HttpResponse:
    """``snapshot`` if its page is in the request's language, else a redirect to its live
    version in that language; 404 when it has none."""
    language = languages.current()
    if languages.site_language(snapshot.language) == language:
        return snapshot
    version = page_languages.live_language_versions(snapshot).get(language)
    if version is None:
        raise Http404("No published article has this address in this language.")
    return redirect(version.get_absolute_url())


@csrf_exempt
@require_POST
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """Record "Was this helpful?" feedback (rate-limited per client). The page carries no CSRF
    token, so that it can be shared by caches: a post is accepted only from a page of this
    site (``articles.origin``; 403 otherwise, storing nothing). A filled honeypot is answered
    as a success, storing and sending nothing. Only at the address of the article's own
    language (404 elsewhere)."""
    if not origin.same_origin(request):
        return render(request, "articles/feedback_refused.html", status=403)
    snapshot = public.live_article(slug)
    if languages.site_language(snapshot.language) != languages.current():
        raise Http404("No published article has this address in this language.")
    form = FeedbackForm(request.POST)
    thanks = f"{snapshot.get_absolute_url()}?feedback=thanks#feedback"
    if form.is_trapped():
        return redirect(thanks)
    if not form.is_valid():
        context = _article_context(request, snapshot, form)
        return render(request, "articles/article_detail.html", context, status=400)
    try:
        record_feedback(
            snapshot=snapshot,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
            clinical_concern=form.cleaned_data["clinical_concern"],
            client_key=ratelimit.client_address(request) or "unknown",
        )
    except RateLimited as limited:
        response = render(
            request, "articles/feedback_limited.html", {"article": snapshot}, status=429
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    return redirect(thanks)


@require_safe
@cached_page
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Template ``articles/topic_detail.html``: a topic and its live articles, paginated."""
    topic = next((topic for topic in _topic_tree(request) if topic.slug == slug), None)
    if topic is None:
        raise Http404("No topic has this address.")
    language = languages.current()
    count = caching.generation_count(
        request,
        f"topic:{topic.pk}:{language}",
        lambda: public.topic_articles(topic, language).count(),
    )
    page = paginate(request, public.topic_listing(topic, language, count), count=count)
    url = public.canonical_url(topic.get_absolute_url(), request, page_number=page.number)
    edge.tag(request, edge.LIST, edge.topic_key(topic.pk))
    edge.tag(request, *(edge.topic_key(t.pk) for t in (topic.parent, *topic.subtopics) if t))
    edge.tag_articles(request, page.object_list)
    context = {"topic": topic, "page": page, "canonical_url": url}
    return render(request, "articles/topic_detail.html", _in_every_language(context))


@require_safe
@cached_page
def trial_list(request: HttpRequest) -> HttpResponse:
    """Template ``articles/trial_list.html``: the clinical trials, filtered by the GET form
    ``filter_form`` (status, phase, condition, intervention, country) and paginated. Invalid
    filters answer 400 with the form's errors and no trials."""
    form = TrialFilterForm(request.GET, choices=trials.filter_choices())
    path = reverse("articles:trials")
    if not form.is_valid():
        context = {"form": form, "page": None, "canonical_url": public.canonical_url(path, request)}
        return render(request, "articles/trial_list.html", _in_every_language(context), status=400)
    filters = form.filters()
    page = paginate(request, trials.filter_trials(ClinicalTrial.objects.all(), filters))
    edge.tag(request, edge.LIST, *(edge.trial_key(trial.pk) for trial in page.object_list))
    kept = [(name, getattr(filters, name)) for name in filters.names() if getattr(filters, name)]
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "page_query": urlencode(kept),
        "canonical_url": public.canonical_url(path, request, kept, page.number),
    }
    return render(request, "articles/trial_list.html", _in_every_language(context))


@require_safe
@cached_page
def trial_detail(request: HttpRequest, nct_id: str) -> HttpResponse:
    """Template ``articles/trial_detail.html``: one trial (``page_title`` within 70 characters
    with the site name, ``countries``: its sites by country) and the live articles citing it."""
    trial = get_object_or_404(ClinicalTrial, nct_id=nct_id.upper())
    if trial.nct_id != nct_id:
        return redirect(trial, permanent=True)
    articles = public.live_articles_citing(trial, languages.current())
    # A list: the articles citing the trial.
    edge.tag(request, edge.LIST, edge.trial_key(trial.pk))
    edge.tag_articles(request, articles)
    url = public.canonical_url(trial.get_absolute_url(), request)
    context = {
        "canonical_url": url,
        "trial": trial,
        "page_title": trials.page_title(trial),
        "countries": trials.locations_by_country(trial.locations),
        "articles": articles,
        "json_ld": to_json_ld(medical_trial(trial, url)),
    }
    return render(request, "articles/trial_detail.html", _in_every_language(context))


@require_safe
@cached_page
def search(request: HttpRequest) -> HttpResponse:
    """Template ``articles/search.html``: full-text search over the live articles in the
    page's language."""
    query = request.GET.get("q", "").strip()[:200]
    context: dict = {"query": query}
    edge.tag(request, edge.LIST)
    page_number = 1
    if query:
        language = languages.current()
        found = public.search_articles(query, public.live_articles_in(language), language)
        key = f"search:{language}:{' '.join(public.query_terms(query))}"
        page = paginate(request, found, count=caching.generation_count(request, key, found.count))
        page_number = page.number
        edge.tag_articles(request, page.object_list)
        context.update(page=page, hits=public.search_hits(page.object_list, query))
    path = reverse("articles:search")
    context["canonical_url"] = public.canonical_url(path, request, [("q", query)], page_number)
    return render(request, "articles/search.html", _in_every_language(context))


@require_safe
@cached_page
def editorial_policy(request: HttpRequest) -> HttpResponse:
    """Template ``articles/editorial_policy.html``: how content is made, and who reviews it."""
    reviewers = ReviewerProfile.objects.filter(user__is_active=True).order_by("display_name")
    context = {
        "reviewers": reviewers,
        "overdue_unpublish_days": settings.OVERDUE_UNPUBLISH_DAYS,
        "readability_max_grade": settings.READABILITY_MAX_GRADE,
        "readability_min_ease_es": settings.READABILITY_MIN_EASE_ES,
        "canonical_url": public.canonical_url(reverse("articles:editorial_policy"), request),
    }
    return render(request, "articles/editorial_policy.html", _in_every_language(context))


@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """Template ``articles/preview.html``: one working-copy version, for a shared link
    (``rendered``: its rendering, whose table of contents is shown; ``body_html``: its body
    less the images readers may no longer be shown)."""
    try:
        article_id, version = read_preview_token(token)
    except PreviewExpired:
        response = render(request, "articles/preview_expired.html", status=410)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    except signing.BadSignature as exc:
        raise Http404("This preview link is not valid.") from exc
    article = get_object_or_404(Article.objects.active(), pk=article_id)
    content = article_version_content(article, version)
    rendered = render_markdown(
        content.fields.get("body", ""),
        len(content.references),
        images=by_id(content.fields.get("images") or []),
    )
    # An image whose rights ended, or that left the library, is withdrawn as on public pages.
    shown = public.images_shown(rendered.html, list(rendered.images), None)
    context = {
        "article": article,
        "version": version,
        "fields": content.fields,
        "references": content.references,
        "rendered": rendered,
        "body_html": shown.body_html,
    }
    response = render(request, "articles/preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@cached_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public site, not the admin, previews or editorial API."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /api/v1/editorial/",
        f"Sitemap: {public.site_url(reverse('sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
