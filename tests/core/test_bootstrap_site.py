import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from core.management.commands import bootstrap_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_calls(monkeypatch):
    """Pretends seed_demo exists and records calls to it."""
    calls = []
    monkeypatch.setattr(bootstrap_site, "get_commands", lambda: {"seed_demo": "hiring"})
    monkeypatch.setattr(bootstrap_site, "call_command", lambda name, **kw: calls.append(name))
    return calls


def bootstrap() -> str:
    out = StringIO()
    call_command("bootstrap_site", stdout=out)
    return out.getvalue()


def test_creates_an_admin_and_prints_its_password_once(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.setenv("DEMO", "0")

    first = bootstrap()
    second = bootstrap()

    password = re.search(r"Created superuser 'admin' with password: (\S+)", first).group(1)
    admin = User.objects.get()
    assert admin.username == "admin"
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 16
    assert password not in second
    assert User.objects.count() == 1


def test_takes_username_and_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-operator-password-1")
    monkeypatch.setenv("DEMO", "0")

    output = bootstrap()

    assert "a-long-operator-password-1" not in output
    assert "Created superuser 'ops' with DJANGO_SUPERUSER_PASSWORD." in output
    assert User.objects.get().check_password("a-long-operator-password-1")


def test_creates_no_admin_when_any_user_exists(monkeypatch, recruiter):
    monkeypatch.setenv("DEMO", "0")

    output = bootstrap()

    assert output == ""
    assert list(User.objects.values_list("username", flat=True)) == ["recruiter"]


def test_seeds_demo_data_on_a_site_with_no_requisitions(monkeypatch, seed_calls, recruiter):
    monkeypatch.delenv("DEMO", raising=False)

    output = bootstrap()

    assert seed_calls == ["seed_demo"]
    assert "loading demo data" in output


def test_demo_0_skips_the_demo_data(monkeypatch, seed_calls, recruiter):
    monkeypatch.setenv("DEMO", "0")

    bootstrap()

    assert seed_calls == []


def test_no_seed_when_the_command_does_not_exist(monkeypatch, recruiter):
    calls = []
    monkeypatch.delenv("DEMO", raising=False)
    monkeypatch.setattr(bootstrap_site, "get_commands", lambda: {})
    monkeypatch.setattr(bootstrap_site, "call_command", lambda name, **kw: calls.append(name))

    bootstrap()

    assert calls == []


def test_no_seed_when_requisitions_exist(monkeypatch, seed_calls, recruiter):
    from hiring.models import Requisition

    monkeypatch.delenv("DEMO", raising=False)
    monkeypatch.setattr(Requisition.objects, "exists", lambda: True)

    bootstrap()

    assert seed_calls == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1", "This password is too short. It must contain at least 8 characters."),
        ("12345678", "This password is too common."),
        ("operator-ops", "The password is too similar to the username."),
    ],
)
def test_a_weak_superuser_password_is_refused(monkeypatch, password, reason):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "operator-ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    monkeypatch.setenv("DEMO", "0")

    with pytest.raises(CommandError) as refused:
        bootstrap()

    assert str(refused.value).startswith("DJANGO_SUPERUSER_PASSWORD is refused: ")
    assert reason in str(refused.value)
    assert not User.objects.exists()


def test_production_loads_no_demo_data_unless_demo_1(monkeypatch, settings, seed_calls, recruiter):
    settings.PRODUCTION = True
    monkeypatch.delenv("DEMO", raising=False)

    unasked = bootstrap()
    monkeypatch.setenv("DEMO", "1")
    asked = bootstrap()

    assert "Production: no demo data is loaded (set DEMO=1 to load it)." in unasked
    assert "loading demo data" in asked
    assert seed_calls == ["seed_demo"]
