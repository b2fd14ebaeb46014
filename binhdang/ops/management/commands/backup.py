"""`binhdang backup [-o FILE]`: copy the whole database, consistently, while the application runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binhdang.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite through its online backup API, PostgreSQL with pg_dump --format=custom; "
        "writes FILE and FILE.manifest.json (versions, migrations, row counts)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="backup file (default: $BINHDANG_DATA_DIR/backups/binhdang-<UTC time>.sqlite3 or .pgdump)",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Backup written: {result.path} ({manifest['size']} bytes, {len(manifest['tables'])} tables, "
            f"{manifest['rows']} rows)"
        )
        self.stdout.write(f"Manifest: {result.manifest_path}")
