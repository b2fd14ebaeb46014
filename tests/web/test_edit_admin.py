"""The Django admin for reference data: pages render, plans are view-only, the catalogue is editable."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.plans.models import CatalogueIndicator

pytestmark = pytest.mark.django_db

PAGES = [
    "places_administrativeunit",
    "places_agency",
    "places_advancementcommittee",
    "places_profile",
    "plans_catalogueindicator",
    "plans_plan",
]


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_client(world: SimpleNamespace) -> Client:
    client = Client()
    client.force_login(world.admin)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_admin_lists_render(admin_client: Client, page: str) -> None:
    assert admin_client.get(reverse(f"admin:{page}_changelist"), {"q": "Thái"}).status_code == 200


def test_units_and_plans_cannot_be_added_in_the_admin(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:places_administrativeunit_add")).status_code == 403
    assert admin_client.get(reverse("admin:plans_plan_add")).status_code == 403


def test_agency_page_has_its_aliases_inline(admin_client: Client, world: SimpleNamespace) -> None:
    page = admin_client.get(reverse("admin:places_agency_change", args=[world.health.pk])).content.decode()
    assert "aliases-TOTAL_FORMS" in page


def test_an_administrator_adds_an_unconfirmed_strategy_indicator(admin_client: Client) -> None:
    url = reverse("admin:plans_catalogueindicator_add")
    assert 'name="confirmed"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "objective_number": "6",
            "objective_title": "Lĩnh vực thông tin, truyền thông",
            "number": "9",
            "text": "Chỉ tiêu chưa xác nhận",
            "source": "Nghị quyết 28/NQ-CP (chưa xác nhận)",
            "measure": "percentage",
            "disaggregations": "[]",
            "targets": '[{"year": 2030, "value": 50}]',
        },
    )
    assert response.status_code == 302
    added = CatalogueIndicator.objects.get(objective_number=6, number="9")
    assert not added.confirmed


def test_non_staff_users_cannot_open_the_admin(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.commune_user)
    assert client.get(reverse("admin:plans_catalogueindicator_changelist")).status_code == 302


def _agency_form(world: SimpleNamespace, **changes: str) -> dict[str, str]:
    data = {
        "name": world.health.name,
        "short_name": "",
        "kind": world.health.kind,
        "unit": str(world.health.unit_id),
        "email": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_a_unit_that_is_not_an_id_is_a_form_error_not_a_server_error(
    admin_client: Client, world: SimpleNamespace
) -> None:
    # Django's autocomplete widget looked the posted text up to show the form again (ValueError, a 500).
    url = reverse("admin:places_agency_change", args=[world.health.pk])
    response = admin_client.post(url, _agency_form(world, unit="Bình đẳng giới"))
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors


def test_an_agency_named_like_another_of_its_unit_is_refused_by_the_form(
    admin_client: Client, world: SimpleNamespace
) -> None:
    # Same name in another case and spacing: the folded key collides (the database's unique constraint).
    url = reverse("admin:places_agency_add")
    response = admin_client.post(url, _agency_form(world, name="  " + world.health.name.upper()))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == ["Địa bàn này đã có cơ quan, đơn vị cùng tên."]


def test_two_new_aliases_that_fold_alike_are_refused(admin_client: Client, world: SimpleNamespace) -> None:
    url = reverse("admin:places_agency_change", args=[world.health.pk])
    aliases = {"aliases-TOTAL_FORMS": "2", "aliases-0-alias": "Sở YT", "aliases-1-alias": "sở  yt"}
    response = admin_client.post(url, _agency_form(world, **aliases))
    assert response.status_code == 200
    assert "Hai tên gọi khác trùng nhau." in response.content.decode()
    assert not world.health.aliases.exists()


def test_text_typed_in_the_admin_is_stored_in_nfc(admin_client: Client, world: SimpleNamespace) -> None:
    import unicodedata

    from binhdang.places.models import Agency

    decomposed = unicodedata.normalize("NFD", "Trung tâm Công tác xã hội")
    url = reverse("admin:places_agency_add")
    response = admin_client.post(url, _agency_form(world, name=decomposed, short_name=decomposed))
    assert response.status_code == 302
    added = Agency.objects.get(name_key__contains="trung tam cong tac")
    assert added.name == added.short_name == unicodedata.normalize("NFC", decomposed)
