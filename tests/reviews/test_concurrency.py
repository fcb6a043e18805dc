"""Workflow moves racing on real threads and connections: exactly one of them wins.

These need committed data that other connections can see, hence transactional tests; the
serialised rollback restores the groups the data migration made once each test has flushed them.
"""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection

from articles.models import Article
from reviews import workflow
from reviews.models import AuditEntry, Review
from reviews.workflow import StaleVersion, TransitionNotAllowed
from tests.conftest import make_reviewer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 60  # seconds; a deadlock fails the test instead of hanging the suite


def race(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released together; each one's result or error."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def contender(index: int) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=contender, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a contender is stuck"
    return results


def tally(results: list) -> Counter:
    """How many contenders ended with each result type, by name (readable when it fails)."""
    return Counter(type(result).__name__ for result in results)


def test_one_of_eight_simultaneous_approvals_wins(make_article, writer):
    """Eight reviewers approving at once: one approval, seven TransitionNotAllowed, one audit."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    reviewers = [make_reviewer(f"racer{number}") for number in range(8)]

    results = race(8, lambda index: workflow.approve(article=article, user=reviewers[index]))

    assert tally(results) == {"Article": 1, TransitionNotAllowed.__name__: 7}, results
    (winner,) = (reviewers[i] for i, result in enumerate(results) if isinstance(result, Article))
    assert AuditEntry.objects.filter(article=article, action="approve").count() == 1
    review = article.reviews.get()
    assert (review.status, review.reviewer) == (Review.Status.APPROVED, winner)
    assert Article.objects.get(pk=article.pk).state == workflow.State.APPROVED


def test_one_of_two_simultaneous_saves_of_a_version_wins(make_article, writer, writer2):
    """Two writers saving over the same version at once: one saves, the other gets StaleVersion."""
    article = make_article(writer)
    writers = [writer, writer2]
    copies = [Article.objects.get(pk=article.pk) for _ in writers]

    def save(index: int) -> Article:
        copies[index].body = f"Rewritten by {writers[index].get_username()}."
        return workflow.save_working_copy(
            article=copies[index], user=writers[index], expected_version=article.version
        )

    results = race(2, save)

    assert tally(results) == {"Article": 1, StaleVersion.__name__: 1}, results
    (winner,) = (writers[i] for i, result in enumerate(results) if isinstance(result, Article))
    stored = Article.objects.get(pk=article.pk)
    assert (stored.version, stored.body) == (2, f"Rewritten by {winner.get_username()}.")
    assert list(stored.revisions.values_list("version", "revision__user")) == [
        (2, winner.pk),
        (1, writer.pk),
    ]


def test_simultaneous_overdue_sweeps_unpublish_once(live_article, settings):
    """Four sweeps past the overdue limit at once: one unpublishes, one audit entry."""
    settings.OVERDUE_UNPUBLISH_DAYS = 10
    due = live_article.snapshots.get().next_review_due
    late = due + datetime.timedelta(days=11)

    results = race(4, lambda index: workflow.unpublish_overdue(today=late))

    assert sorted(len(result) for result in results) == [0, 0, 0, 1], results
    assert AuditEntry.objects.filter(article=live_article, action="unpublish").count() == 1
    assert live_article.snapshots.filter(live_until__isnull=True).count() == 0
