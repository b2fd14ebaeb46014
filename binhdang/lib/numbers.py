"""Vietnamese number format: "." groups thousands, "," marks decimals.

The rule, strictly: an optional sign, then either plain digits ("1040") or 1–3 digits followed by groups
of exactly three digits each introduced by "." ("1.040", "1.234.567"), then optionally "," and one or
more decimal digits, then optionally "%". So "1.040" is one thousand and forty and "1,7" is one point
seven. Anything else is refused rather than guessed: "1.04" and "1.5" are not Vietnamese numbers (a dot
must be followed by a group of three digits), and accepting them as English decimals would silently turn
a plan's "1.5" into 15 or 1.5 depending on the writer. The parser never guesses between conventions.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = ["format_vn_number", "parse_vn_number"]

_NUMBER = re.compile(
    r"""
    (?P<sign>[-+\u2212]?)
    (?P<int>\d{1,3}(?:\.\d{3})+|\d+)
    (?:,(?P<frac>\d+))?
    """,
    re.VERBOSE | re.ASCII,
)
# Used only to explain a refusal, so the message says what is wrong rather than just "invalid".
_BAD_GROUP = re.compile(r"\.(?!\d{3}(?:\D|$))")


def _refuse(s: str, reason: str) -> ValueError:
    return ValueError(f"Not a Vietnamese number: {s!r}: {reason}")


def parse_vn_number(s: str) -> Decimal:
    """Parse a number written the Vietnamese way into an exact ``Decimal``.

    "1.040" → 1040, "10.050" → 10050, "1,7" → 1.7, "1.234.567,89", "0,5", "-5", " 12 ", "50%" → 50 (a
    trailing percent sign is dropped; the caller knows the unit). Raises ``ValueError`` naming the input and
    the reason for anything ambiguous or malformed: "1.04", "1.5", "1,2,3", "1..0", "", "abc", NaN, infinity.
    """
    text = s.strip()
    if text.endswith("%"):
        text = text[:-1].rstrip()
    if not text:
        raise _refuse(s, "empty")
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise _refuse(s, _diagnose(text))
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    digits = match["int"].replace(".", "")
    frac = match["frac"]
    return Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")


def _diagnose(text: str) -> str:
    body = text.lstrip("+-\u2212")
    lowered = body.lower()
    if lowered in {"nan", "snan", "inf", "infinity"}:
        return "not a finite number"
    if not body or not any(ch.isdigit() for ch in body):
        return "no digits"
    if body.count(",") > 1:
        return "more than one decimal comma"
    if ".." in body:
        return "two dots in a row"
    if body.startswith((".", ",")) or body.endswith((".", ",")):
        return "starts or ends with a separator"
    if "," in body and "." in body.split(",", 1)[1]:
        return "a thousands dot after the decimal comma"
    if _BAD_GROUP.search(body.split(",", 1)[0]) or re.match(r"\d{4,}\.", body):
        return (
            "'.' separates thousands: 1 to 3 digits, then groups of exactly 3 digits (\"1.040\"); use ',' for decimals"
        )
    return "unexpected characters; expected digits, '.' between thousands, ',' before decimals"


def format_vn_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Format a number the Vietnamese way: 1040 → "1.040", Decimal("1.7") → "1,7".

    With ``decimals`` the value is rounded half up (as Excel and people do, not banker's rounding) and
    always shows that many decimals: ``format_vn_number(10050.5, 1)`` → "10.050,5". With ``None`` it shows
    as many decimals as the value needs and no trailing zeros. Floats go through their shortest repr, so
    0.1 prints as "0,1", not its binary expansion.
    """
    if isinstance(value, bool):
        raise TypeError(f"format_vn_number expects a number, got {value!r}")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Cannot format {value!r} as a Vietnamese number: not a finite number")
    if decimals is not None:
        if decimals < 0:
            raise ValueError(f"decimals must be 0 or more, got {decimals}")
        # The default context keeps 28 significant digits; quantize would fail on longer results, so
        # widen it to what this value needs.
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, number.adjusted() + decimals + 2)
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{number:f}"
    else:
        text = f"{number.normalize():f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    negative = text.startswith("-")
    text = text.lstrip("-")
    int_part, _, frac_part = text.partition(".")
    grouped = f"{int(int_part):,}".replace(",", ".")
    result = f"{grouped},{frac_part}" if frac_part else grouped
    # "-0" and "-0,0" are rounding artefacts, not values anyone wrote.
    if negative and any(ch in "123456789" for ch in result):
        result = "-" + result
    return result


def format_vn_figure(value: Decimal | int | float, decimals: int = 2) -> str:
    """A figure for a chart or a table: rounded half up to at most ``decimals`` places, no trailing zeros,
    Vietnamese separators ("53,09", "180.500"). Charts and tables beside them print the same text."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Cannot format {value!r} as a Vietnamese number: not a finite number")
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, number.adjusted() + decimals + 2)
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_vn_number(number)
