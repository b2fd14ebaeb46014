"""The token admin shows who has a token and since when, never the token itself (a prefix names it)."""

from __future__ import annotations

from django.contrib import admin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .models import ApiToken
from .tokens import token_prefix


class PrefixTokenAdmin(TokenAdmin):
    list_display = ("key_prefix", "user", "created")

    @admin.display(description="Token")
    def key_prefix(self, obj: TokenProxy) -> str:
        return token_prefix(obj.key)


# DRF's own registration lists the keys in clear and names a token by its key in titles and the admin log.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
admin.site.register(ApiToken, PrefixTokenAdmin)
