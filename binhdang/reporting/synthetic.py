"""A LABELLED synthetic reporting history for the demo, so that the demo shows the reporting cycle at work.

Nothing here is real data. Every report it writes has a summary that starts with ``[Dữ liệu mô phỏng]``
("simulated data"), and so do the inspection and the review period it adds; docs/reporting.md says so to
people. It is built for two seed plans:

- Thái Nguyên's 2023 plan (59/KH-UBND). The plan's unit is the pre-2025 province, so the lower-level
  committees are those of its pre-2025 districts: three of them get a committee whose standing agency is
  their "Phòng Lao động - Thương binh và Xã hội", and the demo user ``xa.demo`` belongs to the first.
  Its 6-month report of 2023 is left an untouched draft, for a person (or the browser test) to fill in,
  send, have returned by ``thainguyen``, send again and have accepted.
- An Hòa Thịnh's 2021–2030 plan: every period that has started, with a mid-term review period (sơ kết
  2021–2025) that gathers them.

The history goes through the real services (periods_generate, reports_generate, report_save, report_submit,
report_return, report_accept, inspection services), so every rule applies. The services stamp "now"; the
history needs the days it pretends to be, so right after each call the timestamps (and the lateness that
follows from them) are back-dated with a queryset ``update()``, marked "synthetic back-dating" where it
happens. Figures are plausible and deterministic: a seeded random generator moves each indicator from a
starting value toward the plan's target.

Idempotent: a second build deletes the synthetic reports (labelled, or drafts never saved, or the one left
for ``xa.demo``) and the labelled inspections, and builds them again the same way; reports that people
wrote (not labelled) are kept and left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from binhdang.places.models import AdministrativeUnit, Agency, Level, Profile
from binhdang.places.selectors import standing_agency_of
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans.models import CatalogueIndicator, Indicator, Measure, Plan
from binhdang.plans.schedule import periods_for_rule
from binhdang.plans.services import indicator_adopt

from .checks import Entry
from .completeness import plan_completeness
from .entries import sexes_for
from .inspections import finding_add, finding_close, inspection_create
from .models import AuditEvent, Finding, Inspection, Notice, Period, Report, ReportStatus, TaskStatus
from .selectors import acceptor_of, report_can_decide
from .services import (
    ProgressInput,
    SpendingInput,
    check_report_entries,
    period_create,
    periods_generate,
    report_accept,
    report_return,
    report_save,
    report_submit,
    reports_generate,
    summary_rebuild,
)

LABEL = "[Dữ liệu mô phỏng]"
# Demo only, like the password the demo command prints; never used outside the demo.
DEMO_PASSWORD = "binhdang-demo-2026"  # noqa: S105
DEMO_USERNAME = "xa.demo"
# The account the history is written as when a reporting agency has no user: it cannot sign in (inactive,
# no usable password); its name says what it is, so the audit trail reads honestly.
SYNTHETIC_USERNAME = "du-lieu-mo-phong"

THAI_NGUYEN_CODE = "59/KH-UBND"
AN_HOA_THINH_KEY = "xa an hoa thinh"
THAI_NGUYEN_STANDING = "Sở Lao động - Thương binh và Xã hội"
AN_HOA_THINH_STANDING = "Văn hóa- xã hội phụ trách Lao động - Thương binh và Xã hội"
DISTRICT_STANDING = "Phòng Lao động - Thương binh và Xã hội"
DISTRICT_COMMITTEES = 3

D = Decimal

_NARRATIVES = (
    "Đã ban hành kế hoạch triển khai tại đơn vị và phân công cán bộ đầu mối theo dõi.",
    "Tổ chức {n} buổi tuyên truyền, lồng ghép trong sinh hoạt chi hội, khu dân cư.",
    "Phối hợp Hội Liên hiệp Phụ nữ tổ chức tập huấn cho {n} cán bộ cơ sở.",
    "Đưa {n} tin, bài về bình đẳng giới trên hệ thống truyền thanh cơ sở.",
    "Rà soát, cập nhật số liệu tách biệt theo giới; đang tổng hợp gửi cơ quan thường trực.",
    "Hưởng ứng Tháng hành động vì bình đẳng giới; treo {n} băng rôn, khẩu hiệu.",
)
_RETURN_COMMENTS = (
    "Đề nghị bổ sung số liệu tách biệt theo giới và ghi rõ nguồn số liệu.",
    "Số liệu một số chỉ tiêu chưa khớp với báo cáo kỳ trước; đề nghị rà soát, giải trình.",
    "Báo cáo chưa nêu khó khăn, vướng mắc và đề xuất, kiến nghị; đề nghị bổ sung.",
)
_FAR_NOTE = "Số liệu mô phỏng: biến động so với kỳ trước do thay đổi phạm vi thống kê."


@dataclass
class _Context:
    plan: Plan
    today: dt.date
    decider: Any
    actors: dict[int, Any]
    fallback: Any
    keep_untouched: set[int] = field(default_factory=set)  # report ids left as untouched drafts

    def actor(self, agency_id: int) -> Any:
        return self.actors.get(agency_id, self.fallback)


# --- entry point ---------------------------------------------------------------------------------------------


@transaction.atomic
def demo_history_build(*, today: dt.date | None = None) -> dict[str, Any]:
    """Build (or rebuild) the labelled synthetic history; returns what was built, plan by plan."""
    today = today or timezone.localdate()
    result: dict[str, Any] = {"label": LABEL, "today": today.isoformat(), "plans": [], "skipped": [], "users": []}
    fallback = _synthetic_account()
    thai_nguyen = (
        Plan.objects.filter(code=THAI_NGUYEN_CODE, unit__name_key__contains="thai nguyen").order_by("pk").last()
    )
    an_hoa_thinh = Plan.objects.filter(unit__name_key=AN_HOA_THINH_KEY).order_by("pk").last()
    if thai_nguyen is None:
        result["skipped"].append(f"no plan {THAI_NGUYEN_CODE} of Thái Nguyên")
    else:
        _thai_nguyen(thai_nguyen, today, fallback, result)
    if an_hoa_thinh is None:
        result["skipped"].append("no plan of xã An Hòa Thịnh")
    else:
        _an_hoa_thinh(an_hoa_thinh, today, fallback, result)
    return result


def _synthetic_account() -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=SYNTHETIC_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(username=SYNTHETIC_USERNAME, password=None)
        user.first_name, user.last_name = "", LABEL
        user.is_active = False  # cannot sign in; it only writes the synthetic history
        user.is_superuser = True  # acts for every reporting agency that has no demo user
        user.save(update_fields=["first_name", "last_name", "is_active", "is_superuser"])
    return user


def _first_users(agency_ids: Iterable[int]) -> dict[int, Any]:
    users: dict[int, Any] = {}
    profiles = (
        Profile.objects.filter(agency_id__in=set(agency_ids), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for profile in profiles:
        users.setdefault(profile.agency_id, profile.user)
    return users


def _ensure_standing(plan: Plan, name: str) -> Agency:
    agency = acceptor_of(plan)
    if agency is None:
        agency = agency_get_or_create(name=name, unit=plan.unit)
        committee_set_standing_agency(unit=plan.unit, agency=agency)
    return agency


def _clear(plan: Plan, extra: Q | None = None) -> None:
    """Delete this plan's synthetic reports: labelled, never saved, or named by ``extra``; keep people's work."""
    synthetic = Q(summary__startswith=LABEL) | Q(status=ReportStatus.DRAFT, version=1)
    if extra is not None:
        synthetic |= extra
    doomed = Report.objects.filter(period__plan=plan).filter(synthetic)
    urls = [reverse("report-detail", args=[pk]) for pk in doomed.values_list("pk", flat=True)]
    Notice.objects.filter(text__startswith=LABEL, url__in=urls).delete()
    doomed.delete()
    Inspection.objects.filter(plan=plan, title__startswith=LABEL).delete()


def _context(plan: Plan, today: dt.date, acceptor: Agency, fallback: Any) -> _Context:
    reporter_ids = set(Report.objects.filter(period__plan=plan).values_list("reporter_id", flat=True))
    users = _first_users(reporter_ids | {acceptor.pk})
    return _Context(plan, today, users.get(acceptor.pk, fallback), users, fallback)


def _summary_of(plan: Plan, today: dt.date) -> dict[str, Any]:
    totals = {"periods": 0, "expected": 0, "on_time": 0, "late": 0, "missing": 0, "pending": 0}
    for item in plan_completeness(plan, today):
        if item.rate.expected:
            totals["periods"] += 1
        for key in ("expected", "on_time", "late", "missing", "pending"):
            totals[key] += getattr(item.rate, key)
    reports = Report.objects.filter(period__plan=plan)
    totals["returned_once"] = (
        reports.filter(audit__action="status", audit__new=ReportStatus.RETURNED).distinct().count()
    )
    totals["awaiting_decision"] = reports.filter(status=ReportStatus.SUBMITTED).count()
    totals["accepted"] = reports.filter(status=ReportStatus.ACCEPTED).count()
    return {"plan_id": plan.pk, "plan": plan.code or plan.title[:80], "unit": plan.unit.name, **totals}


# --- Thái Nguyên 2023 ----------------------------------------------------------------------------------------


def _thai_nguyen(plan: Plan, today: dt.date, fallback: Any, result: dict[str, Any]) -> None:
    acceptor = _ensure_standing(plan, THAI_NGUYEN_STANDING)
    districts = list(
        AdministrativeUnit.objects.filter(parent=plan.unit, level=Level.DISTRICT).order_by("code")[:DISTRICT_COMMITTEES]
    )
    offices: list[Agency] = []
    for district in districts:
        office = standing_agency_of(district)
        if office is None:
            office = agency_get_or_create(name=DISTRICT_STANDING, unit=district)
            committee_set_standing_agency(unit=district, agency=office)
        offices.append(office)
    _adopt_strategy_indicators(plan, fallback)
    periods = periods_generate(plan=plan)
    semiannual = next((p for p in periods if p.kind == "semiannual" and p.year == 2023), None)
    demo_office = offices[0] if offices else None
    extra = Q(period=semiannual, reporter=demo_office) if semiannual and demo_office else None
    _clear(plan, extra)
    if demo_office is not None:
        get_user_model().objects.filter(username=DEMO_USERNAME).delete()
        user_create(
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            agency=demo_office,
            full_name="Cán bộ Phòng LĐTBXH (demo)",
            email="xa.demo@example.org",
        )
        result["users"].append((DEMO_USERNAME, f"{demo_office.name}, {demo_office.unit.name}"))
    started = [p for p in periods if p.data_from <= today]
    for period in started:
        reports_generate(period=period)
    context = _context(plan, today, acceptor, fallback)
    if semiannual is not None and demo_office is not None:
        context.keep_untouched |= set(
            Report.objects.filter(period=semiannual, reporter=demo_office).values_list("pk", flat=True)
        )
    for period in started:
        _play_period(context, period, latest=period == _latest_past(started, today))
    _inspection(context, districts[:2], offices[:2])
    summary_rebuild(plan=plan)  # _clear deleted synthetic reports, some accepted, behind the services' back
    result["plans"].append(_summary_of(plan, today))


# The 2023 plan sets no numeric indicator of its own; the province reports on the national strategy's. In the demo
# its standing agency adopts these three (a product feature, shown on the plan page as adopted, not as document text).
ADOPTED = (("2", "1"), ("3", "2a"), ("6", "1"))


def _adopt_strategy_indicators(plan: Plan, user: Any) -> None:
    have = set(plan.indicators.filter(catalogue__isnull=False).values_list("catalogue_id", flat=True))
    for objective, number in ADOPTED:
        catalogue = CatalogueIndicator.objects.filter(objective_number=int(objective), number=number).first()
        if catalogue is not None and catalogue.pk not in have:
            indicator_adopt(plan=plan, user=user, catalogue=catalogue)


def _inspection(context: _Context, districts: list[AdministrativeUnit], offices: list[Agency]) -> None:
    plan = context.plan
    starts = dt.date(plan.year_start, 9, 19)
    if not districts or starts > context.today:
        return
    inspection = inspection_create(
        plan=plan,
        user=context.decider,
        title=f"{LABEL} Đoàn kiểm tra liên ngành về bình đẳng giới, vì sự tiến bộ của phụ nữ năm {plan.year_start}",
        team=(
            "Trưởng đoàn: Phó Giám đốc Sở Lao động - Thương binh và Xã hội\n"
            "Thành viên: Sở Y tế, Sở Tư pháp, Hội Liên hiệp Phụ nữ tỉnh, Sở Văn hóa, Thể thao và Du lịch"
        ),
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=3),
        units=districts,
        agencies=offices,
    )
    pairs = (
        (
            "Chưa kiện toàn thành viên Ban Vì sự tiến bộ của phụ nữ sau khi thay đổi nhân sự.",
            "Kiện toàn Ban VSTBPN; phân công thành viên theo dõi từng lĩnh vực của Kế hoạch.",
        ),
        (
            "Báo cáo 6 tháng gửi chậm, thiếu số liệu tách biệt theo giới.",
            "Bố trí cán bộ đầu mối thống kê; gửi báo cáo đúng hạn theo Kế hoạch số 59/KH-UBND.",
        ),
        (
            "Chưa bố trí kinh phí riêng cho hoạt động bình đẳng giới trong năm.",
            "Tham mưu Ủy ban nhân dân huyện bố trí kinh phí theo Thông tư số 191/2009/TT-BTC.",
        ),
        (
            "Hoạt động truyền thông phòng, chống bạo lực gia đình ở các xã vùng sâu còn ít.",
            "Tăng tin, bài trên hệ thống truyền thanh cơ sở trong Tháng hành động.",
        ),
    )
    for number, district in enumerate(districts):
        for index, (text, recommendation) in enumerate(pairs[number * 2 : number * 2 + 2]):
            finding = finding_add(
                inspection=inspection,
                user=context.decider,
                unit=district,
                agency=offices[number] if index == 0 else None,
                text=text,
                recommendation=recommendation,
                due=dt.date(plan.year_start, 12, 31),
            )
            if index == 0 and context.today >= dt.date(plan.year_start, 12, 1):
                finding_close(
                    finding=finding,
                    user=context.decider,
                    note="Đã thực hiện theo kiến nghị; có văn bản báo cáo kết quả gửi Sở.",
                )
                # Synthetic back-dating: the service stamps "now"; the history closes it that December.
                Finding.objects.filter(pk=finding.pk).update(closed_at=_moment(dt.date(plan.year_start, 12, 1), 10))


# --- An Hòa Thịnh 2021–2030 ----------------------------------------------------------------------------------


def _an_hoa_thinh(plan: Plan, today: dt.date, fallback: Any, result: dict[str, Any]) -> None:
    acceptor = _ensure_standing(plan, AN_HOA_THINH_STANDING)
    _clear(plan)
    periods = periods_generate(plan=plan)
    started = [p for p in periods if p.data_from <= today]
    for period in started:
        reports_generate(period=period)
    context = _context(plan, today, acceptor, fallback)
    latest = _latest_past(started, today)
    for period in started:
        _play_period(context, period, latest=period == latest)
    _review_period(context)
    summary_rebuild(plan=plan)  # _clear deleted synthetic reports, some accepted, behind the services' back
    result["plans"].append(_summary_of(plan, today))


def _review_period(context: _Context) -> Period | None:
    """The mid-term review (sơ kết) the plan asks for without a date: labelled, added once."""
    plan = context.plan
    existing = Period.objects.filter(plan=plan, kind="midterm").first()
    if existing is not None:
        return existing
    specs = periods_for_rule("midterm", "", plan.year_start, plan.year_end)
    if not specs or specs[0].data_to > context.today:
        return None
    spec = specs[0]
    return period_create(
        plan=plan,
        user=context.decider,
        kind="midterm",
        year=spec.year,
        label=f"{spec.label} {LABEL}",
        data_from=spec.data_from,
        data_to=spec.data_to,
        due=spec.due,
    )


# --- one period ----------------------------------------------------------------------------------------------


def _latest_past(periods: list[Period], today: dt.date) -> Period | None:
    past = [p for p in periods if p.due < today]
    return max(past, key=lambda p: (p.due, p.pk)) if past else None


def _play_period(context: _Context, period: Period, *, latest: bool) -> None:
    """Decide, deterministically, what each reporter did in this period, and do it through the services."""
    seed = f"binhdang-demo:{context.plan.unit.code}:{period.kind}:{period.year}:{period.number}"
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    reports = [
        r
        for r in Report.objects.filter(period=period)
        .select_related("reporter", "unit")
        .order_by("reporter__name_key", "pk")
        if r.status == ReportStatus.DRAFT and r.version == 1 and r.pk not in context.keep_untouched
    ]
    rng.shuffle(reports)
    n = len(reports)
    if not n:
        return
    if period.due >= context.today:
        # The period still runs: some have sent already, some have a draft, the rest have not started.
        sent, drafted = round(n * 0.3), round(n * 0.3)
        for report in reports[:sent]:
            day = _on_time_day(period, rng, last=context.today - dt.timedelta(days=1))
            _submit(context, report, period, rng, day, accept=rng.random() < 0.5)
        for report in reports[sent : sent + drafted]:
            _save(context, report, period, rng, _moment(context.today - dt.timedelta(days=rng.randint(1, 5)), 10))
        return
    missing = max(1, round(n * 0.1))
    late = max(1, round(n * 0.15))
    returned = max(1, round(n * 0.1))
    returned_open = 1 if latest and n > 6 else 0
    awaiting = 2 if latest and n > 8 else 0
    plan_of: list[str] = (
        ["missing"] * missing
        + ["late"] * late
        + ["returned"] * returned
        + ["returned_open"] * returned_open
        + ["awaiting"] * awaiting
    )
    plan_of += ["on_time"] * max(0, n - len(plan_of))
    for report, fate in zip(reports, plan_of, strict=False):
        if fate == "missing":
            if rng.random() < 0.5:  # a draft begun and never sent
                _save(context, report, period, rng, _moment(period.due - dt.timedelta(days=rng.randint(1, 6)), 15))
            continue
        if fate == "late":
            day = min(period.due + dt.timedelta(days=rng.randint(2, 25)), context.today)
        else:
            day = _on_time_day(period, rng)
        if fate in ("returned", "returned_open"):
            _submit(context, report, period, rng, day, accept=False)
            back = _later(day, rng.randint(1, 3), context.today)
            _return(context, report, rng, back)
            if fate == "returned":
                again = _later(back, rng.randint(2, 6), context.today)
                _resubmit(context, report, period, again, accept=_later(again, rng.randint(1, 4), context.today))
            continue
        _submit(context, report, period, rng, day, accept=fate != "awaiting")


# --- the services, with synthetic back-dating ----------------------------------------------------------------


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_current_timezone())


def _later(day: dt.date, days: int, today: dt.date) -> dt.date:
    return min(day + dt.timedelta(days=days), today)


def _on_time_day(period: Period, rng: random.Random, last: dt.date | None = None) -> dt.date:
    first = max(period.data_to + dt.timedelta(days=1), period.due - dt.timedelta(days=12))
    last = min(period.due, last) if last is not None else period.due
    if last < first:
        return last
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _last_event(report: Report) -> tuple[int, int]:
    """Where the report's audit trail and the notices stand before a service call."""
    event = AuditEvent.objects.filter(report=report).order_by("-pk").values_list("pk", flat=True).first()
    notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first()
    return event or 0, notice or 0


def _backdate(report: Report, since: tuple[int, int], when: dt.datetime, **fields: Any) -> None:
    # Synthetic back-dating: the services stamp "now"; the demo history needs the day it pretends to be.
    # Never later than now: a step dated "today at 16:00" run in the morning would be a time in the future.
    now = timezone.now()
    when = min(when, now)
    fields = {k: min(v, now) if isinstance(v, dt.datetime) else v for k, v in fields.items()}
    Report.objects.filter(pk=report.pk).update(updated_at=when, **fields)
    AuditEvent.objects.filter(report=report, pk__gt=since[0]).update(at=when)
    # The workflow's notices of that day: labelled, dated and already read, so a demo user's inbox is not
    # flooded with years of simulated history as if it were news.
    Notice.objects.filter(pk__gt=since[1], url=reverse("report-detail", args=[report.pk])).update(
        text=Concat(Value(f"{LABEL} "), F("text")), created_at=when, read_at=when
    )


def _save(context: _Context, report: Report, period: Period, rng: random.Random, when: dt.datetime) -> Report:
    since = _last_event(report)
    report = report_save(
        report=report,
        user=context.actor(report.reporter_id),
        version=report.version,
        entries=_entries(context, report, period, rng),
        progress=_progress(report, period, rng),
        spending=_spending(report, rng),
        summary=_summary(report, period, rng),
    )
    _backdate(report, since, when)
    return report


def _submit(
    context: _Context, report: Report, period: Period, rng: random.Random, day: dt.date, *, accept: bool
) -> Report:
    hour = rng.randint(8, 16)
    report = _save(context, report, period, rng, _moment(day, hour, rng.randint(0, 29)))
    since = _last_event(report)
    report = report_submit(report=report, user=context.actor(report.reporter_id), version=report.version)
    when = _moment(day, hour, rng.randint(30, 59))
    _backdate(report, since, when, submitted_at=when, late=day > period.due)
    if accept:
        _accept(context, report, _later(day, rng.randint(1, 8), context.today))
    return report


def _resubmit(context: _Context, report: Report, period: Period, day: dt.date, *, accept: dt.date) -> None:
    report.refresh_from_db()
    since = _last_event(report)
    report = report_save(
        report=report,
        user=context.actor(report.reporter_id),
        version=report.version,
        summary=f"{report.summary} Đã bổ sung, chỉnh sửa theo ý kiến của cơ quan thường trực.",
    )
    report = report_submit(report=report, user=context.actor(report.reporter_id), version=report.version)
    when = _moment(day, 9, 30)
    _backdate(report, since, when, submitted_at=when)  # timeliness stays that of the first submission
    _accept(context, report, accept)


def _return(context: _Context, report: Report, rng: random.Random, day: dt.date) -> None:
    since = _last_event(report)
    report.refresh_from_db(fields=["version"])  # the history is played on objects read before the last step
    report_return(
        report=report, user=_decider(context, report), comment=rng.choice(_RETURN_COMMENTS), version=report.version
    )
    when = _moment(day, 14)
    _backdate(report, since, when, decided_at=when)


def _decider(context: _Context, report: Report) -> Any:
    """The standing agency's user; for the standing agency's own report (nobody decides their own agency's) the
    synthetic account, an administrator of no agency."""
    return context.decider if report_can_decide(context.decider, report) else context.fallback


def _accept(context: _Context, report: Report, day: dt.date) -> None:
    since = _last_event(report)
    report.refresh_from_db(fields=["version"])
    report_accept(report=report, user=_decider(context, report), version=report.version)
    when = _moment(day, 16)
    _backdate(report, since, when, decided_at=when)


# --- plausible figures ---------------------------------------------------------------------------------------


def _summary(report: Report, period: Period, rng: random.Random) -> str:
    return (
        f"{LABEL} Kết quả thực hiện {period.label.lower().removeprefix('báo cáo ')} của {report.reporter.name}: "
        f"đã triển khai các nhiệm vụ được giao, {rng.choice(('cơ bản đạt', 'đạt', 'chưa đạt'))} tiến độ đề ra. "
        "Số liệu do hệ thống tạo ra để trình diễn, không phải số liệu thật."
    )


def _progress(report: Report, period: Period, rng: random.Random) -> list[ProgressInput]:
    items = []
    done_share = 0.5 if period.kind == "annual" else 0.25
    for task_id in report.task_lines.order_by("task_id").values_list("task_id", flat=True):
        roll = rng.random()
        status = TaskStatus.DONE if roll < done_share else TaskStatus.IN_PROGRESS
        if roll > 0.95:
            status = TaskStatus.NOT_STARTED
        narrative = "" if status == TaskStatus.NOT_STARTED else rng.choice(_NARRATIVES).format(n=rng.randint(2, 12))
        items.append(ProgressInput(task_id, status, narrative))
    return items


def _spending(report: Report, rng: random.Random) -> list[SpendingInput]:
    tasks = list(report.task_lines.order_by("task_id").values_list("task_id", flat=True)[:2])
    return [SpendingInput(task_id, "local", D(rng.randint(50, 800)) / 10) for task_id in tasks if rng.random() < 0.6]


def _entries(context: _Context, report: Report, period: Period, rng: random.Random) -> list[Entry]:
    lines = report.indicator_lines.select_related("indicator").prefetch_related("indicator__targets")
    indicators = [line.indicator for line in lines.order_by("indicator__order")]
    entries: list[Entry] = []
    for indicator in indicators:
        if indicator.measure == Measure.TEXT:
            continue
        sexes = sexes_for(indicator)
        if len(sexes) == 1:
            entries.append(_entry(context.plan, indicator, report, period, rng, "total", 1.0))
        else:
            female = _entry(context.plan, indicator, report, period, rng, "female", 0.5)
            male = _entry(context.plan, indicator, report, period, rng, "male", 0.5)
            entries += [_sum_entry(indicator.pk, female, male), female, male]
    # A figure far from the unit's previous one must carry a note (checks.py): the history gives one.
    noted = {issue.where for issue in check_report_entries(report, entries) if issue.level == "warning"}
    for entry in entries:
        if f"indicator:{entry.indicator_id}:{entry.sex}:note" in noted:
            entry.note = _FAR_NOTE
    return entries


def _sum_entry(indicator_id: int, female: Entry, male: Entry) -> Entry:
    def add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a + b

    return Entry(
        indicator_id,
        "total",
        value=add(female.value, male.value),
        numerator=add(female.numerator, male.numerator),
        denominator=add(female.denominator, male.denominator),
    )


def _target(indicator: Indicator, plan: Plan) -> tuple[float, int, str]:
    """The first target the plan sets (value, year, comparator); a neutral one when it sets none."""
    targets = [t for t in indicator.targets.all() if t.value is not None]
    if not targets:
        return (50.0 if indicator.measure == Measure.PERCENTAGE else 1.0), plan.year_end, ""
    first = min(targets, key=lambda t: t.year or plan.year_end)
    return float(first.value or 0), first.year or plan.year_end, first.comparator


def _entry(
    plan: Plan, indicator: Indicator, report: Report, period: Period, rng: random.Random, sex: str, share: float
) -> Entry:
    """One plausible figure: the indicator moves from a starting value toward its target over the plan's years."""
    base = random.Random(f"binhdang-demo:{indicator.key}:{report.unit.code}:{sex}")  # noqa: S311 - demo data
    target, target_year, comparator = _target(indicator, plan)
    elapsed = period.year - plan.year_start + (0.5 if period.kind == "semiannual" else 1.0)
    progress = min(1.05, max(0.0, elapsed / max(1, target_year - plan.year_start + 1)))
    decreasing = indicator.direction == "decrease" or comparator in ("<", "<=")
    measure = indicator.measure
    if measure == Measure.BOOLEAN:
        switch = base.randint(plan.year_start, max(plan.year_start, target_year))
        return Entry(indicator.pk, sex, value=D(1 if period.year >= switch else 0))
    if measure == Measure.COUNT:
        # "Không để xảy ra" (target 0): mostly none, now and then one case.
        count = (1 if rng.random() < 0.1 else 0) if target == 0 else round(target * rng.uniform(1.0, 1.6) * share)
        return Entry(indicator.pk, sex, value=D(count))
    if measure == Measure.PERCENTAGE:
        start = min(100.0, target + 8) if decreasing else max(0.0, target - 15)
        figure = min(100.0, max(0.0, start + (target - start) * progress + rng.uniform(-1.5, 1.5)))
        denominator = round(base.randint(120, 900) * (1 + 0.02 * (period.year - plan.year_start)) * share)
        part = min(denominator, round(figure / 100 * denominator))
        return Entry(indicator.pk, sex, numerator=D(part), denominator=D(max(1, denominator)))
    # Ratios and rates: a ratio written "110 bé trai/100 bé gái" with no rate_per is stored as 1.10.
    scale = float(indicator.rate_per or 1)
    if measure == Measure.RATIO and not indicator.rate_per and target > 20:
        target = target / 100
    start = target * 1.2 if decreasing else target * (1.03 if comparator in ("=", "~") else 0.85)
    figure = max(0.01, start + (target - start) * progress) * rng.uniform(0.98, 1.02)
    denominator = round(base.randint(40, 120) * (25 if measure == Measure.RATE else 1) * share) or 1
    numerator = D(str(figure / scale * denominator)).quantize(D("0.1"), rounding=ROUND_HALF_UP)
    return Entry(indicator.pk, sex, numerator=numerator, denominator=D(denominator))
