"""The admin site, signed into through the site's own sign-in (lockout, two-factor).

``/admin/login/`` is the sign-in page itself (same form, same lockout, the code step when
the user has two-factor on), landing on the admin. With REQUIRE_2FA_FOR_ADMINS on, the
admin opens only for a session verified with a code, as django-otp's OTPAdminSite does.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import two_factor
from accounts.views import SignInView


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_2FA_FOR_ADMINS or two_factor.is_verified(request.user)

    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(index)
        if super().has_permission(request):  # signed in as staff, only the code is missing
            query = urlencode({"next": request.GET.get("next") or index})
            return HttpResponseRedirect(f"{reverse('accounts:two-factor')}?{query}")
        return SignInView.as_view(next_page=index, extra_context=extra_context)(request)
