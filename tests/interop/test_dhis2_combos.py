"""DHIS2 exchange of figures by age group, ethnicity and area as well as sex (issue 16): category option combos
in dataValueSets, per-category attributes in ADX, read back identical; every bad value refused by name with
nothing written. Expected figures are computed here from the inputs the tests write."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from io import StringIO
from itertools import product
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from dbsnapshot import product_tables
from django.core.management import call_command
from lxml import etree

from binhdang.interop.combos import default_age, default_coc, parse_default_coc
from binhdang.interop.dhis2 import ADX_NS, DEFAULT_COC
from binhdang.interop.models import (
    Dhis2Attribute,
    Dhis2CategoryOption,
    Dhis2CategoryOptionCombo,
    Dhis2Mapping,
    Dhis2OrgUnit,
)
from binhdang.interop.services import (
    Dhis2ExportError,
    Dhis2ImportError,
    export_adx,
    export_datavaluesets,
    import_adx,
    import_datavaluesets,
)
from binhdang.plans.models import Indicator
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report, Value
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

pytestmark = pytest.mark.django_db
D = Decimal
SAMPLES = Path(__file__).parent / "samples"
AGES = ["0-4", "5-14", "15+"]  # they tile every age: DHIS2 can derive the totals from the parts
ETHNIC = ["kinh", "dtts"]
AREAS = ["urban", "rural"]
PARTS_I1 = [f"age={a};ethnicity={e}" for a, e in product(AGES, ETHNIC)]
PARTS_I2 = [f"ethnicity={e};area={r}" for e, r in product(ETHNIC, AREAS)]


@pytest.fixture
def w(cycle: SimpleNamespace) -> SimpleNamespace:
    """I1 (a percentage: numerator and denominator) by sex × age group × ethnicity, I2 (a count) by ethnicity × area;
    both mapped to DHIS2 with female and male combinations, and the semiannual reports of the two communes."""
    Indicator.objects.filter(pk=cycle.i1.pk).update(disaggregations=["sex", "age", "ethnicity"], age_groups=AGES)
    Indicator.objects.filter(pk=cycle.i2.pk).update(disaggregations=["ethnicity", "area"])
    cycle.i1.refresh_from_db()
    cycle.i2.refresh_from_db()
    semi = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=semi)}
    m1 = Dhis2Mapping.objects.create(
        indicator=cycle.i1,
        data_set="dsGENDER001",
        numerator_element="deI1NUM0001",
        denominator_element="deI1DEN0001",
        coc_female="cocFEMALE01",
        coc_male="cocMALE0001",
    )
    m2 = Dhis2Mapping.objects.create(indicator=cycle.i2, data_set="dsGENDER001", value_element="deI2VAL0001")
    for unit, uid in ((cycle.commune_a, "ouCOMMUNEA1"), (cycle.commune_b, "ouCOMMUNEB1")):
        Dhis2OrgUnit.objects.create(unit=unit, org_unit=uid)
    return SimpleNamespace(
        **vars(cycle), semi=semi, a=by_agency[cycle.a_office.pk], b=by_agency[cycle.b_office.pk], m1=m1, m2=m2
    )


def i1_entries(w: Any) -> list[Entry]:
    """Every cell of I1, each total the sum of its parts: female part k is (3+k)/(10+2k), male (2+k)/(12+k)."""
    female = {c: (D(3 + k), D(10 + 2 * k)) for k, c in enumerate(PARTS_I1)}
    male = {c: (D(2 + k), D(12 + k)) for k, c in enumerate(PARTS_I1)}
    cells = {("female", c): f for c, f in female.items()} | {("male", c): m for c, m in male.items()}
    for c in PARTS_I1:
        cells[("total", c)] = (female[c][0] + male[c][0], female[c][1] + male[c][1])
    for sex in ("female", "male", "total"):
        parts = [cells[(sex, c)] for c in PARTS_I1]
        cells[(sex, "")] = (sum(p[0] for p in parts), sum(p[1] for p in parts))
    return [Entry(w.i1.pk, s, numerator=n, denominator=d, combo=c) for (s, c), (n, d) in cells.items()]


def i2_entries(w: Any) -> list[Entry]:
    parts = {c: D(5 * k + 1) for k, c in enumerate(PARTS_I2)}
    return [Entry(w.i2.pk, "total", value=sum(parts.values()), combo="")] + [
        Entry(w.i2.pk, "total", value=v, combo=c) for c, v in parts.items()
    ]


def accept(w: Any, report: Report, entries: list[Entry]) -> Report:
    report = report_save(report=report, user=w.admin, version=report.version, entries=entries)
    report = report_submit(report=report, user=w.admin, version=report.version)
    return report_accept(report=report, user=w.admin, version=report.version)


def cells_of(report: Report) -> dict[tuple[int, str, str], tuple[Any, ...]]:
    return {
        (v.indicator_id, v.sex, v.combo): (v.value, v.numerator, v.denominator)
        for v in Value.objects.filter(report=report)
    }


def expected_cells(entries: list[Entry]) -> dict[tuple[int, str, str], tuple[Any, ...]]:
    return {(e.indicator_id, e.sex, e.combo): (e.value, e.numerator, e.denominator) for e in entries}


def refused(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    """An import that must be refused, the database unchanged; returns {field: message}."""
    before = product_tables()
    with pytest.raises(Dhis2ImportError) as info:
        call(*args, **kwargs)
    assert product_tables() == before
    return dict(info.value.problems)


def adx(*values: str, ou: str = "ouCOMMUNEB1") -> str:
    body = "\n".join(values)
    return (
        f'<adx xmlns="{ADX_NS}" exported="2026-06-20T08:00:00Z">'
        f'<group orgUnit="{ou}" period="2026-01-01/P6M">{body}</group></adx>'
    )


def dvs(*rows: dict[str, str]) -> dict[str, Any]:
    base = {"period": "2026S1", "orgUnit": "ouCOMMUNEB1"}
    return {"dataValues": [{**base, **row} for row in rows]}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SAMPLES / "adx_loose.xsd")))


# --- codes ---------------------------------------------------------------------------------------------------


def test_default_codes_read_back_and_age_spellings() -> None:
    assert default_coc("female", "age=0-4;ethnicity=dtts;area=rural") == "F_0-4_DTTS_RURAL"
    assert default_coc("total", "age=15+;ethnicity=kinh") == "T_15+_KINH"
    for sex, combo in [("male", "ethnicity=kinh;area=urban"), ("total", "age=60+"), ("female", "age=15-24")]:
        assert parse_default_coc(default_coc(sex, combo)) == (sex, combo)
    assert parse_default_coc("HllvX50cXC0") is None and parse_default_coc("F_KINH_DTTS") is None
    assert [default_age(t) for t in ("under5", "<5", "5andOver", "AGE0-14", "15-24y", "60+", "over5", "Y_U5")] == [
        "0-4",
        "0-4",
        "5+",
        "0-14",
        "15-24",
        "60+",
        None,
        None,
    ]


# --- export --------------------------------------------------------------------------------------------------


def test_export_carries_the_finest_cells_only(w: Any, schema: etree.XMLSchema) -> None:
    accept(w, w.a, i1_entries(w) + i2_entries(w))
    doc = export_datavaluesets(w.semi)
    rows = {(v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in doc["dataValues"]}
    # I1: female and male of every part, numerator and denominator; no total, no female total, no part total
    expected = {}
    for k, combo in enumerate(PARTS_I1):
        for sex, (n, d) in (("female", (3 + k, 10 + 2 * k)), ("male", (2 + k, 12 + k))):
            expected[("deI1NUM0001", default_coc(sex, combo))] = str(n)
            expected[("deI1DEN0001", default_coc(sex, combo))] = str(d)
    # I2: not by sex, its four parts under the total's letter
    for k, combo in enumerate(PARTS_I2):
        expected[("deI2VAL0001", default_coc("total", combo))] = str(5 * k + 1)
    assert rows == expected
    assert ("deI1NUM0001", "F_0-4_KINH") in rows and not {DEFAULT_COC, "cocFEMALE01", "cocMALE0001"} & {
        coc for _e, coc in rows
    }
    text = export_adx(w.semi)
    assert schema.validate(etree.fromstring(text.encode("utf-8"))), schema.error_log
    values = list(etree.fromstring(text.encode("utf-8")).iter(f"{{{ADX_NS}}}dataValue"))
    assert len(values) == len(expected)
    first = values[0].attrib
    assert (first["dataElement"], first["sex"], first["ageGroup"], first["ethnicity"], first["value"]) == (
        "deI1NUM0001",
        "F",
        "0-4",
        "kinh",
        "3",
    )
    assert all("categoryOptionCombo" not in v.attrib for v in values)


@pytest.mark.parametrize("fmt", ["json", "adx"])
def test_export_then_import_into_fresh_reports_reads_back_identical(w: Any, fmt: str) -> None:
    entries = i1_entries(w) + i2_entries(w)
    accept(w, w.a, entries)
    assert cells_of(w.a) == expected_cells(entries)
    exported = json.dumps(export_datavaluesets(w.semi)) if fmt == "json" else export_adx(w.semi)
    Report.objects.filter(period=w.semi).delete()
    fresh = {r.reporter_id: r for r in reports_generate(period=w.semi)}[w.a_office.pk]
    result = (import_datavaluesets if fmt == "json" else import_adx)(exported, user=w.admin)
    # every (indicator, sex, combination) back exactly: the parts as sent, the totals DHIS2 derives
    assert cells_of(fresh) == expected_cells(entries)
    assert (result.reports, result.values) == (1, 2 * 3 * (len(PARTS_I1) + 1) + len(PARTS_I2) + 1)
    accept(w, Report.objects.get(pk=fresh.pk), [])
    again = json.dumps(export_datavaluesets(w.semi)) if fmt == "json" else export_adx(w.semi)
    stamp = re.compile(r' exported="[^"]*"')
    assert stamp.sub("", again) == stamp.sub("", exported)  # the same file, but for the ADX `exported` time


def test_a_mapped_category_option_combo_replaces_the_default_code(w: Any) -> None:
    Dhis2CategoryOptionCombo.objects.create(
        mapping=w.m2, coc="cocDTTSRUR1", sex="total", combo="ethnicity=dtts;area=rural"
    )
    accept(w, w.a, i1_entries(w) + i2_entries(w))
    rows = {v["categoryOptionCombo"]: v["value"] for v in export_datavaluesets(w.semi)["dataValues"]}
    assert rows["cocDTTSRUR1"] == str(5 * PARTS_I2.index("ethnicity=dtts;area=rural") + 1)
    assert "T_DTTS_RURAL" not in rows
    doc = dvs(
        {"dataElement": "deI2VAL0001", "categoryOptionCombo": "cocDTTSRUR1", "value": "4"},
        {"dataElement": "deI2VAL0001", "categoryOptionCombo": "T_DTTS_URBAN", "value": "6"},
    )
    import_datavaluesets(doc, user=w.admin)
    stored = {v.combo: v.value for v in Value.objects.filter(report=w.b, indicator=w.i2)}
    assert stored == {"ethnicity=dtts;area=rural": D(4), "ethnicity=dtts;area=urban": D(6)}  # no total: 2 of 4 parts


def test_parts_that_do_not_cover_the_total_stop_the_export_unless_turned_off(w: Any) -> None:
    Indicator.objects.filter(pk=w.i1.pk).update(disaggregations=["sex", "age"], age_groups=["15-24", "60+"])
    female, male = (D(3), D(10)), (D(2), D(10))
    entries = [
        Entry(w.i1.pk, "female", numerator=D(5), denominator=D(20)),
        Entry(w.i1.pk, "male", numerator=D(4), denominator=D(20)),
        Entry(w.i1.pk, "total", numerator=D(9), denominator=D(40)),
        Entry(w.i1.pk, "female", numerator=female[0], denominator=female[1], combo="age=15-24"),
        Entry(w.i1.pk, "male", numerator=male[0], denominator=male[1], combo="age=15-24"),
        Entry(w.i1.pk, "total", numerator=D(5), denominator=D(20), combo="age=15-24"),
        Entry(w.i2.pk, "total", note="Không có số liệu kỳ này"),
    ]
    accept(w, w.a, entries)
    with pytest.raises(Dhis2ExportError) as info:
        export_datavaluesets(w.semi)
    where = dict(info.value.problems)
    assert set(where) == {
        f"{w.commune_a.name}, I1, numerator (Nữ)",
        f"{w.commune_a.name}, I1, denominator (Nữ)",
        f"{w.commune_a.name}, I1, numerator (Nam)",
        f"{w.commune_a.name}, I1, denominator (Nam)",
        f"{w.commune_a.name}, I1, numerator",
        f"{w.commune_a.name}, I1, denominator",
    }
    assert "không phủ kín" in where[f"{w.commune_a.name}, I1, numerator"]
    Dhis2Mapping.objects.filter(pk=w.m1.pk).update(export_parts=False)
    rows = {
        (v["dataElement"], v["categoryOptionCombo"], v["value"]) for v in export_datavaluesets(w.semi)["dataValues"]
    }
    assert rows == {
        ("deI1NUM0001", "cocFEMALE01", "5"),
        ("deI1DEN0001", "cocFEMALE01", "20"),
        ("deI1NUM0001", "cocMALE0001", "4"),
        ("deI1DEN0001", "cocMALE0001", "20"),
    }


# --- ADX attributes from real files --------------------------------------------------------------------------


def _values_from(sample: str, element: str, **replace: str) -> list[str]:
    """The sample's <dataValue> elements of one data element, written back as they are (first group only)."""
    tree = etree.parse(str(SAMPLES / sample))
    group = next(tree.iter(f"{{{ADX_NS}}}group"))
    found = []
    for value in group.iter(f"{{{ADX_NS}}}dataValue"):
        if value.get("dataElement") == element:
            for key, new in replace.items():
                value.set(key, new)
            found.append(etree.tostring(value, encoding="unicode").replace(f' xmlns="{ADX_NS}"', ""))
    return found


def test_the_ihe_sample_age_groups_import_when_the_indicator_declares_them(w: Any) -> None:
    """`MAL04 sex="F" ageGroup="under5"` (IHE adx_data_sample1_2015.xml) is stored as the female figure aged
    0-4 when I2 is reported by sex × age group 0-4 / 5+ ("under5" and "5andOver" by the default spellings)."""
    Indicator.objects.filter(pk=w.i2.pk).update(disaggregations=["sex", "age"], age_groups=["0-4", "5+"])
    values = _values_from("adx_data_sample1_2015.xml", "MAL04", dataElement="deI2VAL0001")
    assert len(values) == 4 and all('value="10"' in v for v in values)
    result = import_adx(adx(*values), user=w.admin)
    got = {(v.sex, v.combo): v.value for v in Value.objects.filter(report=w.b, indicator=w.i2)}
    ten, twenty = D(10), D(20)
    assert got == {
        ("female", "age=0-4"): ten,
        ("male", "age=0-4"): ten,
        ("female", "age=5+"): ten,
        ("male", "age=5+"): ten,
        ("total", "age=0-4"): twenty,
        ("total", "age=5+"): twenty,
        ("female", ""): twenty,
        ("male", ""): twenty,
        ("total", ""): twenty + twenty,
    }
    assert result.values == len(got)


def test_the_ihe_sample_age_group_is_refused_by_name_when_the_indicator_lists_other_groups(w: Any) -> None:
    Indicator.objects.filter(pk=w.i2.pk).update(disaggregations=["sex", "age"], age_groups=["0-14", "15+"])
    values = _values_from("adx_data_sample1_2015.xml", "MAL04", dataElement="deI2VAL0001")
    fields = refused(import_adx, adx(*values), user=w.admin)
    assert sorted(fields) == [f"group[0]/dataValue[{i}]@ageGroup" for i in range(4)]
    assert "'under5'" in fields["group[0]/dataValue[0]@ageGroup"]
    assert "'deI2VAL0001'" in fields["group[0]/dataValue[0]@ageGroup"]
    assert "0-14, 15+" in fields["group[0]/dataValue[0]@ageGroup"]


def test_the_dhis2_documentation_example_with_its_category_mapped(w: Any) -> None:
    """DHIS2's ADX example writes the age category under its code HIV_AGE, options AGE0-14 and AGE15-24: with
    HIV_AGE mapped to age (and AGE15-24 mapped by a row, to show the table wins over the default spelling), VCCT_0
    is stored by sex × age group."""
    Indicator.objects.filter(pk=w.i2.pk).update(disaggregations=["sex", "age"], age_groups=["0-14", "15-24"])
    values = _values_from("dhis2_docs_adx_example.xml", "VCCT_0", dataElement="deI2VAL0001")
    assert refused(import_adx, adx(*values), user=w.admin).keys() == {
        f"group[0]/dataValue[{i}]@HIV_AGE" for i in range(4)
    }
    Dhis2Attribute.objects.create(name="HIV_AGE", category="age")
    Dhis2CategoryOption.objects.create(category="age", code="AGE15-24", member="15-24")
    import_adx(adx(*values), user=w.admin)
    got = {(v.sex, v.combo): v.value for v in Value.objects.filter(report=w.b, indicator=w.i2)}
    # 0-14 and 15-24 do not cover every age: the parts' totals over sex are derived, the overall total is not
    assert got == {
        ("female", "age=0-14"): D(32),
        ("male", "age=0-14"): D(32),
        ("female", "age=15-24"): D(32),
        ("male", "age=15-24"): D(32),
        ("total", "age=0-14"): D(64),
        ("total", "age=15-24"): D(64),
    }


# --- refused, nothing written --------------------------------------------------------------------------------


def test_unknown_attributes_and_members_are_refused_by_name(w: Any) -> None:
    text = adx(
        '<dataValue dataElement="deI2VAL0001" ethnicity="kinh" area="urban" wealth="Q1" value="1"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="99" area="urban" value="1"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="kinh" area="suburb" value="1"/>',
        '<dataValue dataElement="deI1NUM0001" sex="F" ageGroup="60+" ethnicity="kinh" value="1"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="kinh" value="1"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="kinh" ageGroup="0-4" area="rural" value="1"/>',
    )
    fields = refused(import_adx, text, user=w.admin)
    assert sorted(fields) == [
        "group[0]/dataValue[0]@wealth",
        "group[0]/dataValue[1]@ethnicity",
        "group[0]/dataValue[2]@area",
        "group[0]/dataValue[3]@ageGroup",
        "group[0]/dataValue[4]",
        "group[0]/dataValue[5]@ageGroup",
    ]
    assert "wealth='Q1'" in fields["group[0]/dataValue[0]@wealth"]
    assert "'99'" in fields["group[0]/dataValue[1]@ethnicity"]
    assert "'deI2VAL0001'" in fields["group[0]/dataValue[1]@ethnicity"]
    assert "'suburb'" in fields["group[0]/dataValue[2]@area"]
    assert (
        "'60+'" in fields["group[0]/dataValue[3]@ageGroup"]
        and "0-4, 5-14, 15+" in fields["group[0]/dataValue[3]@ageGroup"]
    )
    assert "thành thị/nông thôn" in fields["group[0]/dataValue[4]"]  # a margin, not a full combination
    assert "không phân tổ theo nhóm tuổi" in fields["group[0]/dataValue[5]@ageGroup"]


def test_a_combination_the_indicator_does_not_declare_is_refused_in_datavaluesets(w: Any) -> None:
    doc = dvs(
        {"dataElement": "deI1NUM0001", "categoryOptionCombo": "F_0-4_KINH_URBAN", "value": "1"},
        {"dataElement": "deI1NUM0001", "categoryOptionCombo": "F_0-4", "value": "1"},
        {"dataElement": "deI2VAL0001", "categoryOptionCombo": "F_KINH_URBAN", "value": "1"},
        {"dataElement": "deI2VAL0001", "categoryOptionCombo": "cocUNKNOWN1", "value": "1"},
    )
    fields = refused(import_datavaluesets, doc, user=w.admin)
    assert set(fields) == {f"dataValues[{i}]{'.categoryOptionCombo' if i != 2 else ''}" for i in range(4)}
    assert "'F_0-4_KINH_URBAN'" in fields["dataValues[0].categoryOptionCombo"]
    assert "I1" in fields["dataValues[1].categoryOptionCombo"]
    assert "I2" in fields["dataValues[2]"]  # I2 is not by sex: no female cell
    assert "chưa được ánh xạ" in fields["dataValues[3].categoryOptionCombo"]


def test_parts_disagreeing_with_their_total_are_refused(w: Any) -> None:
    rows = [
        {"dataElement": "deI2VAL0001", "categoryOptionCombo": default_coc("total", c), "value": str(k + 1)}
        for k, c in enumerate(PARTS_I2)
    ]
    total = {"dataElement": "deI2VAL0001", "categoryOptionCombo": DEFAULT_COC, "value": "11"}  # parts add to 10
    fields = refused(import_datavaluesets, dvs(*rows, total), user=w.admin)
    assert list(fields) == ["dataValues[4]"]
    assert "11" in fields["dataValues[4]"] and "10" not in fields["dataValues[4]"].split("(")[0]
    # female + male of a part against that part's total, in ADX
    text = adx(
        '<dataValue dataElement="deI1NUM0001" sex="F" ageGroup="0-4" ethnicity="kinh" value="2"/>',
        '<dataValue dataElement="deI1NUM0001" sex="M" ageGroup="0-4" ethnicity="kinh" value="3"/>',
        '<dataValue dataElement="deI1NUM0001" ageGroup="0-4" ethnicity="kinh" value="4"/>',
    )
    fields = refused(import_adx, text, user=w.admin)
    assert list(fields) == ["group[0]/dataValue[2]"] and "4" in fields["group[0]/dataValue[2]"]
    # a part over its total where the parts do not cover it (check_combos)
    Indicator.objects.filter(pk=w.i2.pk).update(disaggregations=["ethnicity"])
    Indicator.objects.filter(pk=w.i1.pk).update(age_groups=["15-24", "60+"])
    text = adx(
        '<dataValue dataElement="deI1DEN0001" value="10"/>',
        '<dataValue dataElement="deI1DEN0001" ageGroup="15-24" ethnicity="dtts" value="12"/>',
    )
    fields = refused(import_adx, text, user=w.admin)
    # the part named as over its total, once, at its own value (the total is not blamed a second time)
    assert fields == {"group[0]/dataValue[1]": "I1: 15–24 tuổi, dân tộc thiểu số: lớn hơn số tổng (10)."}


def test_attributes_and_combination_in_one_value_must_agree(w: Any) -> None:
    text = adx(
        '<dataValue dataElement="deI2VAL0001" categoryOptionCombo="T_KINH_URBAN" ethnicity="dtts" area="urban"'
        ' value="1"/>'
    )
    fields = refused(import_adx, text, user=w.admin)
    assert list(fields) == ["group[0]/dataValue[0]"] and "mâu thuẫn" in fields["group[0]/dataValue[0]"]


def test_single_ethnic_groups_are_added_up_into_minorities_and_said(w: Any) -> None:
    text = adx(
        '<dataValue dataElement="deI2VAL0001" ethnicity="03" area="rural" value="4"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="5" area="rural" value="6"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="01" area="rural" value="7"/>',
    )
    result = import_adx(text, user=w.admin)
    got = {v.combo: v.value for v in Value.objects.filter(report=w.b, indicator=w.i2)}
    assert got == {"ethnicity=dtts;area=rural": D(10), "ethnicity=kinh;area=rural": D(7)}
    assert result.summed == [("group[0]/dataValue[0]", ["03", "05"])]
    mixed = adx(
        '<dataValue dataElement="deI2VAL0001" ethnicity="03" area="urban" value="4"/>',
        '<dataValue dataElement="deI2VAL0001" ethnicity="dtts" area="urban" value="4"/>',
    )
    fields = refused(import_adx, mixed, user=w.admin)
    assert list(fields) == ["group[0]/dataValue[1]"] and "group[0]/dataValue[0]" in fields["group[0]/dataValue[1]"]


def test_the_command_says_which_ethnic_groups_it_added_up(w: Any, tmp_path: Path) -> None:
    path = tmp_path / "groups.xml"
    path.write_text(
        adx(
            '<dataValue dataElement="deI2VAL0001" ethnicity="03" area="rural" value="4"/>',
            '<dataValue dataElement="deI2VAL0001" ethnicity="05" area="rural" value="6"/>',
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("dhis2", "import", str(path), "--user", w.admin.username, stdout=out)
    assert "Ethnic groups 03, 05 added up into ethnic minorities (dtts)" in out.getvalue()
    assert Value.objects.get(report=w.b, indicator=w.i2, combo="ethnicity=dtts;area=rural").value == D(10)
