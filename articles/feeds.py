"""The Atom feed of newly published and updated articles."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from . import public


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Metastatic breast cancer information: latest updates"
    link = "/"
    subtitle = "Clinician-reviewed articles, newly published or updated."

    def items(self):
        return public.live_articles().order_by("-go_live_at")[:50]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.go_live_at

    def item_author_name(self, item) -> str:
        return ", ".join(item.authors)

    def item_guid(self, item) -> str:
        return f"urn:mbc-cms:article:{item.article_id}:v{item.version}"

    item_guid_is_permalink = False
