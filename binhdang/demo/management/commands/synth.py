"""`binhdang synth --scale national|FRACTION [--seed N] [--clear]`: the LABELLED national synthetic dataset.

Only for load and speed tests and the demo's national view: everything it writes is labelled
"[Dữ liệu mô phỏng]" and goes in through the bulk path, without the per-value audit (see
binhdang/demo/national.py).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binhdang.demo.national import LABEL, scale_fraction, synth_build, synth_clear


class Command(BaseCommand):
    help = f"Build the labelled national synthetic dataset {LABEL} (load and speed tests, demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="national", help='"national" or a fraction in (0, 1], e.g. 0.05')
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--provinces", type=int, default=None, help="only the first N provinces by code")
        parser.add_argument("--clear", action="store_true", help="only delete the synthetic dataset, build nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clear"]:
            count = synth_clear()
            self.stdout.write(f"{LABEL} deleted {count} synthetic plan(s).")
            return
        try:
            scale_fraction(options["scale"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = synth_build(
            scale=options["scale"],
            seed=options["seed"],
            provinces=options["provinces"],
            verbose=options["verbosity"] > 1,
        )
        self.stdout.write(
            f"{LABEL} plan {result['plan_id']}: {result['provinces']} provinces, {result['communes']:,} communes, "
            f"{result['indicators']} indicators, {result['periods']} periods, {result['reports']:,} reports "
            f"({result['reports_late']:,} late, {result['reports_missing']:,} missing), "
            f"{result['values']:,} value rows = {result['numbers']:,} numbers, in {result['seconds']} s. "
            "Synthetic data: only for load and speed tests and the demo; no audit trail."
        )
