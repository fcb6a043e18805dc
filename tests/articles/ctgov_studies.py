"""ClinicalTrials.gov v2 study records written for these tests (``tests/fixtures/ctgov/``)."""

import copy
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ctgov"
FULL = "NCT05500001"  # every mapped module, a phase 2/3 trial, sites in two countries
BARE = "NCT05500002"  # identification only
NEW_CODES = "NCT05500003"  # codes the registry might add after us


def study(nct_id: str) -> dict:
    """A fresh copy of a fixture study record."""
    return copy.deepcopy(json.loads((FIXTURES / f"{nct_id}.json").read_text()))


def with_status(nct_id: str, status: str) -> dict:
    data = study(nct_id)
    data["protocolSection"].setdefault("statusModule", {})["overallStatus"] = status
    return data


def write(path: Path, data: dict | str) -> Path:
    """Write a study (or raw text) to ``path`` and return it."""
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path
