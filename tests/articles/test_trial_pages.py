"""What readers and partner apps see of clinical trials: registry codes in plain words, the
trial page, the filtered trial list, the public API's trials and the trial JSON-LD."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles import trials
from articles.models import ClinicalTrial, Reference, TrialChange
from reviews import workflow
from tests.admin_client import AdminSession
from tests.articles.test_public_site import json_ld

pytestmark = pytest.mark.django_db


def make_trial(nct_id: str, **fields) -> ClinicalTrial:
    """A trial as the ClinicalTrials.gov sync leaves it (every field given is stored as is)."""
    defaults = {
        "brief_title": f"Trial {nct_id}",
        "overall_status": "RECRUITING",
        "phases": ["PHASE3"],
        "conditions": ["Metastatic Breast Cancer"],
        "interventions": [{"type": "DRUG", "name": "Palbociclib"}],
        "locations": [
            {"facility": "Site A", "city": "London", "country": "United Kingdom", "status": ""}
        ],
    }
    return ClinicalTrial.objects.create(nct_id=nct_id, **{**defaults, **fields})


@pytest.fixture
def synced_trial(db):
    return make_trial(
        "NCT04191499",
        brief_title="Inavolisib With Palbociclib and Fulvestrant in PIK3CA-Mutated Breast Cancer",
        official_title="A Phase III, Randomized, Double-Blind Study of Inavolisib Plus "
        "Palbociclib and Fulvestrant Versus Placebo Plus Palbociclib and Fulvestrant",
        acronym="INAVO120",
        overall_status="ACTIVE_NOT_RECRUITING",
        phases=["PHASE2", "PHASE3"],
        study_type="INTERVENTIONAL",
        sponsor="Hoffmann-La Roche",
        sponsor_class="INDUSTRY",
        conditions=["Breast Cancer", "PIK3CA Mutation"],
        keywords=["PI3K"],
        interventions=[
            {"type": "DRUG", "name": "Inavolisib"},
            {"type": "BIOLOGICAL", "name": "Trastuzumab"},
            {"type": "NEW_KIND_OF_THING", "name": "Something else"},
        ],
        enrollment=325,
        enrollment_type="ACTUAL",
        start_date="2019-12",
        primary_completion_date="2023-09-29",
        completion_date="2027-06",
        last_update_posted=datetime.date(2025, 3, 14),
        eligibility_criteria="Inclusion Criteria:\n\n* Adults\n\nExclusion Criteria:\n\n* None",
        sex="FEMALE",
        minimum_age="18 Years",
        maximum_age="",
        healthy_volunteers=False,
        has_results=True,
        summary="A study of adding inavolisib to palbociclib and fulvestrant.",
        locations=[
            {"facility": "Hospital B", "city": "Madrid", "country": "Spain", "status": ""},
            {
                "facility": "Royal Marsden",
                "city": "London",
                "country": "United Kingdom",
                "status": "RECRUITING",
            },
            {
                "facility": "Clinic A",
                "city": "Barcelona",
                "country": "Spain",
                "status": "ACTIVE_NOT_RECRUITING",
            },
            {"facility": "", "city": "Somewhere", "country": "", "status": "WITHDRAWN"},
        ],
    )


def publish_citing(
    make_article, writer, reviewer, editor, title, cited, publish=True, referenced=()
):
    """An article whose related trials are ``cited`` and whose references give the NCT
    numbers ``referenced``, approved and (by default) published."""
    article = make_article(writer, title=title)
    article.related_trials.set(cited)
    for position, nct_id in enumerate(referenced, start=article.references.count() + 1):
        Reference.objects.create(
            article=article, position=position, title=f"Trial {nct_id}", nct_id=nct_id
        )
    workflow.save_working_copy(article=article, user=writer, comment="Trials added.")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Accurate.")
    if publish:
        workflow.publish(article=article, user=editor)
    article.refresh_from_db()
    return article


def text_of(html: str) -> str:
    """The page's words, without tags, on one line."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def title_of(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


# --- Labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("RECRUITING", "Recruiting"),
        ("ACTIVE_NOT_RECRUITING", "Active, not recruiting"),
        ("NOT_YET_RECRUITING", "Not yet recruiting"),
        ("NO_LONGER_AVAILABLE", "No longer available"),
        ("SOME_NEW_STATUS", "Some new status"),
        ("", ""),
    ],
)
def test_status_labels(code, label):
    """Statuses read as words; a code we do not know yet is humanised."""
    assert trials.status_label(code) == label


@pytest.mark.parametrize(
    ("phases", "label"),
    [
        (["PHASE3"], "Phase 3"),
        (["PHASE2", "PHASE3"], "Phase 2/3"),
        (["PHASE1", "PHASE2"], "Phase 1/2"),
        (["EARLY_PHASE1"], "Early phase 1"),
        (["NA"], "Not applicable"),
        (["PHASE_FIVE"], "Phase five"),
        (["EARLY_PHASE1", "PHASE2"], "Early phase 1 / Phase 2"),
        ([], ""),
    ],
)
def test_phase_labels(phases, label):
    """Phases read as "Phase 2/3", never as registry codes."""
    assert trials.phase_label(phases) == label


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (trials.sex_label("ALL"), "All"),
        (trials.sex_label("FEMALE"), "Female"),
        (trials.sex_label("MALE"), "Male"),
        (trials.sex_label("INTERSEX_NEW"), "Intersex new"),
        (trials.study_type_label("OBSERVATIONAL")[:13], "Observational"),
        (trials.intervention_type_label("DRUG"), "Drug"),
        (trials.intervention_type_label("BIOLOGICAL"), "Biological"),
        (trials.intervention_type_label("DIETARY_SUPPLEMENT"), "Dietary supplement"),
        (trials.intervention_type_label("GENE_EDIT"), "Gene edit"),
        (trials.status_tone("RECRUITING"), "open"),
        (trials.status_tone("TERMINATED"), "stopped"),
        (trials.status_tone("SOME_NEW_STATUS"), "unknown"),
    ],
)
def test_other_labels(label, expected):
    """Sex, study type, intervention type and badge colour: known codes and new ones."""
    assert label == expected


@pytest.mark.parametrize(
    ("minimum", "maximum", "words"),
    [
        ("18 Years", "", "18 years and over"),
        ("", "75 Years", "Up to 75 years"),
        ("18 Years", "75 Years", "18 to 75 years"),
        ("6 Months", "1 Year", "6 months to 1 year"),
        ("", "", "No age limits given"),
        ("N/A", "", "N/A and over"),
    ],
)
def test_age_range(minimum, maximum, words):
    """The registry's age limits read as a range."""
    assert trials.age_range(minimum, maximum) == words


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("2024-03", "March 2024"),
        ("2024-03-15", "15 March 2024"),
        ("2024-13", "2024-13"),
        ("2024-02-30", "2024-02-30"),
        ("", ""),
    ],
)
def test_registry_dates(given, words):
    """Partial and full registry dates read as words; anything else is shown as given."""
    assert trials.registry_date(given) == words


def test_page_title_keeps_the_nct_number_within_70_characters():
    """A long brief title is cut at a word with "…"; a short one is kept whole."""
    long = ClinicalTrial(nct_id="NCT01234567", brief_title="A Study of " + "Treatments " * 20)
    title = trials.page_title(long) + trials.SITE_NAME_SUFFIX
    assert len(title) <= 70 and title.startswith("NCT01234567: A Study of Treatments")
    assert trials.page_title(long).endswith("Treatments…")
    short = ClinicalTrial(nct_id="NCT01234567", brief_title="DESTINY-Breast03")
    assert trials.page_title(short) == "NCT01234567: DESTINY-Breast03"
    unbroken = ClinicalTrial(nct_id="NCT01234567", brief_title="X" * 300)
    assert len(trials.page_title(unbroken) + trials.SITE_NAME_SUFFIX) == 70


# --- The trial page ------------------------------------------------------------------------


def test_trial_page_sections(client, synced_trial):
    """The page shows status badge, phase, sponsor, eligibility, dates, enrollment, sites by
    country with their status, results, the registry's last update and its link."""
    html = client.get("/trials/NCT04191499/").text
    text = text_of(html)
    assert '<span class="status-badge status-running">Active, not recruiting</span>' in html
    for words in (
        "Phase 2/3",
        "INAVO120",
        "Sponsor Hoffmann-La Roche (Industry)",
        "Age 18 years and over",
        "Sex Female",
        "Healthy volunteers Not accepted",
        "Started December 2019",
        "29 September 2023",
        "Ends June 2027",
        "325 people (actual)",
        "Results posted Yes",
        "Last updated on ClinicalTrials.gov on 14 March 2025.",
        "Inavolisib (Drug)",
        "Trastuzumab (Biological)",
        "Something else (New kind of thing)",
        "Breast Cancer, PIK3CA Mutation",
    ):
        assert words in text, words
    assert "PHASE2" not in text and "ACTIVE_NOT_RECRUITING" not in text
    # Sites grouped by country: headings in order, each site with its status in words.
    assert re.findall(r"<h3>([^<]+)</h3>", html) == [
        "Spain",
        "United Kingdom",
        "Country not given",
    ]
    spain = text[text.index("Where it takes place") : text.index("United Kingdom Royal")]
    assert spain.index("Clinic A, Barcelona · Active, not recruiting") < spain.index(
        "Hospital B, Madrid"
    )
    assert "Royal Marsden, London · Recruiting" in text
    assert "Somewhere · Withdrawn" in text
    assert 'href="https://clinicaltrials.gov/study/NCT04191499"' in html
    assert "Inclusion Criteria" in text
    assert "style=" not in html  # the CSP allows no inline styles


def test_trial_page_with_unknown_codes_and_little_data(client):
    """New registry codes show in words; missing registry data leaves its lines out."""
    make_trial(
        "NCT00000001",
        overall_status="SOME_NEW_STATUS",
        phases=["PHASE_FIVE"],
        why_stopped="Funding ended.",
        locations=[],
    )
    response = client.get("/trials/NCT00000001/")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Some new status" in text and "Phase five" in text
    assert "Why it stopped: Funding ended." in text
    assert "status-unknown" in response.text
    for absent in ("Who can take part", "Where it takes place", "Last updated on", "Sponsor"):
        assert absent not in text, absent
    assert "Results posted No" in text


@pytest.mark.parametrize(
    ("brief_title", "kept"),
    [
        ("DESTINY-Breast03", "NCT03529110: DESTINY-Breast03 · MBC Info"),
        (
            "A Phase 3, Multicenter, Randomized, Open-Label, Active-Controlled Study of "
            "Trastuzumab Deruxtecan (DS-8201a) Versus Trastuzumab Emtansine (T-DM1)",
            "NCT03529110: A Phase 3, Multicenter, Randomized… · MBC Info",
        ),
    ],
)
def test_trial_page_title_is_at_most_70_characters(client, brief_title, kept):
    """The page's <title> keeps the NCT number and stays within 70 characters."""
    make_trial("NCT03529110", brief_title=brief_title)
    title = title_of(client.get("/trials/NCT03529110/").text)
    assert title == kept and len(title) <= 70


def test_citing_articles_listed_on_the_trial_page(
    client, synced_trial, make_article, writer, reviewer, editor
):
    """The page lists the live articles citing the trial, not approved-but-unpublished ones."""
    publish_citing(make_article, writer, reviewer, editor, "Targeted therapy", [synced_trial])
    publish_citing(
        make_article, writer, reviewer, editor, "Draft page", [synced_trial], publish=False
    )
    text = text_of(client.get("/trials/NCT04191499/").text)
    assert "Articles that discuss this trial Targeted therapy" in text
    assert "Draft page" not in text


def test_articles_citing_by_a_reference_are_listed_too(
    client, synced_trial, make_article, writer, reviewer, editor
):
    """An NCT number in a live page's references cites the trial as much as a related trial;
    a look-alike number does not."""
    publish_citing(
        make_article,
        writer,
        reviewer,
        editor,
        "Cited in references",
        [],
        referenced=["NCT04191499"],
    )
    publish_citing(
        make_article, writer, reviewer, editor, "Look-alike", [], referenced=["NCT04191490"]
    )
    text = text_of(client.get("/trials/NCT04191499/").text)
    assert "Articles that discuss this trial Cited in references" in text
    assert "Look-alike" not in text
    data = client.get("/api/v1/trials/NCT04191499/").json()
    assert data["cited_by"] == ["cited-in-references"]
    listed = client.get("/api/v1/trials/").json()["results"]
    assert {item["nct_id"]: item["cited_by"] for item in listed}["NCT04191499"] == [
        "cited-in-references"
    ]


def test_home_and_article_pages_use_status_words(client, make_article, writer, reviewer, editor):
    """Wherever a trial is listed, its status reads in words, new codes included."""
    trial = make_trial("NCT00000002", brief_title="Odd trial", overall_status="NEW_CODE")
    article = publish_citing(make_article, writer, reviewer, editor, "Trial news", [trial])
    for path in ("/", f"/articles/{article.slug}/", "/trials/"):
        page = text_of(client.get(path).text)
        assert "New code" in page and "NEW_CODE" not in page, path


# --- The trial list and its filters -------------------------------------------------------


@pytest.fixture
def listed(db):
    """Five trials with different statuses, phases, conditions, interventions and sites."""
    return {
        "her2": make_trial(
            "NCT00000010",
            brief_title="HER2 trial",
            overall_status="RECRUITING",
            phases=["PHASE2", "PHASE3"],
            conditions=["HER2-positive Breast Cancer"],
            interventions=[{"type": "DRUG", "name": "Trastuzumab Deruxtecan"}],
            locations=[
                {"facility": "A", "city": "Paris", "country": "France", "status": "RECRUITING"},
                {"facility": "B", "city": "Leeds", "country": "United Kingdom", "status": ""},
            ],
        ),
        "tnbc": make_trial(
            "NCT00000011",
            brief_title="TNBC trial",
            overall_status="COMPLETED",
            phases=["PHASE3"],
            conditions=["Triple Negative Breast Cancer"],
            interventions=[{"type": "BIOLOGICAL", "name": "Pembrolizumab"}],
            locations=[{"facility": "C", "city": "Toronto", "country": "Canada", "status": ""}],
        ),
        "cdk": make_trial(
            "NCT00000012",
            brief_title="CDK trial",
            overall_status="RECRUITING",
            phases=["PHASE1"],
            conditions=["ER-positive Breast Cancer"],
            interventions=[{"type": "DRUG", "name": "Palbociclib"}],
            locations=[
                {"facility": "D", "city": "Abidjan", "country": "Côte d'Ivoire", "status": ""}
            ],
        ),
        "radio": make_trial(
            "NCT00000013",
            brief_title="Radiotherapy trial",
            overall_status="SOME_NEW_STATUS",
            phases=["NA"],
            conditions=["Bone Metastases"],
            interventions=[{"type": "RADIATION", "name": "Stereotactic radiotherapy"}],
            locations=[],
        ),
        "bare": make_trial(
            "NCT00000014",
            brief_title="Bare trial",
            overall_status="WITHDRAWN",
            phases=[],
            conditions=[],
            interventions=[],
            locations=[],
        ),
    }


def listed_ids(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return re.findall(r'href="/trials/(NCT\d{8})/"', response.text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["10", "11", "12", "13", "14"]),
        ({"status": "RECRUITING"}, ["10", "12"]),
        ({"status": "recruiting"}, ["10", "12"]),
        ({"status": "SOME_NEW_STATUS"}, ["13"]),
        ({"phase": "PHASE3"}, ["10", "11"]),
        ({"phase": "PHASE2"}, ["10"]),
        ({"phase": "NA"}, ["13"]),
        ({"condition": "breast cancer"}, ["10", "11", "12"]),
        ({"condition": "  her2-POSITIVE  "}, ["10"]),
        ({"intervention": "palbo"}, ["12"]),
        ({"intervention": "drug"}, []),  # the type is not the name
        ({"country": "united kingdom"}, ["10"]),
        ({"country": "Côte d'Ivoire"}, ["12"]),
        ({"country": "CÔTE D'IVOIRE"}, ["12"]),
        ({"country": "United"}, []),  # whole countries only
        ({"country": "Atlantis"}, []),
        ({"status": "RECRUITING", "phase": "PHASE3"}, ["10"]),
        ({"status": "RECRUITING", "country": "France", "condition": "HER2"}, ["10"]),
        ({"status": "COMPLETED", "intervention": "palbociclib"}, []),
        ({"status": "", "phase": "", "country": ""}, ["10", "11", "12", "13", "14"]),
    ],
)
def test_trial_list_filters(client, listed, query, expected):
    """Each filter, and any combination, narrows the list; an unmatched value gives none."""
    ids = listed_ids(client.get("/trials/", query))
    assert ids == [f"NCT000000{suffix}" for suffix in expected]
    api = APIClient().get("/api/v1/trials/", query)
    assert [trial["nct_id"] for trial in api.json()["results"]] == ids


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"status": "OPEN"}, "status", "Unknown status OPEN"),
        ({"status": "recruiting'--"}, "status", "Unknown status"),
        ({"phase": "PHASE9"}, "phase", "Unknown phase PHASE9"),
        ({"condition": "x" * 101}, "condition", "at most 100 characters"),
        ({"country": "United\x00Kingdom"}, "country", "Null characters are not allowed"),
    ],
)
def test_trial_list_refuses_bad_filters(client, listed, query, field, message):
    """A bad filter value is a 400 naming the field and the problem, on the page and the API."""
    response = client.get("/trials/", query)
    assert response.status_code == 400
    assert message in unescape(response.text) and 'role="alert"' in response.text
    assert not listed_ids_in(response.text)
    api = APIClient().get("/api/v1/trials/", query)
    assert api.status_code == 400 and message in api.json()[field][0]


def listed_ids_in(html: str) -> list[str]:
    return re.findall(r'href="/trials/(NCT\d{8})/"', html)


def test_trial_list_form_offers_the_values_the_trials_hold(client, listed):
    """The filter form is labelled, submits by GET, and offers the statuses, phases and
    countries the trials hold, in words, with the current choice kept."""
    html = client.get("/trials/", {"country": "France", "condition": "HER2"}).text
    start = html.index('<form class="trial-filters"')
    form = html[start : html.index("</form>", start)]
    assert 'method="get"' in form and '<button type="submit">' in form
    for name in ("status", "phase", "condition", "intervention", "country"):
        assert f'<label for="id_{name}">' in form, name
    statuses = re.findall(r'<option value="([A-Z0-9_]+)">([^<]+)</option>', form)
    assert ("RECRUITING", "Recruiting") in statuses
    assert ("SOME_NEW_STATUS", "Some new status") in statuses
    assert ("SUSPENDED", "Suspended") not in statuses  # no trial holds it
    assert ("PHASE2", "Phase 2") in statuses and ("NA", "Not applicable") in statuses
    countries = re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', form)
    offered = [value for value, _ in countries if value and not value.isupper()]
    assert offered == ["Canada", "Côte d&#x27;Ivoire", "France", "United Kingdom"]
    assert '<option value="France" selected>' in form
    assert 'value="HER2"' in form
    assert "1 trial matches these filters." in text_of(html)


def test_trial_list_pages_keep_the_filters(client):
    """Pagination links carry the filters."""
    for number in range(25):
        make_trial(f"NCT1000{number:04d}", overall_status="RECRUITING")
    make_trial("NCT20000000", overall_status="COMPLETED")
    first = client.get("/trials/", {"status": "RECRUITING"}).text
    assert 'href="?status=RECRUITING&amp;page=2"' in first
    second = listed_ids(client.get("/trials/", {"status": "RECRUITING", "page": 2}))
    assert len(second) == 5 and "NCT20000000" not in second


def test_filtered_trial_pages_are_cached_separately(client, listed, django_assert_max_num_queries):
    """Each filter has its own cached page; a repeat is served from the cache."""
    assert len(listed_ids(client.get("/trials/", {"phase": "PHASE3"}))) == 2
    assert len(listed_ids(client.get("/trials/", {"phase": "PHASE1"}))) == 1
    assert len(listed_ids(client.get("/trials/", {"country": "Canada"}))) == 1
    with django_assert_max_num_queries(0):
        assert len(listed_ids(client.get("/trials/", {"country": "Canada"}))) == 1


def test_trial_list_queries_do_not_grow_with_trials(client, django_assert_max_num_queries):
    """The filtered list needs a fixed number of queries whatever the number of trials."""
    for number in range(60):
        make_trial(f"NCT3000{number:04d}", overall_status="RECRUITING")
    client.get("/trials/")  # works out the cache generation
    query = {"status": "RECRUITING", "phase": "PHASE3", "country": "United Kingdom"}
    with django_assert_max_num_queries(4):  # the choices, the filter's ids, count, page
        assert len(listed_ids(client.get("/trials/", query))) == 20


# --- The public API ------------------------------------------------------------------------


def test_api_trial_fields_labels_and_sites(synced_trial):
    """The API carries the registry fields, their labels and the sites as objects."""
    data = APIClient().get("/api/v1/trials/NCT04191499/").json()
    assert data["overall_status"] == "ACTIVE_NOT_RECRUITING"
    assert data["overall_status_label"] == "Active, not recruiting"
    assert data["phases"] == ["PHASE2", "PHASE3"] and data["phase_label"] == "Phase 2/3"
    assert data["acronym"] == "INAVO120" and data["sponsor"] == "Hoffmann-La Roche"
    assert (data["sex"], data["sex_label"]) == ("FEMALE", "Female")
    assert data["age_range"] == "18 years and over" and data["minimum_age"] == "18 Years"
    assert data["start_date"] == "2019-12" and data["last_update_posted"] == "2025-03-14"
    assert data["enrollment"] == 325 and data["enrollment_type"] == "ACTUAL"
    assert data["healthy_volunteers"] is False and data["has_results"] is True
    assert data["keywords"] == ["PI3K"] and data["study_type"] == "INTERVENTIONAL"
    assert data["interventions"][0] == {
        "type": "DRUG",
        "type_label": "Drug",
        "name": "Inavolisib",
    }
    assert data["locations"][1] == {
        "facility": "Royal Marsden",
        "city": "London",
        "country": "United Kingdom",
        "status": "RECRUITING",
        "status_label": "Recruiting",
    }
    for name in ("official_title", "why_stopped", "primary_completion_date", "completion_date"):
        assert name in data, name
    assert data["synced_at"] is None and data["changes"] == [] and data["cited_by"] == []


def test_api_trial_changes_newest_first_and_cited_by_live_articles(
    synced_trial, make_article, writer, reviewer, editor
):
    """``changes`` lists the trial's recorded changes, newest first; ``cited_by`` the slugs of
    live articles only (not approved drafts, not unpublished pages)."""
    now = timezone.now()
    TrialChange.objects.create(
        trial=synced_trial,
        field="overall_status",
        old_value="RECRUITING",
        new_value="ACTIVE_NOT_RECRUITING",
        changed_at=now - datetime.timedelta(days=2),
    )
    TrialChange.objects.create(
        trial=synced_trial, field="has_results", old_value=False, new_value=True, changed_at=now
    )
    live = publish_citing(make_article, writer, reviewer, editor, "Live page", [synced_trial])
    publish_citing(make_article, writer, reviewer, editor, "Approved only", [synced_trial], False)
    gone = publish_citing(make_article, writer, reviewer, editor, "Gone page", [synced_trial])
    workflow.unpublish(article=gone, user=editor, reason="Withdrawn for checks.")
    for data in (
        APIClient().get("/api/v1/trials/NCT04191499/").json(),
        APIClient().get("/api/v1/trials/").json()["results"][0],
    ):
        assert [change["field"] for change in data["changes"]] == [
            "has_results",
            "overall_status",
        ]
        assert data["changes"][1]["old_value"] == "RECRUITING"
        assert data["changes"][1]["new_value"] == "ACTIVE_NOT_RECRUITING"
        assert data["cited_by"] == [live.slug]


def test_api_trial_list_queries_do_not_grow(
    make_article, writer, reviewer, editor, django_assert_max_num_queries
):
    """Changes and citing articles are prefetched: the list's queries are fixed."""
    cited = [make_trial(f"NCT4000{number:04d}") for number in range(12)]
    for trial in cited:
        TrialChange.objects.create(
            trial=trial,
            field="phases",
            old_value=[],
            new_value=["PHASE3"],
            changed_at=timezone.now(),
        )
    publish_citing(make_article, writer, reviewer, editor, "Cites them all", cited)
    client = APIClient()
    client.get("/api/v1/topics/")  # works out the cache generation
    with django_assert_max_num_queries(5):  # count, page, changes, citing snapshots, references
        results = client.get("/api/v1/trials/", {"page_size": 100}).json()["results"]
    assert len(results) == 12 and all(len(item["cited_by"]) == 1 for item in results)


def test_api_schema_documents_trial_filters_and_fields(db):
    """The OpenAPI schema lists the trial filters and the new fields."""
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = schema.json()
    operation = document["paths"]["/api/v1/trials/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert {"status", "phase", "condition", "intervention", "country"} <= set(parameters)
    assert "RECRUITING" in parameters["status"]["enum"]
    assert parameters["country"]["maxLength"] == trials.FILTER_TEXT_MAX
    fields = document["components"]["schemas"]["Trial"]["properties"]
    for name in (
        "overall_status_label",
        "phase_label",
        "sponsor",
        "eligibility_criteria",
        "last_update_posted",
        "synced_at",
        "changes",
        "cited_by",
    ):
        assert name in fields, name
    assert fields["locations"]["items"]["$ref"].endswith("/Location")


# --- JSON-LD -------------------------------------------------------------------------------

# From schema.org's definitions: the properties each type used in trial JSON-LD has (its
# own and those it inherits), limited to what is reasonable here. MedicalTrial ⊂ MedicalStudy
# ⊂ MedicalEntity ⊂ Thing.
THING = {"name", "alternateName", "description", "identifier", "url", "sameAs", "image"}
MEDICAL_ENTITY = THING | {"code", "guideline", "legalStatus", "recognizingAuthority", "study"}
ALLOWED = {
    "MedicalTrial": MEDICAL_ENTITY
    | {"healthCondition", "sponsor", "status", "studyLocation", "studySubject", "trialDesign"},
    "MedicalCode": THING | {"codeValue", "codingSystem", "inCodeSet"},
    "MedicalCondition": MEDICAL_ENTITY,
    "Organization": THING,
    "AdministrativeArea": THING,
    "Drug": MEDICAL_ENTITY,
    "MedicalDevice": MEDICAL_ENTITY,
    "MedicalProcedure": MEDICAL_ENTITY,
    "RadiationTherapy": MEDICAL_ENTITY,
    "MedicalEntity": MEDICAL_ENTITY,
}
STUDY_STATUSES = {
    f"https://schema.org/{name}"
    for name in (
        "ActiveNotRecruiting",
        "Completed",
        "EnrollingByInvitation",
        "NotYetRecruiting",
        "Recruiting",
        "ResultsAvailable",
        "ResultsNotAvailable",
        "Suspended",
        "Terminated",
        "Withdrawn",
    )
}
TRIAL_DESIGNS = {
    f"https://schema.org/{name}"
    for name in (
        "DoubleBlindedTrial",
        "InternationalTrial",
        "MultiCenterTrial",
        "OpenTrial",
        "PlaceboControlledTrial",
        "RandomizedTrial",
        "SingleBlindedTrial",
        "SingleCenterTrial",
        "TripleBlindedTrial",
    )
}


def schema_org_problems(item, path="") -> list[str]:
    """Every property of ``item`` (and its nested items) that its type does not define."""
    if isinstance(item, list):
        return [problem for entry in item for problem in schema_org_problems(entry, path)]
    if not isinstance(item, dict):
        return []
    kind = item.get("@type")
    if kind not in ALLOWED:
        return [f"{path}: unknown type {kind!r}"]
    problems = [
        f"{path}.{name} not in {kind}"
        for name in item
        if not name.startswith("@") and name not in ALLOWED[kind]
    ]
    for name, value in item.items():
        problems += schema_org_problems(value, f"{path}.{name}")
    return problems


def test_trial_json_ld_uses_only_schema_org_properties(client, synced_trial):
    """Trial JSON-LD uses only what schema.org defines for MedicalTrial and its parts, with
    enumeration values from MedicalStudyStatus and MedicalTrialDesign; no ``phase``."""
    data = json_ld(client.get("/trials/NCT04191499/").text)
    assert schema_org_problems(data) == []
    assert "phase" not in data
    assert data["status"] == "https://schema.org/ActiveNotRecruiting"
    assert data["status"] in STUDY_STATUSES
    assert set(data["trialDesign"]) <= TRIAL_DESIGNS
    assert data["trialDesign"] == [
        "https://schema.org/InternationalTrial",
        "https://schema.org/MultiCenterTrial",
    ]
    assert data["identifier"] == "NCT04191499" and data["code"]["codeValue"] == "NCT04191499"
    assert data["sameAs"] == "https://clinicaltrials.gov/study/NCT04191499"
    assert data["alternateName"][0] == "INAVO120"
    assert data["sponsor"] == {"@type": "Organization", "name": "Hoffmann-La Roche"}
    assert [place["name"] for place in data["studyLocation"]] == ["Spain", "United Kingdom"]
    assert data["studySubject"][0] == {"@type": "Drug", "name": "Inavolisib"}
    assert data["studySubject"][2]["@type"] == "MedicalEntity"
    assert [c["name"] for c in data["healthCondition"]] == ["Breast Cancer", "PIK3CA Mutation"]


def test_trial_json_ld_leaves_out_what_has_no_schema_org_value(client):
    """A status with no MedicalStudyStatus, no sponsor and no sites: those are left out."""
    make_trial("NCT00000003", overall_status="SOME_NEW_STATUS", locations=[])
    data = json_ld(client.get("/trials/NCT00000003/").text)
    assert schema_org_problems(data) == []
    for absent in ("status", "sponsor", "trialDesign", "studyLocation", "alternateName"):
        assert absent not in data, absent
    make_trial("NCT00000004", overall_status="RECRUITING")
    single = json_ld(client.get("/trials/NCT00000004/").text)
    assert single["status"] == "https://schema.org/Recruiting"
    assert single["trialDesign"] == ["https://schema.org/SingleCenterTrial"]


# --- The trial admin -----------------------------------------------------------------------


def trial_admin_url(trial: ClinicalTrial) -> str:
    return reverse("admin:articles_clinicaltrial_change", args=[trial.pk])


def trial_admin_form(trial: ClinicalTrial, **overrides) -> dict:
    """The change form as the browser sends it: our texts, and the (view-only) changes."""
    rows = trial.changes.count()
    return {
        "summary": trial.summary,
        "eligibility_summary": trial.eligibility_summary,
        "last_verified": "",
        "changes-TOTAL_FORMS": rows,
        "changes-INITIAL_FORMS": rows,
        "changes-MIN_NUM_FORMS": 0,
        "changes-MAX_NUM_FORMS": 1000,
        **overrides,
    }


def test_admin_shows_a_synced_trial_read_only_with_warnings_and_changes(editor, synced_trial):
    """Once synced, the registry's fields are shown, not editable; the sync warnings, the time
    of the sync and the recorded changes are on the page."""
    synced_trial.synced_at = timezone.now()
    synced_trial.sync_warnings = ["Unknown phase <PHASE_FIVE> kept as is"]
    synced_trial.overall_status = "SOME_NEW_STATUS"
    synced_trial.save()
    TrialChange.objects.create(
        trial=synced_trial,
        field="overall_status",
        old_value="RECRUITING",
        new_value="SOME_NEW_STATUS",
        changed_at=timezone.now(),
    )
    session = AdminSession(editor)
    page = session.get(trial_admin_url(synced_trial)).text
    assert 'name="sponsor"' not in page and 'name="overall_status"' not in page
    assert "Hoffmann-La Roche" in page
    assert 'name="summary"' in page and 'name="eligibility_summary"' in page
    assert "<li>Unknown phase &lt;PHASE_FIVE&gt; kept as is</li>" in page
    assert "changes recorded by the sync" in page.lower() and "SOME_NEW_STATUS" in page
    assert 'name="changes-0-field"' not in page  # the change rows cannot be edited
    changelist = session.get(reverse("admin:articles_clinicaltrial_changelist")).text
    assert "Some new status" in changelist and "Phase 2/3" in changelist

    form = trial_admin_form(
        synced_trial, summary="Our plain words.", sponsor="Someone else", nct_id="NCT09999999"
    )
    response = session.post(trial_admin_url(synced_trial), form)
    assert response.status_code == 302, response.text[:2000]
    synced_trial.refresh_from_db()
    assert synced_trial.summary == "Our plain words."
    assert synced_trial.sponsor == "Hoffmann-La Roche" and synced_trial.nct_id == "NCT04191499"
    assert synced_trial.changes.count() == 1


def test_admin_keeps_a_never_synced_trial_editable(editor, synced_trial):
    """A trial typed in by hand (never synced) can still be corrected in the admin."""
    page = AdminSession(editor).get(trial_admin_url(synced_trial)).text
    assert 'name="sponsor"' in page and 'name="overall_status"' in page
