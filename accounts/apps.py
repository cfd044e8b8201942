from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True  # the module also holds the admin's config
    name = "accounts"
    verbose_name = "Sign-in and accounts"

    def ready(self) -> None:
        # Two hooks into Django's and axes' own signals, both about the sign-in itself:
        # the session's sign-in time, written whichever way the user signed in (pages,
        # admin, test client), and the lockout flag of a DRF request copied to the Django
        # request, where axes' middleware answers it.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts import lockout, sessions

        user_logged_in.connect(sessions.stamp_sign_in, dispatch_uid="accounts.stamp_sign_in")
        user_locked_out.connect(lockout.flag_wrapped_request, dispatch_uid="accounts.lockout")


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's sign-in and its two-factor rule (admin_site)."""

    default = False
    default_site = "accounts.admin_site.AdminSite"
