"""DHIS2 formats' shared parts: the rows a file becomes, the errors, period ids and number values."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

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
    `sex` is ours ("female", "male", "total") when an ADX `sex` attribute gives it; `attributes` are an ADX
    value's other disaggregation attributes (name, value) as written, which the services resolve through the
    mapping tables (an unknown one is refused there, by name), and what an export writes for a part; `comment` is the
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
    attributes: tuple[tuple[str, str], ...] = ()


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
        return gettext("kỳ ADX phải viết theo ISO 8601 'ngày bắt đầu/độ dài', ví dụ 2026-01-01/P1Y, 2026-07-01/P6M")
    year, month, day, amount, unit = (*map(int, match.group(1, 2, 3, 4)), match.group(5))
    try:
        dt.date(year, month, day)
    except ValueError:
        return gettext("ngày bắt đầu %(date)s không có thật") % {"date": f"{year:04d}-{month:02d}-{day:02d}"}
    kind, months = _ISO_SPANS.get((amount, unit), ("", ()))
    if not kind or day != 1 or month not in months:
        return gettext(
            "không phải kỳ năm, 6 tháng, quý hay tháng theo năm dương lịch (các loại kỳ DHIS2 trao đổi được)"
        )
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


def number_of(text: object, where: str) -> Decimal:
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        raise Dhis2FormatError(where, gettext("giá trị phải là một số"), text)
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        raise Dhis2FormatError(where, gettext("giá trị phải là một số"), text) from None
    if not number.is_finite():
        raise Dhis2FormatError(where, gettext("giá trị phải là một số"), text)
    return number


def value_of(raw: object, where: str) -> tuple[Decimal, bool]:
    """A number, or one of DHIS2's boolean spellings as 1/0 (flagged, so that only a yes/no indicator takes it)."""
    if isinstance(raw, bool):
        return Decimal(int(raw)), True
    if isinstance(raw, str) and raw.strip().lower() in BOOLEANS:
        return BOOLEANS[raw.strip().lower()], True
    return number_of(raw, where), False


# Messages used in several places; functions, so that each is translated into the language active when it is
# raised (Vietnamese in the product, English under the command line's translation.override("en")).


def unused() -> str:
    return gettext("trường này không được dùng; không nhận để không bỏ mất thông tin mà không báo")


def aoc_only_default() -> str:
    return gettext(
        "chỉ nhận tổ hợp thuộc tính mặc định (%(coc)s); số liệu theo tổ hợp khác"
        " (ví dụ theo nguồn tài trợ) chưa lưu được"
    ) % {"coc": DEFAULT_COC}
