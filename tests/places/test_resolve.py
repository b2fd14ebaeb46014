"""Finding units by the names documents give them, across the 2025 reform."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.db.models import Count
from pytest_django import DjangoAssertNumQueries, DjangoDbBlocker

from binhdang.places.models import AdministrativeUnit, Generation, Level, UnitKind
from binhdang.places.refdata import units_load
from binhdang.places.resolve import unit_descendants_ids, unit_find, unit_find_path, unit_successors_today

CUR, LEG = Generation.CURRENT.value, Generation.LEGACY.value
PLAN_2015 = dt.date(2015, 4, 1)
# Thái Nguyên, Quảng Ninh, Bắc Giang (→ Bắc Ninh, with legacy Bắc Ninh), Hà Tĩnh, Huế: the seeds' places.
PROVINCES = ["19", "22", "24", "42", "46"]


@pytest.fixture(scope="module", autouse=True)
def units(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """The seeds' provinces (tests/conftest.py normally has loaded the whole country already; a no-op then)."""
    with django_db_blocker.unblock():
        units_load(provinces=PROVINCES)


def _unit(generation: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(generation=generation, code=code)


pytestmark = pytest.mark.django_db


def test_thua_thien_hue_is_todays_thanh_pho_hue() -> None:
    for written in ("Thừa Thiên Huế", "tỉnh Thừa Thiên Huế", "TỈNH THỪA THIÊN HUẾ", "Thua Thien Hue"):
        unit = unit_find(written, at=PLAN_2015)
        assert unit is not None, written
        assert (unit.generation, unit.code, unit.level) == (LEG, "46", Level.PROVINCE)
    legacy = _unit(LEG, "46")
    assert unit_successors_today(legacy) == [_unit(CUR, "46")]
    assert _unit(CUR, "46").name == "Thành phố Huế"
    # Today the name designates nothing: the caller follows the successors of the legacy unit.
    assert unit_find("Thừa Thiên Huế") is None
    assert unit_find("TP. Huế") == _unit(CUR, "46")
    assert unit_find("thành phố Huế", at=dt.date(2025, 6, 30)) == legacy


def test_yen_the_district_of_bac_giang() -> None:
    yen_the = unit_find("huyện Yên Thế", at=PLAN_2015)
    assert yen_the is not None
    assert (yen_the.generation, yen_the.code, yen_the.kind) == (LEG, "215", UnitKind.HUYEN)
    assert yen_the.parent is not None and yen_the.parent.name == "Tỉnh Bắc Giang"
    assert unit_find_path("huyện Yên Thế, tỉnh Bắc Giang", at=PLAN_2015) == yen_the
    successors = unit_successors_today(yen_the)
    assert successors
    assert {u.generation for u in successors} == {CUR}
    assert {u.parent.name for u in successors if u.parent} == {"Thành phố Bắc Ninh"}
    assert "Xã Yên Thế" in {u.name for u in successors}
    bac_giang = unit_find("tỉnh Bắc Giang", at=PLAN_2015)
    assert bac_giang is not None
    assert [u.name for u in unit_successors_today(bac_giang)] == ["Thành phố Bắc Ninh"]
    # Districts are gone: the same words today name the commune only.
    assert unit_find("huyện Yên Thế") is None
    assert unit_find("huyện Yên Thế", at=dt.date(2025, 7, 1)) is None
    assert unit_find("huyện Yên Thế", at=dt.date(2025, 6, 30)) == yen_the


def test_an_hoa_thinh_of_huong_son_ha_tinh() -> None:
    path = "xã An Hòa Thịnh, huyện Hương Sơn, tỉnh Hà Tĩnh"
    commune = unit_find_path(path, at=PLAN_2015)
    assert commune is not None
    assert (commune.generation, commune.code, commune.name) == (LEG, "18163", "Xã An Hòa Thịnh")
    assert commune.full_name() == "Xã An Hòa Thịnh, Huyện Hương Sơn, Tỉnh Hà Tĩnh"
    for written in (
        "xã An Hoà Thịnh, huyện Hương Sơn, tỉnh Hà Tĩnh",  # old-style accent
        unicodedata.normalize("NFD", path),  # decomposed accents
        "Xa An Hoa Thinh, Huong Son, Ha Tinh",  # no accents, no kind words
        path + ", Việt Nam",
        "xã An Hòa Thịnh, tỉnh Hà Tĩnh",  # district skipped
    ):
        assert unit_find_path(written, at=PLAN_2015) == commune, written
    assert unit_find("xã An Hòa Thịnh", at=PLAN_2015) == commune
    today = unit_successors_today(commune)
    assert len(today) >= 1
    assert all(u.generation == CUR and u.level == Level.COMMUNE for u in today)
    assert {u.parent.name for u in today if u.parent} == {"Tỉnh Hà Tĩnh"}
    assert unit_find("xã An Hòa Thịnh") is None  # merged away on 1 July 2025


def test_unknown_names_give_none() -> None:
    assert unit_find("xã Không Có Thật", at=PLAN_2015) is None
    assert unit_find("xã Không Có Thật") is None
    assert unit_find("") is None
    assert unit_find("   ") is None
    assert unit_find_path("xã Không Có Thật, huyện Hương Sơn, tỉnh Hà Tĩnh", at=PLAN_2015) is None
    assert unit_find_path("xã An Hòa Thịnh, huyện Yên Thế, tỉnh Hà Tĩnh", at=PLAN_2015) is None
    assert unit_find_path("", at=PLAN_2015) is None


def _province_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    while unit.parent is not None:
        unit = unit.parent
    return unit


def test_ambiguous_bare_commune_name_gives_none() -> None:
    # Commune names that occur twice or more within the seeds' provinces, in each generation.
    for generation, at, in_provinces in (
        (LEG, PLAN_2015, {"parent__parent__code__in": PROVINCES}),
        (CUR, None, {"parent__code__in": PROVINCES}),
    ):
        repeated = list(
            AdministrativeUnit.objects.filter(generation=generation, level=Level.COMMUNE, **in_provinces)
            .values_list("name", flat=True)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .order_by("name")
        )
        assert repeated, generation
        for name in repeated:
            assert unit_find(name, at=at) is None, name
            # Naming the province settles it when every namesake is in a different province.
            same = list(AdministrativeUnit.objects.filter(generation=generation, name=name))
            provinces = [_province_of(u) for u in same]
            if len(set(provinces)) == len(same):
                for unit, province in zip(same, provinces, strict=True):
                    assert unit_find(name, at=at, within=province) == unit
    assert unit_find("xã Hương Sơn", at=PLAN_2015) is None
    bac_giang = _unit(LEG, "24")
    found = unit_find("xã Hương Sơn", at=PLAN_2015, within=bac_giang)
    assert found is not None and _province_of(found) == bac_giang


def test_bare_name_prefers_the_province_and_kind_words_decide() -> None:
    province = unit_find("Thái Nguyên", at=PLAN_2015)
    assert province is not None and province.level == Level.PROVINCE
    city = unit_find("thành phố Thái Nguyên", at=PLAN_2015)
    assert city is not None
    assert (city.level, city.kind, city.parent) == (Level.DISTRICT, UnitKind.THANH_PHO, province)
    district = unit_find("Hương Sơn", at=PLAN_2015, level=Level.DISTRICT)
    assert district is not None and district.code == "439"
    # In Thái Nguyên, 2015: Phường Hương Sơn (Thái Nguyên city) and Thị trấn Hương Sơn (Phú Bình).
    assert unit_find("Hương Sơn", at=PLAN_2015, within=province) is None
    ward = unit_find("phường Hương Sơn", at=PLAN_2015, within=province)
    town = unit_find("TT. Hương Sơn", at=PLAN_2015, within=province)
    assert ward is not None and ward.parent == city
    assert town is not None and town.kind == UnitKind.THI_TRAN
    assert unit_find("Quảng Ninh") == _unit(CUR, "22")
    assert unit_find("Quảng Ninh", at=PLAN_2015) == _unit(LEG, "22")


def test_exact_accents_break_a_tie_between_folded_namesakes() -> None:
    ha_tinh = _unit(CUR, "42")
    hoa = AdministrativeUnit.objects.create(
        generation=CUR,
        code="99990",
        name="Xã Hòa Thử",
        kind=UnitKind.XA,
        level=Level.COMMUNE,
        parent=ha_tinh,
        valid_from=dt.date(2025, 7, 1),
    )
    hoa_sac = AdministrativeUnit.objects.create(
        generation=CUR,
        code="99991",
        name="Xã Hóa Thử",
        kind=UnitKind.XA,
        level=Level.COMMUNE,
        parent=ha_tinh,
        valid_from=dt.date(2025, 7, 1),
    )
    assert unit_find("xã Hoà Thử") == hoa
    assert unit_find("xã Hòa Thử") == hoa
    assert unit_find("Xã Hóa Thử") == hoa_sac
    assert unit_find("xa hoa thu") is None  # no accents written: a real tie


def test_successors_of_a_current_unit_is_itself() -> None:
    current = _unit(CUR, "42")
    assert unit_successors_today(current) == [current]


def test_descendants(django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    ha_tinh_today = _unit(CUR, "42")
    ids = unit_descendants_ids(ha_tinh_today)
    assert len(ids) == AdministrativeUnit.objects.filter(parent=ha_tinh_today).count() == 69
    ha_tinh_2015 = _unit(LEG, "42")
    with django_assert_max_num_queries(3):
        ids = unit_descendants_ids(ha_tinh_2015)
    districts = AdministrativeUnit.objects.filter(parent=ha_tinh_2015)
    communes = AdministrativeUnit.objects.filter(parent__in=districts)
    assert ids == set(districts.values_list("pk", flat=True)) | set(communes.values_list("pk", flat=True))
    assert ha_tinh_2015.pk not in ids
    assert unit_descendants_ids(communes.first()) == set()  # type: ignore[arg-type]
