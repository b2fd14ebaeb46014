"""`binhdang report_import FILE --user NAME [--report ID]`: load a filled report workbook (.xlsx) or a values
CSV (docs/reporting-csv.md) through the same rules as the web form. All or nothing; errors in English, one per
line, with the sheet, row and column (or the CSV line and column); exit status 1 when the file is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from binhdang.reporting.csv_import import csv_import
from binhdang.reporting.models import Report
from binhdang.reporting.spreadsheets import MAX_BYTES, workbook_import


class Command(BaseCommand):
    help = "Import a filled report workbook (.xlsx) or a values CSV; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook or .csv file")
        parser.add_argument(
            "--user", required=True, help="username the changes are made as (permissions and audit trail)"
        )
        parser.add_argument("--report", type=int, help="refuse the file unless it is for this report id")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        report = None
        if options["report"] is not None:
            report = Report.objects.select_related("period__plan").filter(pk=options["report"]).first()
            if report is None:
                raise CommandError(f"no report {options['report']}")
        is_xlsx = path.suffix.lower() == ".xlsx" or (path.suffix.lower() != ".csv" and data[:2] == b"PK")
        if is_xlsx:
            result = workbook_import(user=user, data=data, report=report)
        else:
            result = csv_import(user=user, data=data, report=report)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning.english()}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"error: {error.english()}")
            raise CommandError(f"{len(result.errors)} error(s) in {path.name}; nothing was saved")
        self.stdout.write(
            f"{path.name}: {len(result.saved)} report(s) updated, {len(result.unchanged)} unchanged"
            + "".join(f"\n  report {r.pk}: version {r.version}" for r in result.saved)
        )
