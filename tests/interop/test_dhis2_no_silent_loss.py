"""DHIS2 exchange without silent loss: every attribute and field is mapped, counted as bookkeeping, or refused by
name with nothing written (issue 16, "Exchange without silent loss")."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_plan
from dbsnapshot import product_tables
from django.core.management import CommandError, call_command
from interop.conftest import map_to_dhis2

from binhdang.interop.dhis2 import ADX_NS, DEFAULT_COC, parse_period_id
from binhdang.interop.models import Dhis2Mapping
from binhdang.interop.services import (
    Dhis2ExportError,
    Dhis2ImportError,
    export_adx,
    export_datavaluesets,
    import_adx,
    import_datavaluesets,
)
from binhdang.places.services import agency_get_or_create
from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report, ReportIndicator, Value
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

D = Decimal


@pytest.fixture
def mapped(data: Any) -> Any:
    map_to_dhis2(data)
    return data


def adx(*groups: str, root: str = "") -> str:
    return f'<?xml version="1.0"?><adx xmlns="{ADX_NS}" exported="2026-06-20T08:00:00Z"{root}>{"".join(groups)}</adx>'


def group(*values: str, period: str = "2026-01-01/P6M", ou: str = "ouCOMMUNEB1", extra: str = "") -> str:
    return f'<group orgUnit="{ou}" period="{period}"{extra}>{"".join(values)}</group>'


def row(element: str, value: str = "1", **fields: Any) -> dict[str, Any]:
    return {"dataElement": element, "period": "2026S1", "orgUnit": "ouCOMMUNEB1", "value": value, **fields}


def stored(report: Report, indicator: Any, sex: str) -> tuple[Any, ...]:
    v = Value.objects.get(report=report, indicator=indicator, sex=sex)
    return (v.value, v.numerator, v.denominator)


def refused(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    """Run an import that must be refused; the database must be unchanged; returns {field: message}."""
    before = product_tables()
    with pytest.raises(Dhis2ImportError) as info:
        call(*args, **kwargs)
    assert product_tables() == before
    assert len(info.value.problems) == len(set(info.value.problems))  # each problem said once
    return dict(info.value.problems)


# --- ADX: disaggregation attributes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "female", "male"),
    [("sex", "F", "M"), ("sex", "female", "male"), ("SEX", "f", "m"), ("GENDER", "FMLE", "MLE")],
)
def test_an_adx_sex_attribute_gives_the_values_sex(mapped: Any, attribute: str, female: str, male: str) -> None:
    text = adx(
        group(
            f'<dataValue dataElement="deI1NUM0001" {attribute}="{female}" value="40"/>',
            f'<dataValue dataElement="deI1DEN0001" {attribute}="{female}" value="80"/>',
            f'<dataValue dataElement="deI1NUM0001" {attribute}="{male}" value="30"/>',
            f'<dataValue dataElement="deI1DEN0001" {attribute}="{male}" value="90"/>',
        )
    )
    result = import_adx(text, user=mapped.admin)
    assert stored(mapped.returned, mapped.i1, "female") == (None, D(40), D(80))
    assert stored(mapped.returned, mapped.i1, "male") == (None, D(30), D(90))
    # DHIS2 derives the total of a split element; so does the import, instead of leaving the old 777/1000
    assert stored(mapped.returned, mapped.i1, "total") == (None, D(70), D(170))
    assert (result.reports, result.values) == (1, 6)


def test_an_age_group_is_refused_by_name_not_stored_as_the_total(mapped: Any) -> None:
    """The issue's case: `MAL04 sex="F" ageGroup="under5"` = 10 overwrote a total denominator of 73."""
    import_datavaluesets({"dataValues": [row("deI1DEN0001", "73", categoryOptionCombo=DEFAULT_COC)]}, user=mapped.admin)
    assert stored(mapped.returned, mapped.i1, "total")[2] == D(73)
    text = adx(group('<dataValue dataElement="deI1DEN0001" value="10" ageGroup="under5" sex="F"/>'))
    fields = refused(import_adx, text, user=mapped.admin)
    assert list(fields) == ["group[0]/dataValue[0]@ageGroup"]
    assert "'deI1DEN0001'" in fields["group[0]/dataValue[0]@ageGroup"]
    assert "'under5'" in fields["group[0]/dataValue[0]@ageGroup"]
    assert stored(mapped.returned, mapped.i1, "total")[2] == D(73)


def test_a_sex_for_an_indicator_without_that_split_is_refused(mapped: Any) -> None:
    """I2 (a count) is not disaggregated by sex: its report has no female cell, so a female value has no place."""
    fields = refused(
        import_adx, adx(group('<dataValue dataElement="deI2VAL0001" sex="F" value="4"/>')), user=mapped.admin
    )
    assert list(fields) == ["group[0]/dataValue[0]"] and "I2" in fields["group[0]/dataValue[0]"]


def test_an_unknown_sex_code_and_a_contradiction_are_refused_by_name(mapped: Any) -> None:
    text = adx(
        group(
            '<dataValue dataElement="deI1NUM0001" sex="X" value="1"/>',
            '<dataValue dataElement="deI1NUM0001" sex="M" categoryOptionCombo="cocFEMALE01" value="2"/>',
        )
    )
    fields = refused(import_adx, text, user=mapped.admin)
    assert "'X'" in fields["group[0]/dataValue[0]@sex"]
    # The sex attribute is read (parse), the category option combination resolved through the mapping (check):
    # the first problem stops the file before the second stage, so the contradiction is checked on its own.
    text = adx(group('<dataValue dataElement="deI1NUM0001" sex="M" categoryOptionCombo="cocFEMALE01" value="2"/>'))
    fields = refused(import_adx, text, user=mapped.admin)
    assert "mâu thuẫn" in fields["group[0]/dataValue[0]"]


def test_group_attributes_that_are_categories_are_refused_by_name(mapped: Any) -> None:
    value = '<dataValue dataElement="deI2VAL0001" value="5"/>'
    text = adx(
        group(value, extra=' mechanism="PEPFAR"'),
        group(value, extra=' attributeOptionCombo="aocDONOR001"', ou="ouCOMMUNEA1"),
        root=' dataElementIdScheme="code"',
    )
    fields = refused(import_adx, text, user=mapped.admin)
    assert set(fields) == {"adx@dataElementIdScheme", "group[0]@mechanism", "group[1]@attributeOptionCombo"}
    assert "'PEPFAR'" in fields["group[0]@mechanism"]
    text = adx(group(value, extra=f' attributeOptionCombo="{DEFAULT_COC}" dataSet="dsGENDER001"'))
    assert import_adx(text, user=mapped.admin).values == 1


def test_an_annotation_and_a_group_comment_are_kept_as_the_note(mapped: Any) -> None:
    text = adx(
        group(
            '<dataValue dataElement="deI2VAL0001" value="5">'
            "<annotation>Số liệu của <b>trạm y tế</b> xã</annotation></dataValue>",
            extra=' comment="Nhập từ phần mềm của xã"',
        )
    )
    result = import_adx(text, user=mapped.admin)
    assert result.values == 1 and result.ignored == {"exported": 1}
    value = Value.objects.get(report=mapped.returned, indicator=mapped.i2, sex="total")
    assert value.value == D(5)
    assert value.note == "Nhập từ phần mềm của xã\nSố liệu của trạm y tế xã"


def test_adx_text_outside_an_annotation_is_refused(mapped: Any) -> None:
    text = adx(group('<dataValue dataElement="deI2VAL0001" value="5">7</dataValue>'))
    fields = refused(import_adx, text, user=mapped.admin)
    assert fields == {"adx/group/dataValue": "văn bản không thuộc phần tử nào của ADX ('7')"}


# --- ADX: periods --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period",
    [
        "2026",
        "2026S1",
        "2026-13-01/P1M",
        "2026-02-30/P1M",
        "2026-10-01/P1Y",
        "2026-01-01T00:00:00/P6M",
        "2026-01-05/P7D",
    ],
)
def test_an_adx_period_must_be_an_iso_period_we_have(mapped: Any, period: str) -> None:
    text = adx(group('<dataValue dataElement="deI2VAL0001" value="5"/>', period=period))
    fields = refused(import_adx, text, user=mapped.admin)
    assert list(fields) == ["group[0]@period"]
    assert repr(period) in fields["group[0]@period"]


def test_month_13_is_no_period_anywhere() -> None:
    assert parse_period_id("2026-13-01/P1M") is None
    assert parse_period_id("202613") is None
    assert parse_period_id("2026-12-01/P1M") is not None


def test_two_forms_of_one_period_are_both_read_and_compared(mapped: Any) -> None:
    annual = Report.objects.get(period=mapped.annual, reporter=mapped.b_office)
    same = [row("deI2VAL0001", "5", period="2026"), row("deI2VAL0001", "5", period="2026-01-01/P1Y")]
    assert import_datavaluesets({"dataValues": same}, user=mapped.admin).values == 1
    assert stored(annual, mapped.i2, "total")[0] == D(5)
    conflict = [row("deI2VAL0001", "5", period="2026"), row("deI2VAL0001", "6", period="2026-01-01/P1Y")]
    fields = refused(import_datavaluesets, {"dataValues": conflict}, user=mapped.admin)
    assert fields == {"dataValues[1]": "mâu thuẫn với dataValues[0] (cùng dataElement, kỳ, orgUnit, giới tính): 6 ≠ 5"}
    text = adx(
        group('<dataValue dataElement="deI2VAL0001" value="5"/>', period="2026-01-01/P1Y"),
        group('<dataValue dataElement="deI2VAL0001" value="8"/>', period="2026-01-01/P12M"),
    )
    fields = refused(import_adx, text, user=mapped.admin)
    assert list(fields) == ["group[1]/dataValue[0]"] and "group[0]/dataValue[0]" in fields["group[1]/dataValue[0]"]


def test_adx_messages_say_its_default_id_scheme_is_code(mapped: Any) -> None:
    text = adx(group('<dataValue dataElement="MAL01" value="5"/>', ou="342"))
    fields = refused(import_adx, text, user=mapped.admin)
    assert "idScheme=code" in fields["group[0]/dataValue[0].dataElement"]
    assert "idScheme=code" in fields["group[0]/dataValue[0].orgUnit"]
    json_fields = refused(import_datavaluesets, {"dataValues": [row("MAL01")]}, user=mapped.admin)
    assert "idScheme" not in json_fields["dataValues[0].dataElement"]  # dataValueSets' default is the uid


# --- dataValueSets JSON --------------------------------------------------------------------------------------


def test_a_comment_is_kept_as_the_values_note(mapped: Any) -> None:
    rows = [
        row("deI1NUM0001", "40", categoryOptionCombo="cocFEMALE01", comment="Theo sổ lao động"),
        row("deI1DEN0001", "80", categoryOptionCombo="cocFEMALE01", comment="Theo điều tra dân số"),
        row("deI2VAL0001", "3", comment="Theo sổ lao động"),
    ]
    import_datavaluesets({"dataValues": rows}, user=mapped.admin)
    female = Value.objects.get(report=mapped.returned, indicator=mapped.i1, sex="female")
    assert female.note == "Theo sổ lao động\nTheo điều tra dân số"
    assert Value.objects.get(report=mapped.returned, indicator=mapped.i2, sex="total").note == "Theo sổ lao động"
    fields = refused(import_datavaluesets, {"dataValues": [row("deI2VAL0001", comment=7)]}, user=mapped.admin)
    assert list(fields) == ["dataValues[0].comment"]


@pytest.fixture
def yes_no(mapped: Any) -> Any:
    """A plan with one yes/no indicator that Sở Y tế reports, mapped to DHIS2, its 6-month reports generated."""
    doc = minimal_plan("2025:19", title="Kế hoạch có chỉ tiêu có/không")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Thể chế"}]
    doc["indicators"] = [
        {
            "id": "B1",
            "objective": "O1",
            "text": "Có ban vì sự tiến bộ của phụ nữ",
            "measure": "boolean",
            "targets": [],
            "responsible": ["Sở Y tế"],
        }
    ]
    doc["tasks"] = []
    doc["reporting"] = [{"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"}]
    plan = plan_load(doc)
    semi = next(p for p in periods_generate(plan=plan) if p.kind == "semiannual")
    reports_generate(period=semi)
    indicator = plan.indicators.get(key="B1")
    Dhis2Mapping.objects.create(indicator=indicator, value_element="deBOOLEAN01")
    report = Report.objects.get(period=semi, reporter=mapped.health)
    return indicator, report


@pytest.mark.parametrize(("raw", "expected"), [("true", 1), ("false", 0), ("TRUE", 1), ("f", 0), (True, 1), ("1", 1)])
def test_dhis2_booleans_are_read_for_a_yes_no_indicator(mapped: Any, yes_no: Any, raw: Any, expected: int) -> None:
    indicator, report = yes_no
    import_datavaluesets({"dataValues": [row("deBOOLEAN01", raw, orgUnit="ouPROVINCE1")]}, user=mapped.admin)
    assert Value.objects.get(report=report, indicator=indicator, sex="total").value == D(expected)


def test_a_boolean_for_a_count_is_refused_by_name(mapped: Any) -> None:
    fields = refused(import_datavaluesets, {"dataValues": [row("deI2VAL0001", "true")]}, user=mapped.admin)
    assert list(fields) == ["dataValues[0].value"] and "I2" in fields["dataValues[0].value"]


def test_the_attribute_option_combination_default_only_wherever_given(mapped: Any) -> None:
    doc = {"attributeOptionCombo": DEFAULT_COC, "dataValues": [row("deI2VAL0001", "4")]}
    assert import_datavaluesets(doc, user=mapped.admin).values == 1
    doc = {"attributeOptionCombo": "aocDONOR001", "dataValues": [row("deI2VAL0001"), row("deI1NUM0001")]}
    fields = refused(import_datavaluesets, doc, user=mapped.admin)
    assert list(fields) == ["attributeOptionCombo"] and "'aocDONOR001'" in fields["attributeOptionCombo"]
    doc = {"dataValues": [row("deI2VAL0001", attributeOptionCombo="aocDONOR001")]}
    assert list(refused(import_datavaluesets, doc, user=mapped.admin)) == ["dataValues[0].attributeOptionCombo"]


def test_a_wrong_data_set_is_refused(mapped: Any) -> None:
    doc = {"dataSet": "pBOMPrpg1QX", "dataValues": [row("deI2VAL0001"), row("deI1NUM0001")]}
    fields = refused(import_datavaluesets, doc, user=mapped.admin)
    assert list(fields) == ["dataSet"] and "'pBOMPrpg1QX'" in fields["dataSet"]
    assert import_datavaluesets({**doc, "dataSet": "dsGENDER001"}, user=mapped.admin).values == 2
    text = adx(group('<dataValue dataElement="deI2VAL0001" value="5"/>', extra=' dataSet="pBOMPrpg1QX"'))
    assert list(refused(import_adx, text, user=mapped.admin)) == ["group[0]@dataSet"]


def test_every_field_is_used_counted_or_refused_by_name(mapped: Any) -> None:
    bookkeeping = {"storedBy": "admin", "created": "2026-06-01T10:00:00.000", "lastUpdated": "2026-06-02T10:00:00"}
    doc = {"completeDate": "2026-06-10", "dataValues": [row("deI2VAL0001", "4", followup=False, **bookkeeping)]}
    result = import_datavaluesets(doc, user=mapped.admin)
    assert result.values == 1
    assert result.ignored == {"completeDate": 1, "storedBy": 1, "created": 1, "lastUpdated": 1}
    doc = {
        "orgUnitIdScheme": "CODE",
        "idScheme": "UID",
        "extra": 1,
        "dataValues": [
            row("deI2VAL0001", unit="người"),
            row("deI1NUM0001", followup=True),
            row("deI1DEN0001", deleted="true"),
        ],
    }
    fields = refused(import_datavaluesets, doc, user=mapped.admin)
    assert set(fields) == {
        "orgUnitIdScheme",
        "extra",
        "dataValues[0].unit",
        "dataValues[1].followup",
        "dataValues[2].deleted",
    }


def test_the_command_prints_each_field_once(mapped: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"dataValues": [row("deI2VAL0001", "abc")]}), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("dhis2", "import", str(path), "--user", "admin")
    line = next(line for line in str(info.value).splitlines() if "dataValues[0].value" in line)
    assert line.count("dataValues[0].value") == 1
    assert line.strip() == "dataValues[0].value: the value must be a number ('abc')"


def test_the_command_lists_the_bookkeeping_it_did_not_store(mapped: Any, tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps({"completeDate": "2026-06-10", "dataValues": [row("deI2VAL0001", "4")]}))
    out = io.StringIO()
    call_command("dhis2", "import", str(path), "--user", "admin", stdout=out)
    assert "Imported 1 value(s) into 1 report(s)." in out.getvalue() and "completeDate ×1" in out.getvalue()


# --- choosing the report -------------------------------------------------------------------------------------


def test_the_command_picks_the_report_when_a_unit_has_several(mapped: Any, tmp_path: Path) -> None:
    # A second report of commune B carrying I2 (say, its committee's): no service makes one by hand.
    committee = agency_get_or_create(name="Ủy ban nhân dân Phường Bắc Kạn", unit=mapped.commune_b)
    second = Report.objects.create(period=mapped.semi, reporter=committee, unit=mapped.commune_b)
    ReportIndicator.objects.create(report=second, indicator=mapped.i2)
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"dataValues": [row("deI2VAL0001", "12")]}))
    before = product_tables()
    with pytest.raises(CommandError) as info:
        call_command("dhis2", "import", str(path), "--user", "admin")
    assert f"(ids {mapped.returned.pk}, {second.pk})" in str(info.value) and "--report" in str(info.value)
    assert product_tables() == before
    call_command("dhis2", "import", str(path), "--user", "admin", "--report", str(second.pk), stdout=io.StringIO())
    assert stored(second, mapped.i2, "total")[0] == D(12)
    assert stored(mapped.returned, mapped.i2, "total")[0] == D(9191)  # the other report untouched
    annual = Report.objects.get(period=mapped.annual, reporter=mapped.b_office)
    with pytest.raises(CommandError, match="not of this value's period"):
        call_command("dhis2", "import", str(path), "--user", "admin", "--report", str(annual.pk))
    with pytest.raises(CommandError, match="No report with id 999999"):
        call_command("dhis2", "import", str(path), "--user", "admin", "--report", "999999")


# --- export --------------------------------------------------------------------------------------------------


def test_a_total_that_its_split_would_not_reproduce_stops_the_export(mapped: Any) -> None:
    """Submission already refuses a total that differs from female + male; a total beside a female figure alone
    passes it. Exported as DHIS2 keeps a split element (female only), the total 777/1000 would be lost: refused."""
    report = report_save(
        report=mapped.returned,
        user=mapped.admin,
        version=mapped.returned.version,
        entries=[Entry(mapped.i1.pk, "male")],
    )
    sent = report_submit(report=report, user=mapped.admin, version=report.version)
    report_accept(report=sent, user=mapped.admin, version=sent.version)
    with pytest.raises(Dhis2ExportError) as info:
        export_datavaluesets(mapped.semi)
    assert info.value.problems == [
        (f"{mapped.commune_b.name}, I1, numerator", "có tổng 777 nhưng thiếu số của nữ hoặc nam"),
        (f"{mapped.commune_b.name}, I1, denominator", "có tổng 1000 nhưng thiếu số của nữ hoặc nam"),
    ]


def test_nothing_to_export_is_an_error_not_an_empty_file(mapped: Any, tmp_path: Path) -> None:
    Dhis2Mapping.objects.all().delete()
    for export in (export_datavaluesets, export_adx):
        with pytest.raises(Dhis2ExportError, match="không có giá trị nào để xuất"):
            export(mapped.semi)
    out = tmp_path / "semi.xml"
    with pytest.raises(CommandError, match="No file written"):
        call_command("dhis2", "export", "--period", str(mapped.semi.pk), "--format", "adx", "-o", str(out))
    assert not out.exists()


def test_the_adx_export_command_names_the_id_scheme(mapped: Any, tmp_path: Path) -> None:
    err = io.StringIO()
    period = str(mapped.semi.pk)
    call_command("dhis2", "export", "--period", period, "--format", "adx", "-o", "-", stdout=io.StringIO(), stderr=err)
    assert "idScheme=code" in err.getvalue() and "idScheme=UID" in err.getvalue()
