"""The `<id:...>` path converter: a database id in a URL, bounded so that a huge number is a 404, not a 500.

Django's `<int:...>` accepts any run of digits; 9223372036854775808 (2**63) then overflows the database's
64-bit integer inside the query (a 500 on SQLite and PostgreSQL alike). A value outside 1..2**63-1 does not
match the route at all here: Django treats the ValueError from `to_python` as "no such URL".
Registered once, in binhdang.web.apps, under the name "id"; every URL conf uses `<id:pk>` for ids.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 <= number <= MAX_ID:
            raise ValueError(f"id out of range: {value}")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def parse_id(value: str | None) -> int | None:
    """An id from a query string (``?plan=12``): None when absent, not a number, or out of range."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 <= number <= MAX_ID else None
