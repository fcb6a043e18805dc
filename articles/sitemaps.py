"""sitemap.xml: live articles, topics, trials and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import public
from .models import ClinicalTrial, Topic


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


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Topic.objects.order_by("slug")


class TrialSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return ClinicalTrial.objects.order_by("nct_id")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return ["articles:home", "articles:trials", "articles:editorial_policy"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "trials": TrialSitemap,
    "pages": PageSitemap,
}
