"""The suite's own scheduling: the files it hands out first still exist (a renamed file would
silently fall back to the end of the run)."""

from django.conf import settings

from tests.conftest import HEAVY_FIRST


def test_every_heavy_first_entry_names_a_test_file_or_folder():
    missing = [entry for entry in HEAVY_FIRST if not (settings.BASE_DIR / entry).exists()]

    assert missing == []
    assert all(entry.startswith("tests/") for entry in HEAVY_FIRST)


def test_the_plugins_the_suite_relies_on_are_loaded_though_none_is_autoloaded(pytestconfig):
    """``addopts`` names each plugin (autoloading them rewrote ~340 library modules' asserts
    in each worker): a plugin left out of the list would be silently missing."""
    plugins = pytestconfig.pluginmanager
    named = [
        "pytest_django.plugin",
        "xdist",
        "schemathesis.pytest.plugin",
        "_hypothesis_pytestplugin",
    ]

    assert pytestconfig.known_args_namespace.disable_plugin_autoload
    assert [name for name in named if not plugins.hasplugin(name)] == []
