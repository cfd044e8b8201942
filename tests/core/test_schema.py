import io

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS


def test_openapi_schema_validates_with_no_warnings(tmp_path):
    """Fails while any app's endpoint is missing schema information.

    In this process (the command is the same; a process of its own would only add Django's
    start): the warnings counted by an earlier generation here are cleared first, and a
    generation counts every warning again, so a warning fails the test whatever ran before.
    """
    out = tmp_path / "schema.yaml"
    GENERATOR_STATS.reset()
    stderr = io.StringIO()

    try:
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=stderr
        )
    except Exception as error:  # the command's own errors name the warning or the schema fault
        pytest.fail(f"{error}\n{stderr.getvalue()[-4000:]}")
    finally:
        GENERATOR_STATS.reset()

    assert out.read_text().startswith("openapi: 3.")
    assert "/api/v1/auth/token/" in out.read_text()
