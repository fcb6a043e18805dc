"""Identifier validation: NCT numbers, PMIDs, DOIs, with messages that say what is wrong."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import ClinicalTrial, Reference
from articles.validators import doi_warning, normalise_doi

pytestmark = pytest.mark.django_db


def reference_errors(**fields) -> dict:
    reference = Reference(article_id=None, title="A title", **fields)
    with pytest.raises(ValidationError) as info:
        reference.full_clean(exclude=["article"])
    return info.value.message_dict


@pytest.mark.parametrize(
    "nct", ["NCT1234567", "NCT123456789", "NCTABCDEFGH", "12345678", "NCT 01234567"]
)
def test_invalid_nct_numbers_rejected_with_message(nct):
    """A malformed NCT number is a field error explaining the format."""
    errors = reference_errors(nct_id=nct)
    assert "NCT followed by exactly 8 digits" in errors["nct_id"][0].replace("“", "").replace(
        "”", ""
    )


def test_lowercase_nct_is_normalised():
    """A lower-case nct prefix is accepted and stored upper-case."""
    reference = Reference(title="T", nct_id=" nct03529110 ")
    reference.full_clean(exclude=["article"])
    assert reference.nct_id == "NCT03529110"


@pytest.mark.parametrize("pmid", ["0123", "123456789", "12a4", "-5"])
def test_invalid_pmids_rejected_with_message(pmid):
    """PMIDs are 1-8 digits without a leading zero; anything else says so."""
    errors = reference_errors(pmid=pmid)
    assert "PubMed ID" in errors["pmid"][0]
    assert "1 to 8 digits" in errors["pmid"][0]


@pytest.mark.parametrize("pmid", ["1", "35320644", "99999999"])
def test_valid_pmids_accepted(pmid):
    """Real-shaped PMIDs pass validation."""
    Reference(title="T", pmid=pmid).full_clean(exclude=["article"])


def test_doi_prefix_stripped_on_clean():
    """A https://doi.org/ prefix is removed so only the DOI itself is stored."""
    reference = Reference(title="T", doi="https://doi.org/10.1056/NEJMoa2115022")
    reference.full_clean(exclude=["article"])
    assert reference.doi == "10.1056/NEJMoa2115022"
    assert normalise_doi("doi:10.1016/S0140-6736(20)32531-9") == "10.1016/S0140-6736(20)32531-9"


def test_unusual_doi_warns_but_is_kept():
    """A DOI outside the usual pattern produces a warning, not a validation error."""
    reference = Reference(title="T", doi="10.123/odd")
    reference.full_clean(exclude=["article"])
    assert reference.doi == "10.123/odd"
    assert "does not look like the usual form" in doi_warning(reference.doi)
    assert doi_warning("10.1056/NEJMoa2115022") is None


def test_implausible_year_rejected():
    """A year far outside publishing history is a field error naming the range."""
    errors = reference_errors(year=3020)
    assert "plausible publication year" in errors["year"][0]


def test_trial_nct_and_phases_validated():
    """Trials need a valid NCT number and phases written as ClinicalTrials.gov codes."""
    trial = ClinicalTrial(nct_id="NCT123", brief_title="X", phases=["phase 2"])
    with pytest.raises(ValidationError) as info:
        trial.full_clean()
    errors = info.value.message_dict
    assert "8 digits" in errors["nct_id"][0]
    assert "Invalid phase phase 2" in errors["phases"][0]


def test_trial_keeps_registry_codes_it_does_not_know():
    """A phase or status code the registry added after us is accepted as it comes."""
    trial = ClinicalTrial(
        nct_id="NCT01234567", brief_title="X", phases=["PHASE5"], overall_status="PAUSED"
    )
    trial.full_clean()
    assert trial.get_overall_status_display() == "PAUSED"
    trial.overall_status = "not a code"
    with pytest.raises(ValidationError) as info:
        trial.full_clean()
    assert "not a ClinicalTrials.gov code" in info.value.message_dict["overall_status"][0]


def test_trial_nct_unique():
    """Two trials cannot share an NCT number."""
    ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="A")
    with pytest.raises(ValidationError) as info:
        ClinicalTrial(nct_id="NCT03529110", brief_title="B").full_clean()
    assert "nct_id" in info.value.message_dict


def test_trial_registry_link():
    """A trial links to its ClinicalTrials.gov page."""
    trial = ClinicalTrial(nct_id="NCT03529110")
    assert trial.registry_url == "https://clinicaltrials.gov/study/NCT03529110"
