"""Roll-up benchmark on the LABELLED national synthetic data: Bình Đẳng (SQLite, PostgreSQL) against DuckDB.

    .venv/bin/python benchmarks/rollup.py --scale 0.05        # a small run
    .venv/bin/python benchmarks/rollup.py --scale national    # every commune (≈ 10 million Value rows)
    .venv/bin/python benchmarks/rollup.py --scale national --keep /tmp/b   # build once, keep the databases
    .venv/bin/python benchmarks/rollup.py --scale national --reuse /tmp/b  # measure them again, no build

One run: builds the synthetic dataset (binhdang.demo.national) in a temporary SQLite file and in a
temporary PostgreSQL database ``bench_rollup_<pid>`` (created and dropped through psycopg on the ``postgres``
database; BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/postgres); then, in one worker process
per backend, times through binhdang.analytics.rollup's public API (what the dashboards call):

  (a) national roll-up: Rollup(plan) and figures() of every province (every indicator, sex and period);
  (b) drill-down: Rollup(plan) and figures() of every commune of the province with the most communes;
  (c) ethnic minorities: for every full combination with ethnicity=dtts ("age=0-4;ethnicity=dtts", …),
      Rollup(plan).for_combo(…) (as Rollup(plan, combo=…), sharing the plan's indicators, periods and units)
      and figures() of every province;
  province_ms: binhdang.analytics.dashboards.unit_dashboard() for that province (the page's data).

The Value rows joined to their report and unit are exported to Parquet (pyarrow), loaded ONCE into an
in-memory DuckDB table (untimed), and DuckDB runs the equivalent raw GROUP BY for (a), (b) and (c) on that table
((a) and (b) over the totals, combo = ''; (c) over the dtts combinations):
warm (one untimed run first), best of 3 whatever --repeat says, results fetched as Arrow. That is DuckDB at its
best, the baseline the ratios are taken against. Numbers are compared exactly (Decimal numerator and denominator
sums per unit × indicator × sex × period, and combination for (c)). The synthetic data (binhdang/demo/national.py)
has 8 indicators by 5 age groups × kinh/dtts and 5 by kinh/dtts, about 10 million Value rows nationally.
Resident memory: a fresh process on the SQLite file builds the province dashboard and the national roll-up
and holds them; its /proc VmRSS and peak VmHWM are read.

Ratios are Bình Đẳng time / DuckDB time, best of --repeat runs each; the last line's ratio is the worse of
(a), (b) and (c). Last line: ``rollup: pg_ratio=<x> sqlite_ratio=<x> province_ms=<n> rss_mb=<n> identical=<yes|no>``
(province_ms is the slower backend's; rss_mb the peak).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


# --- worker side (runs with DATABASE_URL set, one backend per process) ----------------------------------------


def _django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _best(repeat: int, fn: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _target_province(plan: Any) -> Any:
    from django.db.models import Count

    from binhdang.places.models import AdministrativeUnit
    from binhdang.reporting.models import Report

    counts = (
        Report.objects.filter(period__plan=plan)
        .values("unit__parent_id")
        .annotate(n=Count("unit_id", distinct=True))
        .order_by("-n", "unit__parent_id")
    )
    parent_id = int(counts[0]["unit__parent_id"] or 0)
    return AdministrativeUnit.objects.get(pk=parent_id)


def _dtts_combos(plan: Any) -> list[str]:
    """The plan's full combinations for ethnic minorities ("ethnicity=dtts", "age=0-4;ethnicity=dtts", …)."""
    from binhdang.plans.categories import combos_for, parse_combo
    from binhdang.plans.models import Indicator

    combos = {c for i in Indicator.objects.filter(plan=plan) for c in combos_for(i)}
    return sorted(c for c in combos if parse_combo(c).get("ethnicity") == "dtts")


def _flat(per_unit: list[tuple[int, str, Any]]) -> dict[tuple[int, int, str, int], Any]:
    """(unit, combo, figures) as figures() returned them → one mapping; the combination goes with the sex."""
    return {
        (unit, ind, f"{sex}@{combo}" if combo else sex, period): fig
        for unit, combo, figures in per_unit
        for (ind, sex, period), fig in figures.items()
    }


def _serialise(figures: dict[tuple[int, int, str, int], Any]) -> dict[str, list[str | None]]:
    return {
        f"{u}|{i}|{s}|{p}": [
            str(f.numerator) if f.numerator is not None else None,
            str(f.denominator) if f.denominator is not None else None,
        ]
        for (u, i, s, p), f in figures.items()
    }


def worker_measure(args: argparse.Namespace) -> None:
    _django(args.db)
    import datetime as dt

    from django.core.management import call_command

    from binhdang.analytics.dashboards import unit_dashboard
    from binhdang.analytics.rollup import LEVEL_RANK, Rollup
    from binhdang.demo.national import synth_build
    from binhdang.places.models import AdministrativeUnit, Level
    from binhdang.plans.models import Plan

    out: dict[str, Any] = {}
    started = time.perf_counter()
    built_file = Path(args.out).with_suffix(".build.json")
    call_command("migrate", interactive=False, verbosity=0)  # on --reuse: a migration added since the build
    out["migrate_s"] = time.perf_counter() - started
    if args.reuse:  # the databases of an earlier run kept with --keep: measure only
        built = json.loads(built_file.read_text(encoding="utf-8"))
    else:
        built = synth_build(scale=args.scale, seed=args.seed)
        built_file.write_text(json.dumps(built), encoding="utf-8")
    out["build"] = built
    plan = Plan.objects.get(pk=built["plan_id"])
    dtts = _dtts_combos(plan)
    provinces = list(AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("code"))
    province = _target_province(plan)
    communes = list(AdministrativeUnit.objects.filter(parent=province, valid_to__isnull=True).order_by("code"))
    out["province"] = {"id": province.pk, "name": province.name, "communes": len(communes)}

    # The timed functions return what the API returned (each unit's figures as figures() gave them); putting
    # them under one (unit, indicator, sex, period) key for the comparison is untimed, as DuckDB's conversion
    # of its Arrow result to Python is (``_flat``).
    province_ids = [p.pk for p in provinces]
    commune_ids = [c.pk for c in communes]
    province_rank, commune_rank = LEVEL_RANK[Level.PROVINCE], LEVEL_RANK[Level.COMMUNE]

    def national() -> list[tuple[int, str, Any]]:
        rollup = Rollup(plan)
        return [(pk, "", rollup.figures(pk, province_rank)) for pk in province_ids]

    def drill() -> list[tuple[int, str, Any]]:
        rollup = Rollup(plan)
        return [(pk, "", rollup.figures(pk, commune_rank)) for pk in commune_ids]

    def by_combo() -> list[tuple[int, str, Any]]:
        base = Rollup(plan)  # what a dashboard holds: the totals' roll-up, then a combination's beside it
        result = []
        for combo in dtts:
            rollup = base.for_combo(combo)
            result += [(pk, combo, rollup.figures(pk, province_rank)) for pk in province_ids]
        return result

    today = dt.date(2026, 1, 15)
    out["national_s"], nat = _best(args.repeat, national)
    out["drill_s"], dri = _best(args.repeat, drill)
    out["combo_s"], com = _best(args.repeat, by_combo)
    out["province_s"], _data = _best(args.repeat, lambda: unit_dashboard(plan, province, communes, None, today))
    out["national"] = _serialise(_flat(nat))
    out["drill"] = _serialise(_flat(dri))
    out["combo"] = _serialise(_flat(com))
    out["dtts"] = dtts
    if args.parquet and not args.reuse:
        out["export_s"] = _export(args.parquet)
    Path(args.out).write_text(json.dumps(out), encoding="utf-8")


def _export(path: str) -> float:
    """The Value rows joined to their report and unit, to Parquet. Numbers as text with four decimals (SQLite's
    printf of the stored number, exact up to 15 digits as Django's own converter), cast to DECIMAL(20,4) when
    DuckDB loads them: 10 million Python Decimals would take minutes to build, and this step is untimed."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    started = time.perf_counter()
    sql = (
        "SELECT r.id, r.status, r.unit_id, u.parent_id, r.period_id, v.indicator_id, v.sex, v.combo, "
        "printf('%.4f', v.value), printf('%.4f', v.numerator), printf('%.4f', v.denominator) "
        "FROM reporting_value v JOIN reporting_report r ON r.id = v.report_id "
        "JOIN places_administrativeunit u ON u.id = r.unit_id"
    )
    names = ["report_id", "status", "commune_id", "province_id", "period_id", "indicator_id", "sex", "combo"]
    names += ["value", "numerator", "denominator"]
    types = [pa.int64(), pa.string(), pa.int64(), pa.int64(), pa.int64(), pa.int64(), pa.string(), pa.string()]
    types += [pa.string()] * 3
    schema = pa.schema(list(zip(names, types, strict=True)))
    with pq.ParquetWriter(path, schema) as writer, connection.cursor() as cursor:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(500_000):
            columns = list(zip(*chunk, strict=True))
            arrays = [pa.array(c, type=t) for c, t in zip(columns, types, strict=True)]
            writer.write_table(pa.table(arrays, schema=schema))
    return time.perf_counter() - started


def worker_rss(args: argparse.Namespace) -> None:
    """A server-like process: loads the dashboard data of the biggest province and the national roll-up."""
    _django(args.db)
    import datetime as dt

    from binhdang.analytics.dashboards import plan_dashboard, unit_dashboard
    from binhdang.analytics.rollup import Rollup
    from binhdang.demo.national import synthetic_plans
    from binhdang.places.models import AdministrativeUnit

    plan = synthetic_plans().get()
    province = _target_province(plan)
    communes = list(AdministrativeUnit.objects.filter(parent=province, valid_to__isnull=True).order_by("code"))
    today = dt.date(2026, 1, 15)
    rollup = Rollup(plan)
    provinces = AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True)
    held = [
        unit_dashboard(plan, province, communes, None, today),
        plan_dashboard(plan, [], today),
        rollup,
        [rollup.figures(p.pk, 0) for p in provinces],  # the national roll-up's figures, held
    ]
    status = Path(f"/proc/{os.getpid()}/status").read_text()
    fields = {
        line.split(":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith(("VmRSS", "VmHWM"))
    }
    print(json.dumps({"rss_kb": fields["VmRSS"], "hwm_kb": fields["VmHWM"], "held": len(held)}))


# --- driver ----------------------------------------------------------------------------------------------------


def _run_worker(kind: str, db: str, args: argparse.Namespace, extra: list[str]) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--db",
        db,
        "--scale",
        str(args.scale),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
        *(["--reuse", args.reuse] if args.reuse else []),
        *extra,
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"worker {kind} on {db.split(':')[0]} failed")
    return proc


DUCK_REPEAT = 3  # the baseline is always best of 3, warm, whatever --repeat gives Bình Đẳng's side


def _duck(parquet: str, province_id: int, dtts: list[str]) -> dict[str, Any]:
    """DuckDB at its best: the rows loaded once into an in-memory table (untimed), each query run once to warm
    up, then best of 3, results fetched as Arrow; converting them to Python for the comparison is untimed."""
    import duckdb

    con = duckdb.connect()  # in-memory database
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE v AS SELECT * REPLACE (CAST(value AS DECIMAL(20,4)) AS value, "
        "CAST(numerator AS DECIMAL(20,4)) AS numerator, CAST(denominator AS DECIMAL(20,4)) AS denominator) "
        f"FROM read_parquet('{parquet}')"
    )
    load_s = time.perf_counter() - started
    # The totals are the rows of combination "" (the parts are never summed into them, as Rollup(plan) reads).
    national_sql = (
        "SELECT province_id, indicator_id, sex, period_id, SUM(numerator), SUM(denominator) FROM v "
        "WHERE status = 'accepted' AND combo = '' GROUP BY ALL"
    )
    drill_sql = (
        "SELECT commune_id, indicator_id, sex, period_id, SUM(numerator), SUM(denominator) FROM v "
        f"WHERE status = 'accepted' AND combo = '' AND province_id = {int(province_id)} GROUP BY ALL"
    )
    # (c) every province's figures for ethnic minorities: each full combination with ethnicity=dtts
    in_list = ", ".join("'" + c.replace("'", "''") + "'" for c in dtts)
    combo_sql = (
        "SELECT province_id, indicator_id, sex || '@' || combo, period_id, SUM(numerator), SUM(denominator) "
        f"FROM v WHERE status = 'accepted' AND combo IN ({in_list}) GROUP BY ALL"
    )

    def arrow(sql: str) -> Any:
        return con.sql(sql).to_arrow_table()

    arrow(national_sql), arrow(drill_sql), arrow(combo_sql)  # warm-up, untimed
    national_s, nat = _best(DUCK_REPEAT, lambda: arrow(national_sql))
    drill_s, dri = _best(DUCK_REPEAT, lambda: arrow(drill_sql))
    combo_s, com = _best(DUCK_REPEAT, lambda: arrow(combo_sql))
    return {
        "load_s": load_s,
        "rows": con.sql("SELECT count(*) FROM v").fetchall()[0][0],
        "national_s": national_s,
        "drill_s": drill_s,
        "combo_s": combo_s,
        "national": {f"{u}|{i}|{s}|{p}": (n, d) for u, i, s, p, n, d in _rows(nat)},
        "drill": {f"{u}|{i}|{s}|{p}": (n, d) for u, i, s, p, n, d in _rows(dri)},
        "combo": {f"{u}|{i}|{s}|{p}": (n, d) for u, i, s, p, n, d in _rows(com)},
    }


def _rows(table: Any) -> list[tuple[Any, ...]]:
    columns = [column.to_pylist() for column in table.columns]
    return list(zip(*columns, strict=True))


def _same(ours: dict[str, list[str | None]], duck: dict[str, tuple[Decimal, Decimal]]) -> tuple[bool, str]:
    if set(ours) != set(duck):
        return False, f"keys differ: {len(set(ours) - set(duck))} only ours, {len(set(duck) - set(ours))} only DuckDB"
    for key, (num, den) in ours.items():
        dn, dd = duck[key]
        if num is None or den is None or Decimal(num) != dn or Decimal(den) != dd:
            return False, f"{key}: ours {num}/{den}, DuckDB {dn}/{dd}"
    return True, f"{len(ours):,} figures"


def _rss_mb_of(stdout: str) -> tuple[float, float]:
    data = json.loads(stdout.strip().splitlines()[-1])
    return data["rss_kb"] / 1024, data["hwm_kb"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="0.05", help='"national" or a fraction of each province\'s communes')
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (use 1 at national scale)")
    parser.add_argument("--worker", choices=["measure", "rss"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--parquet", help=argparse.SUPPRESS)
    parser.add_argument("--keep", metavar="DIR", help="keep the built databases in DIR (and PostgreSQL) to --reuse")
    parser.add_argument("--reuse", metavar="DIR", help="measure the databases kept by an earlier --keep run")
    args = parser.parse_args()
    if args.worker == "measure":
        worker_measure(args)
        return
    if args.worker == "rss":
        worker_rss(args)
        return

    import psycopg

    started = time.perf_counter()
    keep = args.keep or args.reuse
    if keep:
        tmp = Path(keep).resolve()
        tmp.mkdir(parents=True, exist_ok=True)
        state_file = tmp / "state.json"
        if args.reuse:
            pg_name = json.loads(state_file.read_text(encoding="utf-8"))["pg_name"]
        else:
            pg_name = f"bench_rollup_{os.getpid()}"
            state_file.write_text(json.dumps({"pg_name": pg_name, "scale": args.scale}), encoding="utf-8")
    else:
        tmp = Path(tempfile.mkdtemp(prefix="bench_rollup_"))
        pg_name = f"bench_rollup_{os.getpid()}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    sqlite_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    pg_url = f"{base}/{pg_name}"
    parquet = str(tmp / "values.parquet")
    if not args.reuse:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{pg_name}"')
    try:
        print(f"[Dữ liệu mô phỏng] roll-up benchmark, scale={args.scale}, seed={args.seed}, best of {args.repeat}")
        if args.reuse:
            print(f"measuring the databases built earlier in {tmp} (build times are that run's)")
        _run_worker("measure", sqlite_url, args, ["--out", str(tmp / "sqlite.json"), "--parquet", parquet])
        lite = json.loads((tmp / "sqlite.json").read_text(encoding="utf-8"))
        _run_worker("measure", pg_url, args, ["--out", str(tmp / "pg.json")])
        pg = json.loads((tmp / "pg.json").read_text(encoding="utf-8"))
        duck = _duck(parquet, lite["province"]["id"], lite["dtts"])
        rss_now, rss_peak = _rss_mb_of(_run_worker("rss", sqlite_url, args, []).stdout)
    finally:
        if not keep:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            shutil.rmtree(tmp, ignore_errors=True)

    b = lite["build"]
    checks = []
    # Unit ids differ between the two databases only if the units load differently; compare each to DuckDB
    # over its own ids: the SQLite export is the DuckDB source, PostgreSQL is compared through SQLite.
    checks.append(("sqlite national", *_same(lite["national"], duck["national"])))
    checks.append(("sqlite drill-down", *_same(lite["drill"], duck["drill"])))
    checks.append(("postgresql national", *_same(pg["national"], duck["national"])))
    checks.append(("postgresql drill-down", *_same(pg["drill"], duck["drill"])))
    checks.append(("sqlite ethnic minorities", *_same(lite["combo"], duck["combo"])))
    checks.append(("postgresql ethnic minorities", *_same(pg["combo"], duck["combo"])))
    identical = all(ok for _, ok, _ in checks)

    print(
        f"data: {b['provinces']} provinces, {b['communes']:,} communes, {b['indicators']} indicators, "
        f"{b['periods']} periods, {b['reports']:,} reports ({b['reports_late']:,} late, {b['reports_missing']:,} "
        f"missing), {b['values']:,} value rows = {b['numbers']:,} numbers; {b['summary_rows']:,} summary rows; "
        f"DuckDB table {duck['rows']:,} rows"
    )
    print(
        f"build: sqlite {b['seconds']:.1f} s, postgresql {pg['build']['seconds']:.1f} s; "
        f"parquet export {lite.get('export_s', 0):.1f} s; DuckDB in-memory load {duck['load_s']:.1f} s (untimed)"
    )
    prov = lite["province"]
    print(f"drill-down province: {prov['name']} ({prov['communes']} communes)")
    print()
    print(f"{'operation':<22}{'DuckDB':>12}{'PostgreSQL':>14}{'ratio':>9}{'SQLite':>14}{'ratio':>9}")
    ratios = {"pg": 0.0, "sqlite": 0.0}
    operations = (
        ("(a) national roll-up", "national_s"),
        ("(b) drill-down", "drill_s"),
        ("(c) ethnic minorities", "combo_s"),
    )
    for label, key in operations:
        d, p, s = duck[key], pg[key], lite[key]
        ratios["pg"] = max(ratios["pg"], p / d)
        ratios["sqlite"] = max(ratios["sqlite"], s / d)
        print(f"{label:<22}{d * 1000:>10.1f}ms{p * 1000:>12.1f}ms{p / d:>8.1f}×{s * 1000:>12.1f}ms{s / d:>8.1f}×")
    province_ms = max(pg["province_s"], lite["province_s"]) * 1000
    print(
        f"{'province dashboard':<22}{'':>12}{pg['province_s'] * 1000:>12.1f}ms"
        f"{'':>9}{lite['province_s'] * 1000:>12.1f}ms"
    )
    print()
    for name, ok, detail in checks:
        print(f"identical {name}: {'yes' if ok else 'NO'} ({detail})")
    print(f"server process RSS holding the national data: {rss_now:.0f} MB now, {rss_peak:.0f} MB peak (target ≤ 300)")
    print(
        "targets: PostgreSQL ≤ 2× DuckDB, SQLite ≤ 3×, province dashboard < 200 ms; "
        f"elapsed {time.perf_counter() - started:.0f} s"
    )
    print(
        f"rollup: pg_ratio={ratios['pg']:.1f} sqlite_ratio={ratios['sqlite']:.1f} province_ms={province_ms:.0f} "
        f"rss_mb={rss_peak:.0f} identical={'yes' if identical else 'no'}"
    )


if __name__ == "__main__":
    main()
