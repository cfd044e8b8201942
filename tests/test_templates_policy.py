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


# Template folders and tag libraries by app, lowest first: a page may load the tags of its own
# app or a lower one, never a higher app's (the higher app composes the page instead).
LAYERS = ("core", "roles", "candidates", "hiring")
TAG_LIBRARIES = {"money": "core", "roles_tags": "roles", "hiring_tags": "hiring"}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


APP_TEMPLATES = [p for p in TEMPLATES if p.relative_to(ROOT / "templates").parts[0] in LAYERS]


def test_every_app_has_templates_to_check():
    assert {p.relative_to(ROOT / "templates").parts[0] for p in APP_TEMPLATES} == {
        "core",
        "roles",
        "candidates",
        "hiring",
    }


@pytest.mark.parametrize("path", APP_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_loads_no_tags_of_a_higher_app(path):
    folder = path.relative_to(ROOT / "templates").parts[0]
    libraries = [name for found in LOAD.findall(path.read_text()) for name in found.split()]
    higher = [
        name
        for name in libraries
        if name in TAG_LIBRARIES and LAYERS.index(TAG_LIBRARIES[name]) > LAYERS.index(folder)
    ]
    assert higher == []
