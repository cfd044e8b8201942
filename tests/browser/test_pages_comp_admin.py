"""Every page the comp admin reaches, at 1366x900 and 390x844, through the page check."""

import pytest

from tests.browser.site import PAGES, site_fixture, walk_pages

site = site_fixture()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_page_passes_the_page_check(open_page, check_page, site, size):
    visited = walk_pages(open_page, check_page, site, "comp_admin", size)
    assert visited == [name for name, (_, _, roles) in PAGES.items() if "comp_admin" in roles]
