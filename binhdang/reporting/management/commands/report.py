"""`binhdang report status`: reporting completeness per period, as text or JSON for scripts.
`binhdang report summary`: rebuild the summary of accepted values the dashboards read (reporting/summary.py).

    binhdang report status [--plan 59/KH-UBND] [--json] [--today 2026-06-04]
    binhdang report summary [--plan 59/KH-UBND]

Per period: expected, submitted, on time, late, missing and pending (completeness.py defines them;
docs/reporting.md explains them). `--plan` matches the plan's number and symbol (Plan.code); several
plans may share one, and each is then listed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from binhdang.plans.models import Plan
from binhdang.reporting.completeness import status_rows
from binhdang.reporting.services import summary_rebuild

COLUMNS = ("expected", "submitted", "on_time", "late", "missing", "pending")
HEADINGS = ("expected", "submitted", "on time", "late", "missing", "pending")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today must be a date written YYYY-MM-DD, got {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Reporting: `report status` prints expected/submitted/on time/late/missing per period; "
        "`report summary` rebuilds the summary of accepted values."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        status = sub.add_parser("status", help="completeness and timeliness per period")
        status.add_argument("--plan", metavar="CODE", help="only the plan(s) with this number and symbol")
        status.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
        status.add_argument("--today", help="count as if today were this day (YYYY-MM-DD); default: today")
        summary = sub.add_parser(
            "summary", help="rebuild the summary of accepted values from the values (after bulk loads or imports)"
        )
        summary.add_argument("--plan", metavar="CODE", help="only the plan(s) with this number and symbol")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "summary":
            self._summary(options.get("plan"))
            return
        if options["action"] != "status":  # argparse refuses others; kept for call_command
            raise CommandError(f"unknown action {options['action']!r}; try `report status` or `report summary`")
        today = _day(options["today"]) if options.get("today") else timezone.localdate()
        plans = self._plans(options.get("plan"))
        rows: list[dict[str, object]] = []
        for plan in plans:
            for row in status_rows([plan], today):
                rows.append({"plan_id": plan.pk, "unit": plan.unit.name, **row})
        if options["json"]:
            self.stdout.write(json.dumps({"today": today.isoformat(), "periods": rows}, ensure_ascii=False, indent=2))
            return
        self._table(plans, rows, today)

    def _summary(self, code: str | None) -> None:
        plans = self._plans(code) if code else list(Plan.objects.order_by("pk"))
        for plan in plans:  # each plan all or nothing
            rows = summary_rebuild(plan=plan)
            self.stdout.write(f"{plan.code or '(no code)'} – {plan.title[:80]}: {rows} summary rows")

    @staticmethod
    def _plans(code: str | None) -> list[Plan]:
        plans = Plan.objects.select_related("unit").order_by("unit__name", "year_start", "pk")
        if code is None:
            return list(plans.annotate(n=Count("periods")).filter(n__gt=0))
        chosen = list(plans.filter(code__iexact=code.strip()))
        if not chosen:
            known = sorted({c for c in Plan.objects.exclude(code="").values_list("code", flat=True)})
            hint = f" Known codes: {', '.join(known)}." if known else " No plan has a code yet."
            raise CommandError(f"No plan has the code {code!r}.{hint}")
        return chosen

    def _table(self, plans: list[Plan], rows: list[dict[str, object]], today: dt.date) -> None:
        self.stdout.write(f"Reporting status on {today.isoformat()}")
        if not rows:
            self.stdout.write("No reporting periods yet (create them from the plan's reporting regime).")
            return
        width = max(len(str(r["period"])) for r in rows)
        header = f"{'period':<{width}}  {'due':<10}  " + "  ".join(f"{h:>9}" for h in HEADINGS)
        for plan in plans:
            mine = [r for r in rows if r["plan_id"] == plan.pk]
            if not mine:
                continue
            self.stdout.write("")
            self.stdout.write(f"{plan.code or '(no code)'} – {plan.unit.name} – {plan.title[:80]}")
            self.stdout.write(header)
            for row in mine:
                counts = "  ".join(f"{row[c]!s:>9}" for c in COLUMNS)
                self.stdout.write(f"{row['period']!s:<{width}}  {row['due']!s:<10}  {counts}")
                missing = row["missing_reporters"]
                if isinstance(missing, list) and missing:
                    self.stdout.write(f"{'':<{width}}  missing: {', '.join(str(m) for m in missing)}")
