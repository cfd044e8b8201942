"""`make audit`: pip-audit over requirements.lock, with an honest answer when it cannot audit.

pip-audit reads the pinned lock (no resolution, no install) and asks a vulnerability
database about each package: PyPI's (the default) or OSV's (``AUDIT_SERVICE=osv``). When
the database cannot be reached, or answers for none of the packages (a PyPI mirror without
the JSON API answers "not found" for every one, and pip-audit then prints "No known
vulnerabilities found"), this says so and exits 2: no audit is ever reported as clean.

Exit codes: 0 no known vulnerabilities, 1 vulnerabilities found, 2 the audit could not be
done (database unreachable, or some packages could not be checked).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
SERVICES = {"pypi": "PyPI's advisory database", "osv": "the OSV database"}


def main() -> int:
    service = os.environ.get("AUDIT_SERVICE", "pypi")
    if service not in SERVICES:
        return _fail(f"AUDIT_SERVICE must be one of {', '.join(SERVICES)}, not {service!r}.")
    where = SERVICES[service]
    result = _pip_audit(service)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return _fail(f"the vulnerability database, {where}, could not be reached: {detail}")
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    if dependencies and len(skipped) == len(dependencies):
        return _fail(
            f"the vulnerability database, {where}, answered for none of the {len(skipped)} "
            f"locked packages ({skipped[0]['skip_reason']}): it cannot be reached from here "
            "(a package mirror without PyPI's JSON API answers so), and nothing was audited."
        )
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        return _fail(
            f"{len(skipped)} locked packages could not be checked against {where}: {names}"
        )
    if vulnerable:
        print(f"make audit: known vulnerabilities in {len(vulnerable)} locked packages (above).")
        return 1
    print(f"make audit: no known vulnerabilities in {len(dependencies)} locked packages ({where}).")
    return 0


def _pip_audit(service: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "--requirement",
        str(LOCK),
        "--no-deps",  # every line of the lock is pinned: nothing to resolve or install
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def _fail(message: str) -> int:
    print(f"make audit: NOT AUDITED: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
