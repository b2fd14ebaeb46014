"""DHIS2 exchange: round trip, unmapped codes, malformed files, refused entities, all-or-nothing imports."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from interop.conftest import map_to_dhis2

from binhdang.interop.dhis2 import DEFAULT_COC, PeriodKey, parse_period_id, period_id
from binhdang.interop.services import (
    Dhis2ImportError,
    export_adx,
    export_datavaluesets,
    import_adx,
    import_datavaluesets,
)
from binhdang.reporting.models import Report, Value
from binhdang.reporting.services import report_accept, report_submit, reports_generate


@pytest.fixture
def mapped(data: Any) -> Any:
    map_to_dhis2(data)
    return data


def _values() -> set[tuple[Any, ...]]:
    return set(
        Value.objects.values_list(
            "report_id", "indicator_id", "sex", "value", "numerator", "denominator", "source", "note"
        )
    )


def _unit_values(period: Any) -> set[tuple[Any, ...]]:
    return set(
        Value.objects.filter(report__period=period).values_list(
            "report__unit_id", "indicator_id", "sex", "value", "numerator", "denominator"
        )
    )


def _fresh_drafts(data: Any) -> None:
    """Start the period again: reports deleted and regenerated through the service, all in draft, empty."""
    Report.objects.filter(period=data.semi).delete()
    reports_generate(period=data.semi)


def _accept_all(data: Any) -> None:
    for report in Report.objects.filter(period=data.semi, values__isnull=False).distinct():
        report_accept(
            report=(sent := report_submit(report=report, user=data.admin, version=report.version)),
            user=data.admin,
            version=sent.version,
        )


def test_period_ids_follow_the_decree_report_they_name() -> None:
    assert period_id(PeriodKey("semiannual", 2026)) == "2026S1"
    assert period_id(PeriodKey("annual", 2026)) == "2026"
    assert period_id(PeriodKey("ninemonth", 2026)) is None
    assert parse_period_id("2026-01-01/P6M") == PeriodKey("semiannual", 2026, 1)
    assert parse_period_id("2026Q3") == PeriodKey("quarterly", 2026, 3)
    assert parse_period_id("2026W3") is None


def test_export_carries_accepted_values_only(mapped: Any) -> None:
    doc = export_datavaluesets(mapped.semi)
    assert {v["orgUnit"] for v in doc["dataValues"]} == {"ouCOMMUNEA1"}  # B returned, Sở Y tế submitted
    # I1 is split by sex in DHIS2 (female and male mapped): its total (90/200) is left to DHIS2 to derive, not sent
    # beside the parts; I2 has only the default combination and travels as its total.
    assert {(v["dataElement"], v["categoryOptionCombo"], v["value"]) for v in doc["dataValues"]} == {
        ("deI1NUM0001", "cocFEMALE01", "45"),
        ("deI1DEN0001", "cocFEMALE01", "100"),
        ("deI1NUM0001", "cocMALE0001", "45"),
        ("deI1DEN0001", "cocMALE0001", "100"),
        ("deI2VAL0001", DEFAULT_COC, "7"),
    }
    assert all(v["period"] == "2026S1" for v in doc["dataValues"])
    adx = export_adx(mapped.semi)
    assert '<adx xmlns="urn:ihe:qrph:adx:2015"' in adx and 'period="2026-01-01/P6M"' in adx
    assert "9191" not in adx and "8181" not in adx


@pytest.mark.parametrize("fmt", ["json", "adx"])
def test_export_then_import_into_fresh_drafts_gives_identical_values(mapped: Any, fmt: str) -> None:
    before = _unit_values(mapped.semi) & {row for row in _unit_values(mapped.semi) if row[0] == mapped.commune_a.pk}
    exported = export_datavaluesets(mapped.semi)
    adx = export_adx(mapped.semi)
    _fresh_drafts(mapped)
    assert not Value.objects.filter(report__period=mapped.semi).exists()
    if fmt == "json":
        result = import_datavaluesets(json.dumps(exported), user=mapped.admin)
    else:
        result = import_adx(adx, user=mapped.admin)
    assert (result.reports, result.values) == (1, 7)
    assert _unit_values(mapped.semi) == before
    _accept_all(mapped)
    assert export_datavaluesets(mapped.semi) == exported


def test_unmapped_codes_are_named_with_their_field(mapped: Any) -> None:
    doc = {
        "dataValues": [
            {"dataElement": "deUNKNOWN01", "period": "2026S1", "orgUnit": "ouCOMMUNEB1", "value": "1"},
            {"dataElement": "deI2VAL0001", "period": "2026S1", "orgUnit": "ouNOWHERE01", "value": "1"},
            {"dataElement": "deI2VAL0001", "period": "2026W07", "orgUnit": "ouCOMMUNEB1", "value": "1"},
            {
                "dataElement": "deI1NUM0001",
                "period": "2026S1",
                "orgUnit": "ouCOMMUNEB1",
                "categoryOptionCombo": "cocOTHER001",
                "value": "1",
            },
        ]
    }
    before = _values()
    with pytest.raises(Dhis2ImportError) as info:
        import_datavaluesets(doc, user=mapped.admin)
    fields = dict(info.value.problems)
    assert "deUNKNOWN01" in fields["dataValues[0].dataElement"]
    assert "ouNOWHERE01" in fields["dataValues[1].orgUnit"]
    assert "2026W07" in fields["dataValues[2].period"]
    assert "cocOTHER001" in fields["dataValues[3].categoryOptionCombo"]
    assert _values() == before


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"dataValues": [', "json"),
        ("[1, 2]", "$"),
        (
            '{"dataValues": [{"dataElement": "deI2VAL0001", "period": "2026S1", "orgUnit": "ouCOMMUNEB1",'
            ' "value": "abc"}]}',
            "dataValues[0].value",
        ),
        ('{"dataValues": [{"period": "2026S1", "orgUnit": "ouCOMMUNEB1", "value": "1"}]}', "dataValues[0].dataElement"),
        # Found by tests/security/test_fuzz_importers.py: json.loads raised a plain ValueError and a RecursionError.
        ('{"dataValues": [{"value": 1' + "0" * 5000 + "}]}", "json"),
        ("[" * 100_000 + "]" * 100_000, "json"),
    ],
)
def test_malformed_json_is_refused_with_its_field(mapped: Any, text: str, field: str) -> None:
    before = _values()
    with pytest.raises(Dhis2ImportError) as info:
        import_datavaluesets(text, user=mapped.admin)
    assert info.value.problems[0][0] == field
    assert _values() == before


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="ouCOMMUNEB1" period="2026S1">', "xml"),
        ('<adx xmlns="urn:other"/>', "adx"),
        ('<adx xmlns="urn:ihe:qrph:adx:2015"><group period="2026S1"/></adx>', "group[0]@orgUnit"),
        (
            '<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="ouCOMMUNEB1" period="2026-01-01/P6M">'
            '<dataValue dataElement="deI2VAL0001" value="x"/></group></adx>',
            "group[0]/dataValue[0]@value",
        ),
    ],
)
def test_malformed_xml_is_refused_with_its_field(mapped: Any, text: str, field: str) -> None:
    before = _values()
    with pytest.raises(Dhis2ImportError) as info:
        import_adx(text, user=mapped.admin)
    assert info.value.problems[0][0].startswith(field)
    assert _values() == before


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE adx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
        '<!DOCTYPE adx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE adx SYSTEM "http://example.invalid/adx.dtd">',
    ],
)
def test_xml_with_a_doctype_or_entity_is_refused(mapped: Any, prolog: str) -> None:
    text = (
        f'<?xml version="1.0"?>{prolog}<adx xmlns="urn:ihe:qrph:adx:2015">'
        '<group orgUnit="ouCOMMUNEB1" period="2026S1"><dataValue dataElement="deI2VAL0001" value="5"/></group></adx>'
    )
    before = _values()
    with pytest.raises(Dhis2ImportError) as info:
        import_adx(text, user=mapped.admin)
    assert info.value.problems[0][0] == "DOCTYPE"
    assert _values() == before


def test_a_refused_report_leaves_nothing_half_written(mapped: Any) -> None:
    """The first value goes to commune B's returned (editable) report and is written; the second to Sở Y tế's
    submitted report, which refuses: the whole import is undone, commune B's figure included."""
    doc = {
        "dataValues": [
            {"dataElement": "deI2VAL0001", "period": "2026S1", "orgUnit": "ouCOMMUNEB1", "value": "5"},
            {"dataElement": "deI1NUM0001", "period": "2026S1", "orgUnit": "ouPROVINCE1", "value": "1"},
        ]
    }
    before = _values()
    with pytest.raises(Dhis2ImportError) as info:
        import_datavaluesets(doc, user=mapped.admin)
    assert "đang chờ duyệt" in str(info.value)
    assert _values() == before
    assert Value.objects.get(report=mapped.returned, indicator=mapped.i2).value == Decimal(9191)


def test_conflicting_values_in_one_file_are_refused(mapped: Any) -> None:
    row = {"dataElement": "deI2VAL0001", "period": "2026S1", "orgUnit": "ouCOMMUNEB1", "value": "5"}
    with pytest.raises(Dhis2ImportError) as info:
        import_datavaluesets({"dataValues": [row, {**row, "value": "6"}]}, user=mapped.admin)
    assert info.value.problems == [
        ("dataValues[1]", "mâu thuẫn với dataValues[0] (cùng dataElement, kỳ, orgUnit, giới tính): 6 ≠ 5")
    ]


def test_command_exports_and_imports(mapped: Any, tmp_path: Any) -> None:
    out = tmp_path / "semi.json"
    call_command("dhis2", "export", "--period", str(mapped.semi.pk), "-o", str(out))
    adx = tmp_path / "semi.xml"
    call_command("dhis2", "export", "--period", str(mapped.semi.pk), "--format", "adx", "-o", str(adx))
    before = _unit_values(mapped.semi)
    accepted_only = {row for row in before if row[0] == mapped.commune_a.pk}
    _fresh_drafts(mapped)
    call_command("dhis2", "import", str(adx), "--user", "admin")
    assert _unit_values(mapped.semi) == accepted_only
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"dataValues": [{"dataElement": "nope", "period": "2026S1", "orgUnit": "ouCOMMUNEA1", "value": "1"}]}'
    )
    with pytest.raises(CommandError, match="nope"):
        call_command("dhis2", "import", str(bad), "--user", "admin")
    call_command("dhis2", "import", str(out), "--user", "admin")  # the same values again: no change
    assert _unit_values(mapped.semi) == accepted_only


def test_a_value_too_large_for_the_column_is_refused(mapped: Any) -> None:
    """Found by tests/security/test_fuzz_importers.py: 10^16 reached the database (DataError on PostgreSQL)."""
    before = _values()
    text = json.dumps(
        {"dataValues": [{"dataElement": "deI2VAL0001", "period": "2026S1", "orgUnit": "ouCOMMUNEB1", "value": 10**16}]}
    )
    with pytest.raises(Dhis2ImportError) as info:
        import_datavaluesets(text, user=mapped.admin)
    assert info.value.problems == [("dataValues[0].value", "số quá lớn ('10000000000000000')")]
    assert _values() == before
