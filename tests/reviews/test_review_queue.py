"""The review queue ("Needs my review") and the actions offered agree: an article is in a
user's queue exactly when they may approve it, in every situation of the workflow."""

import pytest
from django.conf import settings

from articles.models import Article
from reviews import workflow
from tests.conftest import make_reviewer, make_user

pytestmark = pytest.mark.django_db


def fresh(article) -> Article:
    return Article.objects.get(pk=article.pk)


def edit(article, user) -> None:
    article = fresh(article)
    article.body += "\n\nOne more sentence."
    workflow.save_working_copy(article=article, user=user)


def submit(article, people):
    workflow.submit(article=fresh(article), user=people["author"])


def approve(article, people):
    workflow.approve(article=fresh(article), user=people["reviewer"])


def publish(article, people):
    workflow.publish(article=fresh(article), user=people["editor"], change_note="Update.")


SITUATIONS = {
    "draft": [],
    "in_review": [submit],
    "in_review_edited_by_other_reviewer": [
        lambda a, p: edit(a, p["other_reviewer"]),
        submit,
    ],
    "approved": [submit, approve],
    "live": [submit, approve, publish],
    "update_in_review": [submit, approve, publish, lambda a, p: edit(a, p["author"]), submit],
    "update_edited_by_reviewer": [
        submit,
        approve,
        publish,
        lambda a, p: edit(a, p["reviewer"]),
        submit,
    ],
    "archived_draft": [
        lambda a, p: workflow.archive(article=fresh(a), user=p["editor"], reason="Old.")
    ],
}


@pytest.fixture
def people(writer, reviewer, reviewer2, editor):
    return {
        "author": writer,
        "reviewer": reviewer,
        "other_reviewer": reviewer2,
        "editor": editor,
        "reviewer_author": make_reviewer("reviewer_author"),
        "no_profile": make_user("no_profile", settings.REVIEWERS_GROUP),
    }


@pytest.mark.parametrize("situation", SITUATIONS)
def test_queue_and_allowed_actions_agree(situation, make_article, people):
    """For every role, the article is in the queue exactly when approve is offered."""
    article = make_article(people["author"])
    workflow.save_working_copy(
        article=fresh(article),
        user=people["author"],
        save_related=lambda saved: saved.authors.add(people["reviewer_author"]),
    )
    for step in SITUATIONS[situation]:
        step(article, people)
    article = fresh(article)
    for role, user in people.items():
        queued = workflow.needs_review_by(user, Article.objects.all()).filter(pk=article.pk)
        offered = workflow.Action.APPROVE in workflow.allowed_actions(user, article)
        assert queued.exists() is offered, (situation, role)
