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

    def error(self, path: str, code: str, **params: object) -> None:
        self.errors.append(FieldError(path, code, {k: str(v) for k, v in params.items()}))

    def obj(self, data: Any, path: str, *, required: bool = True) -> dict[str, Any]:
        if data is None and not required:
            return {}
        if not isinstance(data, dict):
            self.error(path, "not_object", got=type_name(data))
            return {}
        return data

    def items(self, data: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}/{key}", "not_list", got=type_name(value))
            return []
        result = []
        for index, item in enumerate(value):
            item_path = f"{path}/{key}/{index}"
            if isinstance(item, dict):
                result.append((item_path, item))
            else:
                self.error(item_path, "not_object", got=type_name(item))
        return result

    def strings(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        return [text for _index, text in self.indexed_strings(data, key, path)]

    def indexed_strings(self, data: dict[str, Any], key: str, path: str) -> list[tuple[int, str]]:
        """The non-empty strings of a list with their index in the file, so that an error about one of them
        names its own place even when empty strings before it were left out."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}/{key}", "not_string_list", got=type_name(value))
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                cleaned = clean_text(item)
                if cleaned:
                    result.append((index, cleaned))
            else:
                self.error(f"{path}/{key}/{index}", "not_string", got=type_name(item))
        return result

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int = 0) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(f"{path}/{key}", "required")
            return ""
        if not isinstance(value, str):
            self.error(f"{path}/{key}", "not_string", got=type_name(value))
            return ""
        cleaned = clean_text(value)
        if required and not cleaned:
            self.error(f"{path}/{key}", "empty")
        if max_length and len(cleaned) > max_length:
            self.error(f"{path}/{key}", "too_long", max=max_length)
        return cleaned

    def choice(
        self, data: dict[str, Any], key: str, path: str, choices: Iterable[str], *, required: bool = False
    ) -> str:
        value = self.text(data, key, path, required=required)
        allowed = list(choices)
        if value and value not in allowed:
            self.error(f"{path}/{key}", "unknown_choice", value=repr(value), allowed=", ".join(allowed))
            return ""
        return value

    def year(self, value: Any, path: str, *, required: bool = False) -> int | None:
        if value is None:
            if required:
                self.error(path, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.error(path, "not_year", got=type_name(value))
            return None
        try:
            year = int(value)
        except ValueError:
            self.error(path, "not_year", got=repr(value))
            return None
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.error(path, "year_range", year=year, first=YEAR_MIN, last=YEAR_MAX)
            return None
        return year

    def date(self, data: dict[str, Any], key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(f"{path}/{key}", "not_iso_date", got=type_name(value))
            return None
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            self.error(f"{path}/{key}", "date_invalid", value=repr(value))
            return None
        if not YEAR_MIN <= parsed.year <= YEAR_MAX:
            self.error(f"{path}/{key}", "date_range", value=value, first=YEAR_MIN, last=YEAR_MAX)
            return None
        return parsed

    def day(self, data: dict[str, Any], key: str, path: str) -> str:
        """A yearly day "--MM-DD" or an ISO date, kept as text."""
        value = data.get(key)
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.error(f"{path}/{key}", "not_day", got=type_name(value))
            return ""
        if YEARLY_DAY.match(value):
            try:
                parse_yearly_day(value)
            except ValueError:
                self.error(f"{path}/{key}", "day_invalid", value=repr(value))
                return ""
            return value
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            self.error(f"{path}/{key}", "day_invalid_form", value=repr(value))
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
                self.error(path, "not_a_number", value=repr(value))
                return None
        elif isinstance(value, str):
            try:
                number = parse_vn_number(value)
            except ValueError:
                self.error(path, "not_a_vn_number", value=repr(value))
                return None
        else:
            self.error(path, "not_number", got=type_name(value))
            return None
        if not number.is_finite():
            self.error(path, "not_finite", value=repr(value))
            return None
        if non_negative and number < 0:
            self.error(path, "negative", value=value)
            return None
        if abs(number) >= Decimal(10) ** 13:
            self.error(path, "too_large", value=value)
            return None
        return number


def type_name(value: Any) -> str:
    """The JSON type of a value as a code of plans.errors.TYPE_NAMES (or the Python type's name)."""
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, int | float) else type(value).__name__
    )
