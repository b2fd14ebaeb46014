"""The API keeps DRF's Token table; this proxy only changes how a token is named on screen and in logs."""

from __future__ import annotations

from rest_framework.authtoken.models import TokenProxy

from .tokens import token_prefix


class ApiToken(TokenProxy):
    """A token as the admin shows it: by a prefix, so the key never appears in a page, a title or the log."""

    class Meta:
        proxy = True
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return token_prefix(self.key)
