"""Loading the administrative units from vietnam-provinces: counts, codes, kinds, successors, idempotency."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import F
from pytest_django import DjangoDbBlocker

from binhdang.places.models import AdministrativeUnit, Generation, Level, UnitKind
from binhdang.places.refdata import PACKAGE_VERSION, UnitLoadStats, units_load

CUR, LEG = Generation.CURRENT.value, Generation.LEGACY.value


@pytest.fixture(scope="module")
def full_load(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> UnitLoadStats:
    """The full load, committed for the module (tests/conftest.py may have loaded it for the session already:
    the load is idempotent, so this is then a check that changes nothing). Tests roll back their own edits."""
    with django_db_blocker.unblock():
        return units_load()


def _unit(generation: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(generation=generation, code=code)


TOTAL = 34 + 3321 + 63 + 696 + 10051


@pytest.mark.django_db
def test_full_load_counts(full_load: UnitLoadStats) -> None:
    assert full_load.total == TOTAL
    assert full_load.links_missing == 0
    assert full_load.counts == {
        (CUR, Level.PROVINCE): 34,
        (CUR, Level.COMMUNE): 3321,
        (LEG, Level.PROVINCE): 63,
        (LEG, Level.DISTRICT): 696,
        (LEG, Level.COMMUNE): 10051,
    }
    assert Counter(AdministrativeUnit.objects.values_list("generation", "level")) == full_load.counts


@pytest.mark.django_db
def test_load_into_an_empty_table_creates_everything(full_load: UnitLoadStats) -> None:
    links = AdministrativeUnit.successors.through.objects.count()
    AdministrativeUnit.successors.through.objects.all().delete()
    for level in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):  # rolled back after the test
        AdministrativeUnit.objects.filter(level=level).delete()
    stats = units_load()
    assert (stats.created, stats.updated, stats.unchanged) == (TOTAL, 0, 0)
    assert (stats.links_created, stats.links_deleted, stats.links_missing) == (links, 0, 0)
    assert AdministrativeUnit.objects.count() == TOTAL


@pytest.mark.django_db
def test_commune_kinds_match_the_official_totals(full_load: UnitLoadStats) -> None:
    kinds = Counter(
        AdministrativeUnit.objects.filter(generation=CUR, level=Level.COMMUNE).values_list("kind", flat=True)
    )
    assert kinds == {UnitKind.XA: 2621, UnitKind.PHUONG: 687, UnitKind.DAC_KHU: 13}
    legacy_districts = set(
        AdministrativeUnit.objects.filter(generation=LEG, level=Level.DISTRICT).values_list("kind", flat=True)
    )
    assert legacy_districts == {UnitKind.HUYEN, UnitKind.QUAN, UnitKind.THI_XA, UnitKind.THANH_PHO}


@pytest.mark.django_db
def test_second_run_changes_nothing(full_load: UnitLoadStats) -> None:
    links = AdministrativeUnit.successors.through.objects.count()
    again = units_load()
    assert (again.created, again.updated, again.links_created, again.links_deleted) == (0, 0, 0, 0)
    assert again.unchanged == TOTAL
    assert again.links_unchanged == links
    assert not again.changed
    assert AdministrativeUnit.objects.count() == TOTAL
    assert AdministrativeUnit.successors.through.objects.count() == links


@pytest.mark.django_db
def test_load_repairs_edited_rows_and_links(full_load: UnitLoadStats) -> None:
    hue = _unit(LEG, "46")
    AdministrativeUnit.objects.filter(pk=hue.pk).update(name="Tên sai", name_key="ten sai")
    stray = _unit(CUR, "01")
    hue.successors.add(stray)
    stats = units_load(provinces=["46"])
    assert stats.updated == 1
    assert stats.links_deleted == 1
    hue.refresh_from_db()
    assert hue.name == "Thành phố Huế"
    assert hue.name_key == "thanh pho hue"
    assert [u.code for u in hue.successors.all()] == ["46"]


@pytest.mark.django_db
def test_codes_fields_and_source(full_load: UnitLoadStats) -> None:
    hanoi = _unit(CUR, "01")
    assert hanoi.kind == UnitKind.THANH_PHO_TW
    assert hanoi.valid_from == dt.date(2025, 7, 1)
    assert hanoi.valid_to is None
    assert hanoi.parent is None
    assert PACKAGE_VERSION in hanoi.source
    assert "19/2025/QĐ-TTg" in hanoi.source
    ba_dinh = _unit(CUR, "00004")
    assert ba_dinh.parent == hanoi
    assert ba_dinh.level == Level.COMMUNE
    yen_the = _unit(LEG, "215")
    assert yen_the.name == "Huyện Yên Thế"
    assert yen_the.kind == UnitKind.HUYEN
    assert (yen_the.valid_from, yen_the.valid_to) == (None, dt.date(2025, 6, 30))
    assert yen_the.parent == _unit(LEG, "24")
    an_hoa_thinh = _unit(LEG, "18163")
    assert an_hoa_thinh.parent is not None and an_hoa_thinh.parent.code == "439"
    # Every current commune and legacy commune/district has a parent of the level above, same generation.
    orphans = AdministrativeUnit.objects.exclude(level=Level.PROVINCE).filter(parent__isnull=True)
    assert not orphans.exists()
    other_generation = AdministrativeUnit.objects.filter(parent__isnull=False).exclude(
        parent__generation=F("generation")
    )
    assert not other_generation.exists()


@pytest.mark.django_db
def test_successor_links(full_load: UnitLoadStats) -> None:
    thua_thien_hue = _unit(LEG, "46")
    assert [(u.generation, u.code) for u in thua_thien_hue.successors.all()] == [(CUR, "46")]
    bac_giang = _unit(LEG, "24")
    assert [u.name for u in bac_giang.successors.all()] == ["Thành phố Bắc Ninh"]
    # The province table has one legacy province split between two new ones.
    split = [
        u for u in AdministrativeUnit.objects.filter(generation=LEG, level=Level.PROVINCE) if u.successors.count() > 1
    ]
    assert split
    # Only legacy units have successors, and they always point at the current generation.
    through = AdministrativeUnit.successors.through
    pairs = through.objects.values_list("from_administrativeunit__generation", "to_administrativeunit__generation")
    assert set(pairs.distinct()) == {(LEG, CUR)}
    # A district's successors are the new communes of its communes (Yên Thế → communes of today's Bắc Ninh).
    yen_the = _unit(LEG, "215")
    successors = list(yen_the.successors.all())
    assert successors
    assert {u.level for u in successors} == {Level.COMMUNE}
    assert {u.parent.name for u in successors if u.parent} == {"Thành phố Bắc Ninh"}
    from_communes = set(AdministrativeUnit.objects.filter(predecessors__parent=yen_the).values_list("pk", flat=True))
    assert {u.pk for u in successors} == from_communes
    # Island districts without communes go to the đặc khu of the same name.
    con_dao = AdministrativeUnit.objects.get(generation=LEG, level=Level.DISTRICT, name="Huyện Côn Đảo")
    assert [u.name for u in con_dao.successors.all()] == ["Đặc khu Côn Đảo"]
    # Every new commune has at least one predecessor.
    assert not AdministrativeUnit.objects.filter(
        generation=CUR, level=Level.COMMUNE, predecessors__isnull=True
    ).exists()


# The two tests below may run before or after the module's full load: they look at the run's own stats.


@pytest.mark.django_db
def test_partial_load_brings_partner_provinces() -> None:
    # Legacy Bắc Giang (24) went into today's Bắc Ninh (24), which also took legacy Bắc Ninh (27).
    stats = units_load(provinces=["24"])
    assert stats.links_missing == 0
    assert stats.counts[(CUR, Level.PROVINCE)] == 1
    assert stats.counts[(LEG, Level.PROVINCE)] == 2
    assert set(
        AdministrativeUnit.objects.filter(generation=LEG, code__in=["24", "27"]).values_list("name", flat=True)
    ) == {"Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"}
    assert _unit(CUR, "24").name == "Thành phố Bắc Ninh"
    again = units_load(provinces=[24])
    assert not again.changed
    assert again.unchanged == stats.total


@pytest.mark.django_db
def test_current_only_and_unknown_codes() -> None:
    stats = units_load(include_legacy=False, provinces=["42"])
    assert stats.counts == {(CUR, Level.PROVINCE): 1, (CUR, Level.COMMUNE): 69}
    assert stats.links_created == stats.links_deleted == 0
    with pytest.raises(ValueError, match="99"):
        units_load(provinces=["99"])
