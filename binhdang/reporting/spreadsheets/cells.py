"""Reading one cell: numbers (Excel's floats and Vietnamese numbers typed as text), text, ids, sexes and task
statuses, each refused with a ``CellProblem`` that says in both languages what is wrong with the value."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils import translation

from binhdang.lib.numbers import parse_vn_number

from ..models import Sex, TaskStatus
from .layout import VALUE_DIGITS


class CellProblem(Exception):
    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi)
        self.vi, self.en = vi, en


def shown(value: Any) -> str:
    """A value quoted in a message, cut at 40 characters."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def fold(text: str) -> str:
    """Text compared loosely: NFC, case-folded, runs of whitespace as one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _not_a_number(raw: Any) -> CellProblem:
    return CellProblem(f"không phải số ({shown(raw)})", f"not a number ({shown(raw)})")


def _too_large(raw: Any) -> CellProblem:
    return CellProblem(f"số quá lớn ({shown(raw)})", f"number too large ({shown(raw)})")


def limit_digits(number: Decimal, raw: Any, digits: tuple[int, int]) -> Decimal:
    """The number if it fits the column, ``digits`` being (decimal places, digits before the point)."""
    places, whole = digits
    if not number.is_finite():
        raise _not_a_number(raw)
    if abs(number) >= Decimal(10) ** whole:
        raise _too_large(raw)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise CellProblem(
            f"quá {places} chữ số sau dấu phẩy ({shown(raw)})", f"more than {places} decimals ({shown(raw)})"
        )
    return number


def number_of(raw: Any, digits: tuple[int, int] = VALUE_DIGITS, *, allow_bool: bool = False) -> Decimal | None:
    """A number cell: empty is None; numbers and Vietnamese numbers written as text are numbers.

    Floats come from Excel's binary storage: 12.3 may arrive as 12.299999999999999. A float within a
    billionth of a number with the allowed decimals is that number; anything finer is refused, not rounded.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        if allow_bool:
            return Decimal(int(raw))
        raise _not_a_number(raw)
    if isinstance(raw, int):
        return limit_digits(Decimal(raw), raw, digits)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _not_a_number(raw)
        if abs(raw) >= 10.0 ** digits[1]:
            raise _too_large(raw)
        if raw.is_integer():
            return limit_digits(Decimal(int(raw)), raw, digits)
        number = Decimal(repr(raw))
        rounded = round(number, digits[0])
        if rounded != number and abs(float(rounded) - raw) <= 1e-9 * max(1.0, abs(raw)):
            number = rounded.normalize()
        return limit_digits(number, raw, digits)
    if isinstance(raw, Decimal):
        return limit_digits(raw, raw, digits)
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise CellProblem(f"là ngày giờ, không phải số ({shown(raw)})", f"a date or time, not a number ({shown(raw)})")
    if isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "")
        if not text:
            return None
        try:
            number = parse_vn_number(text)
        except ValueError:
            hint_vi = ""
            hint_en = ""
            if re.fullmatch(r"[+-]?\d+\.\d{1,2}|[+-]?\d+\.\d{4,}", text):
                hint_vi = "; viết số thập phân với dấu phẩy, ví dụ 45,5"
                hint_en = "; write decimals with a comma, e.g. 45,5"
            raise CellProblem(
                f"không phải số ({shown(raw)}){hint_vi}", f"not a number ({shown(raw)}){hint_en}"
            ) from None
        return limit_digits(number, raw, digits)
    raise _not_a_number(raw)


def text_of(raw: Any, max_length: int | None = None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        text = "1" if raw else "0"
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, dt.datetime):
        text = raw.strftime("%d/%m/%Y %H:%M") if (raw.hour, raw.minute) != (0, 0) else raw.strftime("%d/%m/%Y")
    elif isinstance(raw, dt.date):
        text = raw.strftime("%d/%m/%Y")
    else:
        text = str(raw)
    text = unicodedata.normalize("NFC", text).strip()
    if max_length is not None and len(text) > max_length:
        raise CellProblem(f"dài quá {max_length} ký tự", f"longer than {max_length} characters")
    return text


# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and openpyxl cannot write
# any of them back into the next workbook download.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def stored_text(raw: Any, max_length: int | None = None) -> str:
    """A text cell that is saved (source, note, narrative, summary): ``text_of``, control characters refused."""
    text = text_of(raw, max_length)
    if _CONTROL.search(text):
        raise CellProblem("có ký tự điều khiển không hợp lệ", "contains a control character")
    return text


def id_of(raw: Any) -> int | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellProblem(f"mã không hợp lệ ({shown(raw)})", f"invalid id ({shown(raw)})")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    raise CellProblem(f"mã không hợp lệ ({shown(raw)})", f"invalid id ({shown(raw)})")


def vi_labels(choices: type[TextChoices]) -> dict[str, str]:
    """Value -> Vietnamese label, whatever the request's language: the workbook is in Vietnamese."""
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


def _by_label(choices: type[TextChoices]) -> dict[str, str]:
    """Folded label or value -> value, to read back what the workbook wrote or a person typed."""
    labels = {fold(label): value for value, label in vi_labels(choices).items()}
    labels.update({fold(value): value for value in choices.values})
    return labels


def sex_of(raw: Any) -> str | None:
    text = text_of(raw)
    if not text:
        return None
    labels = _by_label(Sex)
    labels.update({"female": Sex.FEMALE, "male": Sex.MALE, "total": Sex.TOTAL})
    sex = labels.get(fold(text))
    if sex is None:
        raise CellProblem(
            f"giới tính không hợp lệ ({shown(raw)}); chỉ nhận Tổng, Nữ, Nam",
            f"invalid sex ({shown(raw)}); expected Tổng, Nữ or Nam",
        )
    return sex


def status_labels() -> list[str]:
    return list(vi_labels(TaskStatus).values())


def status_of(raw: Any) -> str | None:
    text = text_of(raw)
    if not text:
        return None
    status = _by_label(TaskStatus).get(fold(text))
    if status is None:
        allowed = ", ".join(status_labels())
        raise CellProblem(
            f"tình trạng không hợp lệ ({shown(raw)}); chọn một trong: {allowed}",
            f"invalid status ({shown(raw)}); choose one of: {allowed}",
        )
    return status
