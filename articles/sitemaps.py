"""sitemap.xml: live articles, topics, trials and the fixed pages, each with ``lastmod``: when
what it shows last changed (never the time of the request).

Every page is listed in each language it exists in, with its versions in the others as
``<xhtml:link rel="alternate" hreflang="…">`` and the default language's as ``x-default``
(``AlternatesSitemap``): topics, trials and the fixed pages in every language
(``/trials/``, ``/es/trials/``); an article at its own language's address, with its live
translations or source (``page_languages``)."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from mbc_cms import languages
from reviews.models import ReviewerProfile

from . import caching, public
from .models import ClinicalTrial, PublishedArticle, Topic


def _latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    return max((moment for moment in moments if moment is not None), default=None)


class AlternatesSitemap(Sitemap):
    """A sitemap whose entries name their versions in the other languages: a subclass gives
    ``language_alternates(item)``, the (language, path) of each version, the item's own
    included."""

    def language_alternates(self, item) -> list[tuple[str, str]]:
        raise NotImplementedError

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        default = languages.default_language()
        for url in urls:
            alternates = self.language_alternates(url["item"])
            if len(alternates) < 2:
                continue
            url["alternates"] = [
                {"location": origin + path, "lang_code": code} for code, path in alternates
            ]
            url["alternates"] += [
                {"location": origin + path, "lang_code": "x-default"}
                for code, path in alternates
                if code == default
            ]
        return urls


class EveryLanguageSitemap(AlternatesSitemap):
    """Pages every language has: one entry per page and language. Items are (page,
    language) pairs; a subclass gives ``pages()``, ``page_location(page)`` (reversed in the
    active language) and ``page_lastmod(page)``."""

    def pages(self):
        raise NotImplementedError

    def page_location(self, page) -> str:
        return page.get_absolute_url()

    def items(self):
        return [(page, code) for page in self.pages() for code in languages.codes()]

    def location(self, item):
        page, code = item
        with languages.override(code):
            return self.page_location(page)

    def lastmod(self, item):
        return self.page_lastmod(item[0])

    def language_alternates(self, item) -> list[tuple[str, str]]:
        page, _code = item
        return [(code, self.location((page, code))) for code in languages.codes()]


class ArticleSitemap(AlternatesSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        """Each live address once, as ``public.live_article`` resolves it; each text's live
        version in each language (its source and translations) noted for the alternates."""
        snapshots = (
            public.live_articles()
            .only("slug", "go_live_at", "language", "article_id", "translation_of_id")
            .order_by(*public.BY_ADDRESS)
        )
        seen: set[str] = set()
        found = [s for s in snapshots if not (s.slug in seen or seen.add(s.slug))]
        self._versions: dict[int, dict[str, str]] = {}
        for snapshot in found:
            versions = self._versions.setdefault(_text_of(snapshot), {})
            versions.setdefault(languages.site_language(snapshot.language), snapshot.slug)
        return found

    def lastmod(self, item):
        return item.go_live_at

    def language_alternates(self, item) -> list[tuple[str, str]]:
        versions = self._versions.get(_text_of(item), {})
        return [
            (code, languages.reverse_in(code, "articles:article", slug=versions[code]))
            for code in languages.codes()
            if code in versions
        ]


def _text_of(snapshot: PublishedArticle) -> int:
    """The article whose text a page gives: a translation's source, or the article itself."""
    return snapshot.translation_of_id or snapshot.article_id


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


class TopicSitemap(EveryLanguageSitemap):
    """A topic page shows the topic, its parent and sub-topics, and the live articles filed
    under it or its sub-topics: its ``lastmod`` is the latest change of any of them."""

    changefreq = "weekly"
    priority = 0.6

    def pages(self):
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

    def page_lastmod(self, page):
        return page.sitemap_lastmod


class TrialSitemap(EveryLanguageSitemap):
    changefreq = "monthly"
    priority = 0.4

    def pages(self):
        return list(ClinicalTrial.objects.order_by("nct_id").only("nct_id", "updated_at"))

    def page_lastmod(self, page):
        return page.updated_at


class PageSitemap(EveryLanguageSitemap):
    """The home page (it shows something of everything: the last public change), the trial
    list (its newest trial record) and the editorial policy (its newest reviewer profile)."""

    priority = 0.5

    def pages(self):
        return ["articles:home", "articles:trials", "articles:editorial_policy"]

    def page_location(self, page):
        return reverse(page)

    def page_lastmod(self, item):
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
