"""Publishing open data inside the product (issue 14: "open data is empty until an administrator types an
indicator id in the Django admin"): the standing agency chooses, previews and withdraws."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.opendata.models import PublishedIndicator
from binhdang.opendata.services import indicator_publish

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_standing_agency_publishes_previews_and_withdraws_without_the_admin(data: Any) -> None:
    province = _client(data.province_user)
    plan_page = province.get(reverse("plan-detail", args=[data.plan.pk])).content.decode()
    page_url = reverse("plan-opendata", args=[data.plan.pk])
    assert page_url in plan_page
    listing = province.get(page_url).content.decode()
    assert data.i1.text in listing and "Chưa công bố" in listing

    # The preview shows what the public would see: accepted figures only, before anything is public.
    preview = province.get(reverse("opendata-preview", args=[data.plan.pk, data.i1.pk]))
    assert preview.status_code == 200
    body = preview.content.decode()
    assert 'id="opendata-preview"' in body and "45" in body
    assert "777" not in body and "8181" not in body  # returned and submitted figures stay out
    assert Client().get(reverse("opendata:indicator", args=[data.i1.pk])).status_code == 404

    response = province.post(page_url, {"indicator": data.i1.pk, "action": "publish"})
    assert response.status_code == 302
    assert PublishedIndicator.objects.get().indicator == data.i1
    public = Client().get(reverse("opendata:indicator", args=[data.i1.pk]))
    assert public.status_code == 200 and 'id="opendata-preview"' not in public.content.decode()
    assert "Đang công bố" in province.get(page_url).content.decode()

    province.post(page_url, {"indicator": data.i1.pk, "action": "withdraw"})
    assert not PublishedIndicator.objects.exists()
    assert Client().get(reverse("opendata:indicator", args=[data.i1.pk])).status_code == 404


def test_others_cannot_open_the_publishing_page(data: Any) -> None:
    url = reverse("plan-opendata", args=[data.plan.pk])
    assert _client(data.department_user).get(url).status_code == 403
    assert _client(data.department_user).post(url, {"indicator": data.i1.pk}).status_code == 403
    assert _client(data.other_province_user).get(url).status_code == 404
    assert url not in _client(data.department_user).get(reverse("plan-detail", args=[data.plan.pk])).content.decode()
    assert not PublishedIndicator.objects.exists()


def test_an_indicator_of_another_plan_cannot_be_published_through_this_page(data: Any) -> None:
    from conftest import minimal_plan

    from binhdang.plans.interchange import plan_load

    doc = minimal_plan("2025:19", title="Kế hoạch khác")
    doc["indicators"] = [{"id": "X1", "text": "Số lớp tập huấn", "measure": "count"}]
    other = plan_load(doc).indicators.get()
    url = reverse("plan-opendata", args=[data.plan.pk])
    _client(data.province_user).post(url, {"indicator": other.pk, "action": "publish"})
    assert not PublishedIndicator.objects.exists()


def test_chart_and_table_print_the_same_vietnamese_number(data: Any) -> None:
    indicator_publish(indicator=data.i1, user=data.admin)
    body = Client().get(reverse("opendata:indicator", args=[data.i1.pk])).content.decode()
    # Commune A: 90/200 → 45%; the chart's bar text and the table cell agree, with Vietnamese separators.
    assert ">45</text>" in body and "<td>45 <small>(90/200)</small>" in body
    assert "45.0" not in body and "45,00" not in body


def test_chart_text_uses_vietnamese_separators_and_the_tables_rounding() -> None:
    from decimal import Decimal

    from binhdang.lib.numbers import format_vn_figure
    from binhdang.opendata.charts import bar_chart

    chart = bar_chart("t", [("A", Decimal("53.0934")), ("B", Decimal("180500")), ("C", Decimal("1.705"))])
    assert [bar.text for bar in chart.bars] == ["53,09", "180.500", "1,71"]
    assert [format_vn_figure(v) for v in (Decimal("53.0934"), Decimal("180500"), Decimal("1.705"))] == [
        "53,09",
        "180.500",
        "1,71",
    ]


def test_large_numerators_print_with_vietnamese_separators_in_chart_and_table(data: Any) -> None:
    """Issue 14: the public table printed "(180500/340000)" beside a chart printing "53.09"."""
    import re
    from decimal import ROUND_HALF_UP, Decimal

    from opendata.worlds import fill, rate

    from binhdang.reporting.services import report_accept, report_submit

    total, female, male = (180500, 340000), (90000, 170000), (90500, 170000)
    report = fill(data.returned, data.admin, rate(data.i1, total, female, male))
    report = report_submit(report=report, user=data.admin, version=report.version)
    report_accept(report=report, user=data.admin, version=report.version)
    indicator_publish(indicator=data.i1, user=data.admin)
    body = Client().get(reverse("opendata:indicator", args=[data.i1.pk])).content.decode()
    share = (Decimal(total[0]) * 100 / Decimal(total[1])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    vn_share = str(share).replace(".", ",")  # 53,09: the comma is the decimal mark
    assert f"<td>{vn_share} <small>(180.500/340.000)</small>" in body
    assert f">{vn_share}</text>" in body  # the chart's bar prints the table's number
    assert "180500" not in body and "340000" not in body and str(share) not in body
    assert not re.search(r">\d+\.\d{1,2}<", body)  # no figure with an English decimal point anywhere
