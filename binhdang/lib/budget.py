"""Budget consistency: every printed total is compared with the lines it covers, and every mismatch named.

A printed total is never corrected: the Quảng Ninh plan's totals leave out its inspection line, and the
people who read the plan must see that, not a silently "fixed" figure.

Which lines a total covers: those whose item equals the total's item or lies below it ("Dự án 1 / ..."
under "Dự án 1"), whose year equals the total's year, and whose source equals the total's source; a total
field left empty (no item, no year, no source) covers every value of that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from binhdang.lib.numbers import format_vn_number

SOURCE_LABELS = {"central": "ngân sách trung ương", "local": "ngân sách địa phương", "other": "nguồn khác"}


@dataclass(frozen=True)
class BudgetCheck:
    ok: bool
    item: str | None
    year: int | None
    source: str | None
    printed: Decimal
    computed: Decimal
    covered: int

    @property
    def message(self) -> str:
        scope = _describe(self.item, self.year, self.source)
        if self.covered == 0:
            return f"Printed total {scope} = {format_vn_number(self.printed)} has no lines to check against"
        if self.ok:
            return f"Printed total {scope} = {format_vn_number(self.printed)} matches the lines"
        difference = self.computed - self.printed
        return (
            f"Printed total {scope} = {format_vn_number(self.printed)} but its {self.covered} lines add up to "
            f"{format_vn_number(self.computed)} (difference {format_vn_number(difference)})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "item": self.item,
            "year": self.year,
            "source": self.source,
            "printed": _num(self.printed),
            "computed": _num(self.computed),
            "message": self.message,
        }


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _describe(item: str | None, year: int | None, source: str | None) -> str:
    parts = [f"of {item!r}" if item else "of the whole plan"]
    parts.append(f"for {year}" if year else "for the whole period")
    if source:
        parts.append(f"from {source}")
    return " ".join(parts)


def _covers(total: dict[str, Any], line: dict[str, Any]) -> bool:
    item = total.get("item")
    line_item = line.get("item") or ""
    if item and not (line_item == item or line_item.startswith(f"{item} / ")):
        return False
    if total.get("year") is not None and line.get("year") != total.get("year"):
        return False
    return not (total.get("source") and line.get("source") != total.get("source"))


def _amount(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def budget_checks(lines: list[dict[str, Any]], totals: list[dict[str, Any]]) -> list[BudgetCheck]:
    """One check per printed total, in the order the totals were printed."""
    checks = []
    for total in totals:
        covered = [line for line in lines if line.get("amount") is not None and _covers(total, line)]
        computed = sum((_amount(line["amount"]) for line in covered), Decimal(0))
        printed = _amount(total["amount"])
        checks.append(
            BudgetCheck(
                ok=bool(covered) and computed == printed,
                item=total.get("item"),
                year=total.get("year"),
                source=total.get("source"),
                printed=printed,
                computed=computed,
                covered=len(covered),
            )
        )
    return checks
