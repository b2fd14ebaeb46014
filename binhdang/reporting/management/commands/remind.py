"""`binhdang remind`: e-mail and in-app reminders of reporting deadlines; safe to run daily from cron.

    binhdang remind [--days 5] [--today 2026-06-04] [--dry-run]

Reporters whose report is due within N days or overdue are reminded, and the standing agency gets the list
of who has not reported once a period's deadline has passed. No reminder is ever sent twice, so a daily
cron line is enough (docs/reporting.md): ``0 7 * * * binhdang remind --days 5``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from binhdang.reporting.reminders import PlannedReminder, RemindersFailed, reminders_send, summary_counts


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today must be a date written YYYY-MM-DD, got {text!r}") from exc


class Command(BaseCommand):
    help = "Send reminders of reports due within N days or overdue (e-mail and in-app); never sends one twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=5, help="remind of reports due within this many days (5)")
        parser.add_argument("--today", help="act as if today were this day (YYYY-MM-DD); default: today")
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError("--days must be 0 or more")
        today = _day(options["today"]) if options.get("today") else timezone.localdate()
        dry_run = bool(options["dry_run"])
        try:
            items = reminders_send(today=today, within_days=days, dry_run=dry_run)
        except RemindersFailed as exc:
            self._print(exc.sent, dry_run=False)
            for item, error in exc.failures:
                self.stderr.write(f"not sent: {item.kind} to {item.recipient}: {error}")
            raise CommandError(
                f"{len(exc.failures)} reminder(s) could not be sent; they will be tried again on the next run"
            ) from exc
        self._print(items, dry_run=dry_run)

    def _print(self, items: list[PlannedReminder], *, dry_run: bool) -> None:
        verb = "would send" if dry_run else "sent"
        for item in items:
            channel = "e-mail" if item.channel == "email" else "notice"
            self.stdout.write(f"{verb} {item.kind:<16} {channel:<6} to {item.recipient}: {item.subject}")
        counts = summary_counts(items)
        summary = (
            f"{counts.get('email', 0)} e-mail(s), {counts.get('notice', 0)} in-app notice(s): "
            f"{counts.get('due_soon', 0)} due soon, {counts.get('overdue', 0)} overdue, "
            f"{counts.get('standing_summary', 0)} standing-agency summaries"
        )
        if dry_run:
            self.stdout.write(f"Dry run: nothing sent, nothing recorded. Would send {summary}.")
        elif items:
            self.stdout.write(f"Sent {summary}.")
        else:
            self.stdout.write("Nothing to send.")
