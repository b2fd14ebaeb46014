"""The standard world every Django test builds on, made through the real services (STYLE.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden"
SEEDS = sorted(p.name.removesuffix(".expected.json") for p in GOLDEN.glob("*.expected.json"))
PASSWORD = "mat-khau-thu-nghiem-2026"


def golden(seed: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{seed}.expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Pages render without `collectstatic`: the hashed manifest only exists in a deployed tree."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings: Any) -> None:
    """Background jobs run inside the call that enqueues them (django-tasks' immediate backend): a test sees
    the job's outcome at once. tests/jobs runs real worker processes on the database backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _product_language() -> Iterator[None]:
    """Each test starts in the product's language: a request made in English by an earlier test (the locale
    middleware activates the user's language for the thread) must not change what a later test reads."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The test world creates several users per test; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Administrative units are reference data: load them once per test database, not per test."""
    from binhdang.places.refdata import units_load

    with django_db_blocker.unblock():
        units_load()


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """A province with a standing agency and a department, two of its communes, and a user of each role."""
    return build_world()


def build_world() -> SimpleNamespace:
    """The `world` fixture's objects, for fixtures of a wider scope (tests/security/test_permission_matrix.py)."""
    from binhdang.places.models import AdministrativeUnit, AgencyKind, Generation
    from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create

    province = AdministrativeUnit.objects.get(
        generation=Generation.CURRENT, level="province", name_key="tinh thai nguyen"
    )
    commune_a, commune_b = AdministrativeUnit.objects.filter(parent=province).order_by("code")[:2]
    other_province = AdministrativeUnit.objects.get(
        generation=Generation.CURRENT, level="province", name_key="tinh ha tinh"
    )

    standing = agency_get_or_create(name="Sở Nội vụ", unit=province)
    health = agency_get_or_create(name="Sở Y tế", unit=province)
    committee_set_standing_agency(unit=province, agency=standing)
    a_office = agency_get_or_create(name="Phòng Văn hóa - Xã hội", unit=commune_a)
    b_office = agency_get_or_create(name="Phòng Văn hóa - Xã hội", unit=commune_b)
    committee_set_standing_agency(unit=commune_a, agency=a_office)
    committee_set_standing_agency(unit=commune_b, agency=b_office)
    agency_get_or_create(name=f"Ủy ban nhân dân {commune_a.name}", unit=commune_a, kind=AgencyKind.PEOPLES_COMMITTEE)
    other_standing = agency_get_or_create(name="Sở Nội vụ", unit=other_province)
    committee_set_standing_agency(unit=other_province, agency=other_standing)  # it edits its province's plans

    return SimpleNamespace(
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        other_province=other_province,
        standing=standing,
        health=health,
        a_office=a_office,
        b_office=b_office,
        other_standing=other_standing,
        admin=user_create(username="admin", password=PASSWORD, agency=standing, is_admin=True),
        province_user=user_create(username="tinh", password=PASSWORD, agency=standing),
        department_user=user_create(username="soyte", password=PASSWORD, agency=health),
        commune_user=user_create(username="xa_a", password=PASSWORD, agency=a_office),
        other_commune_user=user_create(username="xa_b", password=PASSWORD, agency=b_office),
        other_province_user=user_create(username="tinh_khac", password=PASSWORD, agency=other_standing),
    )


def minimal_plan(unit_code: str, **document: Any) -> dict[str, Any]:
    """The smallest valid plan/1 document for a unit ("2025:19"), with overrides for the document block."""
    doc = {
        "kind": "KH",
        "code": None,
        "date": None,
        "title": "Kế hoạch thử nghiệm về bình đẳng giới",
        "level": "province",
        "years": [2026, 2026],
        "status": "draft",
        "unit_code": unit_code,
    }
    doc.update(document)
    return {"schema": "binhdang.plan/1", "document": doc}


@contextmanager
def rolled_back_module_world(django_db_blocker: Any) -> Iterator[None]:
    """For a world built once per module: database access, the fast test hasher, and one outer transaction rolled
    back at the end. Each test's own transaction (pytest-django's `db`) nests in it as a savepoint."""
    from django.db import transaction
    from django.test.utils import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        try:
            yield
        finally:
            transaction.set_rollback(True)


def wage_share_indicator() -> dict[str, Any]:
    """The percentage indicator most test plans carry: sex-disaggregated, target ≥ 50% in 2026, Sở Y tế reports."""
    return {
        "id": "I1",
        "objective": "O1",
        "text": "Tỷ lệ lao động nữ làm công hưởng lương",
        "measure": "percentage",
        "unit": "%",
        "disaggregations": ["sex"],
        "targets": [{"year": 2026, "value": 50, "comparator": ">="}],
        "responsible": ["Sở Y tế"],
    }


@pytest.fixture
def cycle(world: Any) -> SimpleNamespace:
    """A 2026 province plan with a sex-disaggregated percentage, a count, tasks and a 6-month/annual regime."""
    return build_cycle(world)


def build_cycle(world: Any) -> SimpleNamespace:
    """The `cycle` fixture's objects, for code outside pytest's fixtures (tests/security/crash_driver.py)."""
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [
        wage_share_indicator(),
        {
            "id": "I2",
            "objective": "O1",
            "text": "Số vụ bạo lực gia đình được phát hiện",
            "measure": "count",
            "targets": [],
        },
    ]
    doc["tasks"] = [
        {"id": "T1", "text": "Tuyên truyền về bình đẳng giới", "lead": "Sở Y tế", "partners": []},
        {"id": "T2", "text": "Xây dựng kế hoạch cấp xã", "lead": "Ủy ban nhân dân các xã, phường", "partners": []},
    ]
    doc["reporting"] = [
        {"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"},
        {"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"},
    ]
    from binhdang.plans.interchange import plan_load

    plan = plan_load(doc)
    return SimpleNamespace(
        plan=plan,
        i1=plan.indicators.get(key="I1"),
        i2=plan.indicators.get(key="I2"),
        t1=plan.tasks.get(key="T1"),
        t2=plan.tasks.get(key="T2"),
        **vars(world),
    )
