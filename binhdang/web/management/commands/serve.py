"""`binhdang serve`: the product behind gunicorn, static files collected and served by WhiteNoise."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Bình Đẳng with gunicorn (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("BINHDANG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("BINHDANG_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("BINHDANG_WORKERS", "2")))
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed; run the README's set-up command")
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Serving Bình Đẳng on http://{bind}/ (Ctrl+C to stop)")
        self.stdout.flush()
        argv = [
            gunicorn,
            "binhdang.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        # exec: the server replaces this process so signals (Ctrl+C, kill) reach gunicorn directly.
        os.execv(gunicorn, argv)  # noqa: S606 - fixed argv, no shell
