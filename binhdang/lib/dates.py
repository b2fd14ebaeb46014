"""Vietnamese dates: "13/4/2023", "ngày 13 tháng 4 năm 2023", day-month deadlines "trước ngày 10/6".

Forms accepted for a full date (case-insensitive, NFC or NFD, with stray Markdown emphasis):
- numeric, day first: "13/4/2023", "13/04/2023", "13-4-2023", "13.4.2023" (one separator throughout),
  optionally preceded by "ngày" ("ngày 7/8/2011");
- long: "[ngày] 13 tháng 4 năm 2023", with or without leading zeros.
Years must lie in 1945–2100: outside that window a "date" in a plan is a typo or a document number, and
refusing it is safer than storing it.
"""

from __future__ import annotations

import datetime
import re

from binhdang.lib.text import clean_text

__all__ = [
    "find_dates",
    "format_vn_date",
    "parse_day_month",
    "parse_vn_date",
    "parse_yearly_day",
    "yearly_day",
]

MIN_YEAR = 1945
MAX_YEAR = 2100
# A leap year, so that 29/2 is a valid recurring day (it recurs in leap years).
_LEAP_YEAR = 2000

# Keywords in NFC or NFD, so find_dates can report spans in the caller's own text without normalising it.
_NGAY = "ng(?:à|a\u0300)y"
_THANG = "th(?:á|a\u0301)ng"
_NAM = "n(?:ă|a\u0306)m"
# Emphasis markers a Markdown conversion leaves around single numbers ("ngày **13** tháng **4**").
_EM = r"[*_]{0,3}"

_LONG = (
    rf"(?:{_NGAY}\s+{_EM})?(?<!\d)(?P<ld>\d{{1,2}}){_EM}\s+{_THANG}\s+{_EM}(?P<lm>\d{{1,2}}){_EM}"
    rf"\s+{_NAM}\s+{_EM}(?P<ly>\d{{4}})(?!\d)"
)
# The year must not be followed by "/" so that document numbers like "01/02/2020/NĐ-CP" are not dates.
_NUMERIC = (
    rf"(?:{_NGAY}\s+{_EM})?(?<![\d/.\-])(?P<nd>\d{{1,2}})(?P<sep>[/.\-])(?P<nm>\d{{1,2}})(?P=sep)"
    rf"(?P<ny>\d{{4}})(?![\d/])"
)
_DATE = re.compile(rf"{_LONG}|{_NUMERIC}", re.IGNORECASE)

_DAY_MONTH = re.compile(rf"(?:{_NGAY}\s+)?(?P<d>\d{{1,2}})\s*(?:[/.\-]|\s{_THANG}\s)\s*(?P<m>\d{{1,2}})", re.IGNORECASE)
_YEARLY = re.compile(r"--(?P<m>\d{2})-(?P<d>\d{2})", re.ASCII)


def _build(text: str, day: int, month: int, year: int) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"Not a usable date: {text!r}: year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"Not a valid date: {text!r}: {exc}") from None


def _date_from_match(text: str, match: re.Match[str]) -> datetime.date:
    if match["ld"] is not None:
        return _build(text, int(match["ld"]), int(match["lm"]), int(match["ly"]))
    return _build(text, int(match["nd"]), int(match["nm"]), int(match["ny"]))


def parse_vn_date(s: str) -> datetime.date:
    """Parse one Vietnamese date (the whole string, after :func:`clean_text`).

    Raises ``ValueError`` naming the input and the reason for text that is not a date, an impossible date
    ("31/2/2023") or a year outside 1945–2100.
    """
    text = clean_text(s)
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"Not a date: {s!r}: expected 'dd/mm/yyyy' (or '-', '.') or 'ngày dd tháng mm năm yyyy'")
    return _date_from_match(s, match)


def find_dates(text: str) -> list[tuple[datetime.date, int, int]]:
    """Every full date in free text, in order, as ``(date, start, end)`` with ``text[start:end]`` the date.

    Spans refer to ``text`` as given (not normalised), so a reader can highlight where a value came from.
    Impossible dates and years outside 1945–2100 are skipped; a document number such as
    "01/02/2020/NĐ-CP" is not a date.
    """
    found: list[tuple[datetime.date, int, int]] = []
    for match in _DATE.finditer(text):
        try:
            found.append((_date_from_match(text, match), match.start(), match.end()))
        except ValueError:
            continue
    return found


def parse_day_month(s: str) -> tuple[int, int]:
    """Parse a recurring day of the year, "10/6" → (10, 6); also "10-6", "ngày 10/6", "10 tháng 6".

    29/2 is allowed (it exists in leap years); 30/2 and 31/4 are not.
    """
    text = clean_text(s)
    match = _DAY_MONTH.fullmatch(text)
    if match is None:
        raise ValueError(f"Not a day and month: {s!r}: expected 'dd/mm'")
    day, month = int(match["d"]), int(match["m"])
    _check_day_month(s, day, month)
    return day, month


def _check_day_month(s: str, day: int, month: int) -> None:
    try:
        datetime.date(_LEAP_YEAR, month, day)
    except ValueError as exc:
        raise ValueError(f"Not a valid day and month: {s!r}: {exc}") from None


def format_vn_date(d: datetime.date, long: bool = False) -> str:
    """Format a date: short "13/04/2023"; long "ngày 13 tháng 4 năm 2023".

    The long form follows Decree 30/2020/NĐ-CP on administrative documents: days below 10 and the months
    1 and 2 take a leading zero ("ngày 05 tháng 01 năm 2020"); other months do not ("tháng 4"). The short
    form is for tables and forms, where fixed-width columns read better.
    """
    if not long:
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def yearly_day(day: int, month: int) -> str:
    """ISO 8601 recurring day of the year, "--MM-DD": ``yearly_day(10, 6)`` → "--06-10"."""
    _check_day_month(f"{day}/{month}", day, month)
    return f"--{month:02d}-{day:02d}"


def parse_yearly_day(s: str) -> tuple[int, int]:
    """Inverse of :func:`yearly_day`: "--06-10" → (10, 6). Raises ``ValueError`` on anything else."""
    match = _YEARLY.fullmatch(s.strip())
    if match is None:
        raise ValueError(f"Not an ISO 8601 recurring day: {s!r}: expected '--MM-DD'")
    day, month = int(match["d"]), int(match["m"])
    _check_day_month(s, day, month)
    return day, month
