"""API fixtures: the reporting world with its reports, and clients that sign in with a token."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from binhdang.plans.interchange import plan_load
from binhdang.reporting.services import periods_generate, reports_generate


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """A client that authenticates as the user with the user's API token, as a machine client would."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api_world(cycle: Any) -> SimpleNamespace:
    """The cycle's semiannual period with its reports, and a draft plan of commune B."""
    periods = periods_generate(plan=cycle.plan)
    semiannual = next(p for p in periods if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=semiannual)}
    b_plan = plan_load(
        minimal_plan(f"2025:{cycle.commune_b.code}", level="commune", title="Kế hoạch nháp của xã B", status="draft")
    )
    return SimpleNamespace(
        period=semiannual,
        health_report=by_agency[cycle.health.pk],
        a_report=by_agency[cycle.a_office.pk],
        b_report=by_agency[cycle.b_office.pk],
        b_plan=b_plan,
        **vars(cycle),
    )
