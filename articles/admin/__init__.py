"""The editorial admin, one module per concern; importing the package registers them all.

- ``articles``: the article list and change form (``article_form``), whose extra pages (workflow
  buttons, review page, comparison, restore, preview) are in ``article_views``.
- ``content``: topics, trials, live snapshots and reader feedback.
- ``images``: the media library.
- ``webhooks``: partner endpoints and the outbox.
- ``edge``: the purges of the caching proxies that keep failing.

Admin classes are declarative; their few views validate input and call services.
"""

from . import articles, content, edge, images, webhooks

__all__ = ["articles", "content", "edge", "images", "webhooks"]
