"""A ClinicalTrials.gov API v2 study record → the values of a ``ClinicalTrial``, plus warnings.

Real records are uneven: a module may be missing (its fields stay blank), and the registry
adds codes now and then. A code we do not know (a status, a phase, a study type, a sex, a
site's status, an intervention type) is kept as it comes, with a warning; a value of the
wrong type, a malformed date or an over-long text is left out or shortened, with a warning.
Only a record that is not a study at all, or whose NCT number is missing, malformed or not
the one asked for, is refused (``MalformedStudy`` / ``InvalidStudy``).

What is mapped (v2 name → field):

- ``protocolSection.identificationModule``: nctId, briefTitle, officialTitle, acronym
- ``statusModule``: overallStatus, whyStopped, startDateStruct / primaryCompletionDateStruct /
  completionDateStruct ``.date`` (kept as given, ``2024-03`` or ``2024-03-15``),
  lastUpdatePostDateStruct ``.date`` → ``last_update_posted``
- ``sponsorCollaboratorsModule.leadSponsor``: name, class
- ``conditionsModule``: conditions, keywords
- ``descriptionModule.briefSummary`` → ``summary`` (only when present)
- ``designModule``: studyType, phases, enrollmentInfo count and type
- ``armsInterventionsModule.interventions``: type, name
- ``eligibilityModule``: eligibilityCriteria, sex, minimumAge, maximumAge, healthyVolunteers
- ``contactsLocationsModule.locations``: facility, city, country, status
- ``hasResults`` (beside ``protocolSection``)

The plain-language ``eligibility_summary`` is written by editors and never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..choices import TrialPhase, TrialStatus
from ..models import ClinicalTrial
from ..validators import NCT_RE, REGISTRY_CODE_RE, normalise_nct_id
from .errors import InvalidStudy, MalformedStudy

# Codes the v2 API documents today; others are kept with a warning.
STUDY_TYPES = frozenset({"INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"})
SEXES = frozenset({"ALL", "FEMALE", "MALE"})
INTERVENTION_TYPES = frozenset(
    {
        "BEHAVIORAL",
        "BIOLOGICAL",
        "COMBINATION_PRODUCT",
        "DEVICE",
        "DIAGNOSTIC_TEST",
        "DIETARY_SUPPLEMENT",
        "DRUG",
        "GENETIC",
        "PROCEDURE",
        "RADIATION",
        "OTHER",
    }
)
LOCATION_STATUSES = frozenset(
    {
        "ACTIVE_NOT_RECRUITING",
        "COMPLETED",
        "ENROLLING_BY_INVITATION",
        "NOT_YET_RECRUITING",
        "RECRUITING",
        "SUSPENDED",
        "TERMINATED",
        "WITHDRAWN",
        "AVAILABLE",
    }
)
REGISTRY_DATE_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?\Z")
# What no text column should hold: control characters (but tab and line breaks) and the lone
# surrogates JSON can encode (``\ud800``), which no database can store as text.
UNSTORABLE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The largest enrollment a PositiveIntegerField holds on every database.
MAX_ENROLLMENT = 2**31 - 1


def clean_text(value: str) -> str:
    """``value`` without unstorable characters, trimmed."""
    return UNSTORABLE_RE.sub("", value).strip()


@dataclass
class MappedStudy:
    """The trial values read from one study record, and what could not be read as expected."""

    nct_id: str
    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


class _Reader:
    """Reads values from a record, noting a warning for each one it cannot use as given."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def module(self, parent: dict, key: str) -> dict:
        """A sub-object; a missing one is empty, one of another type is ignored with a warning."""
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.warn(f"{key} is not an object; left out")
            return {}
        return value

    def text(self, parent: dict, key: str, *, name: str = "", max_length: int | None = None) -> str:
        value = parent.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.warn(f"{name or key} is not text; left out")
            return ""
        value = clean_text(value)
        if max_length and len(value) > max_length:
            self.warn(f"{name or key} is longer than {max_length} characters; shortened")
            value = value[: max_length - 1].rstrip() + "…"
        return value

    def code(
        self,
        parent: dict,
        key: str,
        *,
        known: frozenset[str] | set[str],
        name: str = "",
        max_length: int = 40,
    ) -> str:
        """A registry code: kept as it comes when unknown (with a warning); left out when it
        is not a code at all."""
        value = parent.get(key)
        if value is None or value == "":
            return ""
        label = name or key
        if not isinstance(value, str) or not REGISTRY_CODE_RE.match(value):
            self.warn(f"{label} {value!r} is not a registry code; left out")
            return ""
        if len(value) > max_length:
            self.warn(f"{label} {value!r} is longer than {max_length} characters; left out")
            return ""
        if value not in known:
            self.warn(f"unknown {label} {value!r} kept as is")
        return value

    def _items(self, parent: dict, key: str, kind: type, what: str) -> list:
        """The items of the list at ``key`` that are of ``kind``; the rest left out, with a
        warning."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.warn(f"{key} is not a list; left out")
            return []
        items = [item for item in value if isinstance(item, kind)]
        if len(items) != len(value):
            self.warn(f"{key}: items that are not {what} left out")
        return items

    def strings(self, parent: dict, key: str) -> list[str]:
        items = (clean_text(item) for item in self._items(parent, key, str, "text"))
        return [item for item in items if item]

    def objects(self, parent: dict, key: str) -> list[dict]:
        return self._items(parent, key, dict, "objects")

    def registry_date(self, module: dict, key: str) -> str:
        struct = self.module(module, key)
        value = struct.get("date")
        if value is None or value == "":
            return ""
        if not isinstance(value, str) or not REGISTRY_DATE_RE.match(value):
            self.warn(f"{key}.date {value!r} is not a date like 2024-03 or 2024-03-15; left out")
            return ""
        return value

    def full_date(self, module: dict, key: str) -> date | None:
        value = self.registry_date(module, key)
        if not value:
            return None
        try:
            return date.fromisoformat(value if len(value) == 10 else f"{value}-01")
        except ValueError:
            self.warn(f"{key}.date {value!r} is not a calendar date; left out")
            return None

    def boolean(self, parent: dict, key: str) -> bool | None:
        value = parent.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.warn(f"{key} {value!r} is not true or false; left out")
        return None


def _max_length(name: str) -> int | None:
    return ClinicalTrial._meta.get_field(name).max_length


def study_nct_id(data: Any) -> str:
    """The NCT number a record says it is, or "" when it says none (for messages)."""
    if isinstance(data, dict):
        section = data.get("protocolSection")
        if isinstance(section, dict):
            module = section.get("identificationModule")
            if isinstance(module, dict) and isinstance(module.get("nctId"), str):
                return normalise_nct_id(module["nctId"])
    return ""


def map_study(data: Any, *, expected_nct_id: str | None = None) -> MappedStudy:
    """The trial values of a v2 study record; raises ``MalformedStudy`` for a record that is
    not a study and ``InvalidStudy`` for a missing, malformed or unexpected NCT number."""
    expected = normalise_nct_id(expected_nct_id) if expected_nct_id else ""
    if not isinstance(data, dict) or not isinstance(data.get("protocolSection"), dict):
        raise MalformedStudy(
            "not a ClinicalTrials.gov v2 study: it has no protocolSection object.",
            study=expected,
        )
    read = _Reader()
    section = data["protocolSection"]
    identification = read.module(section, "identificationModule")
    nct_id = identification.get("nctId")
    if not isinstance(nct_id, str) or not nct_id.strip():
        raise InvalidStudy("the study has no identificationModule.nctId.", study=expected)
    nct_id = normalise_nct_id(nct_id)
    if not NCT_RE.match(nct_id):
        raise InvalidStudy(
            f"nctId “{nct_id[:40]}” is not an NCT number (NCT followed by 8 digits).",
            study=expected or nct_id[:40],
        )
    if expected and nct_id != expected:
        raise InvalidStudy(
            f"asked for {expected} but the record is {nct_id}; nothing stored.", study=expected
        )

    status = read.module(section, "statusModule")
    sponsor = read.module(read.module(section, "sponsorCollaboratorsModule"), "leadSponsor")
    conditions = read.module(section, "conditionsModule")
    description = read.module(section, "descriptionModule")
    design = read.module(section, "designModule")
    enrollment = read.module(design, "enrollmentInfo")
    arms = read.module(section, "armsInterventionsModule")
    eligibility = read.module(section, "eligibilityModule")
    contacts = read.module(section, "contactsLocationsModule")

    brief_title = read.text(identification, "briefTitle", max_length=_max_length("brief_title"))
    official_title = read.text(identification, "officialTitle")
    if not brief_title:
        if not official_title:
            raise InvalidStudy(
                "the study has neither a briefTitle nor an officialTitle.", study=nct_id
            )
        read.warn("no briefTitle; the officialTitle is used")
        brief_title = official_title[: _max_length("brief_title")]

    overall_status = read.code(
        status,
        "overallStatus",
        known=set(TrialStatus.values),
        max_length=_max_length("overall_status"),
    )
    count = enrollment.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        read.warn(f"enrollmentInfo.count {count!r} is not a whole number; left out")
        count = None
    elif count is not None and count > MAX_ENROLLMENT:
        read.warn(f"enrollmentInfo.count {count!r} is not a whole number we can store; left out")
        count = None
    has_results = read.boolean(data, "hasResults")

    values: dict[str, Any] = {
        "brief_title": brief_title,
        "official_title": official_title,
        "acronym": read.text(identification, "acronym", max_length=_max_length("acronym")),
        "why_stopped": read.text(status, "whyStopped"),
        "start_date": read.registry_date(status, "startDateStruct"),
        "primary_completion_date": read.registry_date(status, "primaryCompletionDateStruct"),
        "completion_date": read.registry_date(status, "completionDateStruct"),
        "last_update_posted": read.full_date(status, "lastUpdatePostDateStruct"),
        "sponsor": read.text(
            sponsor, "name", name="leadSponsor.name", max_length=_max_length("sponsor")
        ),
        "sponsor_class": read.code(
            sponsor,
            "class",
            known={
                "NIH",
                "FED",
                "OTHER_GOV",
                "INDIV",
                "INDUSTRY",
                "NETWORK",
                "AMBIG",
                "OTHER",
                "UNKNOWN",
            },
            name="leadSponsor.class",
            max_length=_max_length("sponsor_class"),
        ),
        "conditions": read.strings(conditions, "conditions"),
        "keywords": read.strings(conditions, "keywords"),
        "study_type": read.code(
            design, "studyType", known=STUDY_TYPES, max_length=_max_length("study_type")
        ),
        "phases": _phases(read, design),
        "enrollment": count,
        "enrollment_type": read.code(
            enrollment,
            "type",
            known={"ACTUAL", "ESTIMATED"},
            name="enrollmentInfo.type",
            max_length=_max_length("enrollment_type"),
        ),
        "interventions": _interventions(read, arms),
        "eligibility_criteria": read.text(eligibility, "eligibilityCriteria"),
        "sex": read.code(eligibility, "sex", known=SEXES, max_length=_max_length("sex")),
        "minimum_age": read.text(eligibility, "minimumAge", max_length=_max_length("minimum_age")),
        "maximum_age": read.text(eligibility, "maximumAge", max_length=_max_length("maximum_age")),
        "healthy_volunteers": read.boolean(eligibility, "healthyVolunteers"),
        "locations": _locations(read, contacts),
    }
    # A record silent about the status or the results says nothing new: the stored values
    # are kept (a new trial starts Unknown, without results), and no change is recorded.
    if overall_status:
        values["overall_status"] = overall_status
    if has_results is not None:
        values["has_results"] = has_results
    summary = read.text(description, "briefSummary")
    if summary:
        values["summary"] = summary
    return MappedStudy(nct_id=nct_id, values=values, warnings=read.warnings)


def _phases(read: _Reader, design: dict) -> list[str]:
    phases = []
    for phase in read.strings(design, "phases"):
        if not REGISTRY_CODE_RE.match(phase):
            read.warn(f"phase {phase!r} is not a registry code; left out")
            continue
        if phase not in TrialPhase.values:
            read.warn(f"unknown phase {phase!r} kept as is")
        phases.append(phase)
    return phases


def _interventions(read: _Reader, arms: dict) -> list[dict[str, str]]:
    interventions = []
    for item in read.objects(arms, "interventions"):
        name = read.text(item, "name", name="intervention name")
        if not name:
            read.warn("an intervention without a name left out")
            continue
        kind = read.code(item, "type", known=INTERVENTION_TYPES, name="intervention type")
        interventions.append({"type": kind, "name": name})
    return interventions


def _locations(read: _Reader, contacts: dict) -> list[dict[str, str]]:
    sites = []
    for item in read.objects(contacts, "locations"):
        site = {
            "facility": read.text(item, "facility", name="location facility"),
            "city": read.text(item, "city", name="location city"),
            "country": read.text(item, "country", name="location country"),
            "status": read.code(item, "status", known=LOCATION_STATUSES, name="location status"),
        }
        if any(site.values()):
            sites.append(site)
    return sites
