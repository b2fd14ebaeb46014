"""The permission selectors' per-request memo: inside a web request the agency, the unit scope and the visible
plans are computed once; outside one (services, commands, tests) every call reads the database afresh."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import minimal_plan
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from binhdang.places.middleware import ScopeMemoMiddleware
from binhdang.places.selectors import units_in_scope_ids, user_agency, user_memo, user_memo_start
from binhdang.plans.interchange import plan_load
from binhdang.plans.selectors import plan_ids_visible_to

pytestmark = pytest.mark.django_db


def test_outside_a_request_nothing_is_remembered(world: Any, django_assert_num_queries: Any) -> None:
    user = world.commune_user
    assert user_memo(user) is None
    with django_assert_num_queries(2):
        user_agency(user)
        user_agency(user)
    province_user = world.province_user
    before = plan_ids_visible_to(province_user)
    plan = plan_load(minimal_plan("2025:19", title="Kế hoạch mới của tỉnh"))
    assert plan.pk not in (before or set())
    assert plan.pk in (plan_ids_visible_to(province_user) or set())  # seen at once, not hidden behind a memo


def test_inside_a_request_each_selector_reads_once(world: Any, django_assert_num_queries: Any) -> None:
    user = world.commune_user
    user_memo_start(user)
    user_agency(user)
    units_in_scope_ids(user)
    plan_ids_visible_to(user)
    with django_assert_num_queries(0):
        for _ in range(3):
            assert user_agency(user) == world.a_office
            assert world.commune_a.pk in (units_in_scope_ids(user) or set())
            plan_ids_visible_to(user)
    # Callers get copies: changing one does not change what the next call returns.
    scope = units_in_scope_ids(user) or set()
    scope.add(-1)
    assert -1 not in (units_in_scope_ids(user) or set())


def test_each_request_starts_a_fresh_memo(world: Any) -> None:
    """The middleware gives the signed-in user an empty memo per request, so nothing outlives its request."""
    seen: list[Any] = []

    def view(request: Any) -> HttpResponse:
        seen.append(dict(user_memo(request.user) or {}))
        user_agency(request.user)
        return HttpResponse()

    middleware = ScopeMemoMiddleware(view)
    request = RequestFactory().get("/")
    request.user = world.province_user
    middleware(request)
    middleware(request)
    assert seen == [{}, {}]
    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    middleware(anonymous)
    assert user_memo(anonymous.user) is None
