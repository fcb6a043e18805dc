"""Image rights that end: which images expire soon or have expired, the articles using them,
and telling the editors (``manage.py image_rights``, daily).

The rule for what readers are shown is ``Image.objects.rights_expired()``: an image is off
public pages from its ``rights_expire_on`` date on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from reviews import notifications

from .. import image_usage
from ..models import Article, Image, ImageRightsNotice, PublishedArticle
from .manifest import ANY_IMAGE_PATTERN

#: Images whose rights end within this many days are "expiring".
EXPIRING_DAYS = 30


def expiring_images(today: datetime.date | None = None, days: int = EXPIRING_DAYS):
    """Images still shown whose rights end within ``days`` days of ``today``."""
    today = today or timezone.localdate()
    return Image.objects.filter(
        rights_expire_on__gte=today, rights_expire_on__lte=today + datetime.timedelta(days=days)
    )


def files_may_be_shown(digest: str, today: datetime.date | None = None) -> bool:
    """Whether readers may still be served the stored files of ``digest`` (its original and
    renditions, ``images/<digest>/…``): while a library image with that file may be shown
    (two images may share one file, each with its own rights). A file no image has any more
    (replaced by a new one, kept for the pages approved with it) is served while an image
    that had it, as its recorded versions say, may be shown; a file no image ever had on
    record is served (nothing says whose it is)."""
    holders = Image.objects.filter(digest=digest)
    if not holders.exists():
        had = (
            Version.objects.get_for_model(Image)
            .filter(serialized_data__contains=digest)
            .values_list("object_id", flat=True)
        )
        previous = {int(pk) for pk in had}
        if not previous:
            return True
        holders = Image.objects.filter(pk__in=previous)
    return holders.shown(today).exists()


def _shown_ids(*manifests: list | dict | None) -> set[int]:
    """The image ids in stored manifests or image data (a list of entries, or one entry)."""
    ids: set[int] = set()
    for manifest in manifests:
        entries = manifest if isinstance(manifest, list) else [manifest]
        ids |= {int(entry["id"]) for entry in entries if isinstance(entry, dict) and "id" in entry}
    return ids


def articles_with_expired_images(
    today: datetime.date | None = None,
) -> models.QuerySet[Article]:
    """Articles showing an image whose rights have expired: as their lead image, or (articles
    in use, as ``image_usage.articles_using`` finds them) in their working copy or on their
    live or scheduled page.

    A fixed number of queries whatever the number of expired images: their ids are read once,
    then matched against the image ids of the candidates, the manifests and snapshots that
    show any image at all (read in chunks), never as one SQL condition per image."""
    expired = set(Image.objects.rights_expired(today).values_list("pk", flat=True))
    if not expired:
        return Article.objects.none()
    working_copies = (
        Article.objects.active()
        .filter(images__icontains=ANY_IMAGE_PATTERN)
        .values_list("pk", "images")
        .iterator(chunk_size=2000)
    )
    pages = (
        PublishedArticle.objects.open_at()
        .filter(
            models.Q(images__icontains=ANY_IMAGE_PATTERN)
            | models.Q(lead_image__icontains=ANY_IMAGE_PATTERN),
            article__archived_at__isnull=True,
        )
        .values_list("article_id", "images", "lead_image")
        .iterator(chunk_size=2000)
    )
    showing = {pk for pk, images in working_copies if _shown_ids(images) & expired}
    showing |= {pk for pk, images, lead in pages if _shown_ids(images, lead) & expired}
    return Article.objects.filter(
        models.Q(lead_image__in=Image.objects.rights_expired(today)) | models.Q(pk__in=showing)
    )


def articles_showing(image: Image) -> models.QuerySet[Article]:
    """Articles in use showing ``image``: ``image_usage.articles_using``, and those with it as
    their lead image."""
    return Article.objects.filter(
        models.Q(pk__in=image_usage.articles_using(image).values("pk"))
        | models.Q(lead_image=image, archived_at__isnull=True)
    ).order_by("title", "pk")


@dataclass
class RightsReport:
    """What ``notify_editors`` found: the images due a notice (sent now) and those already
    notified, each with the articles using it."""

    sent: list[tuple[Image, str, list[Article]]] = field(default_factory=list)
    already_sent: list[tuple[Image, str, list[Article]]] = field(default_factory=list)
    recipients: int = 0


def _line(image: Image, state: str, today: datetime.date) -> str:
    link = settings.SITE_URL.rstrip("/") + reverse("admin:articles_image_change", args=[image.pk])
    when = f"{image.rights_expire_on:%d %b %Y}"
    if state == ImageRightsNotice.State.EXPIRED:
        status = f"rights EXPIRED on {when}: no longer shown to readers"
    else:
        days = (image.rights_expire_on - today).days
        status = f"rights expire on {when} (in {days} days)"
    return f"{image.title} (#{image.pk}): {status} {link}"


def notify_editors(
    today: datetime.date | None = None, days: int = EXPIRING_DAYS, *, send: bool = True
) -> RightsReport:
    """E-mail the editors about images whose rights expire within ``days`` days or have
    expired, once per image, state and expiry date (recorded as ``ImageRightsNotice``), and
    report every such image. With ``send`` false nothing is sent or recorded."""
    today = today or timezone.localdate()
    states = [
        (ImageRightsNotice.State.EXPIRED, Image.objects.rights_expired(today)),
        (ImageRightsNotice.State.EXPIRING, expiring_images(today, days)),
    ]
    report = RightsReport()
    with transaction.atomic():
        for state, images in states:
            for image in images.order_by("rights_expire_on", "pk"):
                used = list(articles_showing(image))
                entry = (image, state, used)
                notice = {
                    "image": image,
                    "state": state,
                    "rights_expire_on": image.rights_expire_on,
                }
                if ImageRightsNotice.objects.filter(**notice).exists():
                    report.already_sent.append(entry)
                    continue
                report.sent.append(entry)
                if send:
                    ImageRightsNotice.objects.create(**notice)
        if send and report.sent:
            lines = [(_line(image, state, today), used) for image, state, used in report.sent]
            report.recipients = len(notifications.editor_addresses())
            transaction.on_commit(lambda: notifications.image_rights(lines))
    return report
