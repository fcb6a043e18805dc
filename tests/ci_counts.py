"""A pytest plugin (loaded by tests/conftest.py): when .ci/run asks for counts
(CI_COUNTS_FILE), add this run's to its summary: tests that passed, and tests that failed or
errored (.ci/steps.sh).

Under pytest-xdist only the controlling process writes: it has every worker's reports, so its
one line counts the whole run, and a worker's own line would count its tests twice."""

import os


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    path = os.environ.get("CI_COUNTS_FILE")
    if not path or hasattr(config, "workerinput"):
        return
    stats = terminalreporter.stats
    passed = len(stats.get("passed", [])) + len(stats.get("xpassed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    with open(path, "a") as counts:
        counts.write(f"{passed} {failed} pytest\n")
