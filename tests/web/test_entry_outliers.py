"""Entry that teaches (issue 14): on the report page, a figure far from the unit's own accepted history is marked
beside its field for a second look; the mark stays after a refused save and never stops sending."""

from __future__ import annotations

import html
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from reporting.test_outliers import current, make_semiannual, send  # noqa: F401 (current is a fixture)

from binhdang.reporting.models import Report, ReportStatus

pytestmark = pytest.mark.django_db
D = Decimal
MESSAGE = "Giá trị 150 khác xa số liệu các kỳ trước của đơn vị (trung vị 45; từ 40 đến 52). Vui lòng kiểm tra lại."


@pytest.fixture
def history(current: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    """Commune A's accepted 6-month counts 40, 45, 52 in 2023–2025; its 2026 report is the one to fill in."""
    for period, n in zip(make_semiannual(current, [2023, 2024, 2025]), [40, 45, 52], strict=True):
        send(current, period, current.a_office, current.commune_user, D(n), accept=True)
    return current


def _post(e: SimpleNamespace, url_name: str, **fields: str) -> Any:
    report = Report.objects.get(pk=e.a.pk)
    i1, i2 = e.i1.pk, e.i2.pk
    data = {
        "version": str(report.version),
        "entry_form": "1",
        f"t{e.t2.pk}-status": "not_started",
        f"i{i1}-total-numerator": "90",
        f"i{i1}-total-denominator": "200",
        f"i{i1}-female-numerator": "40",
        f"i{i1}-female-denominator": "100",
        f"i{i1}-male-numerator": "50",
        f"i{i1}-male-denominator": "100",
        # 150: under three times the last figure (52), so only the unit's history finds it far.
        f"i{i2}-total-value": "150",
        **fields,
    }
    client = Client()
    client.force_login(e.commune_user)
    return client.post(reverse(url_name, args=[report.pk]), data)


def _marked_beside_the_field(body: str, e: SimpleNamespace) -> bool:
    text = html.unescape(body)
    field = f'id="i{e.i2.pk}-total-value-msg" aria-live="polite"><span class="msg-warning server-msg">{MESSAGE}'
    return field in text and f'<a href="#i{e.i2.pk}-total-value">' in text


def test_the_flag_shows_beside_the_field_after_saving(history: SimpleNamespace) -> None:
    assert _post(history, "report-detail").status_code == 302
    client = Client()
    client.force_login(history.commune_user)
    body = client.get(reverse("report-detail", args=[history.a.pk])).content.decode()
    assert _marked_beside_the_field(body, history)


def test_the_flag_survives_a_save_refused_for_an_unreadable_number(history: SimpleNamespace) -> None:
    response = _post(history, "report-detail", **{f"i{history.i1.pk}-male-numerator": "năm mươi"})
    assert response.status_code == 400
    assert _marked_beside_the_field(response.content.decode(), history)
    assert Report.objects.get(pk=history.a.pk).version == history.a.version  # nothing was saved


def test_a_note_removes_the_flag(history: SimpleNamespace) -> None:
    response = _post(history, "report-detail", **{f"i{history.i2.pk}-note": "Năm nay mở rộng địa bàn"})
    assert response.status_code == 302
    client = Client()
    client.force_login(history.commune_user)
    body = html.unescape(client.get(reverse("report-detail", args=[history.a.pk])).content.decode())
    assert "khác xa số liệu các kỳ trước" not in body


def test_the_flag_does_not_stop_sending(history: SimpleNamespace) -> None:
    response = _post(history, "report-submit")
    assert response.status_code == 302
    assert Report.objects.get(pk=history.a.pk).status == ReportStatus.SUBMITTED
