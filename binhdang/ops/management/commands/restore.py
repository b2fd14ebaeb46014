"""`binhdang restore FILE [--yes] [--force]`: restore a backup into an empty database and verify it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from binhdang.ops.backup import BackupError, backup_restore, database_label, manifest_path_for


class Command(BaseCommand):
    help = (
        "Restore a backup made by `binhdang backup` into an EMPTY database (the one DATABASE_URL names), "
        "then check every table's row count against the manifest."
    )
    # The database may not exist yet or be empty: no check may touch it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file (its FILE.manifest.json beside it)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even into a database that already has tables (its data is overwritten)",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        using: str = options["database"]
        target = database_label(connections[using].settings_dict)
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Restore asks for confirmation; pass --yes when running without a terminal.")
            answer = input(f"Restore {path} into {target}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            result = backup_restore(path, force=options["force"], using=using)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {path} into {target}: {len(result.tables)} tables, {sum(result.tables.values())} rows, "
            f"every count matches {manifest_path_for(path).name}."
        )
        if result.extra_tables:
            self.stdout.write(
                self.style.WARNING("Tables not in the backup were left as they were: " + ", ".join(result.extra_tables))
            )
