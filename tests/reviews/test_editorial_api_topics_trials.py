"""Topics and clinical trials through the editorial API: editors write them as in the admin,
each save a version; synced registry fields, and records in use, are protected."""

import pytest
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import ClinicalTrial, Topic, TrialChange
from articles.records import StaleRecord
from reviews import workflow
from tests.reviews.editorial_client import client_for, etag, patch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

TOPICS = "/api/v1/editorial/topics/"
TRIALS = "/api/v1/editorial/trials/"


def url(base: str, record) -> str:
    return f"{base}{record.pk}/"


def changed(api, base: str, record, data: dict, *, if_match: str | None = ""):
    headers = {}
    if if_match is not None:
        headers["If-Match"] = if_match or api.get(url(base, record))["ETag"]
    return api.patch(url(base, record), data, format="json", headers=headers)


def deleted(api, base: str, record, *, if_match: str | None = ""):
    headers = {}
    if if_match is not None:
        headers["If-Match"] = if_match or api.get(url(base, record))["ETag"]
    return api.delete(url(base, record), headers=headers)


# Topics ------------------------------------------------------------------------------------


def test_editor_creates_a_sub_topic_with_a_version(editor, topic):
    """POST makes a topic under a top-level one: 201 with Location and ETag, one version by
    the editor."""
    data = {"name": "Spine", "slug": "spine", "parent": "bone-metastases", "position": 2}
    response = client_for(editor).post(TOPICS, data, format="json")
    assert response.status_code == 201, response.json()
    created = Topic.objects.get(slug="spine")
    assert response["Location"].endswith(url(TOPICS, created))
    assert response.json()["parent"] == "bone-metastases" and response["ETag"]
    (version,) = Version.objects.get_for_object(created)
    assert version.revision.user == editor


def test_topic_rules_are_the_models(editor, topic):
    """Three levels, a duplicate slug, an unknown parent or key are 400s naming the field."""
    api = client_for(editor)
    child = api.post(
        TOPICS, {"name": "Spine", "slug": "spine", "parent": topic.slug}, format="json"
    )
    assert child.status_code == 201
    cases = [
        ({"name": "Too deep", "slug": "too-deep", "parent": "spine"}, "parent"),
        ({"name": "Again", "slug": "spine"}, "slug"),
        ({"name": "Lost", "slug": "lost", "parent": "nowhere"}, "parent"),
        ({"name": "Odd", "slug": "odd", "colour": "red"}, "colour"),
        ({"slug": "nameless"}, "name"),
    ]
    for data, field in cases:
        response = api.post(TOPICS, data, format="json")
        assert response.status_code == 400, data
        assert field in response.json(), (data, response.json())
    assert Topic.objects.count() == 2


def test_writers_and_reviewers_read_topics_but_do_not_change_them(writer, reviewer, topic):
    """Every editorial user lists and reads topics; only editors write (403 naming it)."""
    for user in (writer, reviewer):
        api = client_for(user)
        assert api.get(TOPICS).json()["results"][0]["slug"] == "bone-metastases"
        assert api.get(url(TOPICS, topic)).status_code == 200
        refused = api.post(TOPICS, {"name": "X", "slug": "x"}, format="json")
        assert refused.status_code == 403 and "topics" in refused.json()["detail"]
        assert changed(api, TOPICS, topic, {"name": "Bones"}).status_code == 403
        assert deleted(api, TOPICS, topic).status_code == 403
    assert Topic.objects.get().name == "Bone metastases"


def test_topic_edit_needs_the_current_etag(editor, topic):
    """A change without If-Match is 428, with an old ETag 412; with the current one it is
    saved as a new version and the ETag moves on."""
    api = client_for(editor)
    old = api.get(url(TOPICS, topic))["ETag"]
    assert changed(api, TOPICS, topic, {"name": "Bones"}, if_match=None).status_code == 428
    response = changed(api, TOPICS, topic, {"description": "Where it spreads."}, if_match=old)
    assert response.status_code == 200 and response["ETag"] != old
    assert changed(api, TOPICS, topic, {"name": "Bones"}, if_match=old).status_code == 412
    assert changed(api, TOPICS, topic, {}).status_code == 400
    topic.refresh_from_db()
    assert (topic.name, topic.description) == ("Bone metastases", "Where it spreads.")
    assert Version.objects.get_for_object(topic).count() == 1


def test_a_change_landing_between_read_and_save_is_refused(editor, topic):
    """The service compares under the row lock: a save based on the record as read before
    another save is refused, and nothing is written."""
    read_at = topic.updated_at
    topic.description = "Someone else's edit."
    services.save_topic(topic=topic, user=editor)
    stale = Topic.objects.get(pk=topic.pk)
    stale.name = "Bones"
    with pytest.raises(StaleRecord):
        services.save_topic(topic=stale, user=editor, expected_updated_at=read_at)
    assert Topic.objects.get(pk=topic.pk).name == "Bone metastases"


def test_topics_in_use_are_not_deleted(editor, topic, make_article, writer):
    """A topic that an article is listed under, or with sub-topics, is a 409 saying why;
    an unused one is deleted (204)."""
    api = client_for(editor)
    make_article(writer)
    response = deleted(api, TOPICS, topic)
    assert response.status_code == 409 and "Bone metastases explained" in response.json()["detail"]
    parent = Topic.objects.create(name="Treatment", slug="treatment")
    Topic.objects.create(name="Surgery", slug="surgery", parent=parent)
    response = deleted(api, TOPICS, parent)
    assert response.status_code == 409 and "sub-topics" in response.json()["detail"]
    unused = Topic.objects.get(slug="surgery")
    assert deleted(api, TOPICS, unused, if_match=None).status_code == 428
    assert deleted(api, TOPICS, unused).status_code == 204
    assert not Topic.objects.filter(slug="surgery").exists()


@pytest.mark.parametrize("count", [3, 30])
def test_topic_list_query_count_does_not_grow(count, editor, django_assert_max_num_queries):
    """A page of topics costs the same queries with 4 topics or 31."""
    parent = Topic.objects.create(name="Top", slug="top")
    for number in range(count):
        Topic.objects.create(name=f"Topic {number}", slug=f"topic-{number}", parent=parent)
    client = client_for(editor)
    with django_assert_max_num_queries(8):
        response = client.get(TOPICS)
    assert response.json()["count"] == count + 1


# Trials ------------------------------------------------------------------------------------


def test_editor_adds_and_edits_a_trial(editor):
    """An editor adds a trial (its NCT number normalised) and edits it: each save a version."""
    api = client_for(editor)
    data = {
        "nct_id": " nct04494425 ",
        "brief_title": "DESTINY-Breast06",
        "overall_status": "ACTIVE_NOT_RECRUITING",
        "phases": ["PHASE3"],
        "interventions": [{"type": "DRUG", "name": "Trastuzumab deruxtecan"}],
        "locations": [{"city": "London", "country": "United Kingdom"}],
    }
    response = api.post(TRIALS, data, format="json")
    assert response.status_code == 201, response.json()
    trial = ClinicalTrial.objects.get(nct_id="NCT04494425")
    assert response.json()["synced"] is False
    edited = changed(api, TRIALS, trial, {"summary": "Tests T-DXd in HER2-low disease."})
    assert edited.status_code == 200, edited.json()
    assert Version.objects.get_for_object(trial).count() == 2


def test_trial_input_is_checked(editor, trial):
    """A bad or duplicate NCT number, a phase that is not a code, interventions without a
    name or an unknown key are 400s naming the field."""
    api = client_for(editor)
    new = {"nct_id": "NCT00000001", "brief_title": "T"}
    cases = [
        ({"nct_id": "NCT123", "brief_title": "Short"}, "nct_id"),
        ({"nct_id": trial.nct_id, "brief_title": "Twice"}, "nct_id"),
        ({**new, "phases": ["phase 3!"]}, "phases"),
        ({**new, "interventions": [{"type": "DRUG"}]}, "interventions"),
        ({**new, "synced_at": "2026-01-01T00:00:00Z"}, "synced_at"),
    ]
    for data, field in cases:
        response = api.post(TRIALS, data, format="json")
        assert response.status_code == 400, data
        assert field in response.json(), (data, response.json())
    assert ClinicalTrial.objects.count() == 1


def test_a_synced_trials_registry_fields_are_read_only(editor, trial):
    """Once synced, the registry's fields and the NCT number are 400s; our plain-language
    texts can still be edited."""
    ClinicalTrial.objects.filter(pk=trial.pk).update(synced_at=timezone.now())
    api = client_for(editor)
    for data in ({"overall_status": "COMPLETED"}, {"nct_id": "NCT00000002"}, {"phases": []}):
        response = changed(api, TRIALS, trial, data)
        assert response.status_code == 400, data
        assert "ClinicalTrials.gov" in response.json()[next(iter(data))][0]
    response = changed(api, TRIALS, trial, {"eligibility_summary": "Adults with HER2-low MBC."})
    assert response.status_code == 200 and response.json()["synced"] is True
    trial.refresh_from_db()
    assert trial.overall_status == "UNKNOWN"


def test_writers_read_trials_but_do_not_change_them(writer, trial):
    """Writers list and read trials; writing is a 403."""
    api = client_for(writer)
    assert [item["nct_id"] for item in api.get(TRIALS).json()["results"]] == [trial.nct_id]
    assert api.get(TRIALS, {"search": "destiny"}).json()["count"] == 1
    assert api.get(TRIALS, {"search": "nothing"}).json()["count"] == 0
    assert changed(api, TRIALS, trial, {"summary": "Mine."}).status_code == 403
    assert deleted(api, TRIALS, trial).status_code == 403


def test_trials_cited_or_with_recorded_changes_are_not_deleted(editor, writer, trial, make_article):
    """A trial an article names (even only in an earlier version) or with recorded changes is
    a 409 saying why, as the admin protects it; an unused trial is deleted."""
    api = client_for(editor)
    article = make_article(writer)
    patch(client_for(writer), article, {"related_trials": [trial.nct_id]}, if_match=etag(article))
    response = deleted(api, TRIALS, trial)
    assert response.status_code == 409 and "Bone metastases explained" in response.json()["detail"]
    other = ClinicalTrial.objects.create(nct_id="NCT00000003", brief_title="Changed")
    TrialChange.objects.create(
        trial=other, field="overall_status", old_value="RECRUITING", new_value="COMPLETED",
        changed_at=timezone.now(),
    )  # fmt: skip
    response = deleted(api, TRIALS, other)
    assert response.status_code == 409 and "recorded changes" in response.json()["detail"]
    unused = ClinicalTrial.objects.create(nct_id="NCT00000004", brief_title="Unused")
    assert deleted(api, TRIALS, unused).status_code == 204
    assert set(ClinicalTrial.objects.values_list("nct_id", flat=True)) == {
        trial.nct_id,
        "NCT00000003",
    }


def test_a_trial_named_only_by_a_published_version_is_protected(
    editor, writer, reviewer, trial, make_article
):
    """A published page's related trials protect the trial after the working copy drops it."""
    article = make_article(writer)
    patch(client_for(writer), article, {"related_trials": [trial.nct_id]}, if_match=etag(article))
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Accurate.")
    workflow.publish(article=article, user=editor)
    patch(client_for(writer), article, {"related_trials": []}, if_match=etag(article))
    assert deleted(client_for(editor), TRIALS, trial).status_code == 409


def test_unknown_and_malformed_ids_are_json_404s(editor):
    """An id that names nothing, or is not a number, is the API's JSON 404."""
    api = client_for(editor)
    for base in (TOPICS, TRIALS):
        for pk in ("999999", "abc", "1.5"):
            response = api.get(f"{base}{pk}/")
            assert response.status_code == 404, (base, pk)
            assert response["Content-Type"] == "application/json"
