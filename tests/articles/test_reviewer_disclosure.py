"""The reviewer's conflict-of-interest disclosure, frozen with the approval like their name.

Read where readers and partners read it: the public page's review box, its JSON-LD and the
public API detail.
"""

import json
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from articles.models import PublishedArticle
from reviews import workflow
from tests.admin_client import edit_profile_as

pytestmark = pytest.mark.django_db

DECLARED = "Advisory board fees from Acme Pharma (2025)."


def set_disclosure_in_admin(reviewer, disclosure: str) -> None:
    """The reviewer changes their disclosure on their profile's admin page."""
    profile = reviewer.reviewer_profile
    assert edit_profile_as(reviewer, profile, disclosure=disclosure).status_code == 302
    # The workflow reads the reviewer's profile from the user object, as a request would.
    profile.refresh_from_db()


def publish(make_article, writer, reviewer, editor, *, after_approval=None):
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    if after_approval:
        after_approval()
    workflow.publish(article=article, user=editor)
    article.refresh_from_db()
    return article


def public_views(article) -> tuple[str, dict, dict]:
    """The review box of the public page, the page's JSON-LD, and the API detail."""
    page = Client().get(f"/articles/{article.slug}/").text
    box = re.search(r'<div class="trust-box">(.*?)</div>', page, re.S).group(1)
    json_ld = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    detail = APIClient().get(f"/api/v1/articles/{article.slug}/").json()
    return box, json.loads(json_ld.group(1)), detail


def test_disclosure_is_shown_on_the_page_in_json_ld_and_in_the_api(
    make_article, writer, reviewer, editor
):
    """The approving reviewer's disclosure is in the review box, JSON-LD and API detail."""
    set_disclosure_in_admin(reviewer, DECLARED)
    article = publish(make_article, writer, reviewer, editor)
    box, json_ld, detail = public_views(article)
    assert "Conflicts of interest" in box and DECLARED in box
    assert json_ld["reviewedBy"]["description"] == f"Conflict-of-interest disclosure: {DECLARED}"
    assert detail["reviewed_by"]["disclosure"] == DECLARED


def test_disclosure_text_is_escaped_everywhere(make_article, writer, reviewer, editor):
    """Markup typed into a disclosure is text on the page and cannot close the JSON-LD."""
    typed = "Fees </script><script>alert(1)</script> & <b>shares</b>"
    set_disclosure_in_admin(reviewer, typed)
    article = publish(make_article, writer, reviewer, editor)
    box, json_ld, detail = public_views(article)
    assert "<script>alert(1)" not in box and "&lt;b&gt;shares&lt;/b&gt;" in box
    assert json_ld["reviewedBy"]["description"].endswith(typed)
    assert detail["reviewed_by"]["disclosure"] == typed


def test_disclosure_changed_after_approval_does_not_reach_the_published_page(
    make_article, writer, reviewer, editor
):
    """The page shows the disclosure as it stood at approval, even when the profile changed
    between approval and publication and again after it."""
    set_disclosure_in_admin(reviewer, DECLARED)
    article = publish(
        make_article,
        writer,
        reviewer,
        editor,
        after_approval=lambda: set_disclosure_in_admin(reviewer, "Changed before publishing."),
    )
    set_disclosure_in_admin(reviewer, "Changed after publishing.")
    box, json_ld, detail = public_views(article)
    assert DECLARED in box and "Changed" not in box
    assert json_ld["reviewedBy"]["description"] == f"Conflict-of-interest disclosure: {DECLARED}"
    assert detail["reviewed_by"]["disclosure"] == DECLARED
    assert article.reviews.get().reviewer_byline["disclosure"] == DECLARED


def test_no_disclosure_declared_is_an_empty_string(make_article, writer, reviewer, editor):
    """A reviewer who declared nothing: "" in the API, no disclosure line, no description."""
    set_disclosure_in_admin(reviewer, "")
    article = publish(make_article, writer, reviewer, editor)
    box, json_ld, detail = public_views(article)
    assert "Conflicts of interest" not in box
    assert "description" not in json_ld["reviewedBy"]
    assert detail["reviewed_by"]["disclosure"] == ""


def test_snapshot_frozen_before_disclosures_has_an_empty_one(live_article):
    """A snapshot whose frozen byline has no disclosure key answers "" and claims nothing."""
    snapshot = PublishedArticle.objects.get(article=live_article)
    del snapshot.reviewed_by["disclosure"]
    snapshot.save()
    box, json_ld, detail = public_views(live_article)
    assert detail["reviewed_by"] == {
        "name": "Dr Ada Reviewer",
        "credentials": "MD",
        "specialty": "Medical oncology",
        "disclosure": "",
    }
    assert "Dr Ada Reviewer" in box and "Conflicts of interest" not in box
    assert "description" not in json_ld["reviewedBy"]


def test_schema_documents_the_disclosure():
    """/api/schema/ documents reviewed_by.disclosure as an always-present string."""
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    reviewer = schema.json()["components"]["schemas"]["Reviewer"]
    assert reviewer["properties"]["disclosure"]["type"] == "string"
    assert "conflict" in reviewer["properties"]["disclosure"]["description"].lower()
    assert "disclosure" in reviewer["required"]
