"""DHIS2 formats, pure Python: period ids, dataValueSets JSON and ADX XML, parsed to and from plain rows.

Imports nothing from Django, so it can be tested and reused alone (docs/dhis2.md). A parsed file is a list of
`DataValue` rows that still carry the codes as written; the services check them against the mapping tables.

XML is read with the standard library's expat parser set to refuse any document type declaration, and so
any entity declaration: an ADX file never needs one, and refusing them closes the "billion laughs" and
external-entity attacks without the defusedxml package (not installed here).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.parsers.expat
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import quoteattr

ADX_NS = "urn:ihe:qrph:adx:2015"
DEFAULT_COC = "HllvX50cXC0"  # DHIS2's "default" category option combination


class Dhis2FormatError(ValueError):
    """A file that cannot be read: names the field (a JSON path or XML element) and the value."""

    def __init__(self, field: str, message: str, value: object = None) -> None:
        self.field, self.detail, self.value = field, message, value
        shown = "" if value is None else f" ({value!r})"
        super().__init__(f"{field}: {message}{shown}")


@dataclass(frozen=True)
class DataValue:
    """One DHIS2 data value as written in the file; `where` names it for error messages."""

    data_element: str
    period: str
    org_unit: str
    category_option_combo: str
    value: Decimal
    where: str
    data_set: str = ""


@dataclass(frozen=True)
class PeriodKey:
    """Our period in the terms DHIS2 can name: kind (ReportKind value), year and number."""

    kind: str
    year: int
    number: int = 1


# --- periods -------------------------------------------------------------------------------------------------

_PERIOD_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "annual"),
    (re.compile(r"^(\d{4})S([12])$"), "semiannual"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarterly"),
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), "monthly"),
]
_ISO_PERIOD = re.compile(r"^(\d{4})-(\d{2})-01/P(1Y|6M|3M|1M)$")


def period_id(key: PeriodKey) -> str | None:
    """The DHIS2 id of one of our periods, or None when DHIS2 has no such period type.

    Periods are named by what they report on, not by their data cut-off: Decree 09's "6 tháng đầu năm 2026"
    (data 15/12/2025–14/6/2026) is DHIS2's 2026S1 (January–June 2026), its annual report is 2026, and so on.
    The 9-month, mid-term, final and ad hoc reports have no DHIS2 period type and are not exchanged.
    """
    if key.kind == "annual":
        return f"{key.year}"
    if key.kind == "semiannual":
        return f"{key.year}S{key.number}"
    if key.kind == "quarterly":
        return f"{key.year}Q{key.number}"
    if key.kind == "monthly":
        return f"{key.year}{key.number:02d}"
    return None


def parse_period_id(text: str) -> PeriodKey | None:
    """A DHIS2 period id ("2026S1") or an ADX ISO period ("2026-01-01/P6M") as our period key."""
    for pattern, kind in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            number = int(match.group(2)) if match.lastindex == 2 else 1
            return PeriodKey(kind, int(match.group(1)), number)
    match = _ISO_PERIOD.match(text)
    if match:
        year, month, duration = int(match.group(1)), int(match.group(2)), match.group(3)
        if duration == "1Y" and month == 1:
            return PeriodKey("annual", year)
        if duration == "6M" and month in (1, 7):
            return PeriodKey("semiannual", year, 1 if month == 1 else 2)
        if duration == "3M" and month in (1, 4, 7, 10):
            return PeriodKey("quarterly", year, (month - 1) // 3 + 1)
        if duration == "1M":
            return PeriodKey("monthly", year, month)
    return None


def adx_period(key: PeriodKey) -> str | None:
    """The ADX form of a period: its first day and ISO 8601 duration ("2026-01-01/P6M")."""
    if key.kind == "annual":
        return f"{dt.date(key.year, 1, 1).isoformat()}/P1Y"
    if key.kind == "semiannual":
        return f"{dt.date(key.year, 1 + 6 * (key.number - 1), 1).isoformat()}/P6M"
    if key.kind == "quarterly":
        return f"{dt.date(key.year, 1 + 3 * (key.number - 1), 1).isoformat()}/P3M"
    if key.kind == "monthly":
        return f"{dt.date(key.year, key.number, 1).isoformat()}/P1M"
    return None


# --- values --------------------------------------------------------------------------------------------------


def format_value(value: Decimal) -> str:
    """A decimal as DHIS2 writes numbers: no exponent, no trailing zeros ("45.0000" → "45")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _number(text: object, field: str) -> Decimal:
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        raise Dhis2FormatError(field, "giá trị phải là một số", text)
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        raise Dhis2FormatError(field, "giá trị phải là một số", text) from None
    if not number.is_finite():
        raise Dhis2FormatError(field, "giá trị phải là một số", text)
    return number


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True, default: str = "") -> str:
    raw = item.get(key)
    if raw is None or raw == "":
        if required:
            raise Dhis2FormatError(f"{where}.{key}", "thiếu trường bắt buộc")
        return default
    if not isinstance(raw, str):
        raise Dhis2FormatError(f"{where}.{key}", "phải là chuỗi ký tự", raw)
    return raw.strip()


# --- dataValueSets JSON --------------------------------------------------------------------------------------


def datavaluesets_dump(values: list[DataValue], *, data_set: str = "") -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if data_set:
        doc["dataSet"] = data_set
    doc["dataValues"] = [
        {
            "dataElement": v.data_element,
            "period": v.period,
            "orgUnit": v.org_unit,
            "categoryOptionCombo": v.category_option_combo,
            "attributeOptionCombo": DEFAULT_COC,
            "value": format_value(v.value),
        }
        for v in values
    ]
    return doc


def datavaluesets_parse(data: str | bytes | dict[str, Any]) -> list[DataValue]:
    """Rows of a dataValueSets document (text or already decoded); a top-level period/orgUnit is inherited."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as error:  # also a number of more than 4,300 digits, not only JSONDecodeError
            raise Dhis2FormatError("json", f"JSON không hợp lệ: {error}") from None
        except RecursionError:
            raise Dhis2FormatError("json", "JSON không hợp lệ: lồng nhau quá sâu") from None
    if not isinstance(data, dict):
        raise Dhis2FormatError("$", "phải là một đối tượng JSON có trường dataValues")
    rows = data.get("dataValues")
    if not isinstance(rows, list):
        raise Dhis2FormatError("dataValues", "thiếu danh sách dataValues")
    defaults = {key: data.get(key) for key in ("period", "orgUnit")}
    result = []
    for index, item in enumerate(rows):
        where = f"dataValues[{index}]"
        if not isinstance(item, dict):
            raise Dhis2FormatError(where, "phải là một đối tượng JSON")
        item = {**{k: v for k, v in defaults.items() if v is not None}, **item}
        aoc = _text(item, "attributeOptionCombo", where, required=False, default=DEFAULT_COC)
        if aoc != DEFAULT_COC:
            raise Dhis2FormatError(f"{where}.attributeOptionCombo", "chỉ nhận tổ hợp mặc định", aoc)
        if item.get("deleted") is True:
            raise Dhis2FormatError(f"{where}.deleted", "không nhận lệnh xóa số liệu qua tệp")
        result.append(
            DataValue(
                data_element=_text(item, "dataElement", where),
                period=_text(item, "period", where),
                org_unit=_text(item, "orgUnit", where),
                category_option_combo=_text(item, "categoryOptionCombo", where, required=False, default=DEFAULT_COC),
                value=_number(item.get("value"), f"{where}.value"),
                where=where,
                data_set=str(data.get("dataSet") or ""),
            )
        )
    return result


# --- ADX XML -------------------------------------------------------------------------------------------------


def adx_dump(values: list[DataValue], *, exported: str = "") -> str:
    """ADX 2015: one <group> per orgUnit × period × dataSet; the sex as a categoryOptionCombo attribute."""
    groups: dict[tuple[str, str, str], list[DataValue]] = {}
    for v in values:
        groups.setdefault((v.org_unit, v.period, v.data_set), []).append(v)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append(f"<adx xmlns={quoteattr(ADX_NS)}" + (f" exported={quoteattr(exported)}" if exported else "") + ">")
    for (org_unit, period, data_set), members in groups.items():
        attrs = f"orgUnit={quoteattr(org_unit)} period={quoteattr(period)}"
        if data_set:
            attrs += f" dataSet={quoteattr(data_set)}"
        lines.append(f"  <group {attrs}>")
        for v in members:
            lines.append(
                f"    <dataValue dataElement={quoteattr(v.data_element)}"
                f" categoryOptionCombo={quoteattr(v.category_option_combo)} value={quoteattr(format_value(v.value))}/>"
            )
        lines.append("  </group>")
    lines.append("</adx>")
    return "\n".join(lines) + "\n"


class _Refused(Exception):
    pass


def adx_parse(text: str | bytes) -> list[DataValue]:
    """Rows of an ADX document. A DOCTYPE or entity declaration is refused before anything is read."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: object) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    result: list[DataValue] = []
    stack: list[str] = []
    group: dict[str, str] = {}
    counters = {"group": -1, "value": -1}

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        depth = len(stack)
        stack.append(local)
        if depth == 0:
            if local != "adx" or ns != ADX_NS:
                raise Dhis2FormatError("adx", f'phần tử gốc phải là <adx xmlns="{ADX_NS}">', name)
        elif depth == 1 and local == "group":
            counters["group"] += 1
            counters["value"] = -1
            where = f"group[{counters['group']}]"
            for key in ("orgUnit", "period"):
                if not attrs.get(key):
                    raise Dhis2FormatError(f"{where}@{key}", "thiếu thuộc tính bắt buộc")
            group.clear()
            group.update(attrs)
        elif depth == 2 and local == "dataValue" and stack[1] == "group":
            counters["value"] += 1
            where = f"group[{counters['group']}]/dataValue[{counters['value']}]"
            if not attrs.get("dataElement"):
                raise Dhis2FormatError(f"{where}@dataElement", "thiếu thuộc tính bắt buộc")
            if "value" not in attrs:
                raise Dhis2FormatError(f"{where}@value", "thiếu thuộc tính bắt buộc")
            result.append(
                DataValue(
                    data_element=attrs["dataElement"].strip(),
                    period=group["period"].strip(),
                    org_unit=group["orgUnit"].strip(),
                    category_option_combo=(attrs.get("categoryOptionCombo") or DEFAULT_COC).strip(),
                    value=_number(attrs["value"], f"{where}@value"),
                    where=where,
                    data_set=group.get("dataSet", ""),
                )
            )
        else:
            raise Dhis2FormatError("/".join(stack), "phần tử không có trong ADX", local)

    def end(_name: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text.encode("utf-8") if isinstance(text, str) else text, True)
    except _Refused:
        raise Dhis2FormatError("DOCTYPE", "tệp XML có khai báo DOCTYPE/ENTITY; không nhận vì lý do an toàn") from None
    except xml.parsers.expat.ExpatError as error:
        raise Dhis2FormatError(f"xml dòng {error.lineno}, cột {error.offset}", f"XML không hợp lệ: {error}") from None
    return result
