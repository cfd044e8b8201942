"""Sign-in pages: the password, the code when the user has two-factor on, the account
area (password change, two-factor enrolment)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts import lockout, signin, two_factor
from accounts.forms import CodeForm
from core.errors import DomainError

log = logging.getLogger("accounts")


class SignInView(auth_views.LoginView):
    """The password step; the code step follows for a user with two-factor on."""

    template_name = "accounts/sign_in.html"

    def form_valid(self, form):
        user = form.get_user()
        device = two_factor.confirmed_device(user)
        if device is None:
            return super().form_valid(form)
        signin.start(self.request, user=user, next_url=self.get_success_url())
        return redirect("sign-in-code")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    pending = signin.current(request)
    device = pending and two_factor.confirmed_device(pending.user)
    if pending is None or device is None:
        signin.clear(request)
        messages.info(request, "Your sign-in was not finished in time: sign in again.")
        return redirect("login")
    if signin.is_locked_out(request, pending.user):
        signin.clear(request)
        return lockout.lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = signin.try_code(request, pending.user, device, form.cleaned_data["code"])
        if outcome is two_factor.Outcome.OK:
            signin.clear(request)
            auth_login(request, pending.user, backend=pending.backend)
            otp_login(request, device)
            return redirect(pending.next_url)
        form.add_error("code", two_factor.outcome_message(outcome))
    status = 400 if form.errors else 200
    return render(request, "accounts/sign_in_code.html", {"form": form}, status=status)


@login_required
def account(request):
    context = {
        "device": two_factor.confirmed_device(request.user),
        "required": two_factor.is_required(request.user),
        "verified": two_factor.is_verified(request.user),
    }
    return render(request, "accounts/account.html", context)


ACTIONS = {"confirm", "verify", "disable"}


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_page(request):
    """Enrol (QR code and secret, confirmed with a code), verify this session, or disable."""
    user = request.user
    form = CodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and action in ACTIONS and form.is_valid():
        done = _two_factor_action(request, action, form)
        if done:
            return redirect("accounts:two-factor" if action == "disable" else _after(request))
    device = two_factor.confirmed_device(user)
    context = {
        "form": form,
        "device": device,
        "required": two_factor.is_required(user),
        "verified": two_factor.is_verified(user),
        "enrolment": None if device else two_factor.enrolment_start(request=request, user=user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/two_factor.html", context, status=status)


def _two_factor_action(request, action: str, form) -> bool:
    code = form.cleaned_data["code"]
    try:
        if action == "confirm":
            outcome = two_factor.enrolment_confirm(request=request, user=request.user, code=code)
        elif action == "verify":
            outcome = two_factor.verify_session(request=request, user=request.user, code=code)
        else:
            outcome = two_factor.disable(user=request.user, code=code)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    if outcome is not two_factor.Outcome.OK:
        form.add_error("code", two_factor.outcome_message(outcome))
        return False
    messages.success(request, SUCCESS[action])
    return True


SUCCESS = {
    "confirm": "Two-factor sign-in is on: each sign-in now asks for a code from your app.",
    "verify": "Code accepted: this session is verified.",
    "disable": "Two-factor sign-in is off.",
}


def _after(request) -> str:
    """Back to where the two-factor requirement interrupted, if that is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "accounts:account"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the validators run, other sessions end (their session hash no longer
    matches), this one stays signed in (update_session_auth_hash)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        log.info("password changed: user=%s (id %s)", user.get_username(), user.pk)
        messages.success(self.request, "Password changed. Your other sessions are signed out.")
        return response
