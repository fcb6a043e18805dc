"""The admin pages a writer, clinical reviewer or editor works in, on the demo content with
what the demo lacks added through the services: a review discussion, reader feedback, a
webhook endpoint, a deleted topic to recover and versions of a topic and an image.

``prepare(path)`` runs inside the site's own process (``manage.py shell -c``, see
``test_admin_accessibility``) after ``seed_demo``, and writes to ``path`` the JSON list of
``[name, role, admin path]`` that the accessibility test visits.
"""

import json

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from reversion.models import Version

from articles.models import (
    Article,
    ClinicalTrial,
    Feedback,
    Image,
    PublishedArticle,
    Topic,
    WebhookEndpoint,
)
from articles.services import delete_topic, record_feedback, save_topic, save_webhook_endpoint
from reviews import workflow
from reviews.models import ReviewerProfile
from reviews.states import State

User = get_user_model()


def _users() -> dict:
    return {user.username: user for user in User.objects.all()}


def _rich_article(users: dict) -> Article:
    """A demo article in use with references, topics, trials and authors, given a lead image
    by its writer (a new version, so its history has several)."""
    article = (
        Article.objects.active()
        .filter(language="en")
        .annotate(trials=Count("related_trials", distinct=True))
        .filter(trials__gt=1)
        .order_by("pk")
        .first()
    )
    article.lead_image = Image.objects.order_by("pk").first()
    return workflow.save_working_copy(
        article=article, user=article.authors.first(), comment="Added a lead image."
    )


def _discussed_article(users: dict) -> tuple[Article, str]:
    """A demo article in review, with a discussion, and the reviewer whose queue lists it."""
    in_review = Article.objects.filter(state=State.IN_REVIEW).order_by("pk")
    for username in ("reviewer", "reviewer2"):
        article = workflow.needs_review_by(users[username], in_review).first()
        if article is not None:
            break
    workflow.add_review_comment(
        article=article,
        user=users[username],
        body="Could the second section say how often the scans are done?",
    )
    workflow.add_review_comment(
        article=article, user=users["writer2"], body="Added: every three months at first."
    )
    return article, username


def _feedback() -> Feedback:
    snapshot = PublishedArticle.objects.live().order_by("pk").first()
    feedback = record_feedback(
        snapshot=snapshot,
        helpful=False,
        comment="The dose in the second table looks different from my leaflet.",
        client_key="203.0.113.7",
        clinical_concern=True,
    )
    record_feedback(
        snapshot=snapshot, helpful=True, comment="Clear, thank you.", client_key="203.0.113.8"
    )
    return feedback


def _topic_versions(editor) -> tuple[Topic, Version, Version]:
    """A topic with two versions (the first to revert to) and a deleted topic to recover."""
    topic = Topic.objects.order_by("pk").first()
    topic.description = f"{topic.description} Updated for the accessibility check."
    save_topic(topic=topic, user=editor, comment="Clarified the description.")
    first = Version.objects.get_for_object(topic).order_by("pk").first()
    gone = save_topic(
        topic=Topic(name="Retired topic", slug="retired-topic", description="No longer used."),
        user=editor,
    )
    delete_topic(topic=gone, user=editor)
    deleted = Version.objects.get_deleted(Topic).order_by("-pk").first()
    return topic, first, deleted


def pages() -> list[tuple[str, str, str]]:
    """Every admin page a writer, reviewer or editor uses: (name, role, path)."""
    users = _users()
    article = _rich_article(users)
    numbers = list(article.revisions.order_by("version").values_list("version", flat=True))
    discussed, reviewer = _discussed_article(users)
    feedback = _feedback()
    endpoint = save_webhook_endpoint(
        endpoint=WebhookEndpoint(
            name="Partner charity", url="https://127.0.0.1:8443/hooks/mbc", secret="s" * 32
        ),
        user=users["editor"],
    )
    topic, topic_version, deleted_topic = _topic_versions(users["editor"])
    trial = ClinicalTrial.objects.order_by("pk").first()
    image = Image.objects.order_by("pk").first()
    profile = ReviewerProfile.objects.get(user=users[reviewer])
    article_url = f"/admin/articles/article/{article.pk}"
    return [
        ("login", "anonymous", reverse("admin:login")),
        ("index", "writer", reverse("admin:index")),
        ("article list", "writer", reverse("admin:articles_article_changelist")),
        (
            "article list filtered",
            "writer",
            reverse("admin:articles_article_changelist")
            + f"?state__exact={article.state}&audience__exact={article.audience}"
            + f"&topics__id__exact={article.topics.first().pk}",
        ),
        ("article search", "writer", reverse("admin:articles_article_changelist") + "?q=bone"),
        ("add article", "writer", reverse("admin:articles_article_add")),
        ("change article", "writer", f"{article_url}/change/"),
        ("history", "writer", f"{article_url}/history/"),
        ("compare", "writer", f"{article_url}/history/compare/?from={numbers[0]}&to={numbers[-1]}"),
        ("restore", "writer", f"{article_url}/history/restore/{numbers[0]}/"),
        ("image list", "writer", reverse("admin:articles_image_changelist")),
        (
            "image picker",
            "writer",
            reverse("admin:articles_image_changelist") + "?_to_field=id&_popup=1",
        ),
        ("image add", "writer", reverse("admin:articles_image_add")),
        ("image change", "writer", reverse("admin:articles_image_change", args=[image.pk])),
        ("topic list", "writer", reverse("admin:articles_topic_changelist")),
        ("trial list", "writer", reverse("admin:articles_clinicaltrial_changelist")),
        ("password change", "writer", reverse("admin:password_change")),
        ("index", "reviewer", reverse("admin:index")),
        ("dashboard", "reviewer", reverse("admin:dashboard")),
        (
            "review queue",
            "reviewer",
            reverse("admin:articles_article_changelist") + "?queue=mine",
        ),
        ("review page", "reviewer", reverse("admin:articles_article_review", args=[discussed.pk])),
        (
            "compare",
            "reviewer",
            reverse("admin:articles_article_compare", args=[discussed.pk]),
        ),
        ("evidence queue", "reviewer", reverse("admin:articles_article_evidence")),
        ("feedback list", "reviewer", reverse("admin:articles_feedback_changelist")),
        (
            "own profile",
            "reviewer",
            reverse("admin:reviews_reviewerprofile_change", args=[profile.pk]),
        ),
        ("index", "editor", reverse("admin:index")),
        ("dashboard", "editor", reverse("admin:dashboard")),
        (
            "publish queue",
            "editor",
            reverse("admin:articles_article_changelist") + "?queue=to_publish",
        ),
        ("translations queue", "editor", reverse("admin:articles_article_translations")),
        ("change article", "editor", f"{article_url}/change/"),
        ("feedback list", "editor", reverse("admin:articles_feedback_changelist")),
        (
            "feedback change",
            "editor",
            reverse("admin:articles_feedback_change", args=[feedback.pk]),
        ),
        ("topic list", "editor", reverse("admin:articles_topic_changelist")),
        ("topic change", "editor", reverse("admin:articles_topic_change", args=[topic.pk])),
        ("topic history", "editor", reverse("admin:articles_topic_history", args=[topic.pk])),
        (
            "topic revert",
            "editor",
            reverse("admin:articles_topic_revision", args=[topic.pk, topic_version.pk]),
        ),
        ("topic recover list", "editor", reverse("admin:articles_topic_recoverlist")),
        (
            "topic recover",
            "editor",
            reverse("admin:articles_topic_recover", args=[deleted_topic.pk]),
        ),
        ("trial list", "editor", reverse("admin:articles_clinicaltrial_changelist")),
        ("trial change", "editor", reverse("admin:articles_clinicaltrial_change", args=[trial.pk])),
        ("image change", "editor", reverse("admin:articles_image_change", args=[image.pk])),
        ("reviewer profiles", "editor", reverse("admin:reviews_reviewerprofile_changelist")),
        ("reviewer profile add", "editor", reverse("admin:reviews_reviewerprofile_add")),
        (
            "reviewer profile",
            "editor",
            reverse("admin:reviews_reviewerprofile_change", args=[profile.pk]),
        ),
        (
            "reviewer credentials",
            "editor",
            reverse("admin:reviews_reviewerprofile_credentials", args=[profile.pk]),
        ),
        ("webhook list", "editor", reverse("admin:articles_webhookendpoint_changelist")),
        ("webhook add", "editor", reverse("admin:articles_webhookendpoint_add")),
        (
            "webhook change",
            "editor",
            reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk]),
        ),
        ("password change", "editor", reverse("admin:password_change")),
    ]


def prepare(path: str) -> None:
    """Add what the demo lacks and write the pages' addresses to ``path`` as JSON."""
    with open(path, "w") as out:
        json.dump(pages(), out)
