"""The permission matrix: every role × every address × own unit / other unit / parent / child, from ONE table.

Each row names a URL (by its resolver name), the method, the object it targets and, for each role, the
expected outcome. One test is parametrised over (row × role). A second test walks the URL resolver and fails
when a named URL has neither a row nor an entry in the commented exclusion list, so a new page cannot ship
without saying who may use it.

Roles (docs/permissions.md): administrator, standing-agency officer of the province (Sở Nội vụ), department
officer of the province (Sở Y tế), commune officer (commune A's standing office), and the public.
Targets: the province's plan (parent of the commune; "own unit" for the province roles), commune A's plan
(own for the commune officer, child for the province roles), commune B's plan (other commune), another
province's plan (other unit for everyone but the administrator), and the reports, periods, inspections,
uploads and publications hanging off them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import PASSWORD, build_world, minimal_plan, rolled_back_module_world, wage_share_indicator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# --- outcomes ------------------------------------------------------------------------------------------------

ALLOW = "allow"  # 200 (or the row's success codes); a read shows the target's identifying text
ABSENT = "absent"  # 200, but the target is not listed (a list filtered by permission)
HIDDEN = "hidden"  # 404: the object is not visible to this user (indistinguishable from "does not exist")
FORBID = "forbid"  # 403: visible, but this user may not do this
LOGIN = "login"  # 302 to the login page (web) / 401 (API)

ROLES = ("public", "admin", "standing", "department", "commune")
A, H, F, L, X = ALLOW, HIDDEN, FORBID, LOGIN, ABSENT


def o(public: str, admin: str, standing: str, department: str, commune: str) -> dict[str, str]:
    return dict(zip(ROLES, (public, admin, standing, department, commune), strict=True))


# --- the world -----------------------------------------------------------------------------------------------

PROV_TITLE = "Kế hoạch tỉnh ZQPROV"
A_TITLE = "Kế hoạch xã A ZQCOMA"
B_TITLE = "Kế hoạch xã B ZQCOMB"
OTHER_TITLE = "Kế hoạch tỉnh khác ZQOTHER"


def _indicators(responsible: list[str]) -> list[dict[str, Any]]:
    return [
        {**wage_share_indicator(), "responsible": responsible},
        {"id": "I2", "objective": "O1", "text": "Số vụ bạo lực gia đình được phát hiện", "measure": "count"},
    ]


def _world() -> SimpleNamespace:
    """tests/conftest.py's `world`, built once per module (see `m`)."""
    return build_world()


@pytest.fixture(scope="module")
def m(django_db_setup: None, django_db_blocker: Any) -> Any:
    """One world per module, inside an outer transaction rolled back at the end; each test's own transaction
    (pytest-django's `db`) nests in it as a savepoint, so a POST that changes something is undone after it."""
    with rolled_back_module_world(django_db_blocker):
        yield _build(_world())


def _build(world: SimpleNamespace) -> SimpleNamespace:
    """Plans of four units, the province plan's reporting cycle, inspections, an upload and a publication."""
    import datetime as dt
    from decimal import Decimal

    from binhdang.jobs.models import Job, JobState
    from binhdang.opendata.services import indicator_publish
    from binhdang.plans.interchange import plan_load
    from binhdang.reader.models import DocumentImport
    from binhdang.reporting.checks import Entry
    from binhdang.reporting.inspections import finding_add, inspection_create
    from binhdang.reporting.services import periods_generate, report_save, reports_generate

    doc = minimal_plan("2025:19", title=PROV_TITLE)
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = _indicators(["Sở Y tế"])
    doc["tasks"] = [
        {"id": "T1", "text": "Tuyên truyền về bình đẳng giới", "lead": "Sở Y tế", "partners": []},
        {"id": "T2", "text": "Xây dựng kế hoạch cấp xã", "lead": "Ủy ban nhân dân các xã, phường", "partners": []},
    ]
    doc["reporting"] = [
        {"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"},
        {"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"},
    ]
    prov = plan_load(doc)
    a_doc = minimal_plan(f"2025:{world.commune_a.code}", level="commune", title=A_TITLE)
    a_doc["objectives"] = [{"id": "O1", "number": "1", "title": "Mục tiêu xã A"}]
    plan_a = plan_load(a_doc)
    plan_b = plan_load(minimal_plan(f"2025:{world.commune_b.code}", level="commune", title=B_TITLE))
    b_obj = minimal_plan(f"2025:{world.other_province.code}", title=OTHER_TITLE)
    b_obj["objectives"] = [{"id": "O1", "number": "1", "title": "Mục tiêu"}]
    b_obj["indicators"] = _indicators([])
    b_obj["reporting"] = [{"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"}]
    other = plan_load(b_obj)

    periods = periods_generate(plan=prov)
    period = next(p for p in periods if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=period)}
    other_period = periods_generate(plan=other)[0]
    b_report = by_agency[world.b_office.pk]
    i2 = prov.indicators.get(key="I2")
    report_save(
        report=b_report, user=world.admin, version=b_report.version, entries=[Entry(i2.pk, "total", Decimal(7))]
    )
    b_report.refresh_from_db()

    today = dt.date(2026, 3, 1)
    insp_prov = inspection_create(
        plan=prov,
        user=world.admin,
        title="Đoàn kiểm tra tỉnh ZQINSP",
        team="",
        starts_on=today,
        ends_on=today,
        units=[world.commune_a, world.commune_b],
        agencies=[],
    )
    # A finding about commune B in the province's inspection: commune A, a peer, must not read it.
    finding_add(
        inspection=insp_prov,
        user=world.admin,
        unit=world.commune_b,
        agency=None,
        text="Phát hiện ZQFINB",
        recommendation="",
        due=None,
    )
    insp_b = inspection_create(
        plan=plan_b,
        user=world.admin,
        title="Đoàn kiểm tra xã B ZQINSB",
        team="",
        starts_on=today,
        ends_on=today,
        units=[world.commune_b],
        agencies=[],
    )
    finding_b = finding_add(
        inspection=insp_b,
        user=world.admin,
        unit=world.commune_b,
        agency=None,
        text="Thiếu số liệu",
        recommendation="Bổ sung",
        due=None,
    )
    upload_a = DocumentImport.objects.create(
        sha256="a" * 64, filename="ZQUPLA.docx", size=1, content=b"x", created_by=world.commune_user
    )
    upload_p = DocumentImport.objects.create(
        sha256="b" * 64, filename="ZQUPLP.docx", size=1, content=b"x", created_by=world.province_user
    )
    # A finished background job of the commune officer (a made PDF): seen by its owner and administrators only.
    job_a = Job.objects.create(
        kind="documents.pdf",
        key="matrix-job-a",
        state=JobState.SUCCEEDED,
        progress=100,
        output=b"%PDF-1.7 ZQJOBA",
        result={"filename": "ZQJOBA.pdf", "content_type": "application/pdf"},
        created_by=world.commune_user,
    )
    publication = indicator_publish(indicator=prov.indicators.get(key="I1"), user=world.admin)
    value_b = b_report.values.first()
    return SimpleNamespace(
        **vars(world),
        prov=prov,
        plan_a=plan_a,
        plan_b=plan_b,
        other=other,
        period=period,
        other_period=other_period,
        health_report=by_agency[world.health.pk],
        a_report=by_agency[world.a_office.pk],
        b_report=b_report,
        i1=prov.indicators.get(key="I1"),
        i2=i2,
        other_i1=other.indicators.get(key="I1"),
        insp_prov=insp_prov,
        insp_b=insp_b,
        finding_b=finding_b,
        upload_a=upload_a,
        upload_p=upload_p,
        job_a=job_a,
        publication=publication,
        value_b=value_b,
        review=None,
    )


USERS = {
    "public": None,
    "admin": "admin",
    "standing": "province_user",
    "department": "department_user",
    "commune": "commune_user",
}


# --- the table -----------------------------------------------------------------------------------------------

Args = Callable[[SimpleNamespace], list[Any]]
Text = Callable[[SimpleNamespace], str]


@dataclass(frozen=True)
class Row:
    name: str  # the URL's resolver name ("api:plan-detail" for the API)
    target: str  # what it addresses: a label used in the test id
    args: Args
    outcomes: dict[str, str]  # role → outcome; a role absent from the dict is not run for this row
    method: str = "get"
    text: Text | None = None  # the target's identifying text, checked present (allowed read) or absent
    api: bool = False
    data: Callable[[SimpleNamespace], Any] | None = None
    ok: tuple[int, ...] = (200,)  # success codes for ALLOW
    query: str = ""
    pk_in_list: Callable[[SimpleNamespace], int] | None = None  # API lists: the target's id in "results"


def _plan(attr: str) -> Args:
    return lambda w: [getattr(w, attr).pk]


def _title(attr: str) -> Text:
    return lambda w: getattr(w, attr).title


def _pk(attr: str) -> Args:
    return lambda w: [getattr(w, attr).pk]


def _b_unit(w: SimpleNamespace) -> str:
    return str(w.commune_b.name)


def _published_indicator(w: SimpleNamespace) -> list[Any]:
    # The public pages take the indicator's id, not the publication's: the two only agree on a fresh database.
    return [w.publication.indicator_id]


PLANS = {
    # target label: (fixture attribute, outcomes for a read of a visible plan)
    "parent-province-plan": ("prov", o(L, A, A, A, A)),  # the commune reads the plan that gives it work
    "own-commune-plan": ("plan_a", o(L, A, A, A, A)),  # child of the province roles
    "other-commune-plan": ("plan_b", o(L, A, A, A, H)),
    "other-province-plan": ("other", o(L, A, H, H, H)),
}
# Plans are edited by the unit's standing agency and leaders (People's Committee); departments read and report
# only (docs/permissions.md, duties table).
EDIT = {
    "parent-province-plan": o(L, A, A, F, F),
    "own-commune-plan": o(L, A, F, F, A),
    "other-commune-plan": o(L, A, F, F, H),
    "other-province-plan": o(L, A, H, H, H),
}
# Choosing open data (issue 14): the plan's standing agency (the acceptor of its reports) and administrators.
PUBLISH = {
    "parent-province-plan": o(L, A, A, F, F),
    "own-commune-plan": o(L, A, F, F, A),
    "other-commune-plan": o(L, A, F, F, H),
    "other-province-plan": o(L, A, H, H, H),
}
REPORTS = {
    # label: (attribute, read, edit (reporter; the standing agency for a committee's report), submit, decide)
    "department-report": ("health_report", o(L, A, A, A, H), o(L, A, F, A, H), o(L, A, F, A, H), o(L, A, A, F, H)),
    "own-commune-report": ("a_report", o(L, A, A, A, A), o(L, A, A, F, A), o(L, A, F, F, A), o(L, A, A, F, F)),
    "other-commune-report": ("b_report", o(L, A, A, A, H), o(L, A, A, F, H), o(L, A, F, F, H), o(L, A, A, F, H)),
}
PERIODS = {
    # read; manage (compiled figures, whole-period file): the plan's editors and its acceptor, not a department
    "province-period": ("period", o(L, A, A, A, A), o(L, A, A, F, F)),
    "other-province-period": ("other_period", o(L, A, H, H, H), o(L, A, H, H, H)),
}
REDIRECT = (302,)
POSTED = (200, 302, 400, 409)  # a permitted POST may still be refused for its content, never for who sends it


def _rows() -> list[Row]:
    rows: list[Row] = [
        Row("login", "-", lambda w: [], o(A, A, A, A, A)),
        Row("home", "-", lambda w: [], o(L, A, A, A, A)),  # "Việc cần làm"
        Row("logout", "-", lambda w: [], o(A, A, A, A, A), method="post", ok=REDIRECT),
        Row("password-change", "-", lambda w: [], o(L, A, A, A, A)),
        Row("my-work", "-", lambda w: [], o(L, A, A, A, A), ok=REDIRECT),
        Row("plan-create", "-", lambda w: [], o(L, A, A, A, A)),
        Row("plan-import-json-new", "-", lambda w: [], o(L, A, A, A, A)),
        Row("reader-upload", "-", lambda w: [], o(L, A, A, A, A)),
        Row("report-list", "-", lambda w: [], o(L, A, A, A, A)),
        Row("notice-list", "-", lambda w: [], o(L, A, A, A, A)),
        Row("dashboard-method", "-", lambda w: [], o(L, A, A, A, A)),
        Row("dashboard-index", "-", lambda w: [], o(L, A, A, A, A)),
        # The national view shows only the synthetic national plan, which this world does not build.
        Row("dashboard-national", "-", lambda w: [], o(L, H, H, H, H)),
        # Open data: public by design.
        Row("opendata:index", "-", lambda w: [], o(A, A, A, A, A)),
        Row("opendata:dictionary", "-", lambda w: [], o(A, A, A, A, A)),
        Row("opendata:dictionary-json", "-", lambda w: [], o(A, A, A, A, A)),
        Row("opendata:indicator", "published", _published_indicator, o(A, A, A, A, A), text=lambda w: w.i1.text),
        Row("opendata:indicator-csv", "published", _published_indicator, o(A, A, A, A, A)),
        Row(
            "opendata-preview",
            "province-indicator",
            lambda w: [w.prov.pk, w.i1.pk],
            PUBLISH["parent-province-plan"],
            text=lambda w: w.i1.text,
        ),
        Row("opendata:indicator-json", "published", _published_indicator, o(A, A, A, A, A)),
        # API entry points that need no object.
        Row("api:api-root", "-", lambda w: [], o(L, A, A, A, A), api=True),
        Row("api:unit-list", "-", lambda w: [], o(L, A, A, A, A), api=True),
        Row("api:unit-detail", "commune-b", lambda w: [w.commune_b.pk], o(L, A, A, A, A), api=True),
        Row("api:token", "-", lambda w: [], o(A, A, A, A, A), method="post", api=True, data=lambda w: None),
    ]
    for label, (attr, read) in PLANS.items():
        args, title = _plan(attr), _title(attr)
        listed = {role: (X if out == H else out) for role, out in read.items()}
        edit = EDIT[label]
        rows += [
            Row("plan-list", label, lambda w: [], listed, text=title),
            Row("plan-detail", label, args, read, text=title),
            Row("plan-export", label, args, read, text=title),
            Row("plan-periods", label, args, read, text=title),
            Row("plan-completeness", label, args, read, text=title),
            Row("inspection-list", label, args, read, text=title),
            Row("dashboard-plan", label, args, read, text=title),
            Row("dashboard-index", label, lambda w: [], listed, text=title),
            Row("dashboard-budget", label, args, read, text=title),
            Row("dashboard-tasks", label, args, read, text=title),
            Row("document-plan-docx", label, args, read),
            Row("plan-derive", label, args, read),
            Row("plan-update", label, args, edit),
            Row("plan-delete", label, args, edit),
            Row("plan-import-json", label, args, edit),
            Row("indicator-adopt", label, args, edit),
            Row("inspection-create", label, args, edit),
            Row("part-create", label, lambda w, a=attr: [getattr(w, a).pk, "objective"], edit),
            Row("periods-generate", label, args, edit, method="post", ok=REDIRECT),
            Row("plan-opendata", label, args, PUBLISH[label]),
            Row("api:plan-list", label, lambda w: [], listed, api=True, pk_in_list=lambda w, a=attr: getattr(w, a).pk),
            Row("api:plan-detail", label, args, read, api=True, text=title),
            Row(
                "api:indicator-list",
                label,
                lambda w: [],
                listed,
                api=True,
                query="?page_size=200",
                pk_in_list=lambda w, a=attr: (
                    getattr(w, a).indicators.first().pk if getattr(w, a).indicators.exists() else -1
                ),
            ),
            # The province plan has reports: its editors are refused for what it holds (409), not for who they are.
            Row(
                "plan-delete",
                label + " (POST)",
                args,
                {k: v for k, v in edit.items()},
                method="post",
                ok=(409,) if attr == "prov" else REDIRECT,
            ),
        ]
    rows = [
        r
        for r in rows
        if not (r.name == "api:indicator-list" and r.target in ("own-commune-plan", "other-commune-plan"))
    ]
    # Parts of a plan: commune A's objective (own commune / child), the province plan's objective (parent).
    rows += [
        Row(
            "part-update",
            "own-commune-plan",
            lambda w: [w.plan_a.pk, "objective", w.plan_a.objectives.get().pk],
            EDIT["own-commune-plan"],
        ),
        Row(
            "part-delete",
            "own-commune-plan",
            lambda w: [w.plan_a.pk, "objective", w.plan_a.objectives.get().pk],
            EDIT["own-commune-plan"],
        ),
        Row(
            "part-update",
            "parent-province-plan",
            lambda w: [w.prov.pk, "objective", w.prov.objectives.get().pk],
            EDIT["parent-province-plan"],
        ),
        Row(
            "part-delete",
            "parent-province-plan",
            lambda w: [w.prov.pk, "objective", w.prov.objectives.get().pk],
            EDIT["parent-province-plan"],
        ),
        # "Ngừng theo dõi" of an indicator: the plan's editors only.
        Row(
            "part-retire",
            "parent-province-plan",
            lambda w: [w.prov.pk, "indicator", w.i2.pk],
            EDIT["parent-province-plan"],
            method="post",
            ok=REDIRECT,
        ),
        Row(
            "part-retire",
            "other-province-plan",
            lambda w: [w.other.pk, "indicator", w.other_i1.pk],
            EDIT["other-province-plan"],
            method="post",
            ok=REDIRECT,
        ),
        Row(
            "part-update",
            "other-province-plan",
            lambda w: [w.other.pk, "objective", w.other.objectives.get().pk],
            EDIT["other-province-plan"],
        ),
    ]
    for label, (attr, read, edit, submit, decide) in REPORTS.items():
        args = _pk(attr)

        def unit(w: SimpleNamespace, a: str = attr) -> str:
            return str(getattr(w, a).unit.name)

        def values(w: SimpleNamespace, a: str = attr) -> dict[str, Any]:
            report = getattr(w, a)
            line = report.indicator_lines.order_by("pk").first()
            return {
                "version": report.version,
                "values": [{"indicator": line.indicator_id, "sex": "total", "value": "3"}],
            }

        rows += [
            Row("report-detail", label, args, read, text=unit),
            Row(
                "report-detail",
                label + " (save)",
                args,
                edit,
                method="post",
                ok=POSTED,
                data=lambda w, a=attr: {"version": getattr(w, a).version},
            ),
            Row("report-xlsx", label, args, read),
            Row("report-xlsx-upload", label, args, edit),
            Row("report-csv-upload", label, args, edit),
            # Only a committee's report is filled from its own plan's compilation: a department's is refused.
            Row(
                "report-fill-upward",
                label,
                args,
                o(L, F, F, F, H) if attr == "health_report" else edit,
                method="post",
                ok=POSTED,
            ),
            Row("report-submit", label, args, submit, method="post", ok=POSTED),
            Row("report-return", label, args, decide, method="post", ok=POSTED),
            Row("report-accept", label, args, decide, method="post", ok=POSTED),
            Row("report-reopen", label, args, decide, method="post", ok=POSTED),
            Row("report-remind", label, args, decide, method="post", ok=POSTED),  # "Nhắc nộp" (issue 14)
            Row("api:report-detail", label, args, read, api=True),
            Row(
                "api:report-list",
                label,
                lambda w: [],
                {r: (X if v == H else v) for r, v in read.items()},
                api=True,
                pk_in_list=lambda w, a=attr: getattr(w, a).pk,
            ),
            Row("api:report-values", label, args, edit, method="post", api=True, data=values, ok=(200, 400, 409)),
            Row(
                "api:report-submit",
                label,
                args,
                submit,
                method="post",
                api=True,
                data=lambda w, a=attr: {"version": getattr(w, a).version},
                ok=(200, 400, 409),
            ),
        ]
    rows += [
        Row("api:value-detail", "other-commune-report", _pk("value_b"), o(L, A, A, A, H), api=True),
        Row(
            "api:value-list",
            "other-commune-report",
            lambda w: [],
            o(L, A, A, A, X),
            api=True,
            pk_in_list=lambda w: w.value_b.pk,
        ),
    ]
    for label, (attr, read, manage) in PERIODS.items():
        args = _pk(attr)
        rows += [
            Row("period-detail", label, args, read),
            Row("period-compiled", label, args, manage),
            Row("period-xlsx", label, args, manage),
            Row("period-xlsx-upload", label, args, manage),
            Row("document-report-docx", label, args, manage),
            Row("api:period-detail", label, args, read, api=True),
            Row(
                "api:period-list",
                label,
                lambda w: [],
                {r: (X if v == H else v) for r, v in read.items()},
                api=True,
                pk_in_list=lambda w, a=attr: getattr(w, a).pk,
            ),
        ]
    rows += [
        # Indicators through the API: the province plan's (visible to all signed-in roles), another province's.
        Row("api:indicator-detail", "parent-province-plan", _pk("i1"), o(L, A, A, A, A), api=True),
        Row("api:indicator-detail", "other-province-plan", _pk("other_i1"), o(L, A, H, H, H), api=True),
        # Agencies: the API lists agencies of units in scope; agency-work shows an agency's work in visible plans.
        Row("api:agency-detail", "department", lambda w: [w.health.pk], o(L, A, A, A, H), api=True),
        Row("api:agency-detail", "other-commune-office", lambda w: [w.b_office.pk], o(L, A, A, A, H), api=True),
        Row("api:agency-detail", "other-province-agency", lambda w: [w.other_standing.pk], o(L, A, H, H, H), api=True),
        Row(
            "api:agency-list",
            "other-commune-office",
            lambda w: [],
            o(L, A, A, A, X),
            api=True,
            pk_in_list=lambda w: w.b_office.pk,
        ),
        Row("agency-work", "own-commune-office", lambda w: [w.a_office.pk], o(L, A, A, A, A)),
        Row("agency-work", "other-commune-office", lambda w: [w.b_office.pk], o(L, A, A, A, H)),
        Row("agency-work", "other-province-agency", lambda w: [w.other_standing.pk], o(L, A, H, H, H)),
        # Unit dashboards: the user's unit, the units below it, never a sibling or another province.
        Row("dashboard-unit", "province", lambda w: [w.province.pk], o(L, A, A, A, H)),
        Row("dashboard-unit", "own-commune", lambda w: [w.commune_a.pk], o(L, A, A, A, A)),
        Row("dashboard-unit", "other-commune", lambda w: [w.commune_b.pk], o(L, A, A, A, H)),
        Row("dashboard-unit", "other-province", lambda w: [w.other_province.pk], o(L, A, H, H, H)),
        Row(
            "dashboard-unit",
            "own-commune (plan B)",
            lambda w: [w.commune_a.pk],
            o(L, A, A, A, H),
            query="?plan={plan_b}",
        ),
        # Inspections: readable with the plan; findings are recorded and closed by the plan's editors.
        Row(
            "inspection-detail",
            "parent-province-plan",
            _pk("insp_prov"),
            o(L, A, A, A, A),
            text=lambda w: w.insp_prov.title,
        ),
        Row("inspection-detail", "other-commune-plan", _pk("insp_b"), o(L, A, A, A, H), text=lambda w: w.insp_b.title),
        # A peer's findings: the province's inspection opens for commune A, without commune B's finding.
        Row(
            "inspection-detail",
            "parent-province-plan (another commune's finding)",
            _pk("insp_prov"),
            o(L, A, A, A, X),
            text=lambda w: "Phát hiện ZQFINB",
        ),
        # A peer's row and send time: the period page and the completeness CSV show commune A its own row only.
        Row("period-detail", "province-period (another commune's row)", _pk("period"), o(L, A, A, A, X), text=_b_unit),
        Row(
            "plan-completeness",
            "parent-province-plan (another commune's row, CSV)",
            _plan("prov"),
            o(L, A, A, A, X),
            query="?format=csv",
            text=_b_unit,
        ),
        Row(
            "inspection-detail",
            "parent-province-plan (POST finding)",
            _pk("insp_prov"),
            EDIT["parent-province-plan"],
            method="post",
            ok=POSTED,
        ),
        Row(
            "finding-close",
            "other-commune-plan",
            _pk("finding_b"),
            o(L, A, F, F, H),
            method="post",
            ok=POSTED,
            data=lambda w: {"note": "Đã khắc phục"},
        ),
        Row("review-summary", "province-period", lambda w: [w.prov.pk, w.period.pk], o(L, H, H, H, H)),
        # Uploads of the plan reader: only the uploader (and administrators).
        Row("reader-status", "own-upload", _pk("upload_a"), o(L, A, H, H, A), text=lambda w: "ZQUPLA"),
        Row("reader-status-json", "own-upload", _pk("upload_a"), o(L, A, H, H, A)),
        Row("reader-review", "own-upload", _pk("upload_a"), o(L, A, H, H, A), ok=REDIRECT),
        Row("reader-status", "province-upload", _pk("upload_p"), o(L, A, A, H, H)),
        # Background jobs: only the person who started one (and administrators).
        Row("job-status", "own-job", _pk("job_a"), o(L, A, H, H, A), text=lambda w: "ZQJOBA"),
        Row("job-status-json", "own-job", _pk("job_a"), o(L, A, H, H, A)),
        Row("job-file", "own-job", _pk("job_a"), o(L, A, H, H, A), text=lambda w: "ZQJOBA"),
        # One PDF case only (LibreOffice takes seconds): the denials never render. An allowed request starts a
        # background job and is sent to its page (binhdang/documents/jobs.py).
        Row(
            "document-plan-pdf",
            "other-commune-plan",
            _plan("plan_b"),
            {"public": L, "commune": H, "admin": A},
            ok=(302,),
        ),
        Row(
            "document-report-pdf",
            "other-province-period",
            _pk("other_period"),
            {"public": L, "commune": H, "standing": H},
        ),
    ]
    return rows


ROWS = _rows()

# Named URLs with no row, and why. Anything else the resolver knows must appear in ROWS.
EXCLUDED_PREFIXES = ("admin:",)  # Django's admin site: superusers only, guarded by Django itself
EXCLUDED = {
    "set_language",  # i18n: switches the interface language, touches no data
    "api:schema",  # the OpenAPI document: the same for everyone, no data
    "api:docs",  # Swagger UI for the schema
    "api:redoc",  # Redoc for the schema
}


def _cases() -> list[Any]:
    cases = []
    for index, row in enumerate(ROWS):
        for role in ROLES:
            if role in row.outcomes:
                label = f"{row.method.upper()} {row.name} [{row.target}] as {role} → {row.outcomes[role]}"
                cases.append(pytest.param(index, role, id=f"{index:03d}-{label}"))
    return cases


def _client(w: SimpleNamespace, role: str, api: bool) -> Client | APIClient:
    user = getattr(w, USERS[role]) if USERS[role] else None
    if api:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize(("index", "role"), _cases())
def test_permission_matrix(db: None, m: SimpleNamespace, index: int, role: str) -> None:
    row = ROWS[index]
    expected = row.outcomes[role]
    url = reverse(row.name, args=row.args(m)) + row.query.format(plan_b=m.plan_b.pk)
    if row.name == "api:token":
        user = getattr(m, USERS[role]) if USERS[role] else None
        data: Any = {"username": user.username if user else "nobody", "password": PASSWORD}
        response = APIClient().post(url, data, format="json")
        assert (response.status_code == 200) == (user is not None), f"token for {role}: {response.status_code}"
        return
    client = _client(m, role, row.api)
    data = row.data(m) if row.data else None
    if row.method == "get":
        response = client.get(url)
    elif row.api:
        response = client.post(url, data or {}, format="json")
    else:
        response = client.post(url, data or {})
    status = response.status_code
    where = f"{row.method.upper()} {url} ({row.name}, {row.target}) as {role}"
    body = _body(response)
    text = row.text(m) if row.text else None

    if expected == LOGIN:
        if row.api:
            assert status == 401, f"LEAK? {where}: anonymous API call got {status}, expected 401"
        else:
            assert status == 302, f"LEAK? {where}: anonymous got {status}, expected a redirect to the login page"
            assert response["Location"].startswith(reverse("login")), f"{where}: redirected to {response['Location']}"
    elif expected == HIDDEN:
        assert status == 404, f"LEAK? {where}: got {status}, expected 404 (not visible to this role)"
    elif expected == FORBID:
        assert status == 403, f"LEAK? {where}: got {status}, expected 403 (visible, but not this role's to change)"
    elif expected == ABSENT:
        assert status == 200, f"{where}: got {status}"
        if row.pk_in_list is not None:
            ids = {item["id"] for item in json.loads(body)["results"]}
            assert row.pk_in_list(m) not in ids, f"LEAK: {where} lists {row.target} (id {row.pk_in_list(m)})"
    else:
        assert status in row.ok, f"{where}: got {status}, expected {row.ok} (allowed for {role})"
        if status == 302 and row.name != "logout":
            assert not response["Location"].startswith(reverse("login")), f"{where}: sent to the login page"
        if row.pk_in_list is not None:
            ids = {item["id"] for item in json.loads(body)["results"]}
            assert row.pk_in_list(m) in ids, f"{where}: {row.target} missing from the list"
    if text is not None and row.pk_in_list is None:
        if expected == ALLOW and status == 200:
            assert text in body, f"{where}: the page does not show {text!r}"
        elif expected != ALLOW:
            assert text not in body, f"LEAK: {where} shows {text!r}"


def _names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_named_url_has_a_row() -> None:
    """A new URL fails here until the table says who may use it (or the exclusion list says why not)."""
    covered = {row.name for row in ROWS}
    known = _names(get_resolver().url_patterns)
    missing = sorted(n for n in known - covered - EXCLUDED if not n.startswith(EXCLUDED_PREFIXES))
    assert not missing, f"named URLs without a row in the permission matrix: {missing}"
    stale = sorted(covered - known)
    assert not stale, f"rows for URL names the resolver no longer has: {stale}"
    assert len(_cases()) >= 300
