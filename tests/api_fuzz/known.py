"""Failures the superuser's run still finds, each with why it is not fixed yet.

Keyed by operation and Schemathesis failure code. An entry here is reported as remaining work,
never as fixed: it is counted in the figures, and removing it turns the failure back on.
"""

KNOWN: dict[tuple[str, str], str] = {}
