"""Read a pip-audit JSON report for .ci/audit: fail on vulnerabilities, say loudly when
nothing could be audited.

    python .ci/audit_report.py REPORT.json PIP_AUDIT_EXIT_STATUS
"""

import json
import sys


def main(path: str, status: int) -> int:
    try:
        with open(path) as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        print(f"audit: pip-audit failed (exit {status}) without a report")
        return 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "vulns" in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in audited if d["vulns"]]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            name, version = dependency["name"], dependency["version"]
            print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return 1
    if skipped and not audited:
        print("=" * 78)
        print(f"AUDIT NOT PERFORMED: the advisory service could not be reached; all {len(skipped)}")
        print(
            "installed packages were skipped. Run `make audit` where PyPI's JSON API is reachable."
        )
        print("=" * 78)
        return 0
    for dependency in skipped:
        print(f"audit: skipped {dependency['name']}: {dependency['skip_reason']}")
    print(f"audit: {len(audited)} packages audited, no known vulnerability")
    return 1 if status not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
