"""Real files written by others (tests/interop/samples/README.md names each source): our ADX export against the
IHE schema adx_loose.xsd, and each sample imported with the expected outcome, mapped or refused by name."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dbsnapshot import product_tables
from interop.conftest import map_to_dhis2
from lxml import etree

from binhdang.interop.dhis2 import ADX_NS, PeriodKey, iso_period
from binhdang.interop.models import Dhis2Mapping, Dhis2OrgUnit
from binhdang.interop.services import Dhis2ImportError, export_adx, import_adx, import_datavaluesets
from binhdang.reporting.models import Period, Report, Value
from binhdang.reporting.services import reports_generate

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SAMPLES / "adx_loose.xsd")))


@pytest.fixture
def mapped(data: Any) -> Any:
    map_to_dhis2(data)
    return data


def refused_fields(call: Any, data: Any, user: Any) -> list[str]:
    before = product_tables()
    with pytest.raises(Dhis2ImportError) as info:
        call(data, user=user)
    assert product_tables() == before
    return [where for where, _message in info.value.problems]


def test_our_adx_export_is_valid_against_adx_loose_xsd(mapped: Any, schema: etree.XMLSchema) -> None:
    text = export_adx(mapped.semi)
    assert schema.validate(etree.fromstring(text.encode("utf-8"))), schema.error_log
    # The schema is strict where it matters: what the exporter used to write when nothing was mapped, and a
    # DHIS2 period id, are invalid.
    empty = f'<adx xmlns="{ADX_NS}" exported="2026-06-20T08:00:00Z"></adx>'
    assert not schema.validate(etree.fromstring(empty))
    dhis2_id = text.replace('period="2026-01-01/P6M"', 'period="2026S1"')
    assert dhis2_id != text and not schema.validate(etree.fromstring(dhis2_id.encode("utf-8")))


def test_the_ihe_2015_sample_is_valid_and_its_unstorable_attributes_are_named(
    mapped: Any, schema: etree.XMLSchema
) -> None:
    raw = (SAMPLES / "adx_data_sample1_2015.xml").read_bytes()
    assert schema.validate(etree.fromstring(raw)), schema.error_log  # <annotation> included
    fields = refused_fields(import_adx, raw, mapped.admin)
    # The group's attribute categories cannot be stored; `ageGroup` is a disaggregation now read (issue 16) and
    # judged against the indicator its element is mapped to (tests/interop/test_dhis2_combos.py).
    assert sorted(fields) == sorted(["group[0]@dataSetComplete", "group[0]@mechanism", "group[1]@mechanism"])


@pytest.mark.parametrize("name", ["adx_data_sample1.xml", "adx_data_sample_reportingtime.xml"])
def test_the_older_ihe_samples_are_refused_for_their_namespace(mapped: Any, name: str) -> None:
    assert refused_fields(import_adx, (SAMPLES / name).read_bytes(), mapped.admin) == ["adx"]


def test_the_ihe_period_forms_each_read_or_refused() -> None:
    tree = etree.parse(str(SAMPLES / "adx_data_sample_reportingtime.xml"))
    periods = [g.get("period") for g in tree.iter("{http://ihe.net/quality/schema/adx}group")]
    assert len(periods) == 20
    read = {p: iso_period(p) for p in periods if isinstance(iso_period(p), PeriodKey)}
    assert read == {
        "2015-01-01/P1Y": PeriodKey("annual", 2015),
        "2015-03-01/P1M": PeriodKey("monthly", 2015, 3),
        "2015-01-01/P3M": PeriodKey("quarterly", 2015, 1),
        "2015-01-01/P6M": PeriodKey("semiannual", 2015, 1),
    }
    # "2015", "2015-03", the SDMX reporting periods, financial years, weeks, days and date-times: all refused
    assert all(isinstance(iso_period(p), str) for p in periods if p not in read)


def test_the_dhis2_documentation_adx_example(mapped: Any, schema: etree.XMLSchema) -> None:
    raw = (SAMPLES / "dhis2_docs_adx_example.xml").read_bytes()
    assert schema.validate(etree.fromstring(raw)), schema.error_log
    fields = refused_fields(import_adx, raw, mapped.admin)
    # GENDER="FMLE"/"MLE" is read as the sex; the age group HIV_AGE is a name no mapping table knows: named on each
    # value (its elements and org unit, not mapped here, are named too). Mapped, it imports: test_dhis2_combos.py.
    assert [f for f in fields if "HIV_AGE" in f] == [f"group[0]/dataValue[{i}]@HIV_AGE" for i in range(20)]
    assert {f.rpartition(".")[2] for f in fields if "HIV_AGE" not in f} == {"dataElement", "orgUnit"}


def test_the_dhis2_documentation_format_example(mapped: Any) -> None:
    doc = (SAMPLES / "dhis2_docs_datavalueset_format.json").read_text(encoding="utf-8")
    assert refused_fields(import_datavaluesets, doc, mapped.admin) == ["attributeOptionCombo"]


def _month(data: Any, number: int) -> Period:
    """A monthly period of 2014 in the world's plan (DHIS2's examples report January and February 2014)."""
    start = dt.date(2014, number, 1)
    period = Period.objects.create(
        plan=data.plan,
        kind="monthly",
        year=2014,
        number=number,
        label=f"Tháng {number}/2014",
        data_from=start,
        data_to=start + dt.timedelta(days=27),
        due=start + dt.timedelta(days=40),
    )
    reports_generate(period=period)
    return period


def test_the_dhis2_documentation_mortality_example_is_imported(data: Any) -> None:
    """Its three data elements mapped to the world's rate (numerator, denominator) and count, its org unit to
    commune B: the documented file imports as written, completeDate read and not stored."""
    Dhis2Mapping.objects.create(
        indicator=data.i1,
        data_set="pBOMPrpg1QX",
        numerator_element="f7n9E0hX8qk",
        denominator_element="Ix2HsbDMLea",
    )
    Dhis2Mapping.objects.create(indicator=data.i2, data_set="pBOMPrpg1QX", value_element="eY5ehpbEsB7")
    Dhis2OrgUnit.objects.create(unit=data.commune_b, org_unit="DiszpKrYNg8")
    january = _month(data, 1)
    doc = (SAMPLES / "dhis2_docs_datavalueset_pBOMPrpg1QX.json").read_text(encoding="utf-8")
    result = import_datavaluesets(doc, user=data.admin)
    assert (result.reports, result.values, result.ignored) == (1, 3, {"completeDate": 1})
    report = Report.objects.get(period=january, unit=data.commune_b)
    values = {
        (v.indicator_id, v.sex): (v.value, v.numerator, v.denominator) for v in Value.objects.filter(report=report)
    }
    assert values == {
        (data.i1.pk, "total"): (None, Decimal(1), Decimal(2)),
        (data.i2.pk, "total"): (Decimal(3), None, None),
    }


def test_the_dhis2_documentation_bulk_example(data: Any) -> None:
    Dhis2Mapping.objects.create(indicator=data.i2, value_element="f7n9E0hX8qk")
    for unit, uid in ((data.commune_a, "DiszpKrYNg8"), (data.commune_b, "FNnj3jKGS7i"), (data.province, "Jkhdsf8sdf4")):
        Dhis2OrgUnit.objects.create(unit=unit, org_unit=uid)
    _month(data, 1)
    _month(data, 2)
    doc = json.loads((SAMPLES / "dhis2_docs_datavalueset_bulk.json").read_text(encoding="utf-8"))
    # The province's only reporter (Sở Y tế) does not report I2: that value has nowhere to go, and says so.
    assert refused_fields(import_datavaluesets, doc, data.admin) == ["dataValues[3]"]
    doc["dataValues"].pop()
    assert import_datavaluesets(doc, user=data.admin).values == 3
    stored = Value.objects.filter(indicator=data.i2, report__period__kind="monthly")
    assert sorted((v.report.unit_id, v.report.period.number, v.value) for v in stored) == sorted(
        [(data.commune_a.pk, 1, Decimal(12)), (data.commune_b.pk, 1, Decimal(14)), (data.commune_a.pk, 2, Decimal(16))]
    )
