"""An indicator's age groups (issue 16): declared in the plan format and on the indicator's page, refused when they
overlap, and locked like the rest of what a reported figure means once reports hang on the indicator."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import minimal_plan
from django.test import Client
from django.urls import reverse

from binhdang.plans import services as plans
from binhdang.plans.errors import PlanFormatError
from binhdang.plans.interchange import plan_export, plan_load, plan_validate
from binhdang.plans.locks import PartLocked
from binhdang.reporting.checks import Entry
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit, reports_generate

D = Decimal


def _doc(age_groups: Any) -> dict[str, Any]:
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026")
    doc["indicators"] = [
        {
            "id": "I1",
            "text": "Số người được tư vấn về bình đẳng giới",
            "measure": "count",
            "disaggregations": ["sex", "age"],
            "age_groups": age_groups,
        }
    ]
    return doc


def test_the_format_carries_age_groups_written_the_canonical_way(db: None) -> None:
    indicator = plan_load(_doc(["15-24", "0-4", "060+"])).indicators.get()
    assert indicator.age_groups == ["15-24", "0-4", "60+"]
    exported = plan_export(indicator.plan)["indicators"][0]
    assert exported["age_groups"] == ["15-24", "0-4", "60+"]


def test_a_plan_without_age_groups_exports_as_before(db: None) -> None:
    doc = _doc([])
    del doc["indicators"][0]["age_groups"]
    exported = plan_export(plan_load(doc))
    assert "age_groups" not in json.dumps(exported)


@pytest.mark.parametrize(
    ("groups", "code", "english"),
    [
        (["15+", "15-24"], "age_groups_overlap", "age groups 15+ and 15-24 overlap"),
        (["0-4", "dưới 5"], "age_group_invalid", "not an age group: 'dưới 5'"),
        (["24-15"], "age_group_invalid", "not an age group: '24-15'"),
    ],
)
def test_bad_age_groups_are_refused_by_name(groups: list[str], code: str, english: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        plan_validate(_doc(groups))
    errors = [e for e in caught.value.errors if e.code == code]
    assert errors and errors[0].path.startswith("/indicators/0/age_groups")
    assert errors[0].message.startswith(english)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_indicator_page_sets_age_groups_and_refuses_overlaps(cycle: Any) -> None:
    client = _client(cycle.province_user)
    url = reverse("part-update", args=[cycle.plan.pk, "indicator", cycle.i2.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "text": cycle.i2.text,
        "measure": cycle.i2.measure,
        "disaggregations": ["sex", "age"],
        "age_groups": "15+; 15-24",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "“15+” và “15-24” trùng nhau" in refused.content.decode()
    cycle.i2.refresh_from_db()
    assert cycle.i2.age_groups == []
    saved = client.post(url, {**data, "age_groups": "0-4, 15-24  60+"})
    assert saved.status_code == 302, saved.context["form"].errors
    cycle.i2.refresh_from_db()
    assert cycle.i2.age_groups == ["0-4", "15-24", "60+"]
    assert 'value="0-4, 15-24, 60+"' in client.get(url).content.decode()


def test_age_groups_do_not_change_once_reports_hang_on_the_indicator(cycle: Any) -> None:
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.health.pk)
    entries = [
        Entry(cycle.i1.pk, "total", numerator=D(95), denominator=D(200)),
        Entry(cycle.i1.pk, "female", numerator=D(45), denominator=D(100)),
        Entry(cycle.i1.pk, "male", numerator=D(50), denominator=D(100)),
    ]
    report = report_save(report=report, user=cycle.department_user, version=report.version, entries=entries)
    report = report_submit(report=report, user=cycle.department_user, version=report.version)
    report_accept(report=report, user=cycle.province_user, version=report.version)
    with pytest.raises(PartLocked) as info:
        plans.indicator_update(
            indicator=cycle.i1,
            user=cycle.province_user,
            data={"disaggregations": ["sex", "age"], "age_groups": ["15-24"]},
        )
    assert info.value.code == "reshape"
    cycle.i1.refresh_from_db()
    assert cycle.i1.age_groups == []
