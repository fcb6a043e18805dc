"""The CI audit step (.ci/audit): a vulnerability fails, an unreachable service only warns.

An unreachable service is reported loudly without failing; a working audit with no finding
passes.
"""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "audit_report.py"
spec = importlib.util.spec_from_file_location("audit_report", SCRIPT)
audit_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_report)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
SKIPPED = {"name": "nh3", "skip_reason": "Dependency not found on PyPI"}
VULNERABLE = {
    "name": "django",
    "version": "5.2.0",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
}


@pytest.mark.parametrize(
    ("dependencies", "status", "expected", "printed"),
    [
        ([CLEAN, VULNERABLE], 1, 1, "VULNERABLE django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)"),
        ([SKIPPED, SKIPPED], 0, 0, "AUDIT NOT PERFORMED"),
        ([CLEAN, SKIPPED], 0, 0, "1 packages audited, no known vulnerability"),
        ([CLEAN], 2, 1, "1 packages audited"),
    ],
    ids=["vulnerable", "unreachable", "clean", "pip-audit broke"],
)
def test_audit_report(tmp_path, capsys, dependencies, status, expected, printed):
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    assert audit_report.main(str(report), status) == expected
    assert printed in capsys.readouterr().out


def test_audit_without_report_fails(tmp_path):
    assert audit_report.main(str(tmp_path / "missing.json"), 1) == 1
