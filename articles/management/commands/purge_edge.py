"""Send the pending purges of the caching proxies (``articles.edge``): one pass, or ``--loop``
as a long-running worker."""

from articles import edge

from .deliver_webhooks import Command as DeliveryCommand


class Command(DeliveryCommand):
    help = (
        "Send pending PURGE requests to the caching proxies (DJANGO_EDGE_PURGE_URLS), retrying "
        "failures with backoff. One pass by default; --loop repeats until interrupted (SIGINT "
        "or SIGTERM end it after the current pass)."
    )
    what = "edge cache purges"

    def deliver(self, limit: int) -> edge.PurgeReport:
        return edge.deliver_due(limit=limit)
