"""The outbox of purges sent to the caching reverse proxies (Varnish) in front of the site."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

# A purge still undelivered after this long, or after this many attempts, is "failing": the
# admin lists it and warns about it.
FAILING_AFTER = datetime.timedelta(minutes=5)
FAILING_ATTEMPTS = 3


class EdgePurgeQuerySet(models.QuerySet):
    def failing(self, now: datetime.datetime | None = None) -> "EdgePurgeQuerySet":
        """Purges not delivered that were tried ``FAILING_ATTEMPTS`` times or more, or that
        are older than ``FAILING_AFTER``."""
        now = now or timezone.now()
        return self.exclude(status=EdgePurge.Status.DELIVERED).filter(
            Q(attempts__gte=FAILING_ATTEMPTS) | Q(created_at__lt=now - FAILING_AFTER)
        )


class EdgePurge(models.Model):
    """One ``PURGE`` of surrogate keys to one proxy, written in the transaction of the change
    that makes the cached copies stale (``articles.edge``)."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        ABANDONED = "abandoned", "abandoned"

    url = models.CharField(
        "proxy URL",
        max_length=500,
        help_text="The proxy's purge address, one of DJANGO_EDGE_PURGE_URLS.",
    )
    keys = models.TextField(
        "keys", help_text="The surrogate keys to purge (xkey-purge header), space-separated."
    )
    status = models.CharField(
        "status",
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Abandoned: undelivered once every cached copy it was for had expired.",
    )
    created_at = models.DateTimeField(
        "created", default=timezone.now, help_text="When the change was made."
    )
    attempts = models.PositiveIntegerField(
        "attempts", default=0, help_text="How many times it was sent."
    )
    next_attempt_at = models.DateTimeField(
        "next attempt", default=timezone.now, help_text="When it is sent next, while pending."
    )
    last_error = models.CharField(
        "last error", max_length=500, blank=True, help_text="Why the last attempt failed."
    )
    done_at = models.DateTimeField(
        "done", null=True, blank=True, help_text="When the proxy acknowledged it."
    )

    objects = EdgePurgeQuerySet.as_manager()

    class Meta:
        verbose_name = "edge cache purge"
        verbose_name_plural = "edge cache purges"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="edge_purge_due"),
        ]

    def __str__(self) -> str:
        return f"PURGE {self.keys} at {self.url}"
