"""Telling translators that a source moved on: when a newer version of a source article goes
live while a live translation still matches an older one, the translation's authors are
e-mailed once for that source version (a ``TranslationNotice`` records it).

Publishing calls :func:`notify_outdated_translations` after its transaction commits when the
new version is live at once. A version scheduled for later goes live with no write at that
moment, as with webhooks and the overdue sweep: the generation of public content ends at its
go-live time, and the first read that works out the next one sweeps here
(``articles.caching.public_state_expiring`` with ``timed_out``); ``manage.py review_due``
sweeps too, for a site nobody reads.

When a source is taken off the site (unpublished, archived, taken down as overdue) while a
translation of it is live, the translation's authors and the editors are e-mailed once for
that withdrawal (:func:`notify_withdrawn_sources`, a ``TranslationNotice`` with
``source_withdrawn`` for the source version last live): ``workflow.take_down`` calls it after
its transaction commits, and the sweeps above run it too. The translation stays live: an
editor decides whether to unpublish it.

Whether a page is out of date is read, never stored (``articles.translations``): the notice
only remembers who was told.
"""

from __future__ import annotations

import logging
import threading

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.dispatch import receiver
from django.utils import timezone

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
        translation_id=OuterRef("article_id"),
        source_version=OuterRef("source_live_version"),
        source_withdrawn=False,
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
    return _tell_once(
        _moved_on(source_id),
        version=lambda snapshot: snapshot.source_live_version,
        withdrawn=False,
        send=lambda snapshot: notifications.translation_outdated(
            snapshot.article,
            source=snapshot.translation_of,
            source_version=snapshot.source_live_version,
            translated_from=snapshot.source_version,
        ),
    )


def _tell_once(pages, *, version, withdrawn: bool, send) -> list[TranslationNotice]:
    """For each translation page: record a notice for it and ``version(page)`` and, once the
    record commits, ``send(page)``; a page already told (the unique notice, even from a
    concurrent sweep) is skipped. Returns the notices."""
    sent = []
    for snapshot in pages:
        try:
            with transaction.atomic():
                notice = TranslationNotice.objects.create(
                    translation_id=snapshot.article_id,
                    source_version=version(snapshot),
                    translated_from=snapshot.source_version,
                    source_withdrawn=withdrawn,
                )
                transaction.on_commit(lambda snapshot=snapshot: send(snapshot))
        except IntegrityError:  # another sweep told them first
            continue
        sent.append(notice)
    return sent


def _last_live_version(source_ref) -> Subquery:
    """The version of the source's page that went live last (None if none ever did)."""
    went_live = PublishedArticle.objects.filter(
        article_id=source_ref, go_live_at__lte=timezone.now()
    ).exclude(live_until=F("go_live_at"))
    return Subquery(went_live.order_by("-go_live_at", "-pk").values("version")[:1])


def _withdrawn(source_id: int | None = None):
    """Live translation pages whose source is no longer live and whose people were not told
    of that withdrawal yet (one query)."""
    pages = public.live_articles().filter(
        translation_of__isnull=False, article__archived_at__isnull=True
    )
    if source_id is not None:
        pages = pages.filter(translation_of_id=source_id)
    told = TranslationNotice.objects.filter(
        translation_id=OuterRef("article_id"),
        source_version=OuterRef("withdrawn_version"),
        source_withdrawn=True,
    )
    return (
        pages.annotate(
            source_live_version=live_snapshot_value(OuterRef("translation_of_id"), "version"),
            withdrawn_version=_last_live_version(OuterRef("translation_of_id")),
        )
        .filter(source_live_version__isnull=True, withdrawn_version__isnull=False)
        .exclude(Exists(told))
        .select_related("article", "translation_of")
        .order_by("article_id")
    )


def notify_withdrawn_sources(source_id: int | None = None) -> list[TranslationNotice]:
    """E-mail the authors of every live translation (of ``source_id``, or of any source)
    whose source is no longer live, and the editors: each translation and withdrawal once
    (keyed by the source version last live), even with concurrent sweeps. The translation
    stays live. Returns the notices."""
    return _tell_once(
        _withdrawn(source_id),
        version=lambda snapshot: snapshot.withdrawn_version,
        withdrawn=True,
        send=lambda snapshot: notifications.translation_source_withdrawn(
            snapshot.article,
            source=snapshot.translation_of,
            source_version=snapshot.withdrawn_version,
        ),
    )


def notify_translators(source_id: int | None = None) -> list[TranslationNotice]:
    """Both sweeps: translations left behind by a newer source version, and translations
    whose source was withdrawn."""
    return notify_outdated_translations(source_id) + notify_withdrawn_sources(source_id)


@receiver(public_state_expiring)
def sweep_on_read(*, timed_out: bool = False, **kwargs) -> None:
    """Before a generation of public content that ended by itself (a scheduled version may
    have gone live then, or an overdue source been taken down): tell the translators whose
    source moved on or was withdrawn, unless another thread here is at it. A generation ended
    by a write needs no sweep: a publication that goes live at once, and a take-down, notify
    as they commit."""
    if not timed_out or not _sweeping.acquire(blocking=False):
        return
    try:
        notify_translators()
    finally:
        _sweeping.release()
