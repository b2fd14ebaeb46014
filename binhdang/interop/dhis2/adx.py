"""ADX 2015 XML (IHE QRPH), to and from `DataValue` rows; expat refuses any DOCTYPE (see the package's docstring)."""

from __future__ import annotations

import xml.parsers.expat
from typing import Any
from xml.sax.saxutils import quoteattr

from django.utils.translation import gettext

from .common import (
    ADX_NS,
    BOOKKEEPING,
    DEFAULT_COC,
    SEX_ATTRIBUTES,
    SEX_CODES,
    DataValue,
    Dhis2FormatError,
    Dhis2Refused,
    Parsed,
    aoc_only_default,
    format_value,
    iso_period,
    number_of,
    unused,
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
            # A part (issue 16) travels as the profile carries it, one attribute per category; a total, female or
            # male without a combination under its category option combination, as before.
            if v.attributes:
                sex = {"female": "F", "male": "M"}.get(v.sex)
                pairs = ([("sex", sex)] if sex else []) + list(v.attributes)
                disaggregation = "".join(f" {name}={quoteattr(value)}" for name, value in pairs)
            else:
                disaggregation = f" categoryOptionCombo={quoteattr(v.category_option_combo)}"
            lines.append(
                f"    <dataValue dataElement={quoteattr(v.data_element)}{disaggregation}"
                f" value={quoteattr(format_value(v.value))}/>"
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
    attribute gives the value's sex; any other attribute of a value (`ageGroup`, `ethnicity`, `HIV_AGE`) is kept
    in `attributes` for the services, which map it through the tables or refuse it by name; an attribute
    category on the group (`mechanism`) is refused, never dropped (the value would otherwise land on the total).
    A value's <annotation> is kept as its note, as is the group's `comment`. Periods must be ISO 8601
    start/duration, as the profile defines them.
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

    def unused_attribute(where: str, name: str, value: str, what: str) -> None:
        problems.append(Dhis2FormatError(f"{where}@{name}", what, value))

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        depth = len(stack)
        stack.append(local)
        if depth == 0:
            if local != "adx" or ns != ADX_NS:
                raise Dhis2FormatError(
                    "adx", gettext('phần tử gốc phải là <adx xmlns="%(ns)s">') % {"ns": ADX_NS}, name
                )
            for key, value in attrs.items():
                if key == "exported":
                    parsed.ignore("exported")
                elif not key.startswith(XSI_NS + " "):
                    unused_attribute("adx", key, value, unused())
        elif depth == 1 and local == "group":
            counters["group"] += 1
            counters["value"] = -1
            where = f"group[{counters['group']}]"
            group.clear()
            group.update({key: value.strip() for key, value in attrs.items()})
            for key in ("orgUnit", "period"):
                if not group.get(key):
                    problems.append(Dhis2FormatError(f"{where}@{key}", gettext("thiếu thuộc tính bắt buộc")))
            for key, value in attrs.items():
                if key in BOOKKEEPING:
                    parsed.ignore(key)
                elif key not in _GROUP_ATTRIBUTES:
                    message = gettext("thuộc tính (phân tổ) của group chưa lưu được; %(unused)s") % {"unused": unused()}
                    unused_attribute(where, key, value, message)
            if group.get("period"):
                found = iso_period(group["period"])
                if isinstance(found, str):
                    problems.append(Dhis2FormatError(f"{where}@period", found, group["period"]))
            if group.get("attributeOptionCombo", DEFAULT_COC) != DEFAULT_COC:
                unused_attribute(where, "attributeOptionCombo", group["attributeOptionCombo"], aoc_only_default())
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
            raise Dhis2FormatError("/".join(stack), gettext("phần tử không có trong ADX"), local)

    def chars(data: str) -> None:
        if len(stack) >= 4 and stack[3] == "annotation":
            pending["annotation"].append(data)
        elif data.strip():
            message = gettext("văn bản không thuộc phần tử nào của ADX")
            problems.append(Dhis2FormatError("/".join(stack), message, data.strip()))

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
        message = gettext("tệp XML có khai báo DOCTYPE/ENTITY; không nhận vì lý do an toàn")
        raise Dhis2FormatError("DOCTYPE", message) from None
    except xml.parsers.expat.ExpatError as error:
        where = gettext("xml dòng %(line)s, cột %(column)s") % {"line": error.lineno, "column": error.offset}
        raise Dhis2FormatError(where, gettext("XML không hợp lệ: %(error)s") % {"error": error}) from None
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
        problems.append(Dhis2FormatError(f"{where}@dataElement", gettext("thiếu thuộc tính bắt buộc")))
        ok = False
    sexes: set[str] = set()
    extra: list[tuple[str, str]] = []
    for key, raw in attrs.items():
        if key.lower() in SEX_ATTRIBUTES:
            sex = SEX_CODES.get(raw.strip().lower())
            if sex is None:
                codes = ", ".join(sorted({code.upper() for code in SEX_CODES}))
                message = gettext("mã giới tính không nhận được (nhận: %(codes)s)") % {"codes": codes}
                problems.append(Dhis2FormatError(f"{where}@{key}", message, raw))
                ok = False
            else:
                sexes.add(sex)
        elif key not in _VALUE_ATTRIBUTES:
            extra.append((key, raw.strip()))
    if len(sexes) > 1:
        message = gettext("hai thuộc tính giới tính mâu thuẫn nhau")
        problems.append(Dhis2FormatError(where, message, ", ".join(sorted(sexes))))
        ok = False
    if "value" not in attrs:
        problems.append(Dhis2FormatError(f"{where}@value", gettext("thiếu thuộc tính bắt buộc")))
        return
    try:
        value = number_of(attrs["value"], f"{where}@value")
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
                # No combination and no sex: DHIS2's default (the total), unless other categories are given, which
                # then name a part of the total over both sexes.
                category_option_combo=attrs.get("categoryOptionCombo", "").strip()
                or ("" if sexes or extra else DEFAULT_COC),
                value=value,
                where=where,
                data_set=group.get("dataSet", ""),
                sex=next(iter(sexes), ""),
                comment="\n".join(note for note in notes if note),
                attributes=tuple(extra),
            )
        )
