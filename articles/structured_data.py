"""schema.org JSON-LD for published articles (MedicalWebPage) and trials (MedicalTrial)."""

import datetime
import json
from collections.abc import Callable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .choices import TrialStatus
from .images.delivery import image_object
from .models import ClinicalTrial, PublishedArticle
from .trials import UNNAMED_COUNTRY, locations_by_country

AUDIENCE_TYPES = {"patient": "Patient", "professional": "Clinician"}
# In a script block, "<", ">" and "&" are written as \\u sequences, so that writer text cannot
# end the script. Three ``str.replace`` passes, not ``str.translate``: translate looks up each
# character of a page's several kilobytes of JSON in a dict (about 20 times slower).
JSON_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def iso_datetime(value: datetime.date | datetime.datetime | None) -> str:
    """A date, or a date and time to the second in the site's time zone, in ISO 8601: what
    HTML's ``<time datetime>``, schema.org and Atom read. HTML allows at most three digits of
    a fraction of a second, so the microseconds of stored times are dropped everywhere.
    Anything else (no date) is an empty string."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


def script_json(value: object) -> str:
    """``value`` as JSON that no text can end a <script> block with."""
    encoded = json.dumps(value, ensure_ascii=False)
    for character, escaped in JSON_SCRIPT_ESCAPES:
        encoded = encoded.replace(character, escaped)
    return encoded


def to_json_ld(data: dict) -> SafeString:
    """Serialise for a <script type="application/ld+json"> block that no text can close."""
    return mark_safe(script_json(data))


def citation(reference: dict) -> dict:
    item = {"@type": "ScholarlyArticle", "name": reference["title"]}
    if reference.get("authors"):
        item["author"] = reference["authors"]
    if reference.get("journal"):
        item["isPartOf"] = {"@type": "Periodical", "name": reference["journal"]}
    if reference.get("year"):
        item["datePublished"] = str(reference["year"])
    url = reference.get("doi_url") or reference.get("pubmed_url") or reference.get("url")
    if url:
        item["url"] = url
    identifiers = [
        {"@type": "PropertyValue", "propertyID": name, "value": reference[key]}
        for key, name in (("pmid", "PMID"), ("doi", "DOI"), ("nct_id", "NCT"))
        if reference.get(key)
    ]
    if identifiers:
        item["identifier"] = identifiers
    return item


def medical_web_page(
    snapshot: PublishedArticle,
    url: str,
    date_published,
    images: list[dict] | None = None,
    absolute: Callable[[str], str] = str,
) -> dict:
    """The MedicalWebPage description of a live article; ``images`` (the lead image first)
    become ``image`` ImageObjects, their URLs made absolute by ``absolute``."""
    image = [image_object(data, absolute) for data in images] if images else None
    return _web_page(snapshot, url, date_published, image)


def _web_page(snapshot: PublishedArticle, url: str, date_published, image: object) -> dict:
    reviewer = snapshot.reviewed_by or {}
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": snapshot.title,
        "headline": snapshot.title,
        "description": snapshot.summary,
        "url": url,
        "inLanguage": snapshot.language,
        "datePublished": iso_datetime(date_published),
        "dateModified": iso_datetime(snapshot.go_live_at),
        "medicalAudience": {
            "@type": "MedicalAudience",
            "audienceType": AUDIENCE_TYPES.get(snapshot.audience, "Patient"),
        },
        "about": {
            "@type": "MedicalCondition",
            "name": "Metastatic breast cancer",
            "alternateName": "Stage IV breast cancer",
        },
        "author": [{"@type": "Person", "name": name} for name in snapshot.authors],
        "citation": [citation(reference) for reference in snapshot.references],
    }
    if image is not None:
        data["image"] = image
    if snapshot.last_reviewed:
        data["lastReviewed"] = iso_datetime(snapshot.last_reviewed)
    if reviewer:
        data["reviewedBy"] = {
            "@type": "Person",
            "name": reviewer.get("name", ""),
            "honorificSuffix": reviewer.get("credentials", ""),
            "jobTitle": reviewer.get("specialty", ""),
        }
        if reviewer.get("disclosure"):
            # schema.org has no conflict-of-interest property for a Person; ``description``
            # is the Person's own free text, labelled so that it reads on its own.
            data["reviewedBy"]["description"] = (
                f"Conflict-of-interest disclosure: {reviewer['disclosure']}"
            )
        if reviewer.get("institution"):
            data["reviewedBy"]["affiliation"] = {
                "@type": "Organization",
                "name": reviewer["institution"],
            }
    return data


# The structured data of an article's page is stored with its other parts at publication
# (``articles.page_parts``) with two slots, filled when the page is rendered: its address is on
# the requested host, and its images are those not withdrawn since. A slot is a string no
# writer can enter (forms and the API refuse NUL characters), written as its JSON.
_URL_MARKER, _IMAGE_MARKER = "\x00url\x00", "\x00image\x00"
_URL_SLOT, _IMAGE_SLOT = script_json(_URL_MARKER), script_json(_IMAGE_MARKER)
# The image slot with its key: removed when every image has been withdrawn.
_IMAGE_ENTRY = f', "image": {_IMAGE_SLOT}'


def stored_web_page(snapshot: PublishedArticle) -> str:
    """The page's JSON-LD (``medical_web_page``, script-safe) with the slots of its address
    and, when it has images, of its images; empty should its own text hold a slot (the page
    then builds it whole)."""
    has_images = bool(snapshot.images or snapshot.lead_image)
    data = _web_page(
        snapshot,
        _URL_MARKER,
        snapshot.first_published_at,
        _IMAGE_MARKER if has_images else None,
    )
    text = script_json(data)
    if text.count(_URL_SLOT) != 1 or text.count(_IMAGE_SLOT) != int(has_images):
        return ""
    return text


def web_page_json_ld(
    snapshot: PublishedArticle,
    stored: str,
    url: str,
    images: list[dict],
    absolute: Callable[[str], str] = str,
) -> SafeString:
    """The page's JSON-LD: ``stored`` (from ``stored_web_page``) with ``url`` and the
    ``images`` still shown in its slots, the same text ``to_json_ld(medical_web_page(…))``
    writes; built whole when nothing is stored."""
    if not stored:
        return to_json_ld(
            medical_web_page(snapshot, url, snapshot.first_published_at, images, absolute)
        )
    text = stored.replace(_URL_SLOT, script_json(url), 1)
    if images:
        objects = [image_object(data, absolute) for data in images]
        text = text.replace(_IMAGE_SLOT, script_json(objects), 1)
    else:
        text = text.replace(_IMAGE_ENTRY, "", 1)
    return mark_safe(text)


# ClinicalTrials.gov overallStatus → schema.org MedicalStudyStatus; other statuses (unknown,
# expanded access) have no equivalent and are left out.
STUDY_STATUSES = {
    TrialStatus.RECRUITING: "Recruiting",
    TrialStatus.NOT_YET_RECRUITING: "NotYetRecruiting",
    TrialStatus.ENROLLING_BY_INVITATION: "EnrollingByInvitation",
    TrialStatus.ACTIVE_NOT_RECRUITING: "ActiveNotRecruiting",
    TrialStatus.SUSPENDED: "Suspended",
    TrialStatus.TERMINATED: "Terminated",
    TrialStatus.COMPLETED: "Completed",
    TrialStatus.WITHDRAWN: "Withdrawn",
}
# ClinicalTrials.gov intervention types → the schema.org MedicalEntity type that says what
# the trial studies; the rest are plain MedicalEntity.
SUBJECT_TYPES = {
    "DRUG": "Drug",
    "BIOLOGICAL": "Drug",
    "DEVICE": "MedicalDevice",
    "PROCEDURE": "MedicalProcedure",
    "RADIATION": "RadiationTherapy",
}


def _trial_designs(trial: ClinicalTrial) -> list[str]:
    """The MedicalTrialDesign values the registry's sites show for certain: international (sites
    in more than one country), multi-centre or single-centre. Blinding, randomisation and
    placebo are not in the fields we keep, so they are never claimed."""
    sites = [place for place in trial.locations if isinstance(place, dict)]
    countries = {str(place.get("country", "")).strip().casefold() for place in sites} - {""}
    designs = []
    if len(countries) > 1:
        designs.append("InternationalTrial")
    if len(sites) > 1:
        designs.append("MultiCenterTrial")
    elif len(sites) == 1:
        designs.append("SingleCenterTrial")
    return [f"https://schema.org/{design}" for design in designs]


def medical_trial(trial: ClinicalTrial, url: str) -> dict:
    """The MedicalTrial description of a clinical trial, using only properties schema.org
    defines for MedicalTrial, MedicalStudy, MedicalEntity and Thing."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTrial",
        "name": trial.brief_title,
        "url": url,
        "sameAs": trial.registry_url,
        "identifier": trial.nct_id,
        "code": {
            "@type": "MedicalCode",
            "codeValue": trial.nct_id,
            "codingSystem": "ClinicalTrials.gov",
        },
        "description": trial.summary or trial.brief_title,
        "healthCondition": [{"@type": "MedicalCondition", "name": c} for c in trial.conditions],
    }
    alternate_names = [name for name in (trial.acronym, trial.official_title) if name]
    if alternate_names:
        data["alternateName"] = alternate_names
    if trial.overall_status in STUDY_STATUSES:
        data["status"] = f"https://schema.org/{STUDY_STATUSES[trial.overall_status]}"
    if trial.sponsor:
        data["sponsor"] = {"@type": "Organization", "name": trial.sponsor}
    designs = _trial_designs(trial)
    if designs:
        data["trialDesign"] = designs
    countries = [
        {"@type": "AdministrativeArea", "name": country.name}
        for country in locations_by_country(trial.locations)
        if country.name != UNNAMED_COUNTRY
    ]
    if countries:
        data["studyLocation"] = countries
    subjects = [
        {"@type": SUBJECT_TYPES.get(item.get("type", ""), "MedicalEntity"), "name": item["name"]}
        for item in trial.interventions
        if isinstance(item, dict) and item.get("name")
    ]
    if subjects:
        data["studySubject"] = subjects
    return data
