"""Public reading pages. They read only live snapshots, never the working copy."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import ClinicalTrial, PublishedArticle, Topic


def home(request: HttpRequest) -> HttpResponse:
    """Template ``articles/home.html``: topics, latest articles and trials."""
    topics = Topic.objects.filter(parent__isnull=True).prefetch_related("children")
    latest = PublishedArticle.objects.live().only("slug", "title", "summary", "go_live_at")[:10]
    trials = ClinicalTrial.objects.all()[:10]
    return render(
        request, "articles/home.html", {"topics": topics, "latest": latest, "trials": trials}
    )


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Template ``articles/article_detail.html``: the live snapshot with this slug."""
    snapshot = get_object_or_404(
        PublishedArticle.objects.live().prefetch_related("topics", "related_trials"), slug=slug
    )
    return render(request, "articles/article_detail.html", {"article": snapshot})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Template ``articles/topic_detail.html``: a topic and its live articles."""
    topic = get_object_or_404(
        Topic.objects.prefetch_related(Prefetch("children", queryset=Topic.objects.all())),
        slug=slug,
    )
    articles = (
        PublishedArticle.objects.live()
        .filter(topics__in=[topic, *topic.children.all()])
        .distinct()
        .order_by("title")
    )
    return render(request, "articles/topic_detail.html", {"topic": topic, "articles": articles})


def trial_detail(request: HttpRequest, nct_id: str) -> HttpResponse:
    """Template ``articles/trial_detail.html``: one clinical trial and the articles citing it."""
    trial = get_object_or_404(ClinicalTrial, nct_id=nct_id)
    articles = PublishedArticle.objects.live().filter(related_trials=trial).order_by("title")
    return render(request, "articles/trial_detail.html", {"trial": trial, "articles": articles})
