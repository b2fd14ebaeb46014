"""binhdang document plan CODE|--id N --format docx|pdf -o FILE
binhdang document report CODE|--id N --period PERIOD_ID --format docx|pdf -o FILE"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binhdang.documents.docx import render_docx
from binhdang.documents.model import OfficialDocument
from binhdang.documents.pdf import PdfUnavailable, render_pdf
from binhdang.documents.plan import plan_document
from binhdang.documents.report import report_document
from binhdang.plans.models import Plan
from binhdang.reporting.models import Period


class Command(BaseCommand):
    help = "Write a plan's Kế hoạch or a period's Báo cáo as a Word or PDF file in the form of Decree 30/2020."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["plan", "report"], help="plan: the Kế hoạch; report: a period's Báo cáo")
        parser.add_argument("code", nargs="?", default="", help="the plan's number and symbol, e.g. 59/KH-UBND")
        parser.add_argument("--id", type=int, dest="plan_id", help="the plan's id (for plans without a number)")
        parser.add_argument("--period", type=int, dest="period_id", help="the reporting period's id (report only)")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx", dest="fmt")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def _plan(self, code: str, plan_id: int | None) -> Plan:
        if plan_id is not None:
            plan = Plan.objects.filter(pk=plan_id).first()
            if plan is None:
                raise CommandError(f"No plan with id {plan_id}")
            return plan
        if not code:
            raise CommandError("Give the plan's number and symbol (e.g. 59/KH-UBND) or --id N")
        plans = list(Plan.objects.filter(code=code).select_related("unit"))
        if not plans:
            raise CommandError(f"No plan numbered {code!r}")
        if len(plans) > 1:
            choices = ", ".join(f"--id {p.pk} ({p.unit.name}, {p.year_start})" for p in plans)
            raise CommandError(f"{len(plans)} plans are numbered {code!r}; choose one: {choices}")
        return plans[0]

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self._plan(options["code"], options["plan_id"])
        doc: OfficialDocument
        if options["what"] == "plan":
            if options["period_id"] is not None:
                raise CommandError("--period is for 'document report' only")
            doc = plan_document(plan)
        else:
            if options["period_id"] is None:
                raise CommandError("Give the reporting period with --period PERIOD_ID")
            period = Period.objects.filter(pk=options["period_id"]).first()
            if period is None:
                raise CommandError(f"No reporting period with id {options['period_id']}")
            if period.plan_id != plan.pk:
                raise CommandError(f"Period {period.pk} ({period.label}) belongs to another plan")
            doc = report_document(period)
        try:
            data = render_docx(doc) if options["fmt"] == "docx" else render_pdf(doc)
        except PdfUnavailable as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {output} ({len(data):,} bytes)")
