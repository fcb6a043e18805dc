"""CI's summary (.ci/steps.sh, used by .ci/run): every step runs, the last line totals the
tests of all of them, and the exit status is the first failure's."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_steps(tmp_path, *steps: str) -> subprocess.CompletedProcess:
    """A CI script made of ``steps`` (``step NAME COMMAND...`` lines), run as .ci/run runs."""
    script = tmp_path / "run"
    script.write_text("set -euo pipefail\nsource .ci/steps.sh\n" + "\n".join(steps) + "\nfinish\n")
    return subprocess.run(
        ["bash", str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )


def test_summary_totals_every_step_and_exits_with_the_first_failure(tmp_path):
    """Counted steps add their counts, the others count as one test; a step that failed
    without counting a failure counts one; steps after a failure still run."""
    result = run_steps(
        tmp_path,
        """step "tests" bash -c 'echo "10 0 pytest" >>"$CI_COUNTS_FILE"'""",
        """step "broken" bash -c 'exit 3'""",
        """step "fuzz" bash -c 'printf "5 2 a\\n1 0 b\\n" >>"$CI_COUNTS_FILE"; exit 1'""",
        """step "lint then tests" bash -c 'echo "4 0 pytest" >>"$CI_COUNTS_FILE"; exit 2'""",
        """step "audit" true""",
    )
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "21 passed, 4 failed"
    assert result.returncode == 3
    assert "== audit ==" in result.stdout
    assert any(line.startswith("broken:") and "0 passed, 1 failed" in line for line in lines)
    assert list(tmp_path.glob("mbc-ci-counts.*")) == []


def test_summary_of_a_clean_run_exits_zero(tmp_path):
    result = run_steps(tmp_path, """step "a" true""", """step "b" true""")
    assert result.stdout.strip().splitlines()[-1] == "2 passed, 0 failed"
    assert result.returncode == 0


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one process", "xdist"])
def test_pytest_reports_its_counts_to_the_summary(tmp_path, workers):
    """A pytest run adds one "<passed> <failed> pytest" line to CI_COUNTS_FILE
    (tests/ci_counts.py, loaded by tests/conftest.py), counting every xdist worker's tests."""
    counts = tmp_path / "counts"
    test_file = tmp_path / "test_sample.py"
    test_file.write_text(
        "def test_one():\n    pass\n\n"
        "def test_two():\n    pass\n\n"
        "def test_three():\n    assert False\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    environment = {**os.environ, "CI_COUNTS_FILE": str(counts), "PYTHONPATH": str(ROOT)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:django", "-p", "no:cacheprovider"),
            *("-p", "tests.ci_counts", "-c", str(tmp_path / "pytest.ini"), str(test_file)),
            *workers,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert counts.read_text() == "2 1 pytest\n"
