"""Values by group (age group, ethnicity, area; issue 16) through the API: read with `combo` and its fields, listed
as totals unless `?combo=` asks for groups, and written through the same service and checks as the form."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest

from binhdang.plans.models import Indicator
from binhdang.reporting.models import AuditEvent, Report, Value

pytestmark = pytest.mark.django_db
D = Decimal
DTTS_RURAL = "ethnicity=dtts;area=rural"


@pytest.fixture
def gw(api_world: SimpleNamespace) -> SimpleNamespace:
    """I1 (a percentage) by sex × age group (0-14, 15+) × ethnicity; I2 (a count) by ethnicity × area."""
    Indicator.objects.filter(pk=api_world.i1.pk).update(
        disaggregations=["sex", "age", "ethnicity"], age_groups=["0-14", "15+"]
    )
    Indicator.objects.filter(pk=api_world.i2.pk).update(disaggregations=["ethnicity", "area"])
    return api_world


def _post(client: Any, report: Report, values: list[dict[str, Any]]) -> Any:
    report.refresh_from_db()
    return client.post(
        f"/api/reports/{report.pk}/values/", {"version": report.version, "values": values}, format="json"
    )


def _i2(gw: Any, total: int, parts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"indicator": gw.i2.pk, "value": total},
        *({"indicator": gw.i2.pk, "value": v, "combo": combo} for combo, v in parts.items()),
    ]


def _stored(report: Report) -> dict[tuple[int, str, str], Any]:
    return {
        (v.indicator_id, v.sex, v.combo): (v.value, v.numerator, v.denominator)
        for v in Value.objects.filter(report=report)
    }


def _list(client: Any, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/values/?{urlencode(params)}")
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


def test_groups_are_written_by_combo_or_by_fields_and_read_back_with_both(gw: Any, client_for: Any) -> None:
    client = client_for(gw.commune_user)
    values = [
        *_i2(gw, 10, {"area=rural;ethnicity=dtts": 4}),  # categories out of order: stored in canonical order
        {"indicator": gw.i2.pk, "value": 6, "ethnicity": "kinh", "area": "urban"},
        {
            "indicator": gw.i1.pk,
            "sex": "female",
            "numerator": 3,
            "denominator": 8,
            "age_group": "15+",
            "ethnicity": "dtts",
        },
    ]
    response = _post(client, gw.a_report, values)
    assert response.status_code == 200, response.content
    stored = _stored(gw.a_report)
    assert stored[(gw.i2.pk, "total", "")][0] == D(10)
    assert stored[(gw.i2.pk, "total", DTTS_RURAL)][0] == D(4)
    assert stored[(gw.i2.pk, "total", "ethnicity=kinh;area=urban")][0] == D(6)
    assert stored[(gw.i1.pk, "female", "age=15+;ethnicity=dtts")][1:] == (D(3), D(8))
    assert len(stored) == 4
    # The audit trail names the group's cell, as the form's saves do.
    assert AuditEvent.objects.filter(
        report=gw.a_report, field=f"indicator:{gw.i2.pk}:total:value:{DTTS_RURAL}"
    ).exists()
    rows = {(r["indicator"], r["sex"], r["combo"]): r for r in _list(client, report=str(gw.a_report.pk), combo="all")}
    rural = rows[(gw.i2.pk, "total", DTTS_RURAL)]
    assert (rural["age_group"], rural["ethnicity"], rural["area"], rural["value"]) == ("", "dtts", "rural", "4.0000")
    aged = rows[(gw.i1.pk, "female", "age=15+;ethnicity=dtts")]
    assert (aged["age_group"], aged["ethnicity"], aged["area"]) == ("15+", "dtts", "")
    total = rows[(gw.i2.pk, "total", "")]
    assert (total["combo"], total["age_group"], total["ethnicity"], total["area"]) == ("", "", "", "")
    # A single value answers with its group, whatever the list's default.
    detail = client.get(f"/api/values/{rural['id']}/").json()
    assert detail["combo"] == DTTS_RURAL and detail["area"] == "rural"


def test_list_gives_totals_by_default_and_groups_on_request(gw: Any, client_for: Any) -> None:
    client = client_for(gw.commune_user)
    parts = {
        "ethnicity=kinh;area=urban": 1,
        "ethnicity=kinh;area=rural": 2,
        DTTS_RURAL: 3,
        "ethnicity=dtts;area=urban": 4,
    }
    assert _post(client, gw.a_report, _i2(gw, 10, parts)).status_code == 200
    report = str(gw.a_report.pk)
    default = _list(client, report=report)
    assert [(r["combo"], r["value"]) for r in default] == [("", "10.0000")]  # summing it counts nothing twice
    assert _list(client, report=report, combo="") == default
    everything = _list(client, report=report, combo="all")
    assert sorted((r["combo"], D(r["value"])) for r in everything) == sorted(
        [("", D(10)), *((c, D(v)) for c, v in parts.items())]
    )
    one = _list(client, report=report, combo="area=rural;ethnicity=dtts")  # any order, read as the canonical key
    assert [(r["combo"], r["value"]) for r in one] == [(DTTS_RURAL, "3.0000")]
    assert _list(client, report=report, combo="ethnicity=dtts") == []  # a margin is not stored (docs)


def test_an_unreadable_combo_filter_is_a_400_naming_it(gw: Any, client_for: Any) -> None:
    client = client_for(gw.commune_user)
    for bad in ("ethnicity=hmong", "colour=red", "age=24-15", "ethnicity"):
        response = client.get(f"/api/values/?{urlencode({'combo': bad})}")
        assert response.status_code == 400, bad
        assert "combo" in response.json(), bad


def test_an_undeclared_group_refuses_the_whole_request_naming_its_field(gw: Any, client_for: Any) -> None:
    client = client_for(gw.commune_user)
    version = gw.a_report.version
    values = [
        *_i2(gw, 10, {DTTS_RURAL: 4}),
        {"indicator": gw.i1.pk, "sex": "total", "numerator": 1, "denominator": 2, "combo": "age=15-24;ethnicity=dtts"},
    ]
    response = _post(client, gw.a_report, values)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_values"
    assert [i["field"] for i in body["issues"]] == ["values[2].combo"]
    assert "15–24 tuổi, dân tộc thiểu số" in body["issues"][0]["message"]
    assert not Value.objects.filter(report=gw.a_report).exists()  # not even the good rows
    gw.a_report.refresh_from_db()
    assert gw.a_report.version == version
    # I1 is not by area: a group with an area is outside it too.
    response = _post(
        client, gw.a_report, [{"indicator": gw.i1.pk, "numerator": 1, "denominator": 2, "combo": "area=rural"}]
    )
    assert response.status_code == 400 and response.json()["issues"][0]["field"] == "values[0].combo"
    assert not Value.objects.filter(report=gw.a_report).exists()


def test_bad_or_contradictory_group_fields_are_refused_by_field(gw: Any, client_for: Any) -> None:
    client = client_for(gw.commune_user)
    cases = [
        ({"ethnicity": "hmong"}, "ethnicity"),
        ({"age_group": "15-"}, "age_group"),
        ({"area": "suburb"}, "area"),
        ({"combo": "ethnicity=dtts;ethnicity=kinh"}, "combo"),
        ({"combo": DTTS_RURAL, "ethnicity": "kinh", "area": "rural"}, "combo"),  # the two ways disagree
    ]
    for extra, field in cases:
        response = _post(
            client, gw.a_report, [{"indicator": gw.i2.pk, "value": 1}, {"indicator": gw.i2.pk, "value": 1, **extra}]
        )
        assert response.status_code == 400, extra
        errors = response.json()["values"]  # DRF 3.18: the rows in error by index
        assert list(errors) == ["1"] and field in errors["1"], (extra, errors)
    # The same cell twice, once by key and once by fields, is a duplicate.
    same = [
        {"indicator": gw.i2.pk, "value": 1, "combo": DTTS_RURAL},
        {"indicator": gw.i2.pk, "value": 2, "ethnicity": "dtts", "area": "rural"},
    ]
    assert _post(client, gw.a_report, same).status_code == 400
    assert not Value.objects.filter(report=gw.a_report).exists()


def test_parts_that_disagree_with_their_total_are_refused_and_nothing_written(gw: Any, client_for: Any) -> None:
    client = client_for(gw.commune_user)
    # I2's four groups (2 ethnicities × 2 areas) cover its total exactly once: all entered, they must add up.
    parts = {
        "ethnicity=kinh;area=urban": 1,
        "ethnicity=kinh;area=rural": 2,
        DTTS_RURAL: 3,
        "ethnicity=dtts;area=urban": 3,
    }
    version = gw.a_report.version
    response = _post(client, gw.a_report, _i2(gw, 10, parts))
    assert response.status_code == 400  # the parts and the total are one figure: saved together or not at all
    sums = [i for i in response.json()["issues"] if i["where"] == f"indicator:{gw.i2.pk}:total:value"]
    assert sums and sums[0]["level"] == "error" and sums[0]["field"] == "values[0].value"
    assert "(9)" in sums[0]["message"] and "(10)" in sums[0]["message"]  # 1 + 2 + 3 + 3 against 10
    assert not Value.objects.filter(report=gw.a_report).exists()
    # A single part over its total is named by its own field.
    response = _post(client, gw.a_report, _i2(gw, 10, {DTTS_RURAL: 11}))
    assert response.status_code == 400
    over = [i for i in response.json()["issues"] if i["where"] == f"indicator:{gw.i2.pk}:total:value:{DTTS_RURAL}"]
    assert over and over[0]["field"] == "values[1].value"
    gw.a_report.refresh_from_db()
    assert gw.a_report.version == version and not Value.objects.filter(report=gw.a_report).exists()
    # Parts alone give the total (it is derived, never typed twice).
    response = _post(client, gw.a_report, [v for v in _i2(gw, 10, parts) if v.get("combo")])
    assert response.status_code == 200, response.json()
    total = Value.objects.get(report=gw.a_report, indicator=gw.i2, sex="total", combo="")
    assert total.value == sum(parts.values())


def test_female_group_of_an_indicator_not_split_by_sex_is_refused(gw: Any, client_for: Any) -> None:
    values = [*_i2(gw, 10, {}), {"indicator": gw.i2.pk, "sex": "female", "value": 4, "combo": DTTS_RURAL}]
    response = _post(client_for(gw.commune_user), gw.a_report, values)
    assert response.status_code == 400
    assert response.json()["issues"][0]["field"] == "values[1].value"
    assert not Value.objects.filter(report=gw.a_report).exists()
