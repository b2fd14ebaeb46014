"""The OpenAPI schema validates, and Schemathesis, run in-process against it, provokes no server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from binhdang.reporting.models import Report

EXAMPLES = 20  # per operation and mode: enough to try every parameter, small enough for a quick suite


def test_schema_validates_against_openapi_3(db: None) -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate(schema)
    assert {"/api/plans/", "/api/reports/{id}/values/", "/api/reports/{id}/submit/"} <= set(schema["paths"])


def test_schema_and_docs_are_served_without_a_cdn(db: None) -> None:
    client = APIClient()
    assert client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["openapi"].startswith("3.")
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
    assert "redoc" in client.get("/api/redoc/").content.decode().lower()


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], real_id: int | None) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, headers=headers), use_real_id=st.booleans())
    def run(case: Any, use_real_id: bool) -> None:
        if use_real_id and real_id is not None and "{id}" in case.operation.path:
            case.path_parameters = {**(case.path_parameters or {}), "id": real_id}
            if case.method == "POST" and isinstance(case.body, dict):
                # The current version, so that writes get past the lock to the checks and the database.
                case.body = {**case.body, "version": Report.objects.get(pk=real_id).version}
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])

    run()


@pytest.fixture
def connections_kept_across_requests() -> Iterator[None]:
    """Calling the WSGI app directly sends request_finished, whose handler closes the test's database connection
    once CONN_MAX_AGE has passed (PostgreSQL); Django's test client disconnects it for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error(api_world: Any, connections_kept_across_requests: None) -> None:
    token, _created = Token.objects.get_or_create(user=api_world.admin)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    # Real ids beside generated ones, so that the detail and write paths reach the code behind the 404.
    real_ids = {
        "plans": api_world.plan.pk,
        "units": api_world.commune_a.pk,
        "agencies": api_world.a_office.pk,
        "indicators": api_world.i1.pk,
        "periods": api_world.period.pk,
        "reports": api_world.a_report.pk,
        "values": None,
    }
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/token/":
            continue  # the password form; covered in test_auth
        tried.append(f"{operation.method.upper()} {operation.path}")
        real_id = real_ids.get(operation.path.split("/")[2])
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, headers, real_id)
    assert "POST /api/reports/{id}/values/" in tried and "GET /api/values/" in tried
