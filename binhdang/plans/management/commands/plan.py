"""`binhdang plan load FILE...`, `binhdang plan export (ID... | --all)` and `binhdang plan national [ID | --none]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from binhdang.plans.errors import PlanError
from binhdang.plans.interchange.export import plan_export
from binhdang.plans.interchange.load import plan_load
from binhdang.plans.models import Plan
from binhdang.plans.national import national_plan, national_plan_mark


class Command(BaseCommand):
    help = "Load or export plans in the binhdang.plan/1 JSON format (docs/plan-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load plans from JSON files (one plan or a JSON array of plans)")
        load.add_argument("files", nargs="+", type=Path)
        load.add_argument("--replace", action="store_true", help="replace a plan that is already loaded")
        export = sub.add_parser("export", help="print plans as JSON")
        export.add_argument("ids", nargs="*", type=int)
        export.add_argument("--all", action="store_true", help="export every plan as a JSON array")
        export.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
        national = sub.add_parser("national", help="show or choose the plan the national dashboard shows")
        national.add_argument("id", nargs="?", type=int, help="mark this plan national (no id: show which is)")
        national.add_argument("--none", action="store_true", help="mark no plan national")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["files"], replace=options["replace"])
        elif options["action"] == "national":
            self._national(options["id"], none=options["none"])
        else:
            self._export(options["ids"], everything=options["all"], output=options["output"])

    def _load(self, files: list[Path], *, replace: bool) -> None:
        documents: list[tuple[str, Any]] = []
        for path in files:
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError as exc:
                raise CommandError(f"{path}: no such file") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
            except ValueError as exc:  # a number of more than 4,300 digits
                raise CommandError(f"{path}: invalid JSON: {exc}") from exc
            except RecursionError as exc:
                raise CommandError(f"{path}: invalid JSON: nested too deeply") from exc
            items = raw if isinstance(raw, list) else [raw]
            documents.extend(
                (f"{path}[{i}]" if isinstance(raw, list) else str(path), item) for i, item in enumerate(items)
            )
        loaded = []
        try:
            # All files or none: one refused plan leaves the database as it was.
            with transaction.atomic():
                for label, item in documents:
                    try:
                        loaded.append(plan_load(item, replace=replace))
                    except PlanError as exc:
                        raise CommandError(f"{label}: {exc}") from exc
        except CommandError:
            raise
        for plan in loaded:
            self.stdout.write(f"loaded plan {plan.pk}: {plan.code or '(no number)'} {plan.title[:70]}")

    def _national(self, pk: int | None, *, none: bool) -> None:
        if none and pk is not None:
            raise CommandError("give a plan id or --none (not both)")
        if none:
            national_plan_mark(None)
        elif pk is not None:
            plan = Plan.objects.filter(pk=pk).first()
            if plan is None:
                raise CommandError(f"no plan with id {pk}")
            national_plan_mark(plan)
        current = national_plan()
        if current is None:
            self.stdout.write("no plan is marked national")
        else:
            self.stdout.write(f"national plan {current.pk}: {current.code or '(no number)'} {current.title[:70]}")

    def _export(self, ids: list[int], *, everything: bool, output: Path | None) -> None:
        if everything == bool(ids):
            raise CommandError("give plan ids or --all (not both)")
        if everything:
            data: Any = [plan_export(plan) for plan in Plan.objects.order_by("pk")]
        else:
            plans = {plan.pk: plan for plan in Plan.objects.filter(pk__in=ids)}
            missing = [str(i) for i in ids if i not in plans]
            if missing:
                raise CommandError(f"no plan with id {', '.join(missing)}")
            exported = [plan_export(plans[i]) for i in ids]
            data = exported[0] if len(exported) == 1 else exported
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
