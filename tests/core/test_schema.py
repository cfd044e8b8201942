import subprocess
import sys

from django.conf import settings


def test_openapi_schema_validates_with_no_warnings(tmp_path):
    """Fails while any app's endpoint is missing schema information."""
    out = tmp_path / "schema.yaml"

    result = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=settings.BASE_DIR,
    )

    assert result.returncode == 0, result.stderr[-4000:]
    assert out.read_text().startswith("openapi: 3.")
    assert "/api/v1/auth/token/" in out.read_text()
