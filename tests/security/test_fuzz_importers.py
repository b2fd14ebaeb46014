"""Property-based fuzzing of every importer (issue 7): hostile files never crash an importer, and a refused file
leaves every table of the product exactly as it was.

Importers and their entry points:

- the report workbook and the period workbook (``workbook_import``, the upload pages, ``report_import``);
- the values CSV (``csv_import``, its upload page, ``report_import``);
- DHIS2 dataValueSets JSON and ADX XML (``import_datavaluesets``, ``import_adx``, ``binhdang dhis2 import``);
- the plan interchange format (``plans.services.plan_import``, ``binhdang plan load FILE.json``);
- the plan reader's accept step (``document_accept`` and the review page that calls it).

Two levels of hostile input for each: arbitrary bytes or text, and structured mutations of a valid file from the
test world (a cell, a field or a node replaced by a hostile value, rows duplicated or dropped, ids of another
report, another period or another unit, raw damage inside the xlsx archive). Each example runs inside a
transaction that is rolled back, so examples do not depend on each other.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import openpyxl
import pytest
from conftest import GOLDEN, SEEDS, golden
from dbsnapshot import product_tables
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from interop.conftest import map_to_dhis2
from opendata.worlds import build
from reader.conftest import review_form
from reporting.test_csv_import import _csv
from reporting.test_spreadsheets import _bytes, _setup, fill

from binhdang.interop.dhis2 import ADX_NS, DEFAULT_COC, adx_period, parse_period_id
from binhdang.interop.services import Dhis2ImportError, export_datavaluesets, import_adx, import_datavaluesets
from binhdang.plans.errors import PlanError
from binhdang.plans.interchange import plan_export, plan_validate
from binhdang.plans.models import Plan
from binhdang.plans.services import plan_import
from binhdang.reader.models import DocumentImport, ImportStatus
from binhdang.reader.services import ImportNotReady, document_accept, document_read, document_upload
from binhdang.reporting.csv_import import csv_import
from binhdang.reporting.models import Progress, Report, Value
from binhdang.reporting.services import reports_generate
from binhdang.reporting.spreadsheets import (
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SUMMARY,
    SHEET_TASKS,
    ImportResult,
    period_reports,
    period_workbook,
    report_workbook,
    workbook_import,
)


def fuzz(examples: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example's writes, undone afterwards: every example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- hostile values ------------------------------------------------------------------------------------------

VIETNAMESE = "Tỷ lệ lao động nữ được hưởng lương; Ủy ban nhân dân xã Đồng Hỷ"
HOSTILE_TEXT = [
    "",
    " ",
    "1.040",
    "1,7",
    "45,5",
    "1.234.567,89",
    "-5",
    "-0",
    "0",
    "1e5",
    "1E400",
    "-1E+30",
    "NaN",
    "inf",
    "100%",
    "１２",
    "٣",
    "0x10",
    "1_000",
    "99999999999999999999999",
    "0.00001",
    "=1+1",
    "=SUM(A1:A9)",
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "_x0000_",
    "a_x0001_b",
    "Nữ",
    "Nam",
    "Tổng",
    "female",
    "Hoàn thành",
    "Đang triển khai",
    "x" * 256,
    "ệ" * 5000,
    unicodedata.normalize("NFD", VIETNAMESE),
    VIETNAMESE,
    "\u202e\u200b\ufeff",
    "2026-02-30",
    "--13-45",
    "null",
    "true",
]
CONTROL_TEXT = ["\x00", "a\x00b", "\x01\x02\x1f", "dòng 1\r\ndòng 2", "\x7f", "\ud7ff\ue000"]


def hostile_text(*, controls: bool = True) -> st.SearchStrategy[str]:
    choices = HOSTILE_TEXT + (CONTROL_TEXT if controls else [])
    plain = st.text(max_size=40)
    if not controls:
        plain = plain.map(lambda s: openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", s))
    return st.one_of(st.sampled_from(choices), plain)


def hostile_number() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(min_value=-(10**25), max_value=10**25),
        st.sampled_from([0, -1, 10**15, 10**16, -(10**16), 2**63, 0.1, 12.3, 1e-9, 45.5, 1e300, -0.0]),
        st.floats(allow_nan=False, allow_infinity=False),
    )


def hostile_json() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        hostile_number(),
        st.sampled_from([float("nan"), float("inf")]),
        hostile_text(),
    )
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.dictionaries(st.sampled_from(["id", "value", "text", "year", "x"]), scalars, max_size=3),
    )


# --- what every importer must do -----------------------------------------------------------------------------


def assert_clean_text(*texts: str) -> None:
    """Stored text of an accepted file is NFC and carries no NUL."""
    for text in texts:
        assert unicodedata.normalize("NFC", text) == text, repr(text[:60])
        assert "\x00" not in text


def refused_changes_nothing(before: dict[str, Any], refused: bool) -> None:
    event("refused" if refused else "accepted")  # --hypothesis-show-statistics: both outcomes are reached
    if refused:
        assert product_tables() == before


# --- the report and period workbooks ------------------------------------------------------------------------


@pytest.fixture
def reporting_world(cycle: Any) -> Any:
    period, a, b = _setup(cycle)
    annual = next(p for p in cycle.plan.periods.all() if p.kind == "annual")
    reports_generate(period=annual)
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(a)))
    fill(wb, cycle)
    cycle.period, cycle.a, cycle.b = period, a, b
    cycle.report_xlsx = _bytes(wb)
    cycle.period_xlsx = period_workbook(period, period_reports(period))
    cycle.other_ids = sorted(
        {*Report.objects.values_list("pk", flat=True), *cycle.plan.indicators.values_list("pk", flat=True)}
        | {*cycle.plan.tasks.values_list("pk", flat=True), 0, 999_999}
    )
    return cycle


def workbook_mutation(ids: list[int]) -> st.SearchStrategy[tuple[Any, ...]]:
    sheets = st.sampled_from([SHEET_INDICATORS, SHEET_TASKS, SHEET_SUMMARY])
    row, col = st.integers(1, 12), st.integers(1, 12)
    cell_value = st.one_of(
        hostile_text(controls=False),
        hostile_number(),
        st.sampled_from(ids),
        st.booleans(),
        st.dates(),
        st.datetimes(),
        st.decimals(allow_nan=False, allow_infinity=False, places=6),
    )
    return st.one_of(
        st.tuples(st.just("cell"), sheets, st.integers(2, 12), col, cell_value),
        st.tuples(st.just("cell"), sheets, st.integers(2, 12), col, cell_value),
        st.tuples(st.just("header"), sheets, col, hostile_text(controls=False)),
        st.tuples(st.just("duplicate"), sheets, row),
        st.tuples(st.just("delete"), sheets, row),
        st.tuples(st.just("merge"), sheets, row),
        st.tuples(st.just("sheet"), st.sampled_from(["add", "remove", "rename", "unhide-meta"])),
        st.tuples(st.just("meta"), st.integers(1, 8), st.integers(1, 4), cell_value),
    )


def mutate_workbook(data: bytes, mutations: list[tuple[Any, ...]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for mutation in mutations:
        kind = mutation[0]
        if kind == "cell":
            _, sheet, row, col, value = mutation
            cell = wb[sheet].cell(row, col)
            if not isinstance(cell, openpyxl.cell.cell.MergedCell):
                cell.value = value
        elif kind == "header":
            _, sheet, col, value = mutation
            wb[sheet].cell(1, col).value = value
        elif kind == "duplicate":
            ws = wb[mutation[1]]
            ws.append([c.value for c in ws[mutation[2]]])
        elif kind == "delete":
            wb[mutation[1]].delete_rows(mutation[2])
        elif kind == "merge":
            wb[mutation[1]].merge_cells(start_row=mutation[2], start_column=1, end_row=mutation[2], end_column=2)
        elif kind == "meta":
            _, row, col, value = mutation
            wb[SHEET_META].cell(row, col).value = value
        elif mutation[1] == "add":
            wb.create_sheet("Sheet1")["A1"] = 5
        elif mutation[1] == "remove":
            del wb[SHEET_TASKS]
        elif mutation[1] == "rename":
            wb[SHEET_SUMMARY].title = "Tom tat"
        else:
            wb[SHEET_META].sheet_state = "visible"
    return _bytes(wb)


def damage_archive(data: bytes, member: int, where: float, how: str, junk: bytes) -> bytes:
    """Raw damage to one member of the xlsx archive, re-zipped with valid checksums so the XML is read."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        infos = source.infolist()
        chosen = infos[member % len(infos)].filename
        for info in infos:
            content = source.read(info.filename)
            if info.filename == chosen:
                cut = int(len(content) * where)
                if how == "truncate":
                    content = content[:cut]
                elif how == "insert":
                    content = content[:cut] + junk + content[cut:]
                else:
                    content = content[:cut] + junk + content[cut + len(junk) :]
            target.writestr(info.filename, content)
    return out.getvalue()


XML_JUNK = st.one_of(
    st.binary(max_size=20),
    st.sampled_from(
        [b"&#0;", b"&#1;", b"<c r='A1' t='e'><v>#REF!</v></c>", b"<f>1+1</f>", b"]]>", b"<!DOCTYPE x>", b"\xff\xfe"]
    ),
)


def check_workbook(w: Any, user: Any, data: bytes, *, period: bool, via: str, tmp_path: Path) -> None:
    client = Client()
    client.force_login(user)  # before the snapshot: signing in stamps the user's last_login
    before = product_tables()
    if via == "service":
        if period:
            result = workbook_import(user=user, data=data, period=w.period)
        else:
            result = workbook_import(user=user, data=data, report=w.a)
        refused = not result.ok
        assert not (refused and result.saved)
    elif via == "view":
        name, pk = ("period-xlsx-upload", w.period.pk) if period else ("report-xlsx-upload", w.a.pk)
        response = client.post(reverse(name, args=[pk]), {"file": _upload("bao-cao.xlsx", data)})
        assert response.status_code in (200, 302, 403, 404), response.status_code
        refused = response.status_code != 302
    else:
        path = tmp_path / "bao-cao.xlsx"
        path.write_bytes(data)
        refused = _refused_by_report_import(path, user)
    refused_changes_nothing(before, refused)
    if not refused:
        reports_stored_cleanly(w)


def _refused_by_report_import(path: Path, user: Any) -> bool:
    try:
        call_command("report_import", str(path), "--user", user.username, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        return True
    return False


def reports_stored_cleanly(w: Any, *, round_trip: bool = True) -> None:
    """What an accepted file stored is clean text, and its workbook re-exported and re-imported changes nothing.

    Not after a CSV: it may give each sex its own source, which the form and the workbook keep once per indicator.
    """
    for value in Value.objects.all():
        assert_clean_text(value.source, value.note)
    for progress in Progress.objects.all():
        assert_clean_text(progress.narrative)
    for report in Report.objects.all():
        assert_clean_text(report.summary)
    if not round_trip:
        return
    a = Report.objects.get(pk=w.a.pk)
    again = workbook_import(user=w.commune_user, data=report_workbook(a), report=a)
    assert again.ok and not again.saved, [e.english() for e in again.errors]


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@fuzz(30)
@given(data=st.data())
def test_report_workbook_mutations(reporting_world: Any, tmp_path: Path, data: Any) -> None:
    w = reporting_world
    mutations = data.draw(st.lists(workbook_mutation(w.other_ids), min_size=1, max_size=3), "mutations")
    user = data.draw(st.sampled_from([w.commune_user, w.commune_user, w.other_commune_user, w.admin]), "user")
    via = data.draw(st.sampled_from(["service", "service", "view", "command"]), "via")
    with rolled_back():
        check_workbook(w, user, mutate_workbook(w.report_xlsx, mutations), period=False, via=via, tmp_path=tmp_path)


@fuzz(15)
@given(data=st.data())
def test_period_workbook_mutations(reporting_world: Any, tmp_path: Path, data: Any) -> None:
    w = reporting_world
    mutations = data.draw(st.lists(workbook_mutation(w.other_ids), min_size=1, max_size=3), "mutations")
    user = data.draw(st.sampled_from([w.province_user, w.commune_user, w.admin]), "user")
    via = data.draw(st.sampled_from(["service", "service", "view"]), "via")
    with rolled_back():
        check_workbook(w, user, mutate_workbook(w.period_xlsx, mutations), period=True, via=via, tmp_path=tmp_path)


@fuzz(25)
@given(
    member=st.integers(0, 30),
    where=st.floats(0, 1),
    how=st.sampled_from(["truncate", "insert", "overwrite"]),
    junk=XML_JUNK,
    period=st.booleans(),
)
def test_damaged_workbook_archives(
    reporting_world: Any, tmp_path: Path, member: int, where: float, how: str, junk: bytes, period: bool
) -> None:
    w = reporting_world
    base = w.period_xlsx if period else w.report_xlsx
    user = w.province_user if period else w.commune_user
    with rolled_back():
        check_workbook(
            w, user, damage_archive(base, member, where, how, junk), period=period, via="service", tmp_path=tmp_path
        )


@fuzz(15)
@given(raw=st.one_of(st.binary(max_size=300), st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06" + b"\0" * 18])))
def test_workbook_arbitrary_bytes(reporting_world: Any, tmp_path: Path, raw: bytes) -> None:
    with rolled_back():
        check_workbook(
            reporting_world, reporting_world.commune_user, raw, period=False, via="service", tmp_path=tmp_path
        )


# --- the values CSV ------------------------------------------------------------------------------------------


def csv_mutation(ids: list[int]) -> st.SearchStrategy[tuple[Any, ...]]:
    field_value = st.one_of(hostile_text(), st.sampled_from([str(i) for i in ids]), hostile_number().map(str))
    return st.one_of(
        st.tuples(st.just("field"), st.integers(0, 6), st.integers(0, 8), field_value),
        st.tuples(st.just("field"), st.integers(1, 6), st.integers(3, 5), field_value),
        st.tuples(st.just("duplicate"), st.integers(1, 5)),
        st.tuples(st.just("delete"), st.integers(0, 5)),
        st.tuples(st.just("width"), st.integers(0, 5), st.integers(-2, 2)),
    )


def mutate_csv(data: bytes, mutations: list[tuple[Any, ...]]) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for mutation in mutations:
        kind = mutation[0]
        if not rows:
            break
        index = mutation[1] % len(rows)
        if kind == "field":
            row = rows[index]
            if row:
                row[mutation[2] % len(row)] = mutation[3]
        elif kind == "duplicate":
            rows.append(list(rows[index]))
        elif kind == "delete":
            del rows[index]
        elif mutation[2] > 0:
            rows[index].extend([""] * mutation[2])
        else:
            del rows[index][len(rows[index]) + mutation[2] :]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def check_csv(w: Any, user: Any, data: bytes, *, via: str, tmp_path: Path) -> None:
    client = Client()
    client.force_login(user)
    before = product_tables()
    if via == "service":
        result = csv_import(user=user, data=data, report=w.a)
        refused = not result.ok
        assert not (refused and result.saved)
        if not refused:
            values_match_csv(data, result)
    elif via == "view":
        response = client.post(reverse("report-csv-upload", args=[w.a.pk]), {"file": _upload("so-lieu.csv", data)})
        assert response.status_code in (200, 302, 403, 404), response.status_code
        refused = response.status_code != 302
    else:
        path = tmp_path / "so-lieu.csv"
        path.write_bytes(data)
        refused = _refused_by_report_import(path, user)
    refused_changes_nothing(before, refused)
    if not refused:
        reports_stored_cleanly(w, round_trip=False)


def values_match_csv(data: bytes, result: ImportResult) -> None:
    """Every number of an accepted CSV is stored as written (the indicator's unused fields aside)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    for row in rows:
        if not any((v or "").strip() for v in row.values()):
            continue
        norm = {k.strip().lower(): (v or "") for k, v in row.items()}
        value = Value.objects.filter(
            report_id=int(norm["report_id"]),
            indicator_id=int(norm["indicator_id"]),
            sex=norm["sex"].strip().lower() or "total",
        ).first()
        written = {f: norm[f].strip() for f in ("value", "numerator", "denominator") if norm[f].strip()}
        if value is None:
            assert not written
            continue
        for field, text in written.items():
            stored = getattr(value, field)
            if value.indicator.measure in ("percentage", "rate") and field == "value":
                continue  # a rate's value is computed from its numerator and denominator
            if value.indicator.measure not in ("percentage", "rate") and field != "value":
                continue
            assert stored == Decimal(text), (field, text, stored)
        assert value.note == unicodedata.normalize("NFC", norm["note"]).strip()


@fuzz(40)
@given(data=st.data())
def test_csv_mutations(reporting_world: Any, tmp_path: Path, data: Any) -> None:
    w = reporting_world
    base = _csv(w.a, w)
    mutations = data.draw(st.lists(csv_mutation(w.other_ids), min_size=1, max_size=3), "mutations")
    user = data.draw(st.sampled_from([w.commune_user, w.commune_user, w.other_commune_user, w.admin]), "user")
    via = data.draw(st.sampled_from(["service", "service", "service", "view", "command"]), "via")
    with rolled_back():
        check_csv(w, user, mutate_csv(base, mutations), via=via, tmp_path=tmp_path)


@fuzz(20)
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: t.encode("utf-8"))))
def test_csv_arbitrary_bytes(reporting_world: Any, tmp_path: Path, raw: bytes) -> None:
    header = b"report_id,indicator_id,sex,value,numerator,denominator,source,note\n"
    with rolled_back():
        check_csv(reporting_world, reporting_world.commune_user, raw, via="service", tmp_path=tmp_path)
    with rolled_back():
        check_csv(reporting_world, reporting_world.commune_user, header + raw, via="service", tmp_path=tmp_path)


# --- DHIS2 dataValueSets JSON and ADX --------------------------------------------------------------------------


@pytest.fixture
def dhis2_world(world: Any) -> Any:
    d = build(world)
    map_to_dhis2(d)
    d.valid = export_datavaluesets(d.semi)
    # 4 of I1 (numerator and denominator, female and male: DHIS2 derives the total of a split element) + I2's total
    assert len(d.valid["dataValues"]) == 5
    # The same period again, every report a fresh draft (tests/interop/test_dhis2_exchange.py).
    Report.objects.filter(period=d.semi).delete()
    reports_generate(period=d.semi)
    return d


DHIS2_KEYS = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value", "deleted"]
DHIS2_CODES = [
    "deI1NUM0001",
    "deI1DEN0001",
    "deI2VAL0001",
    "ouPROVINCE1",
    "ouCOMMUNEA1",
    "ouCOMMUNEB1",
    "cocFEMALE01",
    "cocMALE0001",
    DEFAULT_COC,
    "2026S1",
    "2026S2",
    "2026",
    "2027S1",
    "2026Q1",
    "2026-01-01/P6M",
    "2026-07-01/P6M",
    "2026-02-01/P6M",
    "2026W3",
]


def dhis2_mutation() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.one_of(
        st.tuples(
            st.just("field"),
            st.integers(0, 10),
            st.sampled_from(DHIS2_KEYS),
            st.one_of(st.sampled_from(DHIS2_CODES), hostile_json()),
        ),
        st.tuples(st.just("field"), st.integers(0, 10), st.just("value"), hostile_json()),
        st.tuples(st.just("drop"), st.integers(0, 10), st.sampled_from(DHIS2_KEYS)),
        st.tuples(st.just("duplicate"), st.integers(0, 10)),
        st.tuples(st.just("delete"), st.integers(0, 10)),
        st.tuples(st.just("top"), st.sampled_from(["period", "orgUnit", "dataSet", "dataValues"]), hostile_json()),
    )


def mutate_dhis2(doc: dict[str, Any], mutations: list[tuple[Any, ...]]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for mutation in mutations:
        rows = doc.get("dataValues")
        kind = mutation[0]
        if kind == "top":
            doc[mutation[1]] = mutation[2]
            continue
        if not isinstance(rows, list) or not rows:
            continue
        row = rows[mutation[1] % len(rows)]
        if kind == "field":
            row[mutation[2]] = mutation[3]
        elif kind == "drop":
            row.pop(mutation[2], None)
        elif kind == "duplicate":
            rows.append(copy.deepcopy(row))
        else:
            rows.remove(row)
    return doc


def adx_of(doc: dict[str, Any]) -> str:
    """The mutated rows written as ADX, one group per row, hostile strings kept as attributes."""
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="{ADX_NS}">']
    rows = doc.get("dataValues")
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        group = {k: row.get(k, doc.get(k)) for k in ("orgUnit", "period")}
        key = parse_period_id(group["period"]) if isinstance(group["period"], str) else None
        if key is not None:  # ADX writes periods as ISO 8601 start/duration, not as DHIS2 ids
            group["period"] = adx_period(key) or group["period"]
        attrs = " ".join(f"{k}={quoteattr(_attr(v))}" for k, v in group.items() if v is not None)
        value = {k: row.get(k) for k in ("dataElement", "categoryOptionCombo", "value") if row.get(k) is not None}
        inner = " ".join(f"{k}={quoteattr(_attr(v))}" for k, v in value.items())
        lines.append(f"<group {attrs}><dataValue {inner}/></group>")
    lines.append("</adx>")
    return "\n".join(lines)


def _attr(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", text).replace("\ud7ff", "")


def check_dhis2(d: Any, user: Any, text: str | bytes, *, adx: bool, via: str, tmp_path: Path) -> None:
    before = product_tables()
    refused = False
    if via == "service":
        try:
            result = (import_adx if adx else import_datavaluesets)(text, user=user)
        except Dhis2ImportError:
            refused = True
        else:
            rows = adx_rows(text) if adx else _json_rows(json.loads(text))
            # a row repeated with the same value is written once; female + male add a derived total
            assert result.values >= len({_cell(row) for row in rows})
            dhis2_values_stored(d, rows)
    else:
        path = tmp_path / ("dhis2.adx" if adx else "dhis2.json")
        path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
        try:
            call_command("dhis2", "import", str(path), "--user", user.username, stdout=io.StringIO())
        except CommandError:
            refused = True
    refused_changes_nothing(before, refused)


def _json_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows with what they inherit from the top level (period, orgUnit)."""
    top = {k: doc[k] for k in ("period", "orgUnit") if k in doc}
    return [{**top, **row} for row in doc["dataValues"]]


def _cell(row: dict[str, Any]) -> tuple[Any, ...]:
    coc = (row.get("categoryOptionCombo") or DEFAULT_COC).strip()
    return (row["dataElement"].strip(), parse_period_id(row["period"].strip()), row["orgUnit"].strip(), coc)


def adx_rows(text: str | bytes) -> list[dict[str, Any]]:
    from binhdang.interop.dhis2 import adx_parse

    return [
        {
            "dataElement": r.data_element,
            "orgUnit": r.org_unit,
            "period": r.period,
            "categoryOptionCombo": r.category_option_combo,
            "value": str(r.value),
        }
        for r in adx_parse(text).rows
    ]


def dhis2_values_stored(d: Any, rows: list[dict[str, Any]]) -> None:
    """Each imported value is stored in its unit's report of the period, in the field and sex it is mapped to."""
    fields = {"deI1NUM0001": "numerator", "deI1DEN0001": "denominator", "deI2VAL0001": "value"}
    sexes = {DEFAULT_COC: "total", "cocFEMALE01": "female", "cocMALE0001": "male"}
    units = {"ouPROVINCE1": d.province, "ouCOMMUNEA1": d.commune_a, "ouCOMMUNEB1": d.commune_b}
    for row in rows:
        element, ou = row["dataElement"].strip(), row.get("orgUnit", "").strip()
        coc = (row.get("categoryOptionCombo") or DEFAULT_COC).strip()
        value = Value.objects.get(
            report__unit=units[ou],
            report__period__kind="semiannual",
            indicator__dhis2__isnull=False,
            indicator_id=d.i1.pk if element != "deI2VAL0001" else d.i2.pk,
            sex=sexes[coc],
        )
        assert getattr(value, fields[element]) == Decimal(str(row["value"]).strip())


@fuzz(30)
@given(data=st.data())
def test_dhis2_json_mutations(dhis2_world: Any, tmp_path: Path, data: Any) -> None:
    d = dhis2_world
    doc = mutate_dhis2(d.valid, data.draw(st.lists(dhis2_mutation(), min_size=1, max_size=3), "mutations"))
    user = data.draw(st.sampled_from([d.admin, d.commune_user, d.other_commune_user, d.other_province_user]), "user")
    via = data.draw(st.sampled_from(["service", "service", "service", "command"]), "via")
    with rolled_back():
        check_dhis2(d, user, json.dumps(doc, ensure_ascii=False), adx=False, via=via, tmp_path=tmp_path)


@fuzz(20)
@given(data=st.data())
def test_dhis2_adx_mutations(dhis2_world: Any, tmp_path: Path, data: Any) -> None:
    d = dhis2_world
    doc = mutate_dhis2(d.valid, data.draw(st.lists(dhis2_mutation(), min_size=1, max_size=3), "mutations"))
    user = data.draw(st.sampled_from([d.admin, d.commune_user, d.other_commune_user]), "user")
    via = data.draw(st.sampled_from(["service", "service", "command"]), "via")
    with rolled_back():
        check_dhis2(d, user, adx_of(doc), adx=True, via=via, tmp_path=tmp_path)


DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_FILES = [
    "",
    "{}",
    "[]",
    "null",
    '{"dataValues": {}}',
    '{"dataValues": [1]}',
    '{"dataValues": [{"value": 1' + "0" * 5000 + "}]}",
    '{"dataValues": [{"value": "1' + "0" * 5000 + '"}]}',
    DEEP,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    '<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY a "aaaa">]><adx xmlns="urn:ihe:qrph:adx:2015">&a;</adx>',
    '<adx xmlns="urn:other"/>',
    f'<adx xmlns="{ADX_NS}"><group orgUnit="ouCOMMUNEA1" period="2026S1"><x/></group></adx>',
    f'<adx xmlns="{ADX_NS}">' + "<group>" * 5000,
]


@fuzz(30)
@given(raw=st.one_of(st.sampled_from(HOSTILE_FILES).map(str.encode), st.binary(max_size=200)), adx=st.booleans())
def test_dhis2_arbitrary_files(dhis2_world: Any, tmp_path: Path, raw: bytes, adx: bool) -> None:
    with rolled_back():
        check_dhis2(dhis2_world, dhis2_world.admin, raw, adx=adx, via="service", tmp_path=tmp_path)
    with rolled_back():
        check_dhis2(dhis2_world, dhis2_world.admin, raw, adx=adx, via="command", tmp_path=tmp_path)


# --- plan interchange documents ------------------------------------------------------------------------------


def paths_of(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += paths_of(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += paths_of(value, (*prefix, index))
    return found


def mutate_tree(tree: Any, mutations: list[tuple[Any, ...]]) -> Any:
    """Replace, delete or duplicate nodes of a JSON tree, chosen by index among its paths."""
    tree = copy.deepcopy(tree)
    for kind, index, value in mutations:
        paths = [p for p in paths_of(tree) if p]
        if not paths:
            return value
        path = paths[index % len(paths)]
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if kind == "replace":
            parent[last] = value
        elif kind == "delete":
            del parent[last]
        elif kind == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif kind == "copy":
            other = paths[(index * 7 + 3) % len(paths)]
            node = tree
            for key in other:
                node = node[key]
            parent[last] = copy.deepcopy(node)
    return tree


def tree_mutation(ids: list[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    index = st.integers(0, 10_000)
    return st.one_of(
        st.tuples(st.just("replace"), index, st.one_of(hostile_json(), st.sampled_from(ids))),
        st.tuples(st.sampled_from(["delete", "duplicate", "copy"]), index, st.none()),
    )


PLAN_IDS = ["I1", "O1", "T1", "O999", "2025:1", "2025:19", "2018:1", "KH", "province", "commune", ">=", "<>"]


@pytest.fixture
def plan_docs(world: Any) -> Any:
    world.plans = [golden(seed) for seed in SEEDS]
    return world


def check_plan(user: Any, doc: Any, *, via: str, tmp_path: Path) -> None:
    before = product_tables()
    refused = False
    if via == "service":
        try:
            plan = plan_import(user=user, data=doc)
        except PlanError:
            refused = True
        else:
            plan_stored_cleanly(plan)
    else:
        path = tmp_path / "ke-hoach.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
        try:
            call_command("plan", "load", str(path), stdout=io.StringIO())
        except CommandError:
            refused = True
        else:
            for plan in Plan.objects.exclude(pk__in=[p["id"] for p in before["plans.Plan"]]):
                plan_stored_cleanly(plan)
    refused_changes_nothing(before, refused)


def plan_stored_cleanly(plan: Plan) -> None:
    """A loaded plan exports to a valid plan/1 document whose text is all NFC and NUL-free."""
    exported = plan_export(plan)
    plan_validate(exported)
    for path in paths_of(exported):
        node: Any = exported
        for key in path:
            node = node[key]
        if isinstance(node, str):
            assert_clean_text(node)


@fuzz(30)
@given(data=st.data())
def test_plan_document_mutations(plan_docs: Any, tmp_path: Path, data: Any) -> None:
    w = plan_docs
    base = data.draw(st.sampled_from(w.plans), "plan")
    doc = mutate_tree(base, data.draw(st.lists(tree_mutation(PLAN_IDS), min_size=1, max_size=3), "mutations"))
    user = data.draw(st.sampled_from([w.admin, w.admin, w.province_user, w.commune_user]), "user")
    via = data.draw(st.sampled_from(["service", "service", "command"]), "via")
    with rolled_back():
        check_plan(user, doc, via=via, tmp_path=tmp_path)


@fuzz(15)
@given(raw=st.one_of(st.sampled_from(HOSTILE_FILES).map(str.encode), st.binary(max_size=200)))
def test_plan_load_command_arbitrary_files(plan_docs: Any, tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "ke-hoach.json"
    path.write_bytes(raw)
    with rolled_back():
        before = product_tables()
        with suppress(CommandError):
            call_command("plan", "load", str(path), stdout=io.StringIO())
        assert product_tables() == before  # none of these files holds a plan ("[]" loads nothing)


# --- the plan reader's accept step ---------------------------------------------------------------------------


@pytest.fixture
def read_document(world: Any) -> Any:
    doc, _ = document_upload(user=world.admin, filename="ke-hoach.txt", data=(GOLDEN / f"{SEEDS[2]}.txt").read_bytes())
    world.doc = document_read(import_id=doc.pk)
    assert world.doc.status == ImportStatus.PARSED
    world.tree = world.doc.result
    return world


@fuzz(20)
@given(data=st.data())
def test_reader_accept_mutations(read_document: Any, data: Any) -> None:
    w = read_document
    tree = mutate_tree(w.tree, data.draw(st.lists(tree_mutation(PLAN_IDS), min_size=1, max_size=3), "mutations"))
    user = data.draw(st.sampled_from([w.admin, w.admin, w.province_user, w.commune_user]), "user")
    unit = data.draw(st.sampled_from([w.province, w.commune_a, w.other_province]), "unit")
    with rolled_back():
        before = product_tables()
        doc = DocumentImport.objects.get(pk=w.doc.pk)
        try:
            plan = document_accept(user=user, doc=doc, plan_data=tree, unit=unit, agency_map={})
        except (PlanError, ImportNotReady):
            assert product_tables() == before
        else:
            plan_stored_cleanly(plan)
            assert DocumentImport.objects.get(pk=doc.pk).plan_id == plan.pk


@fuzz(15)
@given(data=st.data())
def test_reader_review_page_never_fails(read_document: Any, data: Any) -> None:
    w = read_document
    form = review_form(w.tree, w.province.pk)
    keys = sorted(form)
    changes = data.draw(
        st.lists(st.tuples(st.sampled_from(keys), hostile_text(controls=False)), min_size=1, max_size=4), "changes"
    )
    for key, value in changes:
        form[key] = value
    user = data.draw(st.sampled_from([w.admin, w.province_user, w.commune_user]), "user")
    with rolled_back():
        client = Client()
        client.force_login(user)
        before = product_tables()
        response = client.post(reverse("reader-review", args=[w.doc.pk]), form)
        assert response.status_code in (200, 302, 404), response.status_code
        created = response.status_code == 302 and "/ke-hoach/" in response["Location"]
        if created:
            plan_stored_cleanly(Plan.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])))
        else:
            assert product_tables() == before
