"""Templates carry no inline script or style and load nothing from the internet.

The roadmap's Content-Security-Policy forbids inline code; the product must
work offline. This reads every template and static file in the repository.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
STATIC = sorted(p for p in (ROOT / "static").rglob("*") if p.suffix in {".css", ".js"})

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
REMOTE_CSS = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.I)


def test_there_are_templates_and_static_files_to_check():
    assert len(TEMPLATES) >= 10
    assert any(p.suffix == ".css" for p in STATIC)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_code_and_no_remote_assets(path):
    text = path.read_text()
    found = [label for pattern, label in INLINE if pattern.search(text)]
    assert found == []
    assert REMOTE.findall(text) == []


@pytest.mark.parametrize("path", STATIC, ids=lambda p: str(p.relative_to(ROOT)))
def test_static_file_loads_nothing_remote(path):
    assert REMOTE_CSS.findall(path.read_text()) == []
