"""Content models, one module per concern, all importable from ``articles.models``.

- ``topics``: :class:`Topic`.
- ``trials``: :class:`ClinicalTrial` and the :class:`TrialChange` records a sync makes.
- ``articles``: the working copy :class:`Article`, its :class:`Reference` list, the numbering of
  its versions (:class:`ArticleRevision`) and the one list of its content fields.
- ``snapshots``: :class:`PublishedArticle`, what readers see.
- ``images``: :class:`Image` of the media library.
- ``feedback``: :class:`Feedback` from readers.
- ``webhooks``: partner endpoints and the event outbox.
- ``edge``: :class:`EdgePurge`, the outbox of purges sent to the caching proxies.

Each model is registered with django-reversion next to its class.
"""

from ..choices import Audience, EvidenceLevel, TrialPhase, TrialStatus, WebhookEventType
from ..validators import (
    validate_event_types,
    validate_interventions,
    validate_phases,
    validate_string_list,
)
from .articles import (
    ARTICLE_CONTENT,
    ARTICLE_CONTENT_FIELDS,
    ARTICLE_EDITED_FIELDS,
    ARTICLE_VERSIONED_FIELDS,
    REFERENCE_CONTENT_FIELDS,
    Article,
    ArticleQuerySet,
    ArticleRevision,
    ContentField,
    Reference,
)
from .base import TimeStampedModel
from .edge import EdgePurge
from .feedback import Feedback
from .images import Image, ImageLicense, ImageQuerySet, ImageRightsNotice
from .snapshots import PublishedArticle, PublishedArticleQuerySet
from .topics import Topic
from .trials import ClinicalTrial, TrialChange
from .webhooks import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_webhook_secret,
)

__all__ = [
    "ARTICLE_CONTENT",
    "ARTICLE_CONTENT_FIELDS",
    "ARTICLE_EDITED_FIELDS",
    "ARTICLE_VERSIONED_FIELDS",
    "REFERENCE_CONTENT_FIELDS",
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "Audience",
    "ClinicalTrial",
    "ContentField",
    "EdgePurge",
    "EvidenceLevel",
    "Feedback",
    "Image",
    "ImageLicense",
    "ImageQuerySet",
    "ImageRightsNotice",
    "PublishedArticle",
    "PublishedArticleQuerySet",
    "Reference",
    "TimeStampedModel",
    "Topic",
    "TrialChange",
    "TrialPhase",
    "TrialStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookEventType",
    "new_webhook_secret",
    "validate_event_types",
    "validate_interventions",
    "validate_phases",
    "validate_string_list",
]
