"""Deadline-day load test: gunicorn + PostgreSQL on this machine, then two gunicorn processes behind nginx.

    .venv/bin/python benchmarks/load.py [--users 50 --seconds 60 --pause 3-10 --stress-pause 0.5-2]

Builds a temporary PostgreSQL demo database (`binhdang demo --no-serve`), re-opens the demo's accepted reports
(as the administrator, through the reporting service) so every virtual reporter has reports of its own to fill,
creates one sign-in per virtual user in the reporting agency, and runs locust headless (in a child process) against
127.0.0.1 only. Mix per virtual user: sign in (all users within the first 10 s); then in a loop open the report
list, open a report, save values twice, submit, open dashboards, pausing between steps; one user in ten is a
standing-agency or administrator account that only reads dashboards and the report list. Baselines in the same
run: the sign-in page and a static file.

Run 1: one gunicorn; run 2: two gunicorns (half the workers each) behind nginx, database sessions shared; both
with human pacing (--pause, 3-10 s between steps: a practised officer who already has the figures at hand, still
quicker than anyone reading a page; benchmarks/README.md says why). Run 3, the stress run: one gunicorn with the
users pausing only 0.5-2 s (--stress-pause), four times the pace; it shows where the two CPUs saturate and is
reported, not judged. The last line sums runs 1 and 2 (requests, errors) and takes the worse p95 of the two.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS = ["sign in", "open report", "save", "submit", "dashboard", "report list", "sign-in page", "static file"]

FIXTURE = r"""
import json, os
from django.contrib.auth import get_user_model
from django.test import Client
from binhdang.places.services import user_create
from binhdang.plans.selectors import plans_visible_to
from binhdang.reporting.models import Report, ReportStatus
from binhdang.reporting.services import report_reopen
from binhdang.reporting.selectors import report_can_edit

users_wanted = int(os.environ["LOAD_USERS"])
password = "binhdang-demo-2026"
admin = get_user_model().objects.get(username="admin")
for report in Report.objects.filter(status=ReportStatus.ACCEPTED, period__closed=False):
    report_reopen(report=report, user=admin, reason="Kiểm thử tải: mở lại để nhập số liệu", version=report.version)
editable = Report.objects.filter(
    status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED], period__closed=False
).select_related("reporter", "period__plan").order_by("reporter_id", "period__due", "pk")
by_agency = {}
for report in editable:
    by_agency.setdefault(report.reporter_id, []).append(report)
overseers = ["thainguyen", "anhoathinh", "admin"]
n_overseers = max(1, users_wanted // 10)
n_reporters = max(1, users_wanted - n_overseers)
assigned = {a: 0 for a in by_agency}
for _ in range(n_reporters):
    best = max(by_agency, key=lambda a: len(by_agency[a]) / (assigned[a] + 1))
    assigned[best] += 1
plan_of = {}
vus = []
for agency_id, count in assigned.items():
    reports = by_agency[agency_id]
    for k in range(count):
        username = f"load-{len(vus):03d}"
        get_user_model().objects.filter(username=username).delete()
        user = user_create(username=username, password=password, agency=reports[0].reporter, full_name=username)
        mine = [r for i, r in enumerate(reports) if i % count == k]
        assert all(report_can_edit(user, r) for r in mine)
        plans = set(plans_visible_to(user).values_list("pk", flat=True))
        dash = sorted({f"/theo-doi/ke-hoach/{r.period.plan_id}/" for r in mine if r.period.plan_id in plans})
        vus.append({"role": "reporter", "username": username, "reports": [r.pk for r in mine], "dashboards": dash})
client = Client()
for i in range(n_overseers):
    username = overseers[i % len(overseers)]
    user = get_user_model().objects.get(username=username)
    dash = []
    for plan in plans_visible_to(user).select_related("unit")[:6]:
        for url in (f"/theo-doi/ke-hoach/{plan.pk}/", f"/theo-doi/dia-ban/{plan.unit_id}/",
                    f"/ke-hoach/{plan.pk}/tinh-hinh-bao-cao/"):
            client.force_login(user)
            if client.get(url).status_code == 200:
                dash.append(url)
    vus.append({"role": "overseer", "username": username, "reports": [], "dashboards": dash})
print("LOADJSON" + json.dumps({"vus": vus, "editable": editable.count(), "agencies": len(by_agency)}))
"""


def _loopback():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("binhdang_deploy_loopback", REPO / "deploy" / "loopback.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the locust side (child process) ------------------------------------------------------------------------------


def run_locust(config_path: str) -> None:
    import itertools
    import re
    from html.parser import HTMLParser
    from urllib.parse import urlencode

    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    counter = itertools.count()

    class Forms(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.forms: list[dict] = []
            self._textarea: str | None = None

        def handle_starttag(self, tag: str, attrs: list) -> None:
            a = dict(attrs)
            if tag == "form":
                self.forms.append({"action": a.get("action", ""), "fields": []})
            elif not self.forms:
                return
            elif tag == "input" and a.get("name"):
                kind = a.get("type", "text")
                if kind in ("checkbox", "radio") and "checked" not in a:
                    return
                if kind in ("submit", "button", "file"):
                    return
                self.forms[-1]["fields"].append((a["name"], a.get("value") or ""))
            elif tag == "textarea" and a.get("name"):
                self._textarea = a["name"]
                self.forms[-1]["fields"].append((a["name"], ""))
            elif tag == "select" and a.get("name"):
                self.forms[-1]["fields"].append((a["name"], None))
                self._select = a["name"]
            elif (
                tag == "option"
                and self.forms[-1]["fields"]
                and self.forms[-1]["fields"][-1][1] is None
                and "selected" in a
            ):
                name = self.forms[-1]["fields"][-1][0]
                self.forms[-1]["fields"][-1] = (name, a.get("value", ""))

        def handle_endtag(self, tag: str) -> None:
            if tag == "textarea":
                self._textarea = None
            if tag == "select" and self.forms and self.forms[-1]["fields"] and self.forms[-1]["fields"][-1][1] is None:
                name = self.forms[-1]["fields"][-1][0]
                self.forms[-1]["fields"][-1] = (name, "")

        def handle_data(self, data: str) -> None:
            if self._textarea and self.forms:
                name, value = self.forms[-1]["fields"][-1]
                self.forms[-1]["fields"][-1] = (name, value + data)

    def entry_form(html: str) -> list[tuple[str, str]] | None:
        parser = Forms()
        parser.feed(html)
        for form in parser.forms:
            if any(name == "entry_form" for name, _ in form["fields"]):
                return [(n, v or "") for n, v in form["fields"]]
        return None

    form_headers = {"Content-Type": "application/x-www-form-urlencoded"}

    class DeadlineDay(FastHttpUser):
        # FastHttpUser (geventhttpclient) rather than HttpUser (requests): the client shares the server's two CPUs,
        # and requests' per-request overhead took CPU from the server being measured.
        wait_time = between(*config["pause"])

        def on_start(self) -> None:
            self.vu = config["vus"][next(counter) % len(config["vus"])]
            self.todo = list(self.vu["reports"])
            self.sign_in()

        def csrf(self) -> str:
            return next((c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"), "")

        def post_form(self, url: str, fields: list[tuple[str, str]] | dict[str, str], name: str):  # type: ignore[no-untyped-def]
            return self.client.post(
                url,
                data=urlencode(fields),
                headers=form_headers,
                name=name,
                allow_redirects=False,
                catch_response=True,
            )

        def sign_in(self) -> None:
            self.client.get("/dang-nhap/", name="sign-in page")
            with self.post_form(
                "/dang-nhap/",
                {"username": self.vu["username"], "password": config["password"], "csrfmiddlewaretoken": self.csrf()},
                "sign in",
            ) as r:
                if r.status_code != 302:
                    r.failure(f"sign in: {r.status_code}")

        def open_report(self, pk: int) -> list[tuple[str, str]] | None:
            with self.client.get(f"/bao-cao/{pk}/", name="open report", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"open report: {r.status_code}")
                    return None
                return entry_form(r.text)

        @task
        def deadline_day(self) -> None:
            self.client.get(config["static_path"], name="static file")
            self.client.get("/bao-cao/", name="report list")
            if self.todo:
                pk = self.todo[0]
                fields = self.open_report(pk)
                if fields is None:  # no longer editable (sent): next report
                    self.todo.pop(0)
                else:
                    for _ in range(2):
                        gevent.sleep(self.wait_time())
                        with self.post_form(f"/bao-cao/{pk}/", fields, "save") as r:
                            if r.status_code != 302:
                                r.failure(f"save: {r.status_code}")
                        fields = self.open_report(pk) or fields
                    gevent.sleep(self.wait_time())
                    with self.post_form(f"/bao-cao/{pk}/gui/", fields, "submit") as r:
                        if r.status_code != 302:
                            r.failure(f"submit: {r.status_code}")
                    self.todo.pop(0)
            for url in self.vu["dashboards"][:3]:
                gevent.sleep(self.wait_time())
                with self.client.get(url, name="dashboard", catch_response=True) as r:
                    if r.status_code != 200:
                        r.failure(f"dashboard {url}: {r.status_code}")
            if not self.vu["dashboards"]:
                self.client.get("/dang-nhap/", name="sign-in page")

    env = Environment(user_classes=[DeadlineDay], host=config["host"])
    runner = env.create_local_runner()
    # Everybody signs in within the first 10 s (the deadline morning); password hashing is deliberately slow.
    runner.start(config["users"], spawn_rate=max(1.0, config["users"] / 10))
    gevent.spawn_later(config["seconds"], runner.quit)
    runner.greenlet.join()
    out: dict[str, dict] = {}
    for (name, _method), entry in env.stats.entries.items():
        row = out.setdefault(name, {"requests": 0, "failures": 0, "entries": []})
        row["requests"] += entry.num_requests
        row["failures"] += entry.num_failures
        row["entries"].append(entry)
    result = {}
    for name, row in out.items():
        from locust.stats import StatsEntry

        merged = StatsEntry(env.stats, name, "ALL")
        for entry in row["entries"]:
            merged.extend(entry)
        result[name] = {
            "requests": row["requests"],
            "errors": row["failures"],
            "p50": merged.get_response_time_percentile(0.5),
            "p95": merged.get_response_time_percentile(0.95),
        }
    errors = [f"{e.method} {e.name}: {e.error} x{e.occurrences}" for e in env.stats.errors.values()]
    Path(config["out"]).write_text(json.dumps({"kinds": result, "errors": errors}), encoding="utf-8")
    _ = re


# --- the orchestrator ---------------------------------------------------------------------------------------------


class CpuMeter:
    """CPU seconds spent by each kind of process (gunicorn, PostgreSQL, nginx, the locust client) while a run goes
    on, read with psutil every half second: it shows whether the server saturated the machine, and on what."""

    KINDS = ("gunicorn", "postgres", "nginx", "locust")

    def __init__(self) -> None:
        self._first: dict[int, tuple[str, float]] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def _kind(name: str, cmdline: list[str]) -> str | None:
        if name.startswith("postgres"):
            return "postgres"
        if name.startswith("nginx"):
            return "nginx"
        command = " ".join(cmdline)
        if "gunicorn" in command:
            return "gunicorn"
        if "--locust-child" in command:
            return "locust"
        return None

    def _sample(self) -> None:
        import psutil

        for proc in psutil.process_iter(["name", "cmdline", "cpu_times"]):
            times = proc.info["cpu_times"]
            if times is None:  # gone, or not ours to read
                continue
            seconds = times.user + times.system
            if proc.pid not in self._first:
                kind = self._kind(proc.info["name"] or "", proc.info["cmdline"] or [])
                if kind is None:
                    continue
                self._first[proc.pid] = (kind, seconds)
            self._last[proc.pid] = seconds

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def wait_idle(self, timeout: float = 60) -> None:
        """Wait until the servers use no CPU: gunicorn answers once its first worker is up, while the others are
        still importing the app (a second of CPU each), which is no part of the load."""
        deadline = time.monotonic() + timeout
        self._sample()
        before = sum(self.seconds().values())
        while time.monotonic() < deadline:
            time.sleep(1)
            self._sample()
            now = sum(self.seconds().values())
            if now - before < 0.05:
                break
            before = now
        self._first.clear()
        self._last.clear()

    def seconds(self) -> dict[str, float]:
        out = dict.fromkeys(self.KINDS, 0.0)
        for pid, (kind, first) in self._first.items():
            out[kind] += self._last.get(pid, first) - first
        return out


def run_once(  # type: ignore[no-untyped-def]
    stack, label: str, host: str, vus: list, args: argparse.Namespace, pause: tuple[float, float], static_path: str
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config.json"
        out = Path(tmp) / "out.json"
        cfg.write_text(
            json.dumps(
                {
                    "vus": vus,
                    "users": args.users,
                    "seconds": args.seconds,
                    "host": host,
                    "password": "binhdang-demo-2026",
                    "static_path": static_path,
                    "pause": list(pause),
                    "out": str(out),
                }
            ),
            encoding="utf-8",
        )
        print(f"load: {label}: {args.users} users for {args.seconds}s against {host}", flush=True)
        meter = CpuMeter()
        meter.wait_idle()
        started = time.monotonic()
        with meter:
            subprocess.run(
                [sys.executable, __file__, "--locust-child", str(cfg)],
                check=True,
                cwd=REPO,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
        result = json.loads(out.read_text(encoding="utf-8"))
        result["cpu"] = meter.seconds()
        result["wall"] = time.monotonic() - started
        result["label"] = label
        result["pause"] = pause
        return result


def table(result: dict) -> None:
    kinds = result["kinds"]
    base = kinds.get("sign-in page", {}).get("p95") or 1
    requests = sum(r["requests"] for r in kinds.values())
    print(f"\n{result['label']}; pauses {_pause_text(result['pause'])} s; {requests / result['wall']:.1f} requests/s")
    print(f"  {'kind':<14}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p95/sign-in page':>18}")
    for kind in KINDS:
        row = kinds.get(kind)
        if row:
            print(
                f"  {kind:<14}{row['requests']:>9}{row['errors']:>8}{row['p50']:>9.0f}{row['p95']:>9.0f}"
                f"{row['p95'] / base:>18.2f}"
            )
    cpu = result["cpu"]
    budget = (os.cpu_count() or 1) * result["wall"]
    print(
        "  CPU seconds: "
        + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
        + f"; {sum(cpu.values()) / budget:.0%} of the machine's {budget:.0f} CPU-seconds"
    )
    for error in result["errors"][:10]:
        print(f"  error: {error}")


def _pause(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        pair = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"pause must read MIN-MAX in seconds, e.g. 3-10, not {text!r}") from None
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"pause must read MIN-MAX with 0 <= MIN <= MAX, not {text!r}")
    return pair


def _pause_text(pause: tuple[float, float]) -> str:
    return "–".join(f"{p:g}" for p in pause)


def _p95(result: dict, kind: str) -> float:
    return float(result["kinds"].get(kind, {}).get("p95", 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in total (split over 2 in run 2)")
    parser.add_argument("--pause", type=_pause, default=(3.0, 10.0), help="seconds between steps, runs 1 and 2")
    parser.add_argument(
        "--stress-pause", type=_pause, default=(0.5, 2.0), help="seconds between steps in the stress run (run 3)"
    )
    parser.add_argument("--no-stress", action="store_true", help="skip run 3")
    parser.add_argument("--locust-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.locust_child:
        run_locust(args.locust_child)
        return
    loopback = _loopback()
    stack = loopback.Stack()
    started = time.monotonic()
    env_extra = {"LOAD_USERS": str(args.users)}

    def shell(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "binhdang.cli", "shell", "-c", code],
            cwd=REPO,
            env=stack.env(**env_extra),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stdout + done.stderr)
        return done.stdout

    def fresh_users() -> list:
        # Reports sent in an earlier run go back to editable (the acceptor returns them, through the service);
        # then the same fixture hands them out again.
        shell(RETURN_SUBMITTED)
        return list(json.loads(shell(FIXTURE).split("LOADJSON", 1)[1])["vus"])

    results = []
    try:
        stack.create_database()
        print("load: building the demo database (binhdang demo --no-serve) ...", flush=True)
        stack.cli("demo", "--no-serve")
        stack.cli("collectstatic", "--noinput", "-v0")
        data = json.loads(shell(FIXTURE).split("LOADJSON", 1)[1])
        vus = data["vus"]
        print(
            f"load: {data['editable']} editable reports of {data['agencies']} agencies; "
            f"{sum(v['role'] == 'reporter' for v in vus)} reporters, "
            f"{sum(v['role'] == 'overseer' for v in vus)} overseers ({time.monotonic() - started:.0f}s)",
            flush=True,
        )
        static = next((p for p in sorted((stack.data_dir / "static").rglob("*.css"))), None)
        static_path = "/static/" + str(static.relative_to(stack.data_dir / "static")) if static else "/dang-nhap/"

        port = stack.start_gunicorn(workers=args.workers)
        label = f"run 1: one gunicorn, {args.workers} workers"
        results.append(run_once(stack, label, f"http://127.0.0.1:{port}", vus, args, args.pause, static_path))
        stack.stop_servers()

        vus = fresh_users()
        half = max(1, args.workers // 2)
        ports = [stack.start_gunicorn(workers=half), stack.start_gunicorn(workers=half)]
        nginx_port = stack.start_nginx(ports, workers=1)
        two = run_once(stack, "run 2", f"http://127.0.0.1:{nginx_port}", vus, args, args.pause, static_path)
        served = {p: len((stack.workdir / f"access-{p}.log").read_text(encoding="utf-8").splitlines()) for p in ports}
        two["label"] = (
            f"run 2: two gunicorns x {half} workers behind nginx (requests per instance: "
            f"{', '.join(str(n) for n in served.values())}; shared database sessions)"
        )
        results.append(two)
        stack.stop_servers()

        if not args.no_stress:
            vus = fresh_users()
            port = stack.start_gunicorn(workers=args.workers)
            label = f"run 3 (stress, not judged): one gunicorn, {args.workers} workers"
            host = f"http://127.0.0.1:{port}"
            results.append(run_once(stack, label, host, vus, args, args.stress_pause, static_path))
            stack.stop_servers()
    finally:
        stack.close()

    print(
        f"\nmachine: {os.cpu_count()} CPUs, {_machine()}; PostgreSQL {_pg_version()}; users={args.users}, "
        f"{args.seconds}s per run; the locust client runs on the same CPUs"
    )
    for result in results:
        table(result)
    judged = results[:2]
    if len(results) > 2:
        stress = results[2]
        requests = sum(r["requests"] for r in stress["kinds"].values())
        print(
            f"\nstress: users={args.users} pause={_pause_text(args.stress_pause)}s requests={requests} "
            f"requests_per_s={requests / stress['wall']:.1f} p95_save_ms={_p95(stress, 'save'):.0f} "
            f"p95_dashboard_ms={_p95(stress, 'dashboard'):.0f}"
        )
    requests = sum(r["requests"] for res in judged for r in res["kinds"].values())
    errors = sum(r["errors"] for res in judged for r in res["kinds"].values())
    print(
        f"\nload: users={args.users} requests={requests} errors={errors} "
        f"p95_save_ms={max(_p95(r, 'save') for r in judged):.0f} "
        f"p95_dashboard_ms={max(_p95(r, 'dashboard') for r in judged):.0f}"
    )


RETURN_SUBMITTED = r"""
from django.contrib.auth import get_user_model
from binhdang.reporting.models import Report, ReportStatus
from binhdang.reporting.services import report_return
admin = get_user_model().objects.get(username="admin")
for report in Report.objects.filter(status=ReportStatus.SUBMITTED, period__closed=False):
    report_return(report=report, user=admin, comment="Kiểm thử tải: trả lại để nhập tiếp", version=report.version)
"""


def _machine() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                mem = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
                return f"{line.split(':', 1)[1].strip()}, {mem} GiB RAM"
    except OSError:
        pass
    return "unknown CPU"


def _pg_version() -> str:
    try:
        import psycopg

        with psycopg.connect(_loopback().ADMIN_URL) as conn:
            row = conn.execute("show server_version").fetchone()
            return str(row[0]) if row else "?"
    except Exception:
        return "?"


if __name__ == "__main__":
    main()
