"""The Atom feed of newly published and updated articles.

Each article is one entry for good: its ``id`` is a ``tag:`` URI made of the site's host and
the article's id, the same for every version, so a feed reader shows a new version as an
update of the entry it has (``updated`` moves), never as a new item. Times are to the second,
like every machine-readable time on the site. ``/es/feed/`` is the feed of the Spanish
pages (its title in Spanish, its ``xml:lang`` ``es``). The feed is a cached page
(``articles.caching.cached_page``): it answers ``If-None-Match`` and ``If-Modified-Since``.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from mbc_cms import languages

from . import public

# The date in every entry's tag: URI (RFC 4151: a day on which the site's owner held the name).
TAG_DATE = "2026-01-01"


def entry_id(article_id: int) -> str:
    """The Atom ``id`` of an article's entry: the same for all its versions."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:article:{article_id}"


class AtomToTheSecond(Atom1Feed):
    def latest_post_date(self):
        return super().latest_post_date().replace(microsecond=0)


class LatestArticlesFeed(Feed):
    feed_type = AtomToTheSecond
    title = _("Metastatic breast cancer information: latest updates")
    subtitle = _("Clinician-reviewed articles, newly published or updated.")

    def link(self) -> str:
        """The home page of the feed's language (``/es/`` for ``/es/feed/``)."""
        return reverse("articles:home")

    def items(self):
        """The articles in the feed's language, newest first."""
        return public.live_articles_in(languages.current()).order_by("-go_live_at")[:50]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_pubdate(self, item):
        return item.first_published_at.replace(microsecond=0)

    def item_updateddate(self, item):
        return item.go_live_at.replace(microsecond=0)

    def item_author_name(self, item) -> str:
        return ", ".join(item.authors)

    def item_guid(self, item) -> str:
        return entry_id(item.article_id)

    item_guid_is_permalink = False
