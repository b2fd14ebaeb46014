"""DHIS2 dataValueSets JSON, to and from `DataValue` rows (docs/dhis2.md)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext

from .common import (
    BOOKKEEPING,
    DEFAULT_COC,
    DataValue,
    Dhis2FormatError,
    Dhis2Refused,
    Parsed,
    aoc_only_default,
    format_value,
    unused,
    value_of,
)


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True, default: str = "") -> str:
    raw = item.get(key)
    if raw is None or raw == "":
        if required:
            raise Dhis2FormatError(f"{where}.{key}", gettext("thiếu trường bắt buộc"))
        return default
    if not isinstance(raw, str):
        raise Dhis2FormatError(f"{where}.{key}", gettext("phải là chuỗi ký tự"), raw)
    return raw.strip()


def _not_false(raw: object) -> bool:
    """A DHIS2 flag given as anything but false (or absent): JSON false and the string "false" are false."""
    return not (raw is None or raw is False or (isinstance(raw, str) and raw.strip().lower() == "false"))


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
            raise Dhis2FormatError("json", gettext("JSON không hợp lệ: %(error)s") % {"error": error}) from None
        except RecursionError:
            raise Dhis2FormatError("json", gettext("JSON không hợp lệ: lồng nhau quá sâu")) from None
    if not isinstance(data, dict):
        raise Dhis2FormatError("$", gettext("phải là một đối tượng JSON có trường dataValues"))
    rows = data.get("dataValues")
    if not isinstance(rows, list):
        raise Dhis2FormatError("dataValues", gettext("thiếu danh sách dataValues"))
    parsed = Parsed(rows=[])
    problems: list[Dhis2FormatError] = []
    for key, raw in data.items():
        if key in _ID_SCHEMES:
            if not (isinstance(raw, str) and raw.strip().lower() == "uid"):
                problems.append(Dhis2FormatError(key, gettext("chỉ nhận mã uid (bảng ánh xạ giữ uid của DHIS2)"), raw))
        elif key in BOOKKEEPING:
            parsed.ignore(key)
        elif key not in _TOP_KEYS:
            problems.append(Dhis2FormatError(key, unused()))
    data_set = ""
    try:
        data_set = _text(data, "dataSet", "$", required=False)
    except Dhis2FormatError as error:
        problems.append(Dhis2FormatError("dataSet", error.detail, error.value))
    defaults = {key: data.get(key) for key in ("period", "orgUnit", "attributeOptionCombo")}
    if defaults["attributeOptionCombo"] not in (None, "", DEFAULT_COC):
        problems.append(Dhis2FormatError("attributeOptionCombo", aoc_only_default(), defaults["attributeOptionCombo"]))
        defaults["attributeOptionCombo"] = None  # named once, at the top, not again on every row
    for index, item in enumerate(rows):
        where = f"dataValues[{index}]"
        if not isinstance(item, dict):
            problems.append(Dhis2FormatError(where, gettext("phải là một đối tượng JSON")))
            continue
        for key in item:
            if key in BOOKKEEPING:
                parsed.ignore(key)
            elif key not in _ROW_KEYS:
                problems.append(Dhis2FormatError(f"{where}.{key}", unused()))
        item = {**{k: v for k, v in defaults.items() if v is not None}, **item}
        try:
            parsed.rows.append(_json_row(item, where, data_set))
        except Dhis2FormatError as error:
            problems.append(error)
    for index, item in enumerate(rows):  # the flags, checked apart so that each is named even beside a bad value
        if isinstance(item, dict):
            if _not_false(item.get("deleted")):
                problems.append(
                    Dhis2FormatError(f"dataValues[{index}].deleted", gettext("không nhận lệnh xóa số liệu qua tệp"))
                )
            if _not_false(item.get("followup")):
                problems.append(
                    Dhis2FormatError(
                        f"dataValues[{index}].followup", gettext("dấu cần theo dõi của DHIS2 chưa lưu được")
                    )
                )
    if problems:
        raise Dhis2Refused(problems)
    return parsed


def _json_row(item: dict[str, Any], where: str, data_set: str) -> DataValue:
    aoc = _text(item, "attributeOptionCombo", where, required=False, default=DEFAULT_COC)
    if aoc != DEFAULT_COC:
        raise Dhis2FormatError(f"{where}.attributeOptionCombo", aoc_only_default(), aoc)
    comment = item.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise Dhis2FormatError(f"{where}.comment", gettext("phải là chuỗi ký tự"), comment)
    value, boolean = value_of(item.get("value"), f"{where}.value")
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
