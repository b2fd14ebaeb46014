"""`binhdang demo`: build the demo database from scratch-safe steps and serve it.

Every step is idempotent, so running the demo twice gives the same database: migrations, the
administrative units, the five seed plans, one demo user per role (credentials printed), the labelled
synthetic reporting history and a small labelled synthetic national plan.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from binhdang.demo.history import demo_history_build
from binhdang.demo.national import synth_build
from binhdang.docparse.errors import DocParseError
from binhdang.docparse.pipeline import parse_bytes
from binhdang.places.models import Agency, AgencyKind
from binhdang.places.refdata import units_load
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans.interchange import plan_load
from binhdang.plans.locks import PartLocked
from binhdang.plans.models import Plan

# Demo only, printed on screen for the people trying the product; never used outside `binhdang demo`.
DEMO_PASSWORD = "binhdang-demo-2026"  # noqa: S105
DEMO_NATIONAL_SCALE = 0.02
SEED_DIR = Path(settings.BASE_DIR).parent / "tests" / "golden"
# Which loaded seed plans get the synthetic reporting history (how to find each, as for DEMO_USERS): a province
# plan with districts under it, and a commune's plan.
HISTORY_PROVINCE_PLAN = "59/KH-UBND"
HISTORY_COMMUNE_PLAN = "an hoa thinh"

# (username, role shown to people, agency name as the seed plan writes it, how to find the plan's unit)
DEMO_USERS = [
    ("thainguyen", "cán bộ cơ quan thường trực cấp tỉnh", "Sở Lao động - Thương binh và Xã hội", "59/KH-UBND"),
    ("soyte", "cán bộ sở, ngành", "Sở Y tế", "59/KH-UBND"),
    ("anhoathinh", "cán bộ cấp xã", "Văn hóa- xã hội phụ trách Lao động - Thương binh và Xã hội", "an hoa thinh"),
]


class Command(BaseCommand):
    help = "Build the demo database (units, the five seed plans, demo users) and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="build the demo database and exit")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker", action="store_true", help="serve without the background-job worker (run it yourself)"
        )
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="only the seed plans and users, no synthetic reporting history",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        stats = units_load()
        self.stdout.write(f"Administrative units: {sum(stats.counts.values())} ({stats.seconds:.1f}s)")
        plans = self._load_plans()
        users = self._users(plans)
        if not options["without_history"]:
            # Labelled synthetic reports (docs/reporting.md); adds the lower-level committee user xa.demo.
            history = demo_history_build(
                province_plan=self._find(plans, HISTORY_PROVINCE_PLAN),
                commune_plan=self._find(plans, HISTORY_COMMUNE_PLAN),
            )
            users += history["users"]
            built = ", ".join(f"{row['plan']} ({row['unit']})" for row in history["plans"]) or "none"
            self.stdout.write(f"Synthetic reporting history (labelled [Dữ liệu mô phỏng]) for the plans: {built}")
            # A small labelled national dataset (2% of each province's communes, at least one each) so that the
            # national view (/theo-doi/quoc-gia/) has every province; `binhdang synth` builds larger ones.
            national = synth_build(scale=DEMO_NATIONAL_SCALE, mark_national=True)
            self.stdout.write(
                f"Synthetic national plan (labelled [Dữ liệu mô phỏng]): {national['provinces']} provinces, "
                f"{national['communes']} communes, {national['values']:,} values ({national['seconds']:.1f}s)"
            )
            if not national["national"]:
                self.stdout.write("  another plan is marked national: the national view keeps showing that one")
        self.stdout.write("")
        self.stdout.write(f"Demo plans: {len(plans)}. Sign in at http://127.0.0.1:{options['port']}/ with:")
        for username, role in users:
            self.stdout.write(f"  {username:<12} / {DEMO_PASSWORD}   ({role})")
        if not options["no_serve"]:
            if not options["no_worker"]:
                # Uploads are read, PDFs made and period workbooks imported by a worker (binhdang/jobs).
                from binhdang.jobs.beside import worker_start_beside

                worker = worker_start_beside()
                self.stdout.write(f"Background-job worker started (process {worker.pid}); it stops with the server.")
            call_command("serve", port=options["port"], no_migrate=True)

    def _load_plans(self) -> list[Plan]:
        """The five seed documents, read by the plan reader (not the hand-written golden files, which test it)."""
        files = sorted(SEED_DIR.glob("*.txt"))
        if not files:
            raise CommandError(f"no seed documents found in {SEED_DIR}")
        loaded = []
        with transaction.atomic():
            for path in files:
                data = path.read_bytes()
                try:
                    result = parse_bytes(data, path.name)
                except DocParseError as exc:
                    raise CommandError(f"{path.name}: {exc}") from exc
                if not result.is_plan:
                    raise CommandError(f"{path.name}: not a plan: {result.reason}")
                plan_data = {k: v for k, v in result.plan.items() if k not in ("source", "provenance")}
                sha256 = hashlib.sha256(data).hexdigest()
                try:
                    loaded.append(plan_load(plan_data, replace=True, source_sha256=sha256, source_filename=path.name))
                except PartLocked as exc:
                    # Reloading would delete the plan's reports: the demo starts from a database without them.
                    raise CommandError(
                        f"{path.name}: {exc}. The demo reloads its plans only into a database where they have no "
                        "reports yet: use a new database (or `binhdang flush`) and run the demo again."
                    ) from exc
        for plan in loaded:
            self.stdout.write(f"  plan {plan.pk}: {plan.code or '(chưa số)'} – {plan.title[:70]}")
        return loaded

    @transaction.atomic
    def _users(self, plans: list[Plan]) -> list[tuple[str, str]]:
        user_model = get_user_model()
        user_model.objects.filter(username__in=["admin", *(u[0] for u in DEMO_USERS)]).delete()
        created = []
        first_agency: Agency | None = None
        for username, role, agency_name, plan_hint in DEMO_USERS:
            plan = self._find(plans, plan_hint)
            if plan is None:
                self.stderr.write(f"demo user {username} skipped: no seed plan matches {plan_hint!r}")
                continue
            agency = agency_get_or_create(name=agency_name, unit=plan.unit)
            if role.startswith("cán bộ cơ quan thường trực") or username == "anhoathinh":
                committee_set_standing_agency(unit=plan.unit, agency=agency)
            user_create(username=username, password=DEMO_PASSWORD, agency=agency, full_name=f"Người dùng {username}")
            created.append((username, f"{role}: {agency.name}, {plan.unit.name}"))
            first_agency = first_agency or agency
        if first_agency is None:
            raise CommandError("no demo agency could be created")
        # The administrator belongs to the province's People's Committee, not to the standing agency: it then
        # may decide the standing agency's own reports (nobody decides a report of their own agency).
        committee = agency_get_or_create(
            name=f"Ủy ban nhân dân {first_agency.unit.name}", unit=first_agency.unit, kind=AgencyKind.PEOPLES_COMMITTEE
        )
        user_create(
            username="admin", password=DEMO_PASSWORD, agency=committee, is_admin=True, full_name="Quản trị viên"
        )
        return [("admin", "quản trị hệ thống: thấy mọi kế hoạch"), *created]

    @staticmethod
    def _find(plans: list[Plan], hint: str) -> Plan | None:
        for plan in plans:
            if plan.code == hint or hint in plan.unit.name_key:
                return plan
        return None
