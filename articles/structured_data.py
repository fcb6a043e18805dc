"""schema.org JSON-LD for published articles (MedicalWebPage) and trials (MedicalTrial)."""

import json

from django.utils.safestring import SafeString, mark_safe

from .models import ClinicalTrial, PublishedArticle

AUDIENCE_TYPES = {"patient": "Patient", "professional": "Clinician"}
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def to_json_ld(data: dict) -> SafeString:
    """Serialise for a <script type="application/ld+json"> block that no text can close."""
    # "<", ">" and "&" are escaped as \\u sequences, so writer text cannot end the script.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


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


def medical_web_page(snapshot: PublishedArticle, url: str, date_published) -> dict:
    """The MedicalWebPage description of a live article."""
    reviewer = snapshot.reviewed_by or {}
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": snapshot.title,
        "headline": snapshot.title,
        "description": snapshot.summary,
        "url": url,
        "inLanguage": snapshot.language,
        "datePublished": date_published.isoformat(),
        "dateModified": snapshot.go_live_at.isoformat(),
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
    if snapshot.last_reviewed:
        data["lastReviewed"] = snapshot.last_reviewed.isoformat()
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


def medical_trial(trial: ClinicalTrial, url: str) -> dict:
    """The MedicalTrial description of a clinical trial."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTrial",
        "name": trial.brief_title,
        "url": url,
        "description": trial.summary,
        "code": {
            "@type": "MedicalCode",
            "codeValue": trial.nct_id,
            "codingSystem": "ClinicalTrials.gov",
        },
        "identifier": trial.nct_id,
        "status": trial.get_overall_status_display(),
        "healthCondition": [{"@type": "MedicalCondition", "name": c} for c in trial.conditions],
        "sameAs": trial.registry_url,
    }
    if trial.phases:
        data["phase"] = ", ".join(trial.phases)
    return data
