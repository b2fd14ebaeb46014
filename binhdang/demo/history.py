"""A LABELLED synthetic reporting history for the demo, so that the demo shows the reporting cycle at work.

Nothing here is real data. Every report it writes has a summary that starts with ``[Dữ liệu mô phỏng]``
("simulated data"), and so do the inspection and the review period it adds; docs/reporting.md says so to
people. It is built for the two plans its caller passes (the demo command passes two seed plans):

- a plan with lower-level units under it (the seed: Thái Nguyên's 2023 plan, 59/KH-UBND, whose unit is the
  pre-2025 province, so the lower-level committees are those of its pre-2025 districts): three of them get a
  committee whose standing agency is their "Phòng Lao động - Thương binh và Xã hội", and the demo user
  ``xa.demo`` belongs to the first. The 6-month report of the plan's first year is left an untouched draft, for
  a person (or the browser test) to fill in, send, have returned by the standing agency, send again and have
  accepted.
- a commune's plan (the seed: An Hòa Thịnh's 2021–2030 plan): every period that has started, with a mid-term
  review period (sơ kết 2021–2025) that gathers them.

The period playback (with its back-dating) is in playback.py, the figures in figures.py.

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
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from binhdang.places.models import AdministrativeUnit, Agency, Profile
from binhdang.places.selectors import standing_agency_of
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans.errors import PlanError
from binhdang.plans.models import SYNTHETIC_LABEL as LABEL
from binhdang.plans.models import CatalogueIndicator, Plan
from binhdang.plans.schedule import periods_for_rule
from binhdang.plans.services import indicator_adopt, indicator_update
from binhdang.reporting.completeness import plan_completeness
from binhdang.reporting.inspections import finding_add, finding_close, inspection_create
from binhdang.reporting.models import Finding, Inspection, Notice, Period, Report, ReportStatus
from binhdang.reporting.selectors import acceptor_of
from binhdang.reporting.services import period_create, periods_generate, reports_generate, summary_rebuild

from .playback import HistoryContext, latest_past, moment, play_period

# Demo only, like the password the demo command prints; never used outside the demo.
DEMO_PASSWORD = "binhdang-demo-2026"  # noqa: S105
DEMO_USERNAME = "xa.demo"
# The account the history is written as when a reporting agency has no user: it cannot sign in (inactive,
# no usable password); its name says what it is, so the audit trail reads honestly.
SYNTHETIC_USERNAME = "du-lieu-mo-phong"

# The standing agencies made when a plan's unit has none (the demo command makes its users' agencies first).
PROVINCE_STANDING = "Sở Lao động - Thương binh và Xã hội"
COMMUNE_STANDING = "Văn hóa- xã hội phụ trách Lao động - Thương binh và Xã hội"
LOWER_STANDING = "Phòng Lao động - Thương binh và Xã hội"
LOWER_COMMITTEES = 3


# --- entry point ---------------------------------------------------------------------------------------------


@transaction.atomic
def demo_history_build(
    *, province_plan: Plan | None = None, commune_plan: Plan | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """Build (or rebuild) the labelled synthetic history on the plans given; returns what was built, plan by plan.

    The caller chooses the plans from what it loaded (the demo command passes two of the seed plans): a plan
    with lower-level units under it (``province_plan``) and one of a commune (``commune_plan``); either may be
    None, and is then skipped.
    """
    today = today or timezone.localdate()
    result: dict[str, Any] = {"label": LABEL, "today": today.isoformat(), "plans": [], "skipped": [], "users": []}
    fallback = _synthetic_account()
    if province_plan is None:
        result["skipped"].append("no province plan given")
    else:
        _province_history(province_plan, today, fallback, result)
    if commune_plan is None:
        result["skipped"].append("no commune plan given")
    else:
        _commune_history(commune_plan, today, fallback, result)
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


def _context(plan: Plan, today: dt.date, acceptor: Agency, fallback: Any) -> HistoryContext:
    reporter_ids = set(Report.objects.filter(period__plan=plan).values_list("reporter_id", flat=True))
    users = _first_users(reporter_ids | {acceptor.pk})
    return HistoryContext(plan, today, users.get(acceptor.pk, fallback), users, fallback)


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


# --- a plan with lower-level units (the seed: Thái Nguyên 2023) ---------------------------------------------


def _province_history(plan: Plan, today: dt.date, fallback: Any, result: dict[str, Any]) -> None:
    acceptor = _ensure_standing(plan, PROVINCE_STANDING)
    # The units one level down (for the seed's pre-2025 province, its districts) get committees of their own.
    districts = list(AdministrativeUnit.objects.filter(parent=plan.unit).order_by("code")[:LOWER_COMMITTEES])
    offices: list[Agency] = []
    for district in districts:
        office = standing_agency_of(district)
        if office is None:
            office = agency_get_or_create(name=LOWER_STANDING, unit=district)
            committee_set_standing_agency(unit=district, agency=office)
        offices.append(office)
    _adopt_strategy_indicators(plan, fallback)
    periods = periods_generate(plan=plan)
    # The first 6-month report of the plan's first year is left for xa.demo (for the seed: that of 2023).
    semiannual = next((p for p in periods if p.kind == "semiannual" and p.year == plan.year_start), None)
    demo_office = offices[0] if offices else None
    extra = Q(period=semiannual, reporter=demo_office) if semiannual and demo_office else None
    _clear(plan, extra)
    _declare_split(plan, fallback)
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
        play_period(context, period, latest=period == latest_past(started, today))
    _inspection(context, districts[:2], offices[:2])
    summary_rebuild(plan=plan)  # _clear deleted synthetic reports, some accepted, behind the services' back
    result["plans"].append(_summary_of(plan, today))


# The seed's 2023 plan sets no numeric indicator of its own; the province reports on the national strategy's. In
# the demo its standing agency adopts these three (a product feature, shown on the plan page as adopted, not as
# document text).
ADOPTED = (("2", "1"), ("3", "2a"), ("6", "1"))


def _adopt_strategy_indicators(plan: Plan, user: Any) -> None:
    have = set(plan.indicators.filter(catalogue__isnull=False).values_list("catalogue_id", flat=True))
    for objective, number in ADOPTED:
        catalogue = CatalogueIndicator.objects.filter(objective_number=int(objective), number=number).first()
        if catalogue is not None and catalogue.pk not in have:
            indicator_adopt(plan=plan, user=user, catalogue=catalogue)


# Issue 16: the standing agency asks for the strategy's "dân số được tiếp cận kiến thức về bình đẳng giới" by age
# group and ethnicity as well as by sex (a setting on the indicator's page, not document text), so the demo shows
# a grid to fill, derived totals and dashboards by disaggregation. The groups tile every age: parts add up.
SPLIT = (("6", "1"), ["sex", "age", "ethnicity"], ["0-14", "15-59", "60+"])


def _declare_split(plan: Plan, user: Any) -> None:
    (objective, number), disaggregations, age_groups = SPLIT
    indicator = plan.indicators.filter(catalogue__objective_number=int(objective), catalogue__number=number).first()
    if indicator is None or (indicator.disaggregations == disaggregations and indicator.age_groups == age_groups):
        return
    try:
        indicator_update(
            indicator=indicator, user=user, data={"disaggregations": disaggregations, "age_groups": age_groups}
        )
    except PlanError:  # people's own reports hang on it: its meaning is theirs now, the demo leaves it
        return


def _inspection(context: HistoryContext, districts: list[AdministrativeUnit], offices: list[Agency]) -> None:
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
            f"Bố trí cán bộ đầu mối thống kê; gửi báo cáo đúng hạn theo Kế hoạch số {plan.code or '(chưa số)'}.",
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
                Finding.objects.filter(pk=finding.pk).update(closed_at=moment(dt.date(plan.year_start, 12, 1), 10))


# --- a commune plan (the seed: An Hòa Thịnh 2021–2030) -------------------------------------------------------


def _commune_history(plan: Plan, today: dt.date, fallback: Any, result: dict[str, Any]) -> None:
    acceptor = _ensure_standing(plan, COMMUNE_STANDING)
    _clear(plan)
    periods = periods_generate(plan=plan)
    started = [p for p in periods if p.data_from <= today]
    for period in started:
        reports_generate(period=period)
    context = _context(plan, today, acceptor, fallback)
    latest = latest_past(started, today)
    for period in started:
        play_period(context, period, latest=period == latest)
    _review_period(context)
    summary_rebuild(plan=plan)  # _clear deleted synthetic reports, some accepted, behind the services' back
    result["plans"].append(_summary_of(plan, today))


def _review_period(context: HistoryContext) -> Period | None:
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
