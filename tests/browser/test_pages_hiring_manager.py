"""Every page the hiring manager reaches, at 1366x900 and 390x844, through the page check."""

from tests.browser.site import PAGES, site_fixture, walk_pages

site = site_fixture()


def test_every_page_passes_the_page_check_at_both_sizes(open_page, check_page, site):
    visited = walk_pages(open_page, check_page, site, "hiring_manager")
    assert visited == [name for name, (_, _, roles) in PAGES.items() if "hiring_manager" in roles]
