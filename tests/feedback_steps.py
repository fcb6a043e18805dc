"""Reader feedback as the public form sends it, and as the service stores it."""

import uuid

from django.urls import reverse

from articles.models import Feedback, PublishedArticle
from articles.services import record_feedback

# What a browser sends with a form posted from a page of the test client's site: the feedback
# form is accepted from the site's own pages only (articles.origin).
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def send_feedback(client, article, **fields):
    """POST the public "Was this helpful?" form of ``article``'s live page, as the browser
    sends it from that page."""
    data = {"helpful": "yes", "comment": "", **fields}
    return client.post(reverse("articles:feedback", args=[article.slug]), data, **SAME_ORIGIN)


def stored_feedback(article, *, helpful=True, comment="", clinical_concern=False, client_key=None):
    """Feedback on ``article``'s live version, stored by the service as the form would (from
    a client of its own unless ``client_key`` says, so the rate limit does not interfere)."""
    client_key = client_key or f"client-{uuid.uuid4()}"
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


def feedback_on_two_articles(
    live_article, make_article, writer, reviewer, editor, *, first_comment: str = "Too long"
) -> dict[str, Feedback]:
    """Four items on two live articles, oldest first: two new ones on ``live_article`` (one a
    clinical concern), and on a second article one new and one actioned by ``editor``."""
    from reviews import workflow

    other = make_article(writer, title="Liver metastases")
    workflow.submit(article=other, user=writer)
    workflow.approve(article=other, user=reviewer)
    workflow.publish(article=other, user=editor)
    made = {
        "bone": stored_feedback(live_article, helpful=False, comment=first_comment),
        "concern": stored_feedback(live_article, clinical_concern=True, comment="Wrong dose"),
        "liver": stored_feedback(other, comment="Clear"),
        "done": stored_feedback(other, helpful=False, comment="Typo"),
    }
    Feedback.objects.filter(pk=made["done"].pk).update(status="actioned", assignee=editor)
    return made
