"""Telling translators that a source moved on: when a newer version of a source article goes
live while a live translation still matches an older one, the translation's authors are
e-mailed once for that source version (a ``TranslationNotice`` records it).

Publishing calls :func:`notify_outdated_translations` after its transaction commits when the
new version is live at once. A version scheduled for later goes live with no write at that
moment, as with webhooks and the overdue sweep: the generation of public content ends at its
go-live time, and the first read that works out the next one sweeps here
(``articles.caching.public_state_expiring`` with ``timed_out``); ``manage.py review_due``
sweeps too, for a site nobody reads.

Whether a page is out of date is read, never stored (``articles.translations``): the notice
only remembers who was told.
"""

from __future__ import annotations

import logging
import threading

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.dispatch import receiver

from articles import public
from articles.caching import public_state_expiring
from articles.models import PublishedArticle
from articles.translations import live_snapshot_value

from . import notifications
from .models import TranslationNotice

logger = logging.getLogger(__name__)
_sweeping = threading.Lock()


def _moved_on(source_id: int | None = None):
    """Live translation pages whose source's live version is newer than the one they match
    and whose authors were not told of that source version yet (one query)."""
    pages = public.live_articles().filter(
        translation_of__isnull=False, article__archived_at__isnull=True
    )
    if source_id is not None:
        pages = pages.filter(translation_of_id=source_id)
    told = TranslationNotice.objects.filter(
        translation_id=OuterRef("article_id"), source_version=OuterRef("source_live_version")
    )
    return (
        pages.annotate(
            source_live_version=live_snapshot_value(OuterRef("translation_of_id"), "version")
        )
        .filter(source_live_version__isnull=False)
        .filter(Q(source_version__isnull=True) | Q(source_live_version__gt=F("source_version")))
        .exclude(Exists(told))
        .select_related("article", "translation_of")
        .order_by("article_id")
    )


def notify_outdated_translations(source_id: int | None = None) -> list[TranslationNotice]:
    """E-mail the authors of every live translation (of ``source_id``, or of any source)
    whose source moved on to a newer live version since they were last told; each
    translation and source version once, even with concurrent sweeps. Returns the notices."""
    sent = []
    for page in _moved_on(source_id):
        snapshot: PublishedArticle = page
        try:
            with transaction.atomic():
                notice = TranslationNotice.objects.create(
                    translation_id=snapshot.article_id,
                    source_version=snapshot.source_live_version,
                    translated_from=snapshot.source_version,
                )
                transaction.on_commit(
                    lambda snapshot=snapshot: notifications.translation_outdated(
                        snapshot.article,
                        source=snapshot.translation_of,
                        source_version=snapshot.source_live_version,
                        translated_from=snapshot.source_version,
                    )
                )
        except IntegrityError:  # another sweep told them first
            continue
        sent.append(notice)
    return sent


@receiver(public_state_expiring)
def sweep_on_read(*, timed_out: bool = False, **kwargs) -> None:
    """Before a generation of public content that ended by itself (a scheduled version may
    have gone live then): tell the translators whose source moved on, unless another thread
    here is at it. A generation ended by a write needs no sweep: a publication that goes live
    at once notifies as it commits."""
    if not timed_out or not _sweeping.acquire(blocking=False):
        return
    try:
        notify_outdated_translations()
    finally:
        _sweeping.release()
