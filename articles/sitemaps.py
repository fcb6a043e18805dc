"""sitemap.xml: live articles, topics, trials and the fixed pages, each with ``lastmod``: when
what it shows last changed (never the time of the request)."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewerProfile

from . import caching, public
from .models import ClinicalTrial, PublishedArticle, Topic


def _latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    return max((moment for moment in moments if moment is not None), default=None)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        """Each live address once, as ``public.live_article`` resolves it."""
        snapshots = public.live_articles().only("slug", "go_live_at").order_by(*public.BY_ADDRESS)
        seen: set[str] = set()
        return [s for s in snapshots if not (s.slug in seen or seen.add(s.slug))]

    def lastmod(self, item):
        return item.go_live_at


def _filed_changes(now: datetime.datetime) -> dict[int, datetime.datetime]:
    """For each topic, the last time a page filed under it went live or was taken down (one
    grouped query over the topic links)."""
    links = PublishedArticle.topics.through.objects.values("topic_id").annotate(
        went_live=Max(
            "publishedarticle__go_live_at", filter=Q(publishedarticle__go_live_at__lte=now)
        ),
        went_dark=Max(
            "publishedarticle__live_until", filter=Q(publishedarticle__live_until__lte=now)
        ),
    )
    return {
        row["topic_id"]: moment
        for row in links
        if (moment := _latest(row["went_live"], row["went_dark"])) is not None
    }


class TopicSitemap(Sitemap):
    """A topic page shows the topic, its parent and sub-topics, and the live articles filed
    under it or its sub-topics: its ``lastmod`` is the latest change of any of them."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        topics = list(Topic.objects.order_by("slug"))
        filed = _filed_changes(timezone.now())
        by_id = {topic.pk: topic for topic in topics}
        children: dict[int, list[Topic]] = {}
        for topic in topics:
            if topic.parent_id is not None:
                children.setdefault(topic.parent_id, []).append(topic)
        for topic in topics:
            parent = by_id.get(topic.parent_id)
            kin = [topic, *children.get(topic.pk, [])]
            topic.sitemap_lastmod = _latest(
                *(member.updated_at for member in kin),
                *(filed.get(member.pk) for member in kin),
                parent.updated_at if parent else None,
            )
        return topics

    def lastmod(self, item):
        return item.sitemap_lastmod


class TrialSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return ClinicalTrial.objects.order_by("nct_id")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    """The home page (it shows something of everything: the last public change), the trial
    list (its newest trial record) and the editorial policy (its newest reviewer profile)."""

    priority = 0.5

    def items(self):
        return ["articles:home", "articles:trials", "articles:editorial_policy"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item == "articles:home":
            return caching.last_public_change()
        if item == "articles:trials":
            return ClinicalTrial.objects.aggregate(latest=Max("updated_at"))["latest"]
        return ReviewerProfile.objects.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "trials": TrialSitemap,
    "pages": PageSitemap,
}
