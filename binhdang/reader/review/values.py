"""A field's value as the review page shows it, and a typed value read back into the plan/1 form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from binhdang.lib.dates import parse_vn_date
from binhdang.lib.numbers import parse_vn_number
from binhdang.lib.text import clean_text
from binhdang.reader.review.fields import BOOL, DATE, DUE, INT, LIST, NUMBER, RANGE


def _display(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        # A yes/no target is stored as 1 or 0; the loader turns it back into true/false for boolean measures.
        return "1" if value else "0"
    if kind == BOOL:
        return "1" if value else "0"
    if kind == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if kind == DUE and isinstance(value, str):
        return _due_display(value)
    if kind == RANGE and isinstance(value, list):
        return " - ".join(str(v).replace(".", ",") for v in value)
    if kind == LIST and isinstance(value, list):
        # One name per line: names themselves may contain ";" or "," ("Ban Văn hóa; Truyền thanh").
        return "\n".join(str(v) for v in value)
    if kind in (NUMBER, RANGE) and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return str(value)


_RANGE_SPLIT = re.compile(r"^\s*(?P<lo>[^-–]+?)\s*[-–]\s*(?P<hi>[^-–]+?)\s*$")


def _coerce(raw: str, kind: str) -> tuple[Any, str | None]:
    if kind == BOOL:
        return raw.strip() in {"1", "true", "on", "yes"}, None
    if kind == RANGE:
        m = _RANGE_SPLIT.match(clean_text(raw))
        if m:
            lo, lo_error = _coerce(m["lo"], NUMBER)
            hi, hi_error = _coerce(m["hi"], NUMBER)
            if lo_error or hi_error or lo is None or hi is None:
                return None, lo_error or hi_error or str(_("khoảng phải có hai số (vd. 10 - 13)"))
            return [lo, hi], None
        return _coerce(raw, NUMBER)
    if kind == LIST:
        return [clean_text(line) for line in raw.splitlines() if clean_text(line)], None
    text = clean_text(raw)
    if text == "":
        return None, None
    if kind == INT:
        return (int(text), None) if text.isdigit() else (None, str(_("phải là số nguyên")))
    if kind == NUMBER:
        try:
            number = parse_vn_number(text)
        except ValueError:
            return None, str(_("không phải số (viết 1.040 cho một nghìn không trăm bốn mươi, 1,7 cho một phẩy bảy)"))
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if kind == DUE:
        due = _due_parse(text)
        return (
            (due, None)
            if due
            else (None, str(_("hạn không hợp lệ (vd. 15/12 hằng năm, ngày 16 hằng tháng, 16/12/2025)")))
        )
    if kind == DATE:
        try:
            return dt.date.fromisoformat(text).isoformat(), None
        except ValueError:
            pass
        try:
            return parse_vn_date(text).isoformat(), None
        except ValueError:
            return None, str(_("ngày không hợp lệ (viết dd/mm/yyyy)"))
    return text, None


# A report's due day as the plan format stores it (XML Schema's recurring forms: "--12-15" each year, "---16"
# each month, an ISO date once) and as people write it.
_YEARLY = re.compile(r"^--(\d\d)-(\d\d)$")
_MONTHLY = re.compile(r"^---(\d\d)$")
_TYPED_MONTHLY = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+(?:hằng|hàng)\s+tháng$", re.IGNORECASE)
_TYPED_YEARLY = re.compile(r"^(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:\s+(?:hằng|hàng)\s+năm)?$", re.IGNORECASE)


def _due_display(due: str) -> str:
    if m := _YEARLY.match(due):
        return str(_("%(day)s/%(month)s hằng năm") % {"day": m[2], "month": m[1]})
    if m := _MONTHLY.match(due):
        return str(_("ngày %(day)s hằng tháng") % {"day": m[1]})
    try:
        return dt.date.fromisoformat(due).strftime("%d/%m/%Y")
    except ValueError:
        return due


def _due_parse(text: str) -> str | None:
    """The stored form of a typed due day, or None when it is not one."""
    if _YEARLY.match(text) or _MONTHLY.match(text):
        return text
    if m := _TYPED_MONTHLY.match(text):
        day = int(m[1])
        return f"---{day:02d}" if 1 <= day <= 31 else None
    if m := _TYPED_YEARLY.match(text):
        day, month = int(m[1]), int(m[2])
        try:
            dt.date(2000, month, day)  # a leap year, so 29/02 is a valid yearly day
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    for parse in (dt.date.fromisoformat, parse_vn_date):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    return None
