"""Identifier formats used in medical citations, with messages that say what is wrong.

The formats follow the registries: ClinicalTrials.gov NCT numbers, PubMed IDs and DOIs.
A DOI outside the usual pattern is only warned about (some real ones are unusual), never
rejected.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError

from .choices import TrialPhase, WebhookEventType

NCT_RE = re.compile(r"^NCT[0-9]{8}\Z")  # ASCII digits only: ``\d`` matches any script's
PMID_RE = re.compile(r"^[1-9]\d{0,7}$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")


ECHO_LIMIT = 50


def shown_value(value, limit: int = ECHO_LIMIT) -> str:
    """``value`` as an error message may echo it: at most ``limit`` characters, the last an
    ellipsis when it was cut (a 5,000-character parameter is not sent back whole)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalise_nct_id(value: str) -> str:
    """Trim spaces and upper-case an NCT number (``nct01234567`` is a common typing)."""
    return (value or "").strip().upper()


def validate_nct_id(value: str) -> None:
    """Reject anything that is not ``NCT`` followed by exactly eight digits."""
    if not NCT_RE.match(value or ""):
        raise ValidationError(
            "“%(value)s” is not a valid NCT number: it must be “NCT” followed by exactly "
            "8 digits, for example NCT01234567.",
            code="invalid_nct_id",
            params={"value": value},
        )


def validate_pmid(value: str) -> None:
    """Reject PubMed IDs that are not 1 to 8 digits without a leading zero."""
    if not PMID_RE.match(value or ""):
        raise ValidationError(
            "“%(value)s” is not a valid PubMed ID (PMID): it must be 1 to 8 digits with no "
            "leading zero, for example 35320644.",
            code="invalid_pmid",
            params={"value": value},
        )


def normalise_doi(value: str) -> str:
    """Strip spaces and a resolver prefix such as ``https://doi.org/`` or ``doi:``."""
    doi = (value or "").strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            return doi[len(prefix) :]
    if lowered.startswith("doi:"):
        return doi[4:].strip()
    return doi


def doi_warning(value: str) -> str | None:
    """Return a warning for a DOI outside the usual ``10.NNNN/suffix`` shape, else None."""
    doi = normalise_doi(value)
    if not doi or DOI_RE.match(doi):
        return None
    return (
        f"The DOI “{doi}” does not look like the usual form “10.NNNN/suffix” "
        "(for example 10.1056/NEJMoa2115022). It was kept: check it resolves at doi.org."
    )


def validate_publication_year(value: int) -> None:
    """Reject years before modern journals or more than a year in the future."""
    latest = date.today().year + 1
    if value is not None and not 1800 <= value <= latest:
        raise ValidationError(
            "%(value)s is not a plausible publication year: enter a year between 1800 "
            "and %(latest)s.",
            code="invalid_year",
            params={"value": value, "latest": latest},
        )


# JSON fields of trials and webhook endpoints ---------------------------------------------


REGISTRY_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*\Z")


def validate_registry_code(value: str) -> None:
    """A ClinicalTrials.gov code such as ``PHASE2`` or ``RECRUITING``: the registry adds codes
    now and then, so any upper-case identifier is accepted, not only the ones we know."""
    if not isinstance(value, str) or not REGISTRY_CODE_RE.match(value):
        raise ValidationError(
            "“%(value)s” is not a ClinicalTrials.gov code: use upper-case letters, digits and "
            "underscores, for example PHASE2 or RECRUITING.",
            code="invalid_registry_code",
            params={"value": value},
        )


def validate_phases(value: list) -> None:
    """Phases must be a list of ClinicalTrials.gov phase codes (``PHASE2``, ``NA``…); a code
    we do not know yet is kept, as a sync keeps what the registry sends."""
    if not isinstance(value, list):
        raise ValidationError('Enter the phases as a list, for example ["PHASE2", "PHASE3"].')
    invalid = [
        item for item in value if not isinstance(item, str) or not REGISTRY_CODE_RE.match(item)
    ]
    if invalid:
        raise ValidationError(
            "Invalid phase %(invalid)s: use ClinicalTrials.gov codes such as %(known)s.",
            code="invalid_phase",
            params={
                "invalid": ", ".join(map(str, invalid)),
                "known": ", ".join(TrialPhase.values),
            },
        )


def validate_string_list(value: list) -> None:
    """A JSON list of non-empty strings (conditions, locations)."""
    if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
        raise ValidationError(
            'Enter a list of text items, for example ["Metastatic breast cancer"].',
            code="invalid_list",
        )


LOCATION_KEYS = ("facility", "city", "country", "status")


def validate_locations(value: list) -> None:
    """A JSON list of study sites as ClinicalTrials.gov lists them: objects with text values
    for ``facility``, ``city``, ``country`` and ``status`` (any may be empty, not all)."""
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and set(item) <= set(LOCATION_KEYS)
        and all(isinstance(text, str) for text in item.values())
        and any(str(text).strip() for text in item.values())
        for item in value
    ):
        raise ValidationError(
            "Enter the sites as a list of objects with facility, city, country and status, "
            'for example [{"facility": "Royal Marsden Hospital", "city": "London", '
            '"country": "United Kingdom", "status": "RECRUITING"}].',
            code="invalid_locations",
        )


def validate_interventions(value: list) -> None:
    """A JSON list of ``{"type": ..., "name": ...}`` objects, as in ClinicalTrials.gov."""
    if not isinstance(value, list) or not all(
        isinstance(i, dict) and str(i.get("name", "")).strip() for i in value
    ):
        raise ValidationError(
            "Enter interventions as a list of objects with a name and a type, for example "
            '[{"type": "DRUG", "name": "Trastuzumab deruxtecan"}].',
            code="invalid_interventions",
        )


def validate_event_types(value: list) -> None:
    """A JSON list of webhook event types; empty means every type."""
    if not isinstance(value, list) or not all(item in WebhookEventType.values for item in value):
        raise ValidationError(
            "Enter a list of event types chosen from %(allowed)s, or an empty list for all.",
            code="invalid_event_types",
            params={"allowed": ", ".join(WebhookEventType.values)},
        )


def validate_language(value: str) -> None:
    """A language the site is configured for (``settings.LANGUAGES``)."""
    from django.conf import settings

    codes = [code for code, _name in settings.LANGUAGES]
    if value not in codes:
        raise ValidationError(
            "“%(value)s” is not one of the site's languages (%(codes)s).",
            code="invalid",
            params={"value": shown_value(value), "codes": ", ".join(codes)},
        )
