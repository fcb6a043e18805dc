"""Reader feedback as the public form sends it, and as the service stores it."""

from django.urls import reverse

from articles.models import Feedback, PublishedArticle
from articles.services import record_feedback


def send_feedback(client, article, **fields):
    """POST the public "Was this helpful?" form of ``article``'s live page."""
    data = {"helpful": "yes", "comment": "", **fields}
    return client.post(reverse("articles:feedback", args=[article.slug]), data)


def stored_feedback(article, *, helpful=True, comment="", clinical_concern=False, client_key="x"):
    """Feedback on ``article``'s live version, stored by the service as the form would."""
    snapshot = PublishedArticle.objects.live().get(article=article)
    return record_feedback(
        snapshot=snapshot,
        helpful=helpful,
        comment=comment,
        clinical_concern=clinical_concern,
        client_key=client_key,
    )


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def reload(feedback: Feedback) -> Feedback:
    feedback.refresh_from_db()
    return feedback
