"""/api/: the REST API (docs/api.md). Names live in the "api" namespace, apart from the web pages' names."""

from __future__ import annotations

from django.apps import apps
from django.urls import URLPattern, URLResolver

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = []

# Until settings.py installs the API apps, the site runs without the API rather than failing to start.
if apps.is_installed("rest_framework.authtoken"):
    from .routes import urlpatterns  # noqa: F401  (re-exported for include())
