"""Fixtures of the workflow tests: the sign-off check, people in each role, articles on the way."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import ClinicalTrial
from reviews import signoff, workflow
from tests.conftest import make_reviewer, make_user
from tests.reviews.translation_steps import live_spanish, spanish_reviewer
from tests.reviews.workflow_scenarios import credit


@pytest.fixture
def signoff_holds(db):
    """After the test, whatever it did through the workflow, every live and scheduled snapshot
    still verifies against the sign-off ledger (``manage.py verify_signoff``)."""
    yield
    assert signoff.verify().violations == []


@pytest.fixture
def people(writer, writer2, reviewer, reviewer2, editor):
    """A user in each role: the state-machine table's columns, and a second reviewer."""
    return {
        "author": writer,
        "other_writer": writer2,
        "reviewer": reviewer,
        "editor": editor,
        "reviewer_author": make_reviewer("reviewer_author"),
        "no_group": make_user("no_group"),
        "no_profile": make_user("no_profile", settings.REVIEWERS_GROUP),
        "other_reviewer": reviewer2,
    }


@pytest.fixture
def article(make_article, people):
    """A draft written by the author, with the reviewer-author credited in its byline too."""
    return credit(make_article(people["author"]), people["reviewer_author"])


@pytest.fixture
def freeze_time(monkeypatch):
    """Stop the clock that the workflow and ``PublishedArticle.objects.live()`` read."""

    def freeze(at: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: at)

    return freeze


@pytest.fixture
def trial(db):
    """A trial that articles may name among their related trials."""
    return ClinicalTrial.objects.create(nct_id="NCT03734029", brief_title="DESTINY-Breast04")


@pytest.fixture
def in_review(make_article, writer):
    """A draft by ``writer``, submitted for review."""
    article = make_article(writer)
    return workflow.submit(article=article, user=writer)


@pytest.fixture
def approved(in_review, reviewer):
    """The article in review, approved by ``reviewer``."""
    return workflow.approve(article=in_review, user=reviewer, comment="Accurate.")


@pytest.fixture
def revisora(db):
    """A verified clinical reviewer who reviews in Spanish only."""
    return spanish_reviewer()


@pytest.fixture
def spanish(live_article, writer2, revisora, editor):
    """The live Spanish translation of ``live_article``, by ``writer2``."""
    return live_spanish(live_article, writer2, revisora, editor)
