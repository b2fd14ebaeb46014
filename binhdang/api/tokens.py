"""API tokens: issued through the sign-in throttle, expiring, and revoked when the password changes.

DRF's Token model is kept (one token per user, created at issue time); what this module adds:
- `ExpiringTokenAuthentication` refuses (and deletes) a token older than BINHDANG_API_TOKEN_DAYS;
- `token_obtain` (/api/token/, token_views.py) checks the password through `authenticate` with the request,
  so the throttle of binhdang/ops/throttle.py counts API guesses with page and admin ones;
- `_revoke_on_password_change` deletes a user's token whenever the stored password hash changes, whatever
  changed it (the product's page, the admin, `changepassword`, a reset). This is a signal because Django
  has no single service for password changes to hook into; the rule is the same for all of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

#: How many characters of a token the admin and logs may show.
PREFIX_LENGTH = 6


def token_lifetime() -> timedelta:
    return timedelta(days=int(settings.BINHDANG_API_TOKEN_DAYS))


def token_expired(token: Token) -> bool:
    return bool(token.created + token_lifetime() <= timezone.now())


def token_prefix(key: str) -> str:
    return f"{key[:PREFIX_LENGTH]}…"


@transaction.atomic
def token_issue(*, user: Any, replace: bool = False) -> Token:
    """The user's token; a new one when there is none, it has expired, or `replace` is asked."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and (replace or token_expired(token)):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    return token


def tokens_revoke(*, user: Any) -> int:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed("Token has expired; request a new one from /api/token/.")
        return user, token


@receiver(pre_save, sender=get_user_model(), dispatch_uid="binhdang.api.tokens.revoke_on_password_change")
def _revoke_on_password_change(
    sender: Any, instance: Any, update_fields: Any = None, raw: bool = False, **_: Any
) -> None:
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        tokens_revoke(user=instance)
