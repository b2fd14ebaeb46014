"""`binhdang dhis2 export --period ID [--format json|adx] -o FILE` and
`binhdang dhis2 import FILE --user NAME [--report ID ...]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from binhdang.interop.services import (
    Dhis2ExportError,
    Dhis2ImportError,
    PeriodNotExchangeable,
    adx_id_scheme,
    export_adx,
    export_datavaluesets,
    import_adx,
    import_datavaluesets,
)
from binhdang.reporting.models import Period, Report


class Command(BaseCommand):
    help = "Exchange indicator figures with DHIS2 (dataValueSets JSON, ADX XML)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="export the accepted figures of a period")
        export.add_argument("--period", type=int, required=True, help="id of the reporting period")
        export.add_argument("--format", choices=["json", "adx"], default="json")
        export.add_argument("-o", "--output", required=True, help="file to write ('-' for standard output)")
        imp = sub.add_parser("import", help="import figures into draft reports")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="username of the person importing (recorded in the audit trail)")
        imp.add_argument(
            "--report",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="id of the report taking the figures when a unit has several reports with the indicator (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The command line speaks English: the services' Vietnamese messages are translated (locale/en).
        with translation.override("en"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options["action"] == "export":
            self._export(options["period"], options["format"], options["output"])
        else:
            self._import(Path(options["file"]), options["user"], options["report"])

    def _export(self, period_id: int, fmt: str, output: str) -> None:
        period = Period.objects.filter(pk=period_id).first()
        if period is None:
            raise CommandError(f"No reporting period with id {period_id}.")
        try:
            if fmt == "adx":
                text = export_adx(period)
            else:
                text = json.dumps(export_datavaluesets(period), ensure_ascii=False, indent=2) + "\n"
        except PeriodNotExchangeable:
            raise CommandError(f"Period {period.label} has no matching period type in DHIS2.") from None
        except Dhis2ExportError as error:
            lines = "\n".join(f"  {where}: {message}" for where, message in error.problems)
            raise CommandError(f"No file written.\n{lines}") from None
        if fmt == "adx":
            self.stderr.write(f"Note: {adx_id_scheme()}.")
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")

    def _import(self, path: Path, username: str, report_ids: list[int]) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        report_map = _report_map(report_ids)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        is_xml = path.suffix.lower() in (".xml", ".adx") or data.lstrip()[:1] == b"<"
        try:
            result = (import_adx if is_xml else import_datavaluesets)(data, user=user, report_map=report_map)
        except Dhis2ImportError as error:
            lines = "\n".join(f"  {where}: {message}" for where, message in error.problems)
            raise CommandError(f"File not imported; no figures were written.\n{lines}") from None
        self.stdout.write(f"Imported {result.values} value(s) into {result.reports} report(s).")
        if result.ignored:
            counted = ", ".join(f"{name} ×{count}" for name, count in sorted(result.ignored.items()))
            self.stdout.write(f"Read but not stored (DHIS2 bookkeeping, not figures): {counted}.")
        for where, groups in result.summed:
            self.stdout.write(
                f"Ethnic groups {', '.join(groups)} added up into ethnic minorities (dtts) for the cell of {where}."
            )


def _report_map(report_ids: list[int]) -> dict[tuple[int, int], Report]:
    """--report ID: that report takes the file's values for its unit and each indicator it carries."""
    reports = {
        r.pk: r
        for r in Report.objects.filter(pk__in=report_ids).select_related("period").prefetch_related("indicator_lines")
    }
    missing = sorted(set(report_ids) - set(reports))
    if missing:
        raise CommandError(f"No report with id {', '.join(map(str, missing))}.")
    chosen: dict[tuple[int, int], Report] = {}
    for report in reports.values():
        for line in report.indicator_lines.all():
            other = chosen.setdefault((report.unit_id, line.indicator_id), report)
            if other is not report:
                raise CommandError(
                    f"Reports {other.pk} and {report.pk} are for the same unit and indicator: choose one of them."
                )
    return chosen
