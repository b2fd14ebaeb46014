"""Property-based fuzzing of every web form: no crash, and a refused input leaves the database exactly as before.

The list of forms is derived from the URL conf: `test_every_post_url_is_fuzzed` POSTs to every named URL of the
site (the JSON API aside, see EXCLUDED_PREFIXES; the Django admin's add and change forms are
taken from its registry instead, ADMIN_FORMS) and fails when a URL that accepts a POST
(anything but 405) has no case here. Forms (FORMS) get their real fields harvested from the page that shows
them (field names, current values, the hidden version), then hypothesis mutates them: fields dropped, extra
fields, duplicated keys, arbitrary and hostile text, Vietnamese numbers, non-NFC Vietnamese, ids of another
unit's objects, stale versions. Pages that only read (READS) accept a POST too (Django does not refuse it);
they are fuzzed with junk POST bodies and junk query strings (their GET filter forms' fields included), and
must never change anything.

Each example runs in a savepoint of the module's world (the permission matrix's, tests/security/
test_permission_matrix.py) that is rolled back afterwards, so every example starts from the same database.

The product's convention for "refused" (Post/Redirect/Get): a form that accepts its input redirects, so an
input is refused when the answer is a 4xx, a 200 (the form shown again with its errors), or a redirect that
carries an error message (the POST-only workflow buttons: submit, return, accept, reopen, fill, close a
finding) - except "save and send", which saves the draft first and says so ("Đã lưu nháp. Chưa gửi được ...")
when the sending is refused. A refused input must leave every table of the binhdang apps (and the users)
exactly as before. An accepted input must store only NFC-normalised text.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import golden, minimal_plan, rolled_back_module_world
from dbsnapshot import product_tables as snapshot
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security.test_permission_matrix import ROWS, USERS, _build, _names, _world

pytestmark = pytest.mark.django_db

# --- the world ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fw(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The permission matrix's world plus a plan with every kind of part, built once per module inside an
    outer transaction that is rolled back at the end; each example nests in it as a savepoint."""
    with rolled_back_module_world(django_db_blocker):
        w = _build(_world())
        w.full = _full_plan()
        _admin_objects(w)
        w.clients = {}
        for role in USERS:
            _client(w, role)  # sessions made here, outside each test's own rolled-back transaction
        yield w


def _admin_objects(w: SimpleNamespace) -> None:
    """One row for each admin change form whose model the world has none of."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token

    from binhdang.interop.models import (
        Dhis2Attribute,
        Dhis2CategoryOption,
        Dhis2CategoryOptionCombo,
        Dhis2Mapping,
        Dhis2OrgUnit,
    )

    Group.objects.create(name="Cán bộ tổng hợp")
    Token.objects.create(user=w.admin)
    mapping = Dhis2Mapping.objects.create(indicator=w.other_i1, data_set="BfMAe6Itzgt", value_element="fbfJHSPpUQD")
    Dhis2CategoryOptionCombo.objects.create(mapping=mapping, coc="cocDTTS0001", combo="ethnicity=dtts")
    Dhis2Attribute.objects.create(name="HIV_AGE", category="age")
    Dhis2CategoryOption.objects.create(category="age", code="Y_U5", member="0-4")
    Dhis2OrgUnit.objects.create(unit=w.province, org_unit="ImspTQPwCqd")
    # The sign-in throttle's records (django-axes): read-only in the admin, fuzzed like every other model.
    where = {
        "username": "khach-la",
        "ip_address": "10.0.0.9",
        "user_agent": "fuzz",
        "http_accept": "*/*",
        "path_info": "/",
    }
    AccessAttempt.objects.create(**where, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**where)
    AccessFailureLog.objects.create(**where, locked_out=False)


def _full_plan() -> Any:
    """A second province plan (2027) with a project, budget lines and totals, and a reference."""
    from binhdang.plans.interchange import plan_load

    doc = minimal_plan("2025:19", title="Kế hoạch tỉnh đầy đủ ZQFULL", years=[2027, 2027])
    doc["references"] = [
        {"kind": "QĐ", "code": "1241/QĐ-TTg", "date": "2011-07-22", "issuer": "Thủ tướng Chính phủ",
         "title": "phê duyệt Chương trình quốc gia về Bình đẳng giới", "relation": "basis"}
    ]  # fmt: skip
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["projects"] = [
        {"id": "P1", "parent": None, "kind": "model", "number": "1", "name": "Mô hình phòng chống bạo lực",
         "lead": "Sở Y tế", "partners": [], "units": [], "scope": None}
    ]  # fmt: skip
    doc["budget"] = {
        "lines": [{"item": "Tuyên truyền", "year": 2027, "source": "local", "amount": 1000000}],
        "totals": [{"item": "Tổng", "year": 2027, "source": "local", "amount": 1000000}],
    }
    return plan_load(doc)


def _client(w: SimpleNamespace, role: str) -> Client:
    """One logged-in client per role, its session made in the outer transaction (kept by every example)."""
    if role not in w.clients:
        client = Client()
        if USERS[role] is not None:
            client.force_login(getattr(w, USERS[role]))
        w.clients[role] = client
    client = w.clients[role]
    assert isinstance(client, Client)
    return client


# --- snapshot of everything the app owns (tests/dbsnapshot.py) -------------------------------------------------


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _changed_text(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text value in a row that is new or changed."""
    found = []
    for label, rows in after.items():
        if not isinstance(rows, list):
            continue  # a large reference table, compared by row count and last id only (no web form writes it)
        old = {row["id"]: row for row in before.get(label, [])}
        for row in rows:
            if old.get(row["id"]) == row:
                continue
            for column, value in row.items():
                found += _texts(label, column, value)
    return found


def _texts(label: str, column: str, value: Any) -> list[tuple[str, str, str]]:
    if isinstance(value, str):
        return [(label, column, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(label, f"{column}.{k}", v) + _texts(label, column, k)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(label, column, v)]
    return []


# --- forms of a page ------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.alternates: list[tuple[Form, str, list[tuple[str, str]]]] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.select_options: list[tuple[str, bool]] = []
        self.select_multiple = False
        self.option: tuple[str, bool] | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = urlsplit(a.get("action") or self.page_url).path or self.page_url
            self.current = Form(action, (a.get("method") or "get").lower())
            self.forms.append(self.current)
        if self.current is None:
            return
        if "formaction" in a:  # a button that posts the same fields elsewhere ("save and send")
            extra = [(a["name"], a.get("value", ""))] if "name" in a else []
            self.alternates.append((self.current, urlsplit(a["formaction"]).path, extra))
        if "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.current.files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset"):
                self.current.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.select_options, self.select_multiple = a["name"], [], "multiple" in a
        elif tag == "option" and self.select is not None:
            self.option = (a.get("value", ""), "selected" in a)
            self.text = ""
            if "value" in a:
                self.select_options.append(self.option)
                self.option = None
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None:
            self.select_options.append((self.text.strip(), self.option[1]))
            self.option = None
        elif tag == "select" and self.select is not None and self.current is not None:
            chosen = [v for v, sel in self.select_options if sel]
            if not chosen and not self.select_multiple and self.select_options:
                chosen = [self.select_options[0][0]]
            self.current.fields += [(self.select, v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.current is not None:
            self.current.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.current = None

    def close(self) -> None:
        super().close()
        for form, action, extra in self.alternates:
            self.forms.append(Form(action, form.method, form.fields + extra, form.files))


def page_forms(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []  # a redirect, a download: no form to harvest
    parser = _FormParser(url)
    parser.feed(response.content.decode())
    parser.close()
    return parser.forms


# --- hostile values -------------------------------------------------------------------------------------------

NUMBERS = ["1.040", "1,7", "-0", "1e309", "NaN", "-1", "0", "100,01", "1.000.000.000.000.000.000", "Infinity",
           "٣", "１２", "0x10", "1_000", " 45,5 ", "45,5%", "", "99999999999999999999999"]  # fmt: skip
TEXTS = [
    "Bình đẳng giới",
    unicodedata.normalize("NFD", "Phụ nữ được hưởng lương ngang nhau"),  # decomposed: must be stored as NFC
    "Kho\u0061\u0301ng dấu tổ hợp",
    "'; DROP TABLE plans_plan; --",
    "1' OR '1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202e\u200b\ufeff",
    "  ",
    "\r\n\r\n",
    "😀" * 3,
    "\ud7ff\ue000\U0010ffff",
    "A" * 300,
    "Ư" * 5000,
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "../../etc/passwd",
    "%s%n%x",
    "2026-02-30",
    "31/12/2026",
    "30/02/2026",
    "01/01/0001",
    "-1",
    "on",
    "true",
]
DATES = ["01/01/2026", "31/12/2026", "29/02/2026", "2026-06-30", "32/01/2026", "00/00/0000", "1/1/26", ""]

text_values = st.one_of(
    st.sampled_from(TEXTS),
    st.sampled_from(NUMBERS),
    st.sampled_from(DATES),
    st.text(max_size=40),
    st.text(alphabet="aăâeêioôơuưyđAĂÂĐ\u0300\u0301\u0303\u0309\u0323 ", max_size=30),
)


def _value(w: SimpleNamespace) -> st.SearchStrategy[str]:
    return st.one_of(text_values, st.sampled_from(w.foreign_ids), st.integers(-3, 10**12).map(str))


def _mutations(w: SimpleNamespace) -> st.SearchStrategy[list[tuple[str, int, str]]]:
    op = st.sampled_from(["drop", "set", "set", "set", "add", "duplicate", "extra", "version"])
    return st.lists(st.tuples(op, st.integers(0, 10_000), _value(w)), min_size=1, max_size=5)


def mutate(base: list[tuple[str, str]], ops: list[tuple[str, int, str]]) -> list[tuple[str, str]]:
    fields = list(base)
    for op, index, value in ops:
        if op == "extra" or not fields:
            fields.append((f"extra_{index % 7}", value))
            continue
        i = index % len(fields)
        name, old = fields[i]
        if op == "drop":
            del fields[i]
        elif op == "set":
            fields[i] = (name, value)
        elif op == "duplicate":
            fields.insert(i + 1, (name, value))
        elif op == "add":
            fields.append((name, old))
        elif op == "version":
            versions = [j for j, (n, _v) in enumerate(fields) if n == "version"]
            j = versions[0] if versions else i
            current = fields[j][1]
            stale = str(int(current) + (-1 if index % 2 else 1)) if current.lstrip("-").isdigit() else value
            fields[j] = (fields[j][0], stale)
    return fields


def _postable(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


# --- the cases ------------------------------------------------------------------------------------------------

Args = Callable[[SimpleNamespace], list[Any]]
Prepare = Callable[[SimpleNamespace], None]


@dataclass(frozen=True)
class Case:
    name: str  # the URL's resolver name
    label: str
    role: str
    args: Args
    page: tuple[str, Args] | None = None  # where the form is shown, when not at the URL itself
    prepare: Prepare | None = None  # brings the world into the state the form needs (inside the savepoint)
    files: tuple[str, ...] = ()  # file fields: fuzzed with a few small bad files
    examples: int = 15
    base: Callable[[SimpleNamespace], dict[str, str]] | None = None  # when the page shows no form for the URL


def _none(w: SimpleNamespace) -> list[Any]:
    return []


def _pk(attr: str) -> Args:
    return lambda w: [getattr(w, attr).pk]


def _part(plan: str, part: str, item: Callable[[Any], Any] | None = None) -> Args:
    def args(w: SimpleNamespace) -> list[Any]:
        p = getattr(w, plan)
        return [p.pk, part] if item is None else [p.pk, part, item(p).pk]

    return args


def _submitted(w: SimpleNamespace) -> None:
    """The health department's report, filled and sent: waiting for the standing agency's decision."""
    from binhdang.reporting.checks import Entry
    from binhdang.reporting.services import report_save, report_submit

    report = w.health_report
    report.refresh_from_db()
    entries = [Entry(w.i1.pk, "female", Decimal(40)), Entry(w.i1.pk, "male", Decimal(60))]
    entries += [Entry(w.i1.pk, "total", Decimal(50))]
    report = report_save(report=report, user=w.department_user, version=report.version, entries=entries)
    report_submit(report=report, user=w.department_user, version=report.version)


def _accepted(w: SimpleNamespace) -> None:
    from binhdang.reporting.services import report_accept

    _submitted(w)
    w.health_report.refresh_from_db()
    report_accept(report=w.health_report, user=w.province_user, version=w.health_report.version)


def _notice(w: SimpleNamespace) -> None:
    from binhdang.reporting.models import Notice

    Notice.objects.create(user=w.province_user, text="Báo cáo mới", url=reverse("report-list"))


def _parsed_upload(w: SimpleNamespace) -> None:
    from binhdang.reader.models import DocumentImport, ImportStatus

    DocumentImport.objects.filter(pk=w.upload_a.pk).update(status=ImportStatus.PARSED, result=golden(SEEDS0))


SEEDS0 = "000_a5392e136c8837e1"
FILES = [b"", b"x", b"{", b"null", b'{"schema": "binhdang.plan/1"}', b"\xff\xfe\x00", b"PK\x03\x04", b"a,b\n1,2\n"]


def _report_page(attr: str) -> tuple[str, Args]:
    return ("report-detail", _pk(attr))


FORMS: list[Case] = [
    Case("login", "login", "public", _none, examples=20),
    Case("logout", "logout", "commune", _none, page=("plan-list", _none), examples=5),
    Case("set_language", "language", "commune", _none, page=("plan-list", _none), examples=10),
    Case("plan-create", "new plan", "standing", _none, examples=25),
    Case("plan-update", "province plan", "standing", _pk("prov"), examples=25),
    Case("plan-delete", "commune plan", "commune", _pk("plan_a"), examples=5),
    Case("plan-derive", "commune from province", "commune", _pk("prov"), examples=15),
    Case("plan-import-json", "replace", "commune", _pk("plan_a"), files=("file",), examples=10),
    Case("plan-import-json-new", "new", "standing", _none, files=("file",), examples=10),
    Case("indicator-adopt", "strategy indicator", "standing", _pk("prov"), examples=25),
    Case("reader-upload", "plan document", "commune", _none, examples=5),
    Case("reader-review", "parsed upload", "commune", _pk("upload_a"), prepare=_parsed_upload, examples=15),
    Case("report-detail", "department's entry", "department", _pk("health_report"), examples=30),
    Case("report-detail", "commune's entry", "commune", _pk("a_report"), examples=15),
    Case("report-submit", "department", "department", _pk("health_report"), page=_report_page("health_report")),
    Case(
        "report-fill-upward",
        "committee",
        "commune",
        _pk("a_report"),
        page=_report_page("a_report"),
        # Shown only when the commune's own plan has a matching period, which this world does not build.
        base=lambda w: {"version": str(w.a_report.version)},
        examples=10,
    ),
    Case(
        "report-return",
        "submitted",
        "standing",
        _pk("health_report"),
        page=_report_page("health_report"),
        prepare=_submitted,
    ),
    Case(
        "report-accept",
        "submitted",
        "standing",
        _pk("health_report"),
        page=_report_page("health_report"),
        prepare=_submitted,
        examples=15,
    ),
    Case(
        "report-reopen",
        "accepted",
        "standing",
        _pk("health_report"),
        page=_report_page("health_report"),
        prepare=_accepted,
    ),
    Case("periods-generate", "province plan", "standing", _pk("prov"), page=("plan-periods", _pk("prov")), examples=5),
    Case("notice-list", "mark read", "standing", _none, prepare=_notice, examples=10),
    # "Nhắc nộp" from the period page: the department has not sent its report.
    Case(
        "report-remind",
        "missing reporter",
        "standing",
        _pk("health_report"),
        page=("period-detail", _pk("period")),
        examples=5,
    ),
    Case("report-xlsx-upload", "report", "department", _pk("health_report"), files=("file",), examples=8),
    Case("report-csv-upload", "report", "department", _pk("health_report"), files=("file",), examples=8),
    Case("period-xlsx-upload", "period", "standing", _pk("period"), files=("file",), examples=8),
    Case("inspection-create", "province plan", "standing", _pk("prov"), examples=20),
    Case("inspection-detail", "add finding", "standing", _pk("insp_prov"), examples=15),
    Case(
        "finding-close",
        "other commune's finding",
        "admin",
        _pk("finding_b"),
        page=("inspection-detail", _pk("insp_b")),
        examples=15,
    ),
    Case("part-delete", "commune objective", "commune", _part("plan_a", "objective", lambda p: p.objectives.get())),
    Case("part-delete", "province indicator", "standing", _part("prov", "indicator", lambda p: p.indicators.first())),
    Case(
        "part-retire",
        "province indicator",
        "standing",
        _part("prov", "indicator", lambda p: p.indicators.first()),
        page=("plan-update", _pk("prov")),
        examples=8,
    ),
]
# Every part of a plan, added and changed: the province plans hold one item of each kind.
_ITEMS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "objective": ("prov", lambda p: p.objectives.first()),
    "indicator": ("prov", lambda p: p.indicators.get(key="I1")),
    "task": ("prov", lambda p: p.tasks.first()),
    "project": ("full", lambda p: p.projects.first()),
    "budget-line": ("full", lambda p: p.budgetlines.first()),
    "budget-total": ("full", lambda p: p.budgettotals.first()),
    "reporting": ("prov", lambda p: p.reporting_rules.first()),
    "reference": ("full", lambda p: p.references.first()),
}
for _slug, (_plan, _item) in _ITEMS.items():
    FORMS += [
        Case("part-create", _slug, "standing", _part(_plan, _slug), examples=8),
        Case("part-update", _slug, "standing", _part(_plan, _slug, _item), examples=8),
    ]


# The Django admin's add and change forms, one pair per registered model, taken from the admin site's registry so
# that a model registered later is fuzzed too. A form the admin does not offer (units are read-only, plans are
# edited through the product's own pages) answers 403 and is checked for exactly that.
def _queued_task_result() -> Any:
    """A row of the task queue's own table, as ``enqueue`` writes it: the tests run jobs at once (tests/conftest.py),
    so the queue table is empty in the test world, yet its admin page must be checked too."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="binhdang.jobs.tasks.job_run",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )


# Models whose rows the test world does not hold, with how to make one.
_ROW_MAKERS: dict[str, Callable[[], Any]] = {"django_tasks_database.DBTaskResult": _queued_task_result}


def _first_pk(model: Any) -> Args:
    def args(w: Any) -> list[Any]:
        pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
        if pk is None and model._meta.label in _ROW_MAKERS:
            pk = _ROW_MAKERS[model._meta.label]().pk
        return [pk]

    return args


def _admin_cases() -> list[Case]:
    from django.contrib import admin

    cases = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        label = model._meta.label
        cases.append(Case(f"{prefix}_add", f"{label} add", "admin", _none, examples=ADMIN_EXAMPLES))
        # DRF's token admin names a token by its user's id, not by the key
        first = (
            (lambda w: [w.admin.pk]) if label in {"authtoken.TokenProxy", "binhdang_api.ApiToken"} else _first_pk(model)
        )
        cases.append(Case(f"{prefix}_change", f"{label} change", "admin", first, examples=ADMIN_EXAMPLES))
    return cases


ADMIN_EXAMPLES = 6


# Named URLs that only read, and accept a POST only because Django does not refuse one: junk POST bodies and
# junk query strings must change nothing and never crash. Role and arguments come from the permission matrix.
READ_EXAMPLES = 3
SLOW_READS = {
    # LibreOffice takes seconds per PDF; the docx twins run the same view and the same document builder.
    "document-plan-pdf",
    "document-report-pdf",
}
EXCLUDED_PREFIXES = (
    "admin:",  # Django's admin site: its add and change forms are fuzzed by test_fuzz_admin_form (ADMIN_FORMS)
    "api:",  # the JSON API: its bad input is tested in tests/api/test_bad_input.py, not through HTML forms
)


def _read_cases() -> list[Case]:
    forms = {case.name for case in FORMS}
    cases: dict[str, Case] = {}
    for row in ROWS:
        if row.api or row.name in forms or row.name in cases or row.name in SLOW_READS or row.name.startswith("api:"):
            continue
        roles = ("commune", "department", "standing", "admin", "public")
        # A page nobody may open in this world (the national view, a review) is still fuzzed: as the admin.
        role = next((r for r in roles if row.outcomes.get(r) == "allow"), "admin")
        if row.method == "get":
            cases[row.name] = Case(row.name, row.target, role, row.args, examples=READ_EXAMPLES)
    return list(cases.values())


READS = _read_cases()

# --- the properties -------------------------------------------------------------------------------------------


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


def _error_messages(response: Any) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= message_levels.ERROR]


def _refused(method: str, response: Any) -> bool:
    """The product's convention: accepted input redirects (Post/Redirect/Get); anything else is a refusal."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        return method == "post"
    errors = _error_messages(response)
    # "Save and send" saves first: when the sending is refused, the message says the draft was saved.
    saved = any(text.startswith(SAVED_DRAFT) for text in errors)
    return response.status_code in (301, 302, 303) and bool(errors) and not saved


SAVED_DRAFT = "Đã lưu nháp."


def _world_ids(w: SimpleNamespace) -> list[str]:
    """Ids of other units' objects, and of objects of the wrong kind: put where an id is expected."""
    ids = [
        w.other.pk,
        w.other_i1.pk,
        w.other.objectives.get().pk,
        w.other_standing.pk,
        w.other_province.pk,
        w.commune_b.pk,
        w.b_report.pk,
        w.other_period.pk,
        w.insp_b.pk,
        w.finding_b.pk,
        w.plan_b.pk,
        w.b_office.pk,
        w.other_commune_user.pk,
    ]
    return sorted({str(i) for i in ids} | {f"unit:{w.other_province.pk}", f"agency:{w.other_standing.pk}"})


def _base(
    w: SimpleNamespace, case: Case, client: Client, url: str, method: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """The form's real fields and values, harvested from the page that shows it (cached per case). For a read
    page, its GET forms' fields (filters, search), if it has any."""
    key = f"{method} {case.name}:{case.label}"
    if key not in w.bases:
        page_url = url if case.page is None else reverse(case.page[0], args=case.page[1](w))
        forms = [f for f in page_forms(client, page_url) if f.action == url]
        if method == "get":
            w.bases[key] = ([pair for f in forms if f.method == "get" for pair in f.fields], [])
            return _base(w, case, client, url, method)
        posts = [f for f in forms if f.method == "post"]
        assert posts or case.base is not None, f"{case.name}: no POST form for {url} on {page_url}"
        form = posts[0] if posts else Form(url, "post", list(case.base(w).items()) if case.base else [])
        w.bases[key] = (form.fields, form.files)
    fields, files = w.bases[key]
    return list(fields), list(files)


def _run(w: SimpleNamespace, case: Case, method: str, data: Any, query: str = "") -> None:
    client = _client(w, case.role)
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if case.prepare is not None:
                case.prepare(w)
            url = reverse(case.name, args=case.args(w))
            fields, _files = _base(w, case, client, url, method) if callable(data) else ([], [])
            payload = data(fields) if callable(data) else data
            before = snapshot()
            response = client.post(url + query, payload) if method == "post" else client.get(url, payload)
            where = f"{method.upper()} {url}{query} as {case.role} with {payload!r}"
            assert response.status_code < 500, f"{where}: {response.status_code}"
            after = snapshot()
            if _refused(method, response) or method == "get":
                changed = [k for k in after if after[k] != before[k]]
                assert not changed, f"{where}: refused ({response.status_code}) but changed {changed}"
            else:
                stored = _changed_text(before, after)
                bad = [t for t in stored if not unicodedata.is_normalized("NFC", t[2])]
                assert not bad, f"{where}: stored text that is not NFC: {bad[:3]}"
                # Control characters are invisible, and no Word or Excel file made from the text could hold them.
                bad = [t for t in stored if CONTROL.search(t[2])]
                assert not bad, f"{where}: stored text with control characters: {bad[:3]}"
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


@pytest.fixture(scope="module")
def ready(fw: SimpleNamespace) -> SimpleNamespace:
    fw.bases = {}
    fw.foreign_ids = _world_ids(fw)
    return fw


def _case_id(case: Case) -> str:
    return f"{case.name}[{case.label}]"


@pytest.mark.parametrize("case", FORMS, ids=_case_id)
def test_fuzz_form(db: None, ready: SimpleNamespace, case: Case) -> None:
    w = ready
    files = st.one_of(st.none(), st.sampled_from(FILES)) if case.files else st.none()

    @fuzz(case.examples)
    @given(ops=_mutations(w), upload=files)
    def run(ops: list[tuple[str, int, str]], upload: bytes | None) -> None:
        def data(fields: list[tuple[str, str]]) -> dict[str, Any]:
            posted: dict[str, Any] = _postable(mutate(fields, ops))
            if upload is not None:
                for name in case.files:
                    posted[name] = SimpleUploadedFile("tệp.bin", upload)
            return posted

        _run(w, case, "post", data)

    run()


@pytest.mark.parametrize("case", FORMS, ids=_case_id)
def test_form_accepts_its_own_fields(db: None, ready: SimpleNamespace, case: Case) -> None:
    """The harvested form as shown, posted back unchanged: never a crash (the baseline the fuzzing mutates)."""
    _run(ready, case, "post", lambda fields: _postable(fields))


ADMIN_FORMS = _admin_cases()


@pytest.mark.parametrize("case", ADMIN_FORMS, ids=_case_id)
def test_fuzz_admin_form(db: None, ready: SimpleNamespace, case: Case) -> None:
    """The admin's own forms: the same properties; an add or change the admin does not offer must be a 403."""
    w = ready
    client = _client(w, case.role)
    url = reverse(case.name, args=case.args(w))
    if client.get(url).status_code == 403:
        assert client.post(url, {"x": "y"}).status_code == 403
        return

    @fuzz(case.examples)
    @given(ops=_mutations(w))
    def run(ops: list[tuple[str, int, str]]) -> None:
        _run(w, case, "post", lambda fields: _postable(mutate(fields, ops)))

    run()
    _run(w, case, "post", lambda fields: _postable(fields))  # as shown: never a crash


@pytest.mark.parametrize("case", READS, ids=_case_id)
def test_fuzz_read_page(db: None, ready: SimpleNamespace, case: Case) -> None:
    w = ready

    @fuzz(case.examples)
    @given(ops=_mutations(w), post=st.booleans())
    def run(ops: list[tuple[str, int, str]], post: bool) -> None:
        if post:
            _run(w, case, "post", _postable(mutate([("q", "x")], ops)))
        else:
            _run(w, case, "get", lambda fields: _postable(mutate(fields, ops)))

    run()


# --- coverage: a new form cannot ship unfuzzed -----------------------------------------------------------------


def test_every_post_url_is_fuzzed(db: None, ready: SimpleNamespace) -> None:
    """Every named URL that accepts a POST (does not answer 405) has a case in FORMS or READS (or is a slow read)."""
    w = ready
    covered = {c.name for c in FORMS} | {c.name for c in READS}
    names = sorted(n for n in _names(get_resolver().url_patterns) if not n.startswith(EXCLUDED_PREFIXES))
    args = {row.name: row.args for row in ROWS}
    missing = []
    for name in names:
        url = reverse(name, args=args[name](w)) if name in args else reverse(name)
        if name in SLOW_READS:
            continue
        client = _client(w, "admin")
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = client.post(url, {})
            transaction.set_rollback(True)
        client.cookies = cookies
        if response.status_code != 405 and name not in covered:
            missing.append(name)
    assert not missing, f"URLs that accept a POST but are not fuzzed: {missing}"
    parts = {c.args(w)[1] for c in FORMS if c.name in ("part-create", "part-update")}
    from binhdang.web.views.edit_parts import PARTS

    assert parts == set(PARTS), f"parts of a plan not fuzzed: {set(PARTS) - parts}"
