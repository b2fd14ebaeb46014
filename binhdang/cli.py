"""The `binhdang` console script: the everyday commands, and Django's own commands passed through.

binhdang demo [--no-serve]      build the demo database (and serve it on 127.0.0.1:8000)
binhdang serve                  serve with gunicorn
binhdang worker                 run background jobs (reading, PDF files, period imports, reminders)
binhdang migrate                create or update the database
binhdang plan load FILE.json    load plans in the binhdang.plan/1 format
binhdang plan export ID|--all   print plans as binhdang.plan/1 JSON
binhdang plan national ID       mark the plan the national dashboard shows (--none: no plan)
binhdang parse FILE [--json]    read a plan document
binhdang parse --score DIR      score the reader on golden files (docs/reader-scoring.md)
binhdang units load             load the administrative units
binhdang report summary         rebuild the summary of accepted values the dashboards read
binhdang <django command> ...   anything manage.py does
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["binhdang", *args])


if __name__ == "__main__":
    main()
