"""The API's settings, imported by binhdang/settings.py (kept here so the API's options sit beside its code).

settings.py does::

    from binhdang.api.settings_fragment import API_APPS, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401
    INSTALLED_APPS += API_APPS
"""

from __future__ import annotations

from typing import Any

API_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI and Redoc served from our own static files: the servers have no access to a CDN.
    "drf_spectacular_sidecar",
    "binhdang.api",
]

REST_FRAMEWORK: dict[str, Any] = {
    # Token first: an anonymous machine client then gets 401 with a WWW-Authenticate header, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "binhdang.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "binhdang.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "binhdang.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Bình Đẳng API",
    "DESCRIPTION": "Plans, units, agencies, indicators, reporting periods, reports and values (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "binhdang.places.models.Level",
        "IssueLevelEnum": ["error", "warning"],
    },
}
