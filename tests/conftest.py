"""Shared fixtures: users in each editorial role and articles made through the workflow."""

import os
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Reference, Topic
from reviews import workflow
from reviews.models import ReviewerProfile
from tests.ci_counts import pytest_terminal_summary  # noqa: F401  (.ci/run's summary)
from tests.images import make_image as _make_image

# The shared helper modules assert too: rewrite them, so that a failure shows the values.
pytest.register_assert_rewrite(
    "tests.admin_client", "tests.commands", "tests.reviews.workflow_scenarios"
)

PASSWORD = "correct-horse-battery"

# This process runs mbc_cms.test_settings (pyproject.toml), which pytest-django also put in the
# environment. Servers and commands that tests start must run the production settings, as an
# operator's would: they inherit this instead.
os.environ["DJANGO_SETTINGS_MODULE"] = "mbc_cms.settings"


def make_user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        is_staff=True,
        **extra,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def shown_form_fields(page: str, css_class: str) -> dict[str, str]:
    """The hidden fields of the form with ``css_class`` on an admin page, as a browser would
    send them back (empty when the page has no such form)."""
    form = re.search(rf'<form[^>]*class="[^"]*\b{css_class}\b[^"]*".*?</form>', page, re.S)
    if form is None:
        return {}
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))


def make_reviewer(username: str, *, verified: bool = True):
    """A clinical reviewer with a profile; ``verified``: its credentials checked by an editor
    (stored as test data, without a version, as if verified before the test began)."""
    user = make_user(username, settings.REVIEWERS_GROUP, first_name="Ada", last_name=username)
    ReviewerProfile.objects.create(
        user=user,
        display_name=f"Dr Ada {username.title()}",
        credentials="MD",
        specialty="Medical oncology",
        institution="Test Hospital",
        disclosure="None declared.",
        verification_note="GMC register, 7654321, licensed to practise." if verified else "",
        credentials_verified_at=timezone.now() if verified else None,
    )
    return user


@pytest.fixture
def writer(db):
    return make_user("writer", settings.WRITERS_GROUP, first_name="Wendy", last_name="Writer")


@pytest.fixture
def writer2(db):
    return make_user("writer2", settings.WRITERS_GROUP)


@pytest.fixture
def reviewer(db):
    return make_reviewer("reviewer")


@pytest.fixture
def reviewer2(db):
    return make_reviewer("reviewer2")


@pytest.fixture
def editor(db):
    return make_user("editor", settings.EDITORS_GROUP)


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Bone metastases", slug="bone-metastases")


@pytest.fixture
def make_article(db, topic):
    """Create an article through the workflow's save service, as a writer would."""

    def make(user, title="Bone metastases explained", body=None, references=1, **fields):
        article = Article(
            title=title,
            summary=fields.pop("summary", "What happens when breast cancer spreads to bone."),
            body=body if body is not None else "## Symptoms\n\nBone pain is common [@1].",
            **fields,
        )

        def related(saved):
            saved.topics.set([topic])
            for position in range(1, references + 1):
                Reference.objects.create(
                    article=saved,
                    position=position,
                    title=f"Reference title {position}",
                    journal="N Engl J Med",
                    year=2022,
                    pmid=str(35320643 + position),
                )

        return workflow.save_working_copy(
            article=article, user=user, comment="First draft.", save_related=related
        )

    return make


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path_factory):
    """Each test stores its files (seed_demo's diagrams too) in a directory of its own,
    served under /media/, never in the checkout."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(root)
    settings.MEDIA_URL = "/media/"
    return root


@pytest.fixture
def make_image(db, media_storage):
    """Make an image of the media library, its files in this test's own storage."""
    return _make_image


@pytest.fixture
def live_article(make_article, writer, reviewer, editor):
    """An article written by ``writer``, approved by ``reviewer`` and published by ``editor``."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Accurate.")
    workflow.publish(article=article, user=editor)
    article.refresh_from_db()
    return article


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (rate limits, cached pages)."""
    from django.core.cache import cache

    from articles import caching, ratelimit

    cache.clear()
    ratelimit.clear_counts()
    caching.forget_state()
    yield
    cache.clear()
    ratelimit.clear_counts()
    caching.forget_state()
