"""``python manage.py render_page_parts``: store the rendered parts of live pages.

Snapshots published before ``PublishedArticle.page_parts`` existed, or whose parts were
rendered by templates since changed (``articles.page_parts.PARTS_FORMAT``), have their parts
rendered on every page that is missing from the cache. This renders and stores them once, so
those pages cost what newly published ones cost. Safe to run at any time, and again.
"""

from django.core.management.base import BaseCommand

from articles.page_parts import fill_page_parts


class Command(BaseCommand):
    help = "Render and store the page parts of live and scheduled snapshots that lack them."

    def handle(self, *args, **options) -> None:
        written = fill_page_parts()
        self.stdout.write(f"Rendered the page parts of {written} snapshot(s).")
