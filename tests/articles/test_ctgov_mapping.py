"""ClinicalTrials.gov v2 study records → trial values: what is mapped, and what is warned about."""

from datetime import date

import pytest

from articles.ctgov.errors import InvalidStudy, MalformedStudy
from articles.ctgov.mapping import map_study
from articles.models import ClinicalTrial
from tests.articles.ctgov_studies import BARE, FULL, NEW_CODES, study

# The mapped values are checked with the model's full_clean, whose unique check reads the table.
pytestmark = pytest.mark.django_db


def test_full_study_maps_every_listed_field():
    """Identification, status, dates, sponsor, conditions, design, interventions, eligibility,
    sites and results all land in the trial's fields; nothing is warned about."""
    mapped = map_study(study(FULL), expected_nct_id="nct05500001")
    assert mapped.nct_id == FULL
    assert mapped.warnings == []
    assert mapped.values == {
        "brief_title": "Study of an Antibody-Drug Conjugate Versus Chemotherapy in HER2-Low "
        "Metastatic Breast Cancer",
        "official_title": "A Randomised, Open-Label, Phase 2/3 Study of an Investigational "
        "Antibody-Drug Conjugate Compared With the Physician's Choice of Chemotherapy in "
        "HER2-Low, Hormone-Receptor-Positive Metastatic Breast Cancer After Endocrine Therapy",
        "acronym": "HELIX-2",
        "overall_status": "RECRUITING",
        "why_stopped": "",
        "start_date": "2024-03",
        "primary_completion_date": "2027-06-30",
        "completion_date": "2028-12",
        "last_update_posted": date(2026, 9, 18),
        "sponsor": "Northbridge Oncology Research Group",
        "sponsor_class": "NETWORK",
        "conditions": ["Metastatic Breast Cancer", "HER2-low Breast Cancer"],
        "keywords": ["HER2-low", "antibody-drug conjugate"],
        "summary": "This study compares a new antibody-drug conjugate with chemotherapy chosen "
        "by the doctor for people whose breast cancer has spread and makes low amounts of HER2.",
        "study_type": "INTERVENTIONAL",
        "phases": ["PHASE2", "PHASE3"],
        "enrollment": 480,
        "enrollment_type": "ESTIMATED",
        "interventions": [
            {"type": "DRUG", "name": "Investigational antibody-drug conjugate"},
            {"type": "DRUG", "name": "Capecitabine"},
            {"type": "DRUG", "name": "Eribulin"},
        ],
        "eligibility_criteria": "Inclusion Criteria:\n\n* HER2-low breast cancer (IHC 1+, or "
        "IHC 2+ with a negative ISH test)\n* Metastatic disease after at least one endocrine "
        "therapy\n\nExclusion Criteria:\n\n* Earlier treatment with an antibody-drug conjugate",
        "sex": "ALL",
        "minimum_age": "18 Years",
        "maximum_age": "80 Years",
        "healthy_volunteers": False,
        "locations": [
            {
                "facility": "Riverside Cancer Centre",
                "city": "Leeds",
                "country": "United Kingdom",
                "status": "RECRUITING",
            },
            {
                "facility": "Northgate University Hospital",
                "city": "Glasgow",
                "country": "United Kingdom",
                "status": "NOT_YET_RECRUITING",
            },
            {
                "facility": "Hôpital Saint-Exemple",
                "city": "Lyon",
                "country": "France",
                "status": "RECRUITING",
            },
        ],
        "has_results": False,
    }
    ClinicalTrial(nct_id=FULL, **mapped.values).full_clean()


def test_missing_modules_give_blank_values_and_no_summary():
    """A record with only its identification maps to blank values, without warnings, and
    leaves the summary, the status and the results flag alone (a new trial gets the defaults:
    status Unknown, no results)."""
    mapped = map_study(study(BARE))
    assert mapped.warnings == []
    values = mapped.values
    assert values["brief_title"] == "Registry Record With Only Its Identification"
    assert "overall_status" not in values and "has_results" not in values
    assert values["phases"] == values["locations"] == values["interventions"] == []
    assert values["start_date"] == values["sponsor"] == values["eligibility_criteria"] == ""
    assert values["last_update_posted"] is None and values["enrollment"] is None
    assert values["healthy_volunteers"] is None
    assert "summary" not in values
    ClinicalTrial(nct_id=BARE, **values).full_clean()


def test_unknown_codes_are_kept_with_one_warning_each():
    """A status, phase, study type, sex, site status or intervention type we do not know is
    kept as it comes, with a warning naming it (once, however many sites carry it)."""
    mapped = map_study(study(NEW_CODES))
    values = mapped.values
    assert values["overall_status"] == "PAUSED_FOR_SAFETY_REVIEW"
    assert values["phases"] == ["PHASE2", "PHASE5"]
    assert values["study_type"] == "HYBRID"
    assert values["sex"] == "NONBINARY"
    assert values["interventions"] == [
        {"type": "DIGITAL_THERAPEUTIC", "name": "Symptom-tracking app"}
    ]
    assert {site["status"] for site in values["locations"]} == {"SCREENING"}
    assert mapped.warnings == [
        "unknown overallStatus 'PAUSED_FOR_SAFETY_REVIEW' kept as is",
        "unknown studyType 'HYBRID' kept as is",
        "unknown phase 'PHASE5' kept as is",
        "unknown intervention type 'DIGITAL_THERAPEUTIC' kept as is",
        "unknown sex 'NONBINARY' kept as is",
        "unknown location status 'SCREENING' kept as is",
    ]
    trial = ClinicalTrial(nct_id=NEW_CODES, **values)
    trial.full_clean()
    assert trial.get_overall_status_display() == "PAUSED_FOR_SAFETY_REVIEW"


def test_values_of_the_wrong_shape_are_left_out_with_warnings():
    """Wrong types, malformed dates, non-codes and over-long titles never crash the mapping:
    each is left out or shortened, with a warning."""
    data = study(FULL)
    section = data["protocolSection"]
    section["identificationModule"]["briefTitle"] = "A" * 400
    section["statusModule"]["overallStatus"] = "recruiting soon"
    section["statusModule"]["completionDateStruct"] = {"date": "March 2028"}
    section["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2026-02-30"}
    section["designModule"]["phases"] = ["PHASE2", 3, "phase 3"]
    section["designModule"]["enrollmentInfo"]["count"] = "about 480"
    section["conditionsModule"] = ["not", "an", "object"]
    section["eligibilityModule"]["healthyVolunteers"] = "No"
    section["contactsLocationsModule"]["locations"].append("Leeds")
    data["hasResults"] = "yes"
    mapped = map_study(data)
    values = mapped.values
    assert len(values["brief_title"]) == 300 and values["brief_title"].endswith("…")
    assert "overall_status" not in values  # the stored status is kept
    assert values["completion_date"] == "" and values["last_update_posted"] is None
    assert values["phases"] == ["PHASE2"]
    assert values["enrollment"] is None and values["healthy_volunteers"] is None
    assert values["conditions"] == [] and len(values["locations"]) == 3
    assert "has_results" not in values
    assert len(mapped.warnings) == 11, mapped.warnings
    assert "briefTitle is longer than 300 characters; shortened" in mapped.warnings
    assert "overallStatus 'recruiting soon' is not a registry code; left out" in mapped.warnings
    ClinicalTrial(nct_id=FULL, **values).full_clean()


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ([1, 2], MalformedStudy, "no protocolSection"),
        ({"studies": "x"}, MalformedStudy, "no protocolSection"),
        ({"protocolSection": {"statusModule": {}}}, InvalidStudy, "no identificationModule.nctId"),
        (
            {"protocolSection": {"identificationModule": {"nctId": "NCT123", "briefTitle": "T"}}},
            InvalidStudy,
            "“NCT123” is not an NCT number",
        ),
        (
            {"protocolSection": {"identificationModule": {"nctId": "NCT05500001"}}},
            InvalidStudy,
            "neither a briefTitle nor an officialTitle",
        ),
    ],
)
def test_records_that_are_not_usable_studies_are_refused(data, error, message):
    """Something that is not a study, or has no usable NCT number or title, is one clear error."""
    with pytest.raises(error) as info:
        map_study(data)
    assert message in info.value.message


def test_a_record_for_another_study_than_asked_is_refused():
    """The NCT number of the record must be the one asked for."""
    with pytest.raises(InvalidStudy) as info:
        map_study(study(FULL), expected_nct_id="NCT05500009")
    assert (
        info.value.message == "asked for NCT05500009 but the record is NCT05500001; nothing stored."
    )
    assert info.value.study == "NCT05500009"
