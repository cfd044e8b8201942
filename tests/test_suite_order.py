"""The suite's own scheduling: the files it hands out first still exist (a renamed file would
silently fall back to the end of the run)."""

from django.conf import settings

from tests.conftest import HEAVY_FIRST


def test_every_heavy_first_entry_names_a_test_file_or_folder():
    missing = [entry for entry in HEAVY_FIRST if not (settings.BASE_DIR / entry).exists()]

    assert missing == []
    assert all(entry.startswith("tests/") for entry in HEAVY_FIRST)
