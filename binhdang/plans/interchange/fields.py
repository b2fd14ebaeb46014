"""Typed reading of an untrusted plan/1 tree: every problem is recorded with its JSON Pointer, none raises."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from binhdang.lib.dates import parse_yearly_day
from binhdang.lib.numbers import parse_vn_number
from binhdang.lib.text import clean_text

from ..errors import FieldError
from ..models import YEAR_MAX, YEAR_MIN

SCHEMA = "binhdang.plan/1"
YEARLY_DAY = re.compile(r"^--\d{2}-\d{2}$")
CODE_SPACE = re.compile(r"\s+")


class Reader:
    """Typed access to an untrusted JSON tree that records every problem with its path instead of raising."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, data: Any, path: str, *, required: bool = True) -> dict[str, Any]:
        if data is None and not required:
            return {}
        if not isinstance(data, dict):
            self.error(path, f"must be an object, got {type_name(data)}")
            return {}
        return data

    def items(self, data: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}/{key}", f"must be a list, got {type_name(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            item_path = f"{path}/{key}/{index}"
            if isinstance(item, dict):
                result.append((item_path, item))
            else:
                self.error(item_path, f"must be an object, got {type_name(item)}")
        return result

    def strings(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}/{key}", f"must be a list of strings, got {type_name(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                cleaned = clean_text(item)
                if cleaned:
                    result.append(cleaned)
            else:
                self.error(f"{path}/{key}/{index}", f"must be a string, got {type_name(item)}")
        return result

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int = 0) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(f"{path}/{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.error(f"{path}/{key}", f"must be a string, got {type_name(value)}")
            return ""
        cleaned = clean_text(value)
        if required and not cleaned:
            self.error(f"{path}/{key}", "must not be empty")
        if max_length and len(cleaned) > max_length:
            self.error(f"{path}/{key}", f"is longer than {max_length} characters")
        return cleaned

    def choice(
        self, data: dict[str, Any], key: str, path: str, choices: Iterable[str], *, required: bool = False
    ) -> str:
        value = self.text(data, key, path, required=required)
        allowed = list(choices)
        if value and value not in allowed:
            self.error(f"{path}/{key}", f"unknown value {value!r}; expected one of {', '.join(allowed)}")
            return ""
        return value

    def year(self, value: Any, path: str, *, required: bool = False) -> int | None:
        if value is None:
            if required:
                self.error(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.error(path, f"must be a year, got {type_name(value)}")
            return None
        try:
            year = int(value)
        except ValueError:
            self.error(path, f"must be a year, got {value!r}")
            return None
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.error(path, f"year {year} is out of range {YEAR_MIN}–{YEAR_MAX}")
            return None
        return year

    def date(self, data: dict[str, Any], key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(f"{path}/{key}", f"must be an ISO date string, got {type_name(value)}")
            return None
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            self.error(f"{path}/{key}", f"invalid date {value!r}; expected YYYY-MM-DD")
            return None
        if not YEAR_MIN <= parsed.year <= YEAR_MAX:
            self.error(f"{path}/{key}", f"date {value} is out of range {YEAR_MIN}–{YEAR_MAX}")
            return None
        return parsed

    def day(self, data: dict[str, Any], key: str, path: str) -> str:
        """A yearly day "--MM-DD" or an ISO date, kept as text."""
        value = data.get(key)
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.error(f"{path}/{key}", f"must be '--MM-DD' or an ISO date, got {type_name(value)}")
            return ""
        if YEARLY_DAY.match(value):
            try:
                parse_yearly_day(value)
            except ValueError:
                self.error(f"{path}/{key}", f"invalid day {value!r}")
                return ""
            return value
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            self.error(f"{path}/{key}", f"invalid day {value!r}; expected '--MM-DD' or YYYY-MM-DD")
            return ""
        return value

    def number(self, value: Any, path: str, *, non_negative: bool = False) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return Decimal(int(value))
        number: Decimal
        if isinstance(value, int | float):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                self.error(path, f"not a number: {value!r}")
                return None
        elif isinstance(value, str):
            try:
                number = parse_vn_number(value)
            except ValueError:
                self.error(path, f"not a number: {value!r} (Vietnamese numbers read '1.040' = 1040, '1,7' = 1.7)")
                return None
        else:
            self.error(path, f"must be a number, got {type_name(value)}")
            return None
        if not number.is_finite():
            self.error(path, f"not a finite number: {value!r}")
            return None
        if non_negative and number < 0:
            self.error(path, f"must not be negative, got {value}")
            return None
        if abs(number) >= Decimal(10) ** 13:
            self.error(path, f"too large: {value}")
            return None
        return number


def type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
