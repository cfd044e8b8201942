import io

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS


def test_openapi_schema_validates_with_no_warnings(tmp_path):
    """Fails while any app's endpoint is missing schema information.

    In this process (the command is the same; a process of its own would only add Django's
    start): the warnings counted by an earlier generation here are cleared first, and a
    generation counts every warning again, so a warning fails the test whatever ran before.
    """
    out = tmp_path / "schema.yaml"
    GENERATOR_STATS.reset()
    stderr = io.StringIO()

    try:
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=stderr
        )
    except Exception as error:  # the command's own errors name the warning or the schema fault
        pytest.fail(f"{error}\n{stderr.getvalue()[-4000:]}")
    finally:
        GENERATOR_STATS.reset()

    assert out.read_text().startswith("openapi: 3.")
    assert "/api/v1/auth/token/" in out.read_text()


@pytest.fixture
def generations(monkeypatch):
    """Every schema generation from here on, counted; none kept from before the test."""
    from drf_spectacular.generators import SchemaGenerator

    from core import api_views

    api_views._SCHEMAS.clear()
    calls = []
    generate = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(kwargs.get("request"))
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    yield calls
    api_views._SCHEMAS.clear()


@pytest.mark.django_db
def test_the_schema_is_generated_once_per_process_and_is_the_same_for_everyone(
    client, generations, admin_user, interviewer
):
    answers = []
    for user in (None, interviewer, admin_user, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200
        answers.append(response.content)

    # Generated once, without the caller: nothing of who asked can shape what others get.
    assert generations == [None]
    assert len(set(answers)) == 1
    assert b'"/api/v1/auth/token/"' in answers[0]


@pytest.mark.django_db
def test_a_change_to_a_setting_it_comes_from_generates_the_schema_again(
    client, generations, settings
):
    client.get("/api/schema/")
    settings.AXES_ENABLED = not settings.AXES_ENABLED  # nothing the schema is made from
    client.get("/api/schema/")
    assert len(generations) == 1

    settings.ROOT_URLCONF = settings.ROOT_URLCONF  # an override, even to the same value
    client.get("/api/schema/")

    assert len(generations) == 2
