"""`binhdang parse FILE [--json]`: read a plan document and print a summary or the binhdang.plan/1 JSON.

`binhdang parse --score DIR [--json] [--verbose]`: score the reader on a folder of golden files
(docs/reader-scoring.md) and print precision and recall per field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binhdang.docparse.errors import DocParseError
from binhdang.docparse.pipeline import parse_bytes
from binhdang.docparse.scoring.golden import GoldenError
from binhdang.docparse.scoring.match import score_folders
from binhdang.docparse.scoring.report import render_table, render_verbose


class Command(BaseCommand):
    help = "Read a plan document (.txt, .docx, .pdf, scanned PDF or image) into the binhdang.plan/1 format."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument(
            "--score",
            type=Path,
            action="append",
            metavar="DIR",
            help="score the reader on the golden files in DIR (repeatable) instead of reading one file",
        )
        parser.add_argument("--verbose", action="store_true", help="with --score: list missed and wrong items")
        parser.add_argument("--json", action="store_true", help="print the plan/1 JSON instead of a summary")
        parser.add_argument("--with-source", action="store_true", help="keep the source text and spans in the JSON")
        parser.add_argument("--no-ocr", action="store_true", help="refuse scans instead of running OCR")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["score"]:
            if options["file"] is not None:
                raise CommandError("give either a FILE to read or --score DIR, not both")
            self._score(options["score"], as_json=options["json"], verbose=options["verbose"])
            return
        if options["file"] is None:
            raise CommandError("give a FILE to read, or --score DIR")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"{path}: is a directory, not a document") from exc
        try:
            result = parse_bytes(data, path.name, ocr=not options["no_ocr"])
        except DocParseError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if not result.is_plan:
            raise CommandError(f"{path}: not a plan: {result.reason}")
        plan = dict(result.plan)
        if options["json"]:
            if not options["with_source"]:
                plan.pop("source", None)
                plan.pop("provenance", None)
            self.stdout.write(json.dumps(plan, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(plan))

    def _score(self, folders: list[Path], *, as_json: bool, verbose: bool) -> None:
        try:
            score = score_folders(folders)
        except GoldenError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(score.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_table(score))
        if verbose:
            self.stdout.write(render_verbose(score))


def summary(plan: dict[str, Any]) -> str:
    doc = plan.get("document") or {}
    budget = plan.get("budget") or {}
    failed = [c for c in budget.get("checks") or [] if not c.get("ok")]
    signer = plan.get("signer") or {}
    signed = " / ".join(v for v in (signer.get("authority"), signer.get("title"), signer.get("name")) if v)
    unit = doc.get("unit") or "unit unknown"
    lines = [
        f"Plan:        {doc.get('code') or '(no number)'} dated {doc.get('date') or '(no date)'}",
        f"Issuer:      {doc.get('issuer') or '-'}  ({doc.get('level') or '?'} level, {unit})",
        f"Title:       {doc.get('title') or '-'}",
        f"Years:       {'–'.join(str(y) for y in doc.get('years') or []) or '-'}",
        f"References:  {len(plan.get('references') or [])}"
        + "".join(
            f"\n  - {r.get('code')} ({r.get('relation')})" for r in plan.get("references") or [] if r.get("code")
        ),
        f"Objectives:  {len(plan.get('objectives') or [])}",
        f"Indicators:  {len(plan.get('indicators') or [])}, "
        f"targets: {sum(len(i.get('targets') or []) for i in plan.get('indicators') or [])}",
        f"Tasks:       {len(plan.get('tasks') or [])}, with a lead: "
        f"{sum(1 for t in plan.get('tasks') or [] if t.get('lead'))}",
        f"Projects:    {len(plan.get('projects') or [])}",
        f"Budget:      {len(budget.get('lines') or [])} lines, {len(budget.get('totals') or [])} printed totals, "
        f"{len(failed)} failed checks" + "".join(f"\n  ! {c.get('message')}" for c in failed),
        "Reporting:   "
        + (", ".join(f"{r.get('kind')} {r.get('due') or ''}".strip() for r in plan.get("reporting") or []) or "-"),
        f"Signer:      {signed or '-'}",
        f"Recipients:  {len(plan.get('recipients') or [])}",
    ]
    return "\n".join(lines)
