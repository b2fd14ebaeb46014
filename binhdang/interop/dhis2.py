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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import quoteattr

ADX_NS = "urn:ihe:qrph:adx:2015"
DEFAULT_COC = "HllvX50cXC0"  # DHIS2's "default" category option combination


class Dhis2FormatError(ValueError):
    """A file that cannot be read: names the field (a JSON path or XML element) and the value."""

    def __init__(self, field: str, message: str, value: object = None) -> None:
        self.field, self.detail, self.value = field, message, value
        super().__init__(f"{field}: {self.text}")

    @property
    def text(self) -> str:
        """The message without the field, for a caller that prints the field beside it (once)."""
        return self.detail + ("" if self.value is None else f" ({self.value!r})")


class Dhis2Refused(ValueError):
    """A file read to the end whose content is refused: every problem found, each naming its field."""

    def __init__(self, problems: list[Dhis2FormatError]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]))


@dataclass(frozen=True)
class DataValue:
    """One DHIS2 data value as written in the file; `where` names it for error messages.

    `category_option_combo` is "" when the file gives none (then `sex`, or DHIS2's default combination);
    `sex` is ours ("female", "male", "total") when an ADX `sex` attribute gives it; `comment` is the
    dataValueSets comment, or the ADX group comment and the value's <annotation>; `boolean` marks a value
    written true/false (1/0 here), which only a yes/no indicator takes.
    """

    data_element: str
    period: str
    org_unit: str
    category_option_combo: str
    value: Decimal
    where: str
    data_set: str = ""
    sex: str = ""
    comment: str = ""
    boolean: bool = False


@dataclass
class Parsed:
    """A parsed file: its rows, and the fields that were read and deliberately not stored (name → count)."""

    rows: list[DataValue]
    ignored: dict[str, int] = field(default_factory=dict)

    def ignore(self, name: str) -> None:
        self.ignored[name] = self.ignored.get(name, 0) + 1


@dataclass(frozen=True)
class PeriodKey:
    """Our period in the terms DHIS2 can name: kind (ReportKind value), year and number."""

    kind: str
    year: int
    number: int = 1


# DHIS2 bookkeeping that has no place here and changes no figure: who stored a value and when (our audit trail
# records the importing user instead) and the data set's completion date (completion here is the report's own
# submission and review). Read, counted and reported back to the person importing; never stored.
BOOKKEEPING = ("storedBy", "created", "lastUpdated", "completeDate")

# The codes of an ADX sex attribute (case-insensitive): ours, DHIS2's usual option codes, and the WHO Global
# Health Observatory's (FMLE, MLE, BTSX), which DHIS2's ADX documentation uses. docs/dhis2.md.
SEX_ATTRIBUTES = ("sex", "gender")
SEX_CODES = {
    "f": "female",
    "female": "female",
    "fmle": "female",
    "m": "male",
    "male": "male",
    "mle": "male",
    "t": "total",
    "total": "total",
    "btsx": "total",
}

# DHIS2's accepted spellings of a boolean value (Web API, "Data value requirements").
BOOLEANS = {"true": Decimal(1), "t": Decimal(1), "false": Decimal(0), "f": Decimal(0)}


# --- periods -------------------------------------------------------------------------------------------------

_PERIOD_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "annual"),
    (re.compile(r"^(\d{4})S([12])$"), "semiannual"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarterly"),
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), "monthly"),
]
# ISO 8601 "start/duration" as the ADX profile writes a period (SDMX TimeRangeType): a calendar date, "/", and a
# duration of whole years, months or days. Anything else (a date-time start, a mixed duration) is refused.
_ISO_PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d{1,3})([YMD])$")
_ISO_SPANS = {  # (amount, unit) → our kind and the months it may start on
    (1, "Y"): ("annual", (1,)),
    (12, "M"): ("annual", (1,)),
    (6, "M"): ("semiannual", (1, 7)),
    (3, "M"): ("quarterly", (1, 4, 7, 10)),
    (1, "M"): ("monthly", tuple(range(1, 13))),
}


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
    found = iso_period(text)
    return found if isinstance(found, PeriodKey) else None


def iso_period(text: str) -> PeriodKey | str:
    """An ISO 8601 period ("2026-01-01/P6M") as our period key, or why it is not one of ours."""
    match = _ISO_PERIOD.match(text)
    if not match:
        return "kỳ ADX phải viết theo ISO 8601 'ngày bắt đầu/độ dài', ví dụ 2026-01-01/P1Y, 2026-07-01/P6M"
    year, month, day, amount, unit = (*map(int, match.group(1, 2, 3, 4)), match.group(5))
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"ngày bắt đầu {year:04d}-{month:02d}-{day:02d} không có thật"
    kind, months = _ISO_SPANS.get((amount, unit), ("", ()))
    if not kind or day != 1 or month not in months:
        return "không phải kỳ năm, 6 tháng, quý hay tháng theo năm dương lịch (các loại kỳ DHIS2 trao đổi được)"
    number = {"annual": 1, "semiannual": 1 + (month - 1) // 6, "quarterly": 1 + (month - 1) // 3}.get(kind, month)
    return PeriodKey(kind, year, number)


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


def _number(text: object, where: str) -> Decimal:
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        raise Dhis2FormatError(where, "giá trị phải là một số", text)
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        raise Dhis2FormatError(where, "giá trị phải là một số", text) from None
    if not number.is_finite():
        raise Dhis2FormatError(where, "giá trị phải là một số", text)
    return number


def _value(raw: object, where: str) -> tuple[Decimal, bool]:
    """A number, or one of DHIS2's boolean spellings as 1/0 (flagged, so that only a yes/no indicator takes it)."""
    if isinstance(raw, bool):
        return Decimal(int(raw)), True
    if isinstance(raw, str) and raw.strip().lower() in BOOLEANS:
        return BOOLEANS[raw.strip().lower()], True
    return _number(raw, where), False


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True, default: str = "") -> str:
    raw = item.get(key)
    if raw is None or raw == "":
        if required:
            raise Dhis2FormatError(f"{where}.{key}", "thiếu trường bắt buộc")
        return default
    if not isinstance(raw, str):
        raise Dhis2FormatError(f"{where}.{key}", "phải là chuỗi ký tự", raw)
    return raw.strip()


def _not_false(raw: object) -> bool:
    """A DHIS2 flag given as anything but false (or absent): JSON false and the string "false" are false."""
    return not (raw is None or raw is False or (isinstance(raw, str) and raw.strip().lower() == "false"))


UNUSED = "trường này không được dùng; không nhận để không bỏ mất thông tin mà không báo"
AOC_ONLY_DEFAULT = (
    f"chỉ nhận tổ hợp thuộc tính mặc định ({DEFAULT_COC}); số liệu theo tổ hợp khác"
    " (ví dụ theo nguồn tài trợ) chưa lưu được"
)


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


_TOP_KEYS = ("dataValues", "dataSet", "period", "orgUnit", "attributeOptionCombo")
_ROW_KEYS = (
    "dataElement",
    "period",
    "orgUnit",
    "categoryOptionCombo",
    "attributeOptionCombo",
    "value",
    "comment",
    "followup",
    "deleted",
)
# DHIS2 id schemes a file may declare; identifiers are matched as written against the mapping tables, which hold
# uids (docs/dhis2.md), so only UID is accepted.
_ID_SCHEMES = (
    "idScheme",
    "dataElementIdScheme",
    "orgUnitIdScheme",
    "categoryOptionComboIdScheme",
    "dataSetIdScheme",
)


def datavaluesets_parse(data: str | bytes | dict[str, Any]) -> Parsed:
    """Rows of a dataValueSets document (text or already decoded); a top-level period, orgUnit and
    attributeOptionCombo is inherited. Every field is used, or counted as DHIS2 bookkeeping, or refused by name;
    all problems are collected and raised together (`Dhis2Refused`)."""
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
    parsed = Parsed(rows=[])
    problems: list[Dhis2FormatError] = []
    for key, raw in data.items():
        if key in _ID_SCHEMES:
            if not (isinstance(raw, str) and raw.strip().lower() == "uid"):
                problems.append(Dhis2FormatError(key, "chỉ nhận mã uid (bảng ánh xạ giữ uid của DHIS2)", raw))
        elif key in BOOKKEEPING:
            parsed.ignore(key)
        elif key not in _TOP_KEYS:
            problems.append(Dhis2FormatError(key, UNUSED))
    data_set = ""
    try:
        data_set = _text(data, "dataSet", "$", required=False)
    except Dhis2FormatError as error:
        problems.append(Dhis2FormatError("dataSet", error.detail, error.value))
    defaults = {key: data.get(key) for key in ("period", "orgUnit", "attributeOptionCombo")}
    if defaults["attributeOptionCombo"] not in (None, "", DEFAULT_COC):
        problems.append(Dhis2FormatError("attributeOptionCombo", AOC_ONLY_DEFAULT, defaults["attributeOptionCombo"]))
        defaults["attributeOptionCombo"] = None  # named once, at the top, not again on every row
    for index, item in enumerate(rows):
        where = f"dataValues[{index}]"
        if not isinstance(item, dict):
            problems.append(Dhis2FormatError(where, "phải là một đối tượng JSON"))
            continue
        for key in item:
            if key in BOOKKEEPING:
                parsed.ignore(key)
            elif key not in _ROW_KEYS:
                problems.append(Dhis2FormatError(f"{where}.{key}", UNUSED))
        item = {**{k: v for k, v in defaults.items() if v is not None}, **item}
        try:
            parsed.rows.append(_json_row(item, where, data_set))
        except Dhis2FormatError as error:
            problems.append(error)
    for index, item in enumerate(rows):  # the flags, checked apart so that each is named even beside a bad value
        if isinstance(item, dict):
            if _not_false(item.get("deleted")):
                problems.append(Dhis2FormatError(f"dataValues[{index}].deleted", "không nhận lệnh xóa số liệu qua tệp"))
            if _not_false(item.get("followup")):
                problems.append(
                    Dhis2FormatError(f"dataValues[{index}].followup", "dấu cần theo dõi của DHIS2 chưa lưu được")
                )
    if problems:
        raise Dhis2Refused(problems)
    return parsed


def _json_row(item: dict[str, Any], where: str, data_set: str) -> DataValue:
    aoc = _text(item, "attributeOptionCombo", where, required=False, default=DEFAULT_COC)
    if aoc != DEFAULT_COC:
        raise Dhis2FormatError(f"{where}.attributeOptionCombo", AOC_ONLY_DEFAULT, aoc)
    comment = item.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise Dhis2FormatError(f"{where}.comment", "phải là chuỗi ký tự", comment)
    value, boolean = _value(item.get("value"), f"{where}.value")
    return DataValue(
        data_element=_text(item, "dataElement", where),
        period=_text(item, "period", where),
        org_unit=_text(item, "orgUnit", where),
        category_option_combo=_text(item, "categoryOptionCombo", where, required=False, default=DEFAULT_COC),
        value=value,
        where=where,
        data_set=data_set,
        comment=(comment or "").strip(),
        boolean=boolean,
    )


# --- ADX XML -------------------------------------------------------------------------------------------------


def adx_dump(values: list[DataValue], *, exported: str = "") -> str:
    """ADX 2015: one <group> per orgUnit × period × dataSet; the sex as a categoryOptionCombo attribute."""
    if not values:
        raise ValueError("an ADX document needs at least one group: <adx> without one is not valid ADX")
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


XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_GROUP_ATTRIBUTES = ("orgUnit", "period", "dataSet", "attributeOptionCombo", "comment")
_VALUE_ATTRIBUTES = ("dataElement", "value", "categoryOptionCombo", "comment")


def adx_parse(text: str | bytes) -> Parsed:
    """Rows of an ADX document. A DOCTYPE or entity declaration is refused before anything is read.

    Every attribute is used, or counted as DHIS2 bookkeeping, or refused by name: a `sex` (or `gender`)
    attribute gives the value's sex; any other disaggregation (`ageGroup`, a `mechanism` on the group) is
    refused, never dropped (the value would otherwise land on the total). A value's <annotation> is kept as its
    note, as is the group's `comment`. Periods must be ISO 8601 start/duration, as the profile defines them.
    All problems are collected and raised together (`Dhis2Refused`).
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: object) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parsed = Parsed(rows=[])
    problems: list[Dhis2FormatError] = []
    stack: list[str] = []
    group: dict[str, str] = {}
    pending: dict[str, Any] = {}  # the dataValue being read: its attributes, then its annotation's text
    counters = {"group": -1, "value": -1}

    def unused(where: str, name: str, value: str, what: str) -> None:
        problems.append(Dhis2FormatError(f"{where}@{name}", what, value))

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        depth = len(stack)
        stack.append(local)
        if depth == 0:
            if local != "adx" or ns != ADX_NS:
                raise Dhis2FormatError("adx", f'phần tử gốc phải là <adx xmlns="{ADX_NS}">', name)
            for key, value in attrs.items():
                if key == "exported":
                    parsed.ignore("exported")
                elif not key.startswith(XSI_NS + " "):
                    unused("adx", key, value, UNUSED)
        elif depth == 1 and local == "group":
            counters["group"] += 1
            counters["value"] = -1
            where = f"group[{counters['group']}]"
            group.clear()
            group.update({key: value.strip() for key, value in attrs.items()})
            for key in ("orgUnit", "period"):
                if not group.get(key):
                    problems.append(Dhis2FormatError(f"{where}@{key}", "thiếu thuộc tính bắt buộc"))
            for key, value in attrs.items():
                if key in BOOKKEEPING:
                    parsed.ignore(key)
                elif key not in _GROUP_ATTRIBUTES:
                    unused(where, key, value, "thuộc tính (phân tổ) của group chưa lưu được; " + UNUSED)
            if group.get("period"):
                found = iso_period(group["period"])
                if isinstance(found, str):
                    problems.append(Dhis2FormatError(f"{where}@period", found, group["period"]))
            if group.get("attributeOptionCombo", DEFAULT_COC) != DEFAULT_COC:
                unused(where, "attributeOptionCombo", group["attributeOptionCombo"], AOC_ONLY_DEFAULT)
        elif depth == 2 and local == "dataValue" and stack[1] == "group":
            counters["value"] += 1
            pending.clear()
            where = f"group[{counters['group']}]/dataValue[{counters['value']}]"
            pending.update(attrs=attrs, annotation=[], where=where)
        elif depth == 3 and local == "annotation" and stack[2] == "dataValue":
            pass  # its text is kept as the value's note (see chars())
        elif depth >= 4 and stack[3] == "annotation":
            pass  # an annotation's content is free (xs:anyType in adx_loose.xsd); only its text is kept
        else:
            raise Dhis2FormatError("/".join(stack), "phần tử không có trong ADX", local)

    def chars(data: str) -> None:
        if len(stack) >= 4 and stack[3] == "annotation":
            pending["annotation"].append(data)
        elif data.strip():
            problems.append(Dhis2FormatError("/".join(stack), "văn bản không thuộc phần tử nào của ADX", data.strip()))

    def end(_name: str) -> None:
        if len(stack) == 3 and stack[2] == "dataValue":
            _adx_value(pending, group, parsed, problems)
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(text.encode("utf-8") if isinstance(text, str) else text, True)
    except _Refused:
        raise Dhis2FormatError("DOCTYPE", "tệp XML có khai báo DOCTYPE/ENTITY; không nhận vì lý do an toàn") from None
    except xml.parsers.expat.ExpatError as error:
        raise Dhis2FormatError(f"xml dòng {error.lineno}, cột {error.offset}", f"XML không hợp lệ: {error}") from None
    if problems:
        raise Dhis2Refused(problems)
    return parsed


def _adx_value(
    pending: dict[str, Any], group: dict[str, str], parsed: Parsed, problems: list[Dhis2FormatError]
) -> None:
    attrs: dict[str, str] = pending["attrs"]
    where: str = pending["where"]
    element = attrs.get("dataElement", "").strip()
    ok = True
    if not element:
        problems.append(Dhis2FormatError(f"{where}@dataElement", "thiếu thuộc tính bắt buộc"))
        ok = False
    sexes: set[str] = set()
    for key, raw in attrs.items():
        if key.lower() in SEX_ATTRIBUTES:
            sex = SEX_CODES.get(raw.strip().lower())
            if sex is None:
                codes = ", ".join(sorted({code.upper() for code in SEX_CODES}))
                message = f"mã giới tính không nhận được (nhận: {codes})"
                problems.append(Dhis2FormatError(f"{where}@{key}", message, raw))
                ok = False
            else:
                sexes.add(sex)
        elif key not in _VALUE_ATTRIBUTES:
            problems.append(
                Dhis2FormatError(
                    f"{where}@{key}",
                    f"phân tổ của dataElement {element!r} chưa lưu được (chỉ lưu theo giới tính);"
                    " không nhận để khỏi ghi nhầm vào số tổng",
                    raw,
                )
            )
            ok = False
    if len(sexes) > 1:
        problems.append(Dhis2FormatError(where, "hai thuộc tính giới tính mâu thuẫn nhau", ", ".join(sorted(sexes))))
        ok = False
    if "value" not in attrs:
        problems.append(Dhis2FormatError(f"{where}@value", "thiếu thuộc tính bắt buộc"))
        return
    try:
        value = _number(attrs["value"], f"{where}@value")
    except Dhis2FormatError as error:
        problems.append(error)
        return
    notes = [group.get("comment", ""), attrs.get("comment", "").strip(), "".join(pending["annotation"]).strip()]
    if ok and group.get("orgUnit") and group.get("period"):
        parsed.rows.append(
            DataValue(
                data_element=element,
                period=group["period"],
                org_unit=group["orgUnit"],
                category_option_combo=attrs.get("categoryOptionCombo", "").strip() or ("" if sexes else DEFAULT_COC),
                value=value,
                where=where,
                data_set=group.get("dataSet", ""),
                sex=next(iter(sexes), ""),
                comment="\n".join(note for note in notes if note),
            )
        )
