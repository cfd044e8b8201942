"""First-start setup for `make run`: an admin account, and demo data on an empty site."""

from __future__ import annotations

import os
import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "If no user exists, create an admin superuser (DJANGO_SUPERUSER_USERNAME, default "
        "'admin'; DJANGO_SUPERUSER_PASSWORD, or a generated password printed once). On a site "
        "with no requisitions, load demo data with seed_demo unless DEMO=0."
    )

    def handle(self, *args, **options) -> None:
        self._ensure_admin()
        self._seed_demo_if_empty()

    def _ensure_admin(self) -> None:
        User = get_user_model()
        if User.objects.exists():
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        given = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        with transaction.atomic():
            User.objects.create_superuser(username=username, email=email, password=password)
        if given:
            self.stdout.write(f"Created superuser '{username}' with DJANGO_SUPERUSER_PASSWORD.")
            return
        # Printed once: the password is not stored anywhere else in clear.
        self.stdout.write(
            self.style.WARNING(
                f"Created superuser '{username}' with password: {password}\n"
                "Write it down now; it will not be shown again."
            )
        )

    def _seed_demo_if_empty(self) -> None:
        if os.environ.get("DEMO", "1").strip().lower() in {"0", "false", "no", "off"}:
            return
        if "seed_demo" not in get_commands():
            return
        try:
            requisition = apps.get_model("hiring", "Requisition")
        except LookupError:
            return
        if requisition.objects.exists():
            return
        self.stdout.write("No requisitions yet: loading demo data (set DEMO=0 to skip).")
        call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)
