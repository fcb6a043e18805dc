"""Start a new generation of cached public content when what readers see changes.

Publishing and unpublishing invalidate from reviews.workflow; edits to topics, trials, library
images (their rights: an image whose rights ended is not shown) and reviewer profiles (shown on
public pages) invalidate here.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reviews.models import ReviewerProfile

from .caching import invalidate
from .models import ClinicalTrial, Image, Topic


@receiver([post_save, post_delete], sender=Topic)
@receiver([post_save, post_delete], sender=ClinicalTrial)
@receiver([post_save, post_delete], sender=Image)
@receiver([post_save, post_delete], sender=ReviewerProfile)
def public_content_changed(sender, **kwargs) -> None:
    invalidate()
