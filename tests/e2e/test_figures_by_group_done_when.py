"""Issue 16's "done when", end to end: a national-strategy indicator adopted by a province's plan is reported by
sex × age group × ethnicity by one commune on the web form and by another in the Excel workbook, accepted by the
province, rolled up from the communes to the province, charted on the province's dashboard, exported to DHIS2
(dataValueSets and ADX) and read back identical.

Every expected figure is computed here from the numbers the two officers type."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from itertools import product
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from binhdang.analytics.breakdown import margin_figures
from binhdang.interop.models import Dhis2Mapping, Dhis2OrgUnit
from binhdang.interop.services import export_adx, export_datavaluesets, import_adx, import_datavaluesets
from binhdang.plans.categories import combo_key
from binhdang.plans.models import CatalogueIndicator
from binhdang.plans.services import indicator_adopt, indicator_update
from binhdang.reporting.models import Report, ReportStatus, Value
from binhdang.reporting.services import periods_generate, report_accept, report_submit, reports_generate
from tests.web.test_reporting_views import FormReader

pytestmark = pytest.mark.django_db
D = Decimal
AGES = ["0-14", "15-59", "60+"]  # they tile every age: the totals follow from the parts
AGE_WORDS = {"0-14": "dưới 15 tuổi", "15-59": "15–59 tuổi", "60+": "60 tuổi trở lên"}
ETHNIC = ["kinh", "dtts"]
ETH_WORDS = {"kinh": "dân tộc Kinh", "dtts": "dân tộc thiểu số"}
SEX_WORDS = {"total": "Tổng", "female": "Nữ", "male": "Nam"}
COMBOS = [(age, eth, combo_key({"age": age, "ethnicity": eth})) for age, eth in product(AGES, ETHNIC)]
NO_FIGURE = "Không có số liệu kỳ này"


def typed(commune: int) -> dict[tuple[str, str], tuple[int, int]]:
    """What commune 0 (web form) and commune 1 (Excel) type: (sex, combo) → (numerator, denominator); each part's
    total is its female + male, as a person adds them up on paper. The totals of the whole are left empty."""
    cells: dict[tuple[str, str], tuple[int, int]] = {}
    for k, (_age, _eth, combo) in enumerate(COMBOS):
        female = (3 + k + 5 * commune, 20 + 2 * k + 7 * commune)
        male = (2 + k, 18 + k + 3 * commune)
        cells[("female", combo)] = female
        cells[("male", combo)] = male
        cells[("total", combo)] = (female[0] + male[0], female[1] + male[1])
    return cells


def whole(cells: dict[tuple[str, str], tuple[int, int]], sex: str) -> tuple[int, int]:
    parts = [cells[(sex, combo)] for _a, _e, combo in COMBOS]
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


@pytest.fixture
def adopted(cycle: SimpleNamespace) -> SimpleNamespace:
    """The province's plan adopts the strategy's 6.1 and its standing agency declares it by sex × age group ×
    ethnicity on the indicator's page (the service behind it); then the half-year reports are made."""
    catalogue = CatalogueIndicator.objects.get(objective_number=6, number="1")
    indicator = indicator_adopt(plan=cycle.plan, user=cycle.province_user, catalogue=catalogue)
    indicator_update(
        indicator=indicator,
        user=cycle.province_user,
        data={"disaggregations": ["sex", "age", "ethnicity"], "age_groups": AGES},
    )
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=period)}
    a, b = by_agency[cycle.a_office.pk], by_agency[cycle.b_office.pk]
    for report in (a, b):
        assert report.indicator_lines.filter(indicator=indicator).exists()
    return SimpleNamespace(**vars(cycle), indicator=indicator, period=period, a=a, b=b)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _by_form(w: Any) -> None:
    """Commune A types its grid on the report page, and a note for the plan's other indicators."""
    client = _client(w.commune_user)
    page = client.get(reverse("report-detail", args=[w.a.pk]))
    reader = FormReader("entry-form")
    reader.feed(page.content.decode())
    fields = reader.fields
    ind = w.indicator.pk
    for (sex, combo), (num, den) in typed(0).items():
        fields[f"i{ind}-{sex}-numerator@{combo}"] = str(num)
        fields[f"i{ind}-{sex}-denominator@{combo}"] = str(den)
    for other in (w.i1, w.i2):
        fields[f"i{other.pk}-note"] = NO_FIGURE
    response = client.post(reverse("report-detail", args=[w.a.pk]), fields)
    assert response.status_code == 302, response.content.decode()[-3000:]


def _headers(ws: Any) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _by_excel(w: Any) -> None:
    """Commune B downloads its workbook, fills the "Phân tổ" sheet and a note on "Chỉ tiêu", and uploads it."""
    client = _client(w.other_commune_user)
    download = client.get(reverse("report-xlsx", args=[w.b.pk]))
    assert download.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(download.content))
    grid = wb["Phân tổ"]
    cols = _headers(grid)
    rows = {
        (grid.cell(r, cols["Nhóm tuổi"]).value, grid.cell(r, cols["Dân tộc"]).value): r
        for r in range(2, grid.max_row + 1)
        if grid.cell(r, cols["Mã chỉ tiêu"]).value == w.indicator.pk
    }
    assert len(rows) == len(COMBOS)
    for (sex, combo), (num, den) in typed(1).items():
        age, eth = next((a, e) for a, e, c in COMBOS if c == combo)
        row = rows[(AGE_WORDS[age], ETH_WORDS[eth])]
        grid.cell(row, cols[f"{SEX_WORDS[sex]}: tử số"]).value = num
        grid.cell(row, cols[f"{SEX_WORDS[sex]}: mẫu số"]).value = den
    sheet = wb["Chỉ tiêu"]
    main = _headers(sheet)
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, main["Mã chỉ tiêu"]).value in (w.i1.pk, w.i2.pk):
            sheet.cell(r, main["Ghi chú"]).value = NO_FIGURE
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("bao-cao.xlsx", out.getvalue())
    response = client.post(reverse("report-xlsx-upload", args=[w.b.pk]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[-3000:]


def _stored(report: Report) -> dict[tuple[str, str], tuple[Decimal | None, Decimal | None]]:
    return {
        (v.sex, v.combo): (v.numerator, v.denominator)
        for v in Value.objects.filter(report=report, indicator__catalogue__isnull=False)
    }


def _expected(cells: dict[tuple[str, str], tuple[int, int]]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    out = {key: (D(n), D(d)) for key, (n, d) in cells.items()}
    for sex in ("total", "female", "male"):
        n, d = whole(cells, sex)
        out[(sex, "")] = (D(n), D(d))  # derived on saving, never typed
    return out


def test_reported_by_form_and_excel_accepted_rolled_up_charted_and_read_back_from_dhis2(adopted: Any) -> None:
    w = adopted
    _by_form(w)
    _by_excel(w)
    assert _stored(w.a) == _expected(typed(0))
    assert _stored(w.b) == _expected(typed(1))

    # Each commune sends; the province's standing agency accepts.
    for report, sender in ((w.a, w.commune_user), (w.b, w.other_commune_user)):
        report.refresh_from_db()
        report = report_submit(report=report, user=sender, version=report.version)
        report = report_accept(report=report, user=w.province_user, version=report.version)
        assert report.status == ReportStatus.ACCEPTED

    # Rolled up to the province: each age group's figure adds both communes' full combinations holding it.
    province = margin_figures(w.plan, w.indicator, w.province.pk, 0, "age")
    for age in AGES:
        for sex in ("female", "male", "total"):
            num = sum(typed(c)[(sex, combo)][0] for c in (0, 1) for a, _e, combo in COMBOS if a == age)
            den = sum(typed(c)[(sex, combo)][1] for c in (0, 1) for a, _e, combo in COMBOS if a == age)
            figure = province[(age, sex, w.period.pk)]
            assert (figure.numerator, figure.denominator) == (D(num), D(den))
            assert figure.figure == D(num) / D(den) * 100

    # Charted: the province's dashboard by ethnicity shows ethnic minorities beside the whole, with the gap.
    url = reverse("dashboard-unit", args=[w.province.pk])
    page = _client(w.province_user).get(url, {"plan": w.plan.pk, "indicator": w.indicator.pk, "by": "ethnicity"})
    assert page.status_code == 200
    breakdown = page.context["breakdown"]
    minorities = next(g for g in breakdown.groups if g.member == "dtts")
    num = sum(typed(c)[("female", combo)][0] for c in (0, 1) for _a, e, combo in COMBOS if e == "dtts")
    den = sum(typed(c)[("female", combo)][1] for c in (0, 1) for _a, e, combo in COMBOS if e == "dtts")
    assert minorities.figures["female"].numerator == D(num) and minorities.figures["female"].denominator == D(den)
    both = [whole(typed(c), "total") for c in (0, 1)]
    assert breakdown.whole.figures["total"].numerator == sum(n for n, _d in both)
    assert page.context["gap_chart"] is not None and page.context["minorities_chart"] is not None
    assert "dân tộc thiểu số" in page.content.decode()

    # Exported to DHIS2 and read back identical, in both of its formats.
    Dhis2Mapping.objects.create(
        indicator=w.indicator,
        data_set="dsGENDER016",
        numerator_element="deKNOW0NUM1",
        denominator_element="deKNOW0DEN1",
        coc_female="cocFEMALE01",
        coc_male="cocMALE0001",
    )
    for unit, uid in ((w.commune_a, "ouCOMMUNEA1"), (w.commune_b, "ouCOMMUNEB1")):
        Dhis2OrgUnit.objects.create(unit=unit, org_unit=uid)
    accepted = {r.reporter_id: _stored(r) for r in (w.a, w.b)}
    files = {"json": json.dumps(export_datavaluesets(w.period)), "adx": export_adx(w.period)}
    assert "ageGroup=" in files["adx"] and "ethnicity=" in files["adx"]
    for fmt, exported in files.items():
        # A fresh receiving system: the period's reports as they are before anything is entered.
        Report.objects.filter(period=w.period).delete()
        fresh = {r.reporter_id: r for r in reports_generate(period=w.period)}
        (import_datavaluesets if fmt == "json" else import_adx)(exported, user=w.admin)
        for agency, cells in accepted.items():
            assert _stored(fresh[agency]) == cells, fmt
