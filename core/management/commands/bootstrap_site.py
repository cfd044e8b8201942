"""First-start setup for `make run`: an admin account, and demo data on an empty site."""

from __future__ import annotations

import os
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class Command(BaseCommand):
    help = (
        "If no user exists, create an admin superuser (DJANGO_SUPERUSER_USERNAME, default "
        "'admin'; DJANGO_SUPERUSER_PASSWORD, checked by the password validators, or a "
        "generated password printed once). On a site with no requisitions, load demo data "
        "with seed_demo: in development unless DEMO=0, in production only with DEMO=1."
    )

    def handle(self, *args, **options) -> None:
        self._ensure_admin()
        self._seed_demo_if_empty()

    def _ensure_admin(self) -> None:
        User = get_user_model()
        if User.objects.exists():
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        given = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        try:
            validate_password(password, user=User(username=username, email=email))
        except ValidationError as exc:
            raise CommandError(
                f"DJANGO_SUPERUSER_PASSWORD is refused: {' '.join(exc.messages)} Choose a "
                "stronger one, or leave it unset to get a generated password."
            ) from exc
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
        if "seed_demo" not in get_commands():
            return
        try:
            requisition = apps.get_model("hiring", "Requisition")
        except LookupError:
            return
        if requisition.objects.exists() or not self._demo_wanted():
            return
        self.stdout.write("No requisitions yet: loading demo data (set DEMO=0 to skip).")
        call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)

    def _demo_wanted(self) -> bool:
        """Development: unless DEMO=0. Production: only with DEMO=1 (its demo superuser
        and known logins have no place on a real site unless someone asks)."""
        value = os.environ.get("DEMO", "").strip().lower()
        if settings.PRODUCTION:
            if value not in TRUE:
                self.stdout.write("Production: no demo data is loaded (set DEMO=1 to load it).")
            return value in TRUE
        return value not in FALSE
