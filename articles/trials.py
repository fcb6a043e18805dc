"""Clinical trials as readers see them: registry codes in plain words, and the filters of the
trial list and the public API.

ClinicalTrials.gov reports statuses, phases, sexes and types as codes (``ACTIVE_NOT_RECRUITING``,
``PHASE3``). Every reader-facing label comes from here (the pages through the template filters
in ``articles.templatetags.trials``, the API through the same functions). A code we do not know
yet (the sync keeps a new registry value as it comes) is shown humanised, never as an error.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from itertools import groupby

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .choices import TrialPhase, TrialStatus
from .models import ClinicalTrial

# --- Labels --------------------------------------------------------------------------------

SEX_LABELS = {"ALL": _("All"), "FEMALE": _("Female"), "MALE": _("Male")}
STUDY_TYPE_LABELS = {
    "INTERVENTIONAL": _("Interventional (tests a treatment or other intervention)"),
    "OBSERVATIONAL": _("Observational (follows people without assigning a treatment)"),
    "EXPANDED_ACCESS": _("Expanded access (a treatment outside a trial)"),
}
INTERVENTION_TYPE_LABELS = {
    "DRUG": _("Drug"),
    "BIOLOGICAL": _("Biological"),
    "DEVICE": _("Device"),
    "PROCEDURE": _("Procedure"),
    "RADIATION": _("Radiotherapy"),
    "BEHAVIORAL": _("Behavioural"),
    "GENETIC": _("Genetic"),
    "DIETARY_SUPPLEMENT": _("Dietary supplement"),
    "COMBINATION_PRODUCT": _("Combination product"),
    "DIAGNOSTIC_TEST": _("Diagnostic test"),
    "OTHER": _("Other"),
}
SPONSOR_CLASS_LABELS = {
    "INDUSTRY": _("Industry"),
    "NIH": _("US National Institutes of Health"),
    "FED": _("US federal agency"),
    "OTHER_GOV": _("Government agency"),
    "INDIV": _("Individual"),
    "NETWORK": _("Research network"),
    "AMBIG": _("Not clear"),
    "OTHER": _("Other (for example a university or hospital)"),
    "UNKNOWN": _("Not known"),
}
ENROLLMENT_TYPE_LABELS = {"ACTUAL": _("actual"), "ESTIMATED": _("estimated")}

# The colour family of a status badge; the badge always shows the words too.
STATUS_TONES = {
    TrialStatus.RECRUITING: "open",
    TrialStatus.NOT_YET_RECRUITING: "open",
    TrialStatus.ENROLLING_BY_INVITATION: "open",
    TrialStatus.AVAILABLE: "open",
    TrialStatus.ACTIVE_NOT_RECRUITING: "running",
    TrialStatus.COMPLETED: "running",
    TrialStatus.APPROVED_FOR_MARKETING: "running",
    TrialStatus.SUSPENDED: "paused",
    TrialStatus.TEMPORARILY_NOT_AVAILABLE: "paused",
    TrialStatus.TERMINATED: "stopped",
    TrialStatus.WITHDRAWN: "stopped",
    TrialStatus.NO_LONGER_AVAILABLE: "stopped",
    TrialStatus.WITHHELD: "stopped",
}


def humanise(code: str) -> str:
    """A registry code we have no label for, in words: ``SOME_NEW_STATUS`` → "Some new status"."""
    words = str(code or "").replace("_", " ").split()
    return " ".join(words).capitalize()


def _label(labels: dict, code: str) -> str:
    """The label of ``code`` in the active language (the API's is always English)."""
    label = labels.get(code)
    return str(label) if label else humanise(code)


def status_label(code: str) -> str:
    """An overall (or site) recruitment status: "Recruiting", "Active, not recruiting"…"""
    return _label(dict(TrialStatus.choices), code)


def status_tone(code: str) -> str:
    """The badge colour family of a status: open, running, paused, stopped or unknown."""
    return STATUS_TONES.get(code, "unknown")


PHASE_NUMBER = re.compile(r"^PHASE(\d)$")


def phase_label(phases: Iterable[str]) -> str:
    """A trial's phases in words: "Phase 3", "Phase 2/3" for [PHASE2, PHASE3], "Early phase 1",
    "Not applicable"; empty when none is given."""
    phases = [str(phase) for phase in phases or []]
    numbers = [PHASE_NUMBER.match(phase) for phase in phases]
    if len(phases) > 1 and all(numbers):
        return gettext("Phase %(numbers)s") % {
            "numbers": "/".join(match.group(1) for match in numbers)
        }
    return " / ".join(_label(dict(TrialPhase.choices), phase) for phase in phases)


def sex_label(code: str) -> str:
    """Who may take part by sex, as the registry records it."""
    return _label(SEX_LABELS, code) if code else ""


def study_type_label(code: str) -> str:
    return _label(STUDY_TYPE_LABELS, code) if code else ""


def intervention_type_label(code: str) -> str:
    return _label(INTERVENTION_TYPE_LABELS, code) if code else ""


def sponsor_class_label(code: str) -> str:
    return _label(SPONSOR_CLASS_LABELS, code) if code else ""


def enrollment_label(count: int | None, kind: str) -> str:
    """ "450 people (estimated)"; empty when the registry gives no number."""
    if count is None:
        return ""
    people = ngettext("%(count)s person", "%(count)s people", count) % {
        "count": formats.number_format(count, force_grouping=True)
    }
    qualifier = str(ENROLLMENT_TYPE_LABELS.get(kind, humanise(kind).lower())) if kind else ""
    return people + (f" ({qualifier})" if qualifier else "")


AGE = re.compile(r"^\s*(\d+)\s+([A-Za-z]+?)s?\s*$")


def _age(text: str) -> tuple[int, str] | None:
    """ "18 Years" → (18, "year"); None when the text is not a number and a unit."""
    match = AGE.match(text or "")
    return (int(match.group(1)), match.group(2).lower()) if match else None


def _plural(number: int, unit: str) -> str:
    """ "18 years" ("18 años"); a unit we have no words for stays as the registry wrote it."""
    if unit in AGE_UNITS:
        return AGE_UNITS[unit](number) % {"number": number}
    return f"{number} {unit}" + ("" if number == 1 else "s")


AGE_UNITS = {
    "year": lambda n: ngettext("%(number)d year", "%(number)d years", n),
    "month": lambda n: ngettext("%(number)d month", "%(number)d months", n),
    "week": lambda n: ngettext("%(number)d week", "%(number)d weeks", n),
    "day": lambda n: ngettext("%(number)d day", "%(number)d days", n),
    "hour": lambda n: ngettext("%(number)d hour", "%(number)d hours", n),
}


def age_range(minimum: str, maximum: str) -> str:
    """The registry's age limits in words: "18 years and over", "Up to 75 years",
    "18 to 75 years", or "No age limits given"."""
    low, high = _age(minimum), _age(maximum)
    low_text = _plural(*low) if low else (minimum or "").strip()
    high_text = _plural(*high) if high else (maximum or "").strip()
    if low_text and high_text:
        if low and high and low[1] == high[1]:
            return gettext("%(low)s to %(high)s") % {"low": low[0], "high": _plural(*high)}
        return gettext("%(low)s to %(high)s") % {"low": low_text, "high": high_text}
    if low_text:
        return gettext("%(low)s and over") % {"low": low_text}
    if high_text:
        return gettext("Up to %(high)s") % {"high": high_text}
    return gettext("No age limits given")


def registry_date(text: str) -> str:
    """A registry date as given, in words of the active language: "2024-03" → "March 2024"
    ("marzo de 2024"), "2024-03-15" → "15 March 2024"; anything else is shown as it is."""
    text = (text or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.date.fromisoformat(text)
            return formats.date_format(day, gettext("j F Y"))
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = (int(part) for part in text.split("-"))
            return formats.date_format(datetime.date(year, month, 1), gettext("F Y"))
    except ValueError:
        pass
    return text


@dataclass(frozen=True)
class Site:
    facility: str
    city: str
    status: str

    @property
    def status_label(self) -> str:
        return status_label(self.status) if self.status else ""


@dataclass(frozen=True)
class Country:
    name: str
    sites: list[Site]


UNNAMED_COUNTRY = _("Country not given")


def locations_by_country(locations: Iterable[dict]) -> list[Country]:
    """Sites grouped by country (countries and cities in alphabetical order; sites with no
    country last)."""
    sites = sorted(
        (
            (str(place.get("country", "")).strip(), str(place.get("city", "")).strip(), place)
            for place in locations or []
            if isinstance(place, dict)
        ),
        key=lambda item: (not item[0], item[0].casefold(), item[1].casefold()),
    )
    return [
        Country(
            name=country or str(UNNAMED_COUNTRY),
            sites=[
                Site(
                    facility=str(place.get("facility", "")).strip(),
                    city=city,
                    status=str(place.get("status", "")).strip(),
                )
                for _, city, place in group
            ],
        )
        for country, group in groupby(sites, key=lambda item: item[0])
    ]


SITE_NAME_SUFFIX = " · MBC Info"  # what templates/base.html adds to every <title>
TITLE_LIMIT = 70


def page_title(trial: ClinicalTrial, limit: int = TITLE_LIMIT - len(SITE_NAME_SUFFIX)) -> str:
    """ "NCT01234567: brief title", the title cut at a word with "…" to fit ``limit``
    characters, so the whole ``<title>`` stays within 70."""
    prefix = f"{trial.nct_id}: "
    title = " ".join(trial.brief_title.split())
    if len(prefix) + len(title) <= limit:
        return prefix + title
    room = limit - len(prefix) - 1  # the ellipsis
    cut = title[: room + 1].rsplit(" ", 1)[0] if " " in title[: room + 1] else title[:room]
    return prefix + cut[:room].rstrip(" ,;:-–(") + "…"


# --- Filters of /trials/ and /api/v1/trials/ -----------------------------------------------

FILTER_TEXT_MAX = 100
CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")


@dataclass(frozen=True)
class TrialFilters:
    """What a reader filters the trial list by; empty means "any"."""

    status: str = ""
    phase: str = ""
    condition: str = ""
    intervention: str = ""
    country: str = ""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.names())


def with_phase(queryset: QuerySet[ClinicalTrial], phase: str) -> QuerySet[ClinicalTrial]:
    # Phases are a JSON list of codes ([A-Z0-9_]); the quoted code in the JSON text matches
    # exactly one element, on SQLite and PostgreSQL alike.
    return queryset.filter(phases__icontains=f'"{phase}"')


def status_is_known(code: str) -> bool:
    """A status we have a label for, or one some trial holds (a new registry value)."""
    return code in TrialStatus.values or ClinicalTrial.objects.filter(overall_status=code).exists()


def phase_is_known(code: str) -> bool:
    return code in TrialPhase.values or with_phase(ClinicalTrial.objects.all(), code).exists()


def _folded(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _matches(row: dict, filters: TrialFilters) -> bool:
    if filters.condition:
        wanted = _folded(filters.condition)
        if not any(wanted in _folded(condition) for condition in row["conditions"] or []):
            return False
    if filters.intervention:
        wanted = _folded(filters.intervention)
        names = (
            item.get("name", "") for item in row["interventions"] or [] if isinstance(item, dict)
        )
        if not any(wanted in _folded(name) for name in names):
            return False
    if filters.country:
        wanted = _folded(filters.country)
        places = (place for place in row["locations"] or [] if isinstance(place, dict))
        if not any(_folded(place.get("country", "")) == wanted for place in places):
            return False
    return True


def filter_trials(
    queryset: QuerySet[ClinicalTrial], filters: TrialFilters
) -> QuerySet[ClinicalTrial]:
    """The trials matching every filter given: status and phase are exact codes; condition and
    intervention (name) are case-insensitive parts of a word or phrase; country is a site's
    country, whole and case-insensitive.

    Conditions, interventions and sites are JSON lists. SQLite has no JSON ``contains``, and
    matching the JSON text differs between the databases (SQLite stores "é" as ``\\u00e9``,
    PostgreSQL as "é"; an intervention's type sits beside its name), so those three filters
    read the lists of the trials left by the column filters (one query, only when one of them
    is given) and keep the matching ids: exact, Unicode-aware and the same on both databases.
    The trials a CMS follows are the few hundred its articles cite, so this stays cheap."""
    if filters.status:
        queryset = queryset.filter(overall_status=filters.status)
    if filters.phase:
        queryset = with_phase(queryset, filters.phase)
    if filters.condition or filters.intervention or filters.country:
        rows = queryset.values("pk", "conditions", "interventions", "locations")
        queryset = queryset.filter(pk__in=[row["pk"] for row in rows if _matches(row, filters)])
    return queryset


@dataclass(frozen=True)
class FilterChoices:
    """The values the trial list offers to filter by: those the trials hold."""

    statuses: list[tuple[str, str]]
    phases: list[tuple[str, str]]
    countries: list[str]


def filter_choices() -> FilterChoices:
    """The statuses, single phases and site countries of the stored trials (one query)."""
    statuses: set[str] = set()
    phases: set[str] = set()
    countries: dict[str, str] = {}
    for status, trial_phases, locations in ClinicalTrial.objects.values_list(
        "overall_status", "phases", "locations"
    ):
        statuses.add(status)
        phases.update(str(phase) for phase in trial_phases or [])
        for place in locations or []:
            country = (
                " ".join(str(place.get("country", "")).split()) if isinstance(place, dict) else ""
            )
            if country:
                countries.setdefault(country.casefold(), country)
    status_order = {code: index for index, code in enumerate(TrialStatus.values)}
    phase_order = {code: index for index, code in enumerate(TrialPhase.values)}
    return FilterChoices(
        statuses=[
            (code, status_label(code))
            for code in sorted(statuses, key=lambda c: (status_order.get(c, len(status_order)), c))
        ],
        phases=[
            (code, phase_label([code]))
            for code in sorted(phases, key=lambda c: (phase_order.get(c, len(phase_order)), c))
        ],
        countries=sorted(countries.values(), key=str.casefold),
    )
