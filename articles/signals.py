"""Start a new generation of cached public content when what readers see changes, and purge
the caching proxies' copies of it (``articles.edge``).

Publishing and unpublishing invalidate from reviews.workflow; edits to topics, trials, library
images (their rights: an image whose rights ended is not shown) and reviewer profiles (shown on
public pages) invalidate here. A trial's change purges its pages, the pages citing it and the
lists; a topic (its name is on many pages), an image or a reviewer profile purges everything.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reviews.models import ReviewerProfile

from . import edge
from .caching import invalidate
from .models import ClinicalTrial, Image, Topic


@receiver([post_save, post_delete], sender=Topic)
@receiver([post_save, post_delete], sender=Image)
@receiver([post_save, post_delete], sender=ReviewerProfile)
def public_content_changed(sender, **kwargs) -> None:
    invalidate()


@receiver([post_save, post_delete], sender=ClinicalTrial)
def trial_changed(sender, instance: ClinicalTrial, **kwargs) -> None:
    invalidate([edge.trial_key(instance.pk), edge.LIST])
