"""API tokens (django-rest-knox): issued at each sign-in, listed and revoked by their owner.

A token is stored as the SHA-512 digest of its key (knox); the key itself is shown once, in
the sign-in answer. A token's public id is the first 16 characters of its digest: it names
one of a user's tokens and is useless for signing in. Tokens expire ``REST_KNOX["TOKEN_TTL"]``
after they were issued and are deleted when revoked: by their owner, by logout, and whenever
the user's password changes (the receivers at the end, connected in ``core.apps``).
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from core.errors import NotFound

ID_LENGTH = 16
NO_SUCH_TOKEN = "No such token among yours."
_ID = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")

logger = logging.getLogger(__name__)


def token_issue(*, user) -> tuple[AuthToken, str]:
    """A new token for ``user`` and its key (shown once); the user's expired ones are dropped."""
    with transaction.atomic():
        AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        token, key = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    logger.info("API token %s issued to %s", token_id(token), user.get_username())
    return token, key


def token_id(token: AuthToken) -> str:
    return token.digest[:ID_LENGTH]


def tokens_of(user) -> QuerySet[AuthToken]:
    """``user``'s tokens that still work, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def token_revoke(*, user, token_id: str) -> None:
    """Revoke one of ``user``'s own tokens (by its id).

    Someone else's token answers exactly as a missing one: ``NotFound``.
    """
    deleted = 0
    if _ID.fullmatch(token_id):
        deleted, _ = AuthToken.objects.filter(user=user, digest__startswith=token_id).delete()
    if not deleted:
        raise NotFound(NO_SUCH_TOKEN)
    logger.info("API token %s of %s revoked by its owner", token_id, user.get_username())


def tokens_revoke_all(*, user, reason: str) -> int:
    """Revoke every token of ``user``; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    if deleted:
        logger.info("%d API token(s) of %s revoked: %s", deleted, user.get_username(), reason)
    return deleted


# A password change revokes every token, however the password was changed (the admin, the
# password change page, set_password() and save() in a shell or command): the user model's
# save is the one place they all meet. A queryset update() bypasses this (and every signal).
def note_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save: remember whether the stored password hash is about to change."""
    instance._api_tokens_password_changed = False
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    instance._api_tokens_password_changed = stored.first() not in (None, instance.password)


def revoke_tokens_after_password_change(sender, instance, created=False, **kwargs) -> None:
    """post_save: the password changed, so every token issued with the old one goes."""
    if getattr(instance, "_api_tokens_password_changed", False):
        instance._api_tokens_password_changed = False
        tokens_revoke_all(user=instance, reason="password changed")


def tokens_purge_expired(now=None) -> int:
    """Delete every expired token (hashed and unusable already); returns how many went."""
    deleted, _ = AuthToken.objects.filter(expiry__lte=now or timezone.now()).delete()
    return deleted
