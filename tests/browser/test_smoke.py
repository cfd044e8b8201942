"""The browser suite's own check: a signed-in page loads, passes the page check, and a
signed-out visitor is sent to the login page."""

from django.urls import reverse


def test_dashboard_passes_the_page_check(open_page, check_page, recruiter):
    page = open_page(recruiter, path=reverse("hiring:dashboard"))
    assert page.locator("h1").first.inner_text() != ""
    assert page.locator(".who").inner_text() == "Recruiter"
    check_page(page, "smoke-dashboard-recruiter")


def test_signed_out_visitor_gets_the_login_page(open_page, check_page):
    page = open_page(None, "phone", path=reverse("hiring:dashboard"))
    assert page.url.endswith(reverse("login") + "?next=" + reverse("hiring:dashboard"))
    check_page(page, "smoke-login-phone", contrast=True)  # the one signed-out page
