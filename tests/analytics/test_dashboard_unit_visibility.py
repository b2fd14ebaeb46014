"""The province drill-down for a standing agency registered in its pre-2025 province (issue 14: it was a 404 for
`thainguyen` while it worked for the administrator)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan
from django.test import Client
from django.urls import reverse

from binhdang.analytics.selectors import dashboard_unit
from binhdang.places.models import AdministrativeUnit, Generation
from binhdang.places.selectors import unit_successor_ids
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans.interchange import plan_load

pytestmark = pytest.mark.django_db


def _legacy_province(name_key: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(generation=Generation.LEGACY, level="province", name_key=name_key)


@pytest.fixture
def legacy(world: SimpleNamespace) -> SimpleNamespace:
    old_province = _legacy_province("tinh thai nguyen")
    standing = agency_get_or_create(name="Sở Lao động - Thương binh và Xã hội", unit=old_province)
    committee_set_standing_agency(unit=old_province, agency=standing)
    user = user_create(username="thainguyen_cu", password="mat-khau-thu-nghiem-2026", agency=standing)
    plan = plan_load(minimal_plan(f"legacy:{old_province.code}", years=[2021, 2025]))
    current = AdministrativeUnit.objects.get(pk__in=unit_successor_ids({old_province.pk}), level="province")
    return SimpleNamespace(old_province=old_province, user=user, plan=plan, current=current, **vars(world))


def _get(user: Any, unit: AdministrativeUnit, plan: Any) -> int:
    client = Client()
    client.force_login(user)
    return client.get(reverse("dashboard-unit", args=[unit.pk]) + f"?plan={plan.pk}").status_code


def test_legacy_standing_agency_opens_the_province_in_force(legacy: SimpleNamespace) -> None:
    assert legacy.current.pk != legacy.old_province.pk
    assert _get(legacy.admin, legacy.current, legacy.plan) == 200
    assert _get(legacy.user, legacy.current, legacy.plan) == 200


def test_legacy_standing_agency_opens_the_communes_that_took_over_its_own(legacy: SimpleNamespace) -> None:
    old_commune = AdministrativeUnit.objects.filter(parent__parent=legacy.old_province, level="commune").first()
    assert old_commune is not None
    successor = AdministrativeUnit.objects.filter(pk__in=unit_successor_ids({old_commune.pk})).first()
    assert successor is not None
    assert _get(legacy.user, successor, legacy.plan) == 200


def test_the_rule_still_hides_other_provinces(legacy: SimpleNamespace) -> None:
    assert dashboard_unit(legacy.user, legacy.other_province.pk) is None
    assert _get(legacy.user, legacy.other_province, legacy.plan) == 404
    # A commune user of today's province does not get the province through the successor rule.
    assert dashboard_unit(legacy.commune_user, legacy.province.pk) is None


def test_a_user_of_a_unit_in_force_gets_no_more_than_its_scope(legacy: SimpleNamespace) -> None:
    from binhdang.analytics.selectors import dashboard_unit_ids
    from binhdang.places.selectors import units_in_scope_ids

    assert dashboard_unit_ids(legacy.commune_user) == units_in_scope_ids(legacy.commune_user)
    assert dashboard_unit(legacy.commune_user, legacy.commune_b.pk) is None
