"""API tokens: hashed at rest, expiring, several per user, listed and revoked by their owner,
revoked by logout, by logout from every client and by a password change."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient, APIRequestFactory

from config.settings import env_hours
from core import access, api_tokens
from core.authentication import EXPIRED, INVALID, TokenAuthentication
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
TOKENS_URL = "/api/v1/auth/tokens/"
ME_URL = "/api/v1/auth/me/"
NOT_FOUND = {"detail": api_tokens.NO_SUCH_TOKEN, "code": "not_found", "errors": {}}


def signed_in(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issue(user) -> tuple[AuthToken, str]:
    return api_tokens.token_issue(user=user)


def refused(response, detail: str = INVALID) -> bool:
    return response.status_code == 401 and response.json() == {
        "detail": detail,
        "code": "authentication_failed",
        "errors": {},
    }


def test_a_token_expires_ten_hours_after_sign_in_by_default(recruiter, settings):
    issued_at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    with mock.patch("django.utils.timezone.now", return_value=issued_at):
        body = APIClient().post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD}).json()

    token = AuthToken.objects.get(user=recruiter)
    assert settings.REST_KNOX["TOKEN_TTL"] == timedelta(hours=10)
    assert (token.created, token.expiry) == (issued_at, issued_at + timedelta(hours=10))
    assert body == {"token": body["token"], "expiry": "2026-03-02T19:30:00Z"}


@pytest.mark.parametrize("hours", ["0", "-1", "ten", "nan", "1e9"])
def test_a_token_lifetime_that_is_not_a_positive_number_of_hours_refuses_to_start(
    monkeypatch, hours
):
    monkeypatch.setenv("API_TOKEN_TTL_HOURS", hours)

    with pytest.raises(ImproperlyConfigured, match="API_TOKEN_TTL_HOURS must be a positive"):
        env_hours("API_TOKEN_TTL_HOURS", "10")


def test_a_token_lifetime_may_be_a_fraction_of_an_hour(monkeypatch):
    monkeypatch.setenv("API_TOKEN_TTL_HOURS", "0.5")

    assert env_hours("API_TOKEN_TTL_HOURS", "10") == timedelta(minutes=30)


def test_an_expired_token_is_refused_and_deleted(recruiter):
    token, key = issue(recruiter)
    assert signed_in(key).get(ME_URL).status_code == 200
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = signed_in(key).get(ME_URL)

    assert refused(response, EXPIRED)
    assert not AuthToken.objects.filter(pk=token.pk).exists()


def test_the_key_is_not_stored_only_its_digest(recruiter):
    key = APIClient().post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD}).json()
    key = key["token"]

    row = AuthToken.objects.values().get(user=recruiter)
    assert row["digest"] == hash_token(key)
    assert not any(key in str(value) for value in row.values())
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "authtoken_token" not in tables  # DRF's clear-text tokens are gone


def test_several_tokens_per_user_each_work_on_its_own(recruiter):
    keys = [issue(recruiter)[1] for _ in range(3)]

    assert [signed_in(key).get(ME_URL).json()["username"] for key in keys] == ["recruiter"] * 3
    assert AuthToken.objects.filter(user=recruiter).count() == 3


def test_signing_in_drops_the_users_expired_tokens(recruiter, outsider):
    old, _ = issue(recruiter)
    others, _ = issue(outsider)
    past = timezone.now() - timedelta(minutes=1)
    AuthToken.objects.filter(pk__in=[old.pk, others.pk]).update(expiry=past)

    new, _ = issue(recruiter)

    assert list(AuthToken.objects.filter(user=recruiter)) == [new]
    assert AuthToken.objects.filter(pk=others.pk).exists()  # someone else's: left alone


def test_the_owner_lists_their_live_tokens_without_keys(recruiter, outsider):
    first, first_key = issue(recruiter)
    second, second_key = issue(recruiter)
    expired, expired_key = issue(recruiter)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    issue(outsider)

    response = signed_in(first_key).get(TOKENS_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(t["id"], t["current"], t["starts_with"]) for t in body["results"]] == [
        (second.digest[:16], False, second_key[:8]),
        (first.digest[:16], True, first_key[:8]),
    ]
    assert set(body["results"][0]) == {"id", "created", "expiry", "starts_with", "current"}
    assert not any(key in response.content.decode() for key in (first_key, second_key))
    assert refused(signed_in(expired_key).get(ME_URL), EXPIRED)


def test_the_owner_revokes_one_token_by_its_id(recruiter):
    _, kept_key = issue(recruiter)
    revoked, revoked_key = issue(recruiter)

    response = signed_in(kept_key).delete(f"{TOKENS_URL}{revoked.digest[:16]}/")

    assert response.status_code == 204
    assert refused(signed_in(revoked_key).get(ME_URL))
    assert signed_in(kept_key).get(ME_URL).status_code == 200
    again = signed_in(kept_key).delete(f"{TOKENS_URL}{revoked.digest[:16]}/")
    assert (again.status_code, again.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("token_id", ["theirs", "0123456789abcdef", "zz", "%25", "a" * 200])
def test_someone_elses_token_id_answers_exactly_like_a_missing_one(recruiter, outsider, token_id):
    theirs, _ = issue(outsider)
    _, key = issue(recruiter)
    if token_id == "theirs":
        token_id = theirs.digest[:16]

    response = signed_in(key).delete(f"{TOKENS_URL}{token_id}/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert AuthToken.objects.filter(user=outsider).count() == 1


def test_a_short_id_never_matches_by_prefix(recruiter):
    token, key = issue(recruiter)

    response = signed_in(key).delete(f"{TOKENS_URL}{token.digest[:4]}/")

    assert response.status_code == 404
    assert AuthToken.objects.filter(pk=token.pk).exists()


def test_logout_revokes_only_the_current_token(recruiter):
    _, current = issue(recruiter)
    _, other = issue(recruiter)

    response = signed_in(current).post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert refused(signed_in(current).get(ME_URL))
    assert signed_in(other).get(ME_URL).status_code == 200


def test_logout_needs_a_token_not_a_session(client, recruiter):
    issue(recruiter)
    client.force_login(recruiter)

    response = client.post("/api/v1/auth/logout/")

    assert response.status_code == 401
    assert AuthToken.objects.filter(user=recruiter).count() == 1


def test_logoutall_revokes_every_token_of_the_user_and_no_one_elses(recruiter, outsider):
    keys = [issue(recruiter)[1] for _ in range(2)]
    _, outsiders = issue(outsider)

    response = signed_in(keys[0]).post("/api/v1/auth/logoutall/")

    assert response.status_code == 204
    assert all(refused(signed_in(key).get(ME_URL)) for key in keys)
    assert signed_in(outsiders).get(ME_URL).status_code == 200


def change_with_set_password(user, client):
    user.set_password("a-new-passphrase-for-tests")
    user.save()


def change_by_assigning_a_hash(user, client):
    user.password = make_password("a-new-passphrase-for-tests")
    user.save(update_fields=["password"])


def change_in_the_admin(user, client):
    client.force_login(User.objects.get(username="admin"))
    new = "a-new-passphrase-for-tests"
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content


def change_on_the_password_change_page(user, client):
    client.force_login(user)
    new = "a-new-passphrase-for-tests"
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302, response.content


@pytest.mark.parametrize(
    "change",
    [
        change_with_set_password,
        change_by_assigning_a_hash,
        change_in_the_admin,
        change_on_the_password_change_page,
    ],
)
def test_a_password_change_revokes_every_token(admin_user, comp_admin, outsider, client, change):
    user = comp_admin  # staff: may use the admin's own password change page
    keys = [issue(user)[1] for _ in range(2)]
    _, outsiders = issue(outsider)

    change(User.objects.get(pk=user.pk), client)

    assert not AuthToken.objects.filter(user=user).exists()
    assert all(refused(signed_in(key).get(ME_URL)) for key in keys)
    assert signed_in(outsiders).get(ME_URL).status_code == 200


def test_saving_the_user_without_a_new_password_keeps_the_tokens(recruiter):
    _, key = issue(recruiter)
    user = User.objects.get(pk=recruiter.pk)
    user.first_name = "Renamed"
    user.save()
    user.save(update_fields=["email"])

    assert signed_in(key).get(ME_URL).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Token not-a-real-token",
        "Token {same_lookup}0000",  # a real token's stored prefix, with the wrong rest
        "Token {revoked}",
        "Token ÿþ",
        "Token abc\x00def",
        "Token " + "a" * 5000,
        "Token",
        "Token two words",
    ],
)
def test_forged_and_garbage_tokens_get_a_plain_401(recruiter, header):
    _, key = issue(recruiter)
    revoked, revoked_key = issue(recruiter)
    revoked.delete()
    header = header.format(same_lookup=key[:15], revoked=revoked_key)

    response = APIClient().get(ME_URL, HTTP_AUTHORIZATION=header)

    body = response.json()
    assert response.status_code == 401
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_token_authentication_costs_one_query(recruiter, django_assert_num_queries):
    _, key = issue(recruiter)
    request = APIRequestFactory().get(ME_URL, HTTP_AUTHORIZATION=f"Token {key}")

    with django_assert_num_queries(1):  # with the user's groups
        user, token = TokenAuthentication().authenticate(request)
        groups = access.group_names(user)

    assert (user, token.user_id, groups) == (recruiter, recruiter.pk, {access.RECRUITERS})


PAGE_URL = "/account/tokens/"


def test_the_tokens_page_shows_the_users_own_tokens_never_keys(client, recruiter, outsider):
    mine, my_key = issue(recruiter)
    theirs, _ = issue(outsider)
    client.force_login(recruiter)

    page = client.get(PAGE_URL).content.decode()

    assert mine.digest[:16] in page and my_key[:8] in page
    assert my_key not in page and theirs.digest[:16] not in page
    assert APIClient().get(PAGE_URL)["Location"] == f"/login/?next={PAGE_URL}"


def test_the_tokens_page_revokes_ones_own_token_and_refuses_anyone_elses(
    client, recruiter, outsider
):
    mine, my_key = issue(recruiter)
    theirs, their_key = issue(outsider)
    client.force_login(recruiter)

    other = client.post(f"/account/tokens/{theirs.digest[:16]}/revoke/", follow=True)
    own = client.post(f"/account/tokens/{mine.digest[:16]}/revoke/", follow=True)

    assert api_tokens.NO_SUCH_TOKEN in other.content.decode()
    assert "Token revoked" in own.content.decode()
    assert refused(signed_in(my_key).get(ME_URL))
    assert signed_in(their_key).get(ME_URL).status_code == 200


def test_the_tokens_page_revokes_them_all(client, recruiter):
    keys = [issue(recruiter)[1] for _ in range(2)]
    client.force_login(recruiter)

    response = client.post("/account/tokens/revoke-all/", follow=True)

    assert "2 token(s) revoked." in response.content.decode()
    assert all(refused(signed_in(key).get(ME_URL)) for key in keys)
