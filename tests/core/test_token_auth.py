import pytest
from django.utils.dateparse import parse_datetime
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


@pytest.mark.parametrize(
    "role", ["admin", "comp_admin", "recruiter", "hiring_manager", "interviewer", "outsider"]
)
def test_every_role_exchanges_its_password_for_a_token(cast, role):
    user = cast[role]

    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD})

    body = response.json()
    token = AuthToken.objects.get(user=user)
    assert response.status_code == 200
    assert set(body) == {"token", "expiry"}
    assert token.digest == hash_token(body["token"])
    assert parse_datetime(body["expiry"]) == token.expiry


def test_each_sign_in_gets_its_own_token(recruiter):
    client = APIClient()
    first = client.post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD}).json()
    second = client.post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD}).json()

    assert first["token"] != second["token"]
    assert sorted(AuthToken.objects.filter(user=recruiter).values_list("digest", flat=True)) == (
        sorted([hash_token(first["token"]), hash_token(second["token"])])
    )


def test_a_wrong_password_gets_400_with_a_detail_and_no_token(recruiter):
    response = APIClient().post(TOKEN_URL, {"username": "recruiter", "password": "wrong"})

    body = response.json()
    assert response.status_code == 400
    assert body["detail"] == "Unable to log in with provided credentials."
    assert body["code"] == "invalid"
    assert body["errors"] == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not AuthToken.objects.filter(user=recruiter).exists()


def test_a_missing_password_names_the_field(recruiter):
    response = APIClient().post(TOKEN_URL, {"username": "recruiter"})

    body = response.json()
    assert response.status_code == 400
    assert body["errors"] == {"password": ["This field is required."]}
    assert body["detail"] == "password: This field is required."


def test_an_inactive_user_gets_no_token(recruiter):
    recruiter.is_active = False
    recruiter.save(update_fields=["is_active"])

    response = APIClient().post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD})

    assert response.status_code == 400
    assert not AuthToken.objects.filter(user=recruiter).exists()


def test_the_token_authenticates_api_calls(recruiter):
    client = APIClient()
    key = client.post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "username": "recruiter",
        "groups": ["Recruiters"],
        "is_compensation_admin": False,
    }


def test_no_credentials_get_401(db):
    response = APIClient().get(ME_URL)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
        "errors": {},
    }
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_gets_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(ME_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_token_endpoint_refuses_get(db):
    response = APIClient().get(TOKEN_URL)

    assert response.status_code == 405


EXPECTED_ME = {
    "admin": ("admin", [], True),
    "comp_admin": ("comp_admin", ["Compensation admins"], True),
    "recruiter": ("recruiter", ["Recruiters"], False),
    "hiring_manager": ("hiring_manager", ["Hiring managers"], False),
    "interviewer": ("interviewer", ["Interviewers"], False),
    "outsider": ("outsider", [], False),
}


@pytest.mark.parametrize("role", sorted(EXPECTED_ME))
def test_me_describes_the_token_owner_for_every_role(cast, api, role):
    username, groups, comp_admin = EXPECTED_ME[role]

    response = api(cast[role]).get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "username": username,
        "groups": groups,
        "is_compensation_admin": comp_admin,
    }


def test_me_works_with_the_browser_session(client, recruiter):
    client.login(username="recruiter", password=PASSWORD)

    response = client.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["username"] == "recruiter"
