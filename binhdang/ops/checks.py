"""Deploy checks of our own (`manage.py check --deploy`), beside Django's security checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MIDDLEWARE_PATH = "binhdang.ops.middleware.SecurityHeadersMiddleware"


@register(Tags.security, deploy=True)
def check_production(app_configs: Any = None, **kwargs: Any) -> list[Warning | Error]:
    problems: list[Warning | Error] = []
    if str(settings.SECRET_KEY).startswith("insecure-dev-key-"):
        problems.append(
            Error(
                "SECRET_KEY is the development fallback.",
                hint="Set BINHDANG_SECRET_KEY to a long random value, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="binhdang.E001",
            )
        )
    if MIDDLEWARE_PATH not in settings.MIDDLEWARE:
        problems.append(
            Warning(
                "The content security policy middleware is not installed.",
                hint=f"Add {MIDDLEWARE_PATH!r} to MIDDLEWARE after SecurityMiddleware.",
                id="binhdang.W001",
            )
        )
    return problems
