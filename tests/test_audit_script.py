"""`make audit` (scripts/audit.py): never reports an audit it could not do as clean."""

from __future__ import annotations

import importlib.util
import json
import subprocess

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("audit", settings.BASE_DIR / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
SKIPPED = {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited"}
VULNERABLE = {
    "name": "django",
    "version": "5.2.19",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"]}],
}


@pytest.mark.parametrize(
    ("stdout", "stderr", "code", "says"),
    [
        (json.dumps({"dependencies": [CLEAN]}), "", 0, "no known vulnerabilities in 1 locked"),
        (json.dumps({"dependencies": [VULNERABLE]}), "", 1, "PYSEC-2099-1 (fixed in 5.2.20)"),
        (json.dumps({"dependencies": [SKIPPED, SKIPPED]}), "", 2, "NOT AUDITED"),
        (json.dumps({"dependencies": [CLEAN, SKIPPED]}), "", 2, "could not be checked"),
        ("", "requests.exceptions.ConnectionError: no route", 2, "could not be reached"),
    ],
)
def test_the_answer_follows_what_the_database_said(monkeypatch, capsys, stdout, stderr, code, says):
    answer = subprocess.CompletedProcess([], 1, stdout=stdout, stderr=stderr)
    monkeypatch.setattr(audit, "_pip_audit", lambda service: answer)

    assert audit.main() == code
    output = capsys.readouterr()
    assert says in output.out + output.err
