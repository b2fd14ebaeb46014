"""Dashboards: parse the request, call the selectors and builders, render. Nothing is cached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from binhdang.lib.http import found_or_404, not_found
from binhdang.lib.safe_cells import CsvWriter
from binhdang.lib.urlids import parse_id
from binhdang.places.selectors import units_in_scope_ids
from binhdang.plans.models import Plan

from . import dashboards, pages, selectors
from .breakdown_page import breakdown_context
from .dashboards import Table
from .drilldown import drilldown_rows, successors_of
from .national import national_plan

METHOD_DOC = Path(settings.BASE_DIR).parent / "docs" / "monitoring.md"


def _render(request: HttpRequest, name: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, name, context)


def _csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{table.slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM as UTF-8
    writer = CsvWriter(response)
    if table.machine_headers:
        writer.writerow([*table.headers, *table.machine_headers])
        writer.writerows([*row, *extra] for row, extra in zip(table.rows, table.machine_rows, strict=True))
    else:
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return response


def _maybe_csv(
    request: HttpRequest, context: dict[str, Any], filename: str, default: str = "chi-tieu"
) -> HttpResponse | None:
    if request.GET.get("format") != "csv":
        return None
    table = found_or_404(context["tables"].get(request.GET.get("table", default)), "table")
    return _csv(table, filename)


@login_required
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = found_or_404(selectors.dashboard_plan(request.user, pk), "plan")
    today = timezone.localdate()
    context = dashboards.plan_dashboard(plan, selectors.completeness_reports(request.user, plan), today)
    context["home_link"] = selectors.unit_can_open(selectors.dashboard_unit_ids(request.user), context["home_id"])
    context["query_prefix"] = ""
    context["synthetic"] = _synthetic(plan)
    return _maybe_csv(request, context, f"ke-hoach-{plan.pk}") or _render(
        request, "analytics/plan_dashboard.html", context
    )


def _synthetic(plan: Plan) -> bool:
    """The labelled synthetic plans (national and demo) say so on every page that shows them."""
    return plan.is_synthetic


def _int(value: str | None) -> int | None:
    return parse_id(value)


@login_required
def unit_dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = found_or_404(selectors.dashboard_unit(request.user, unit_id), "unit")
    plan_id = _int(request.GET.get("plan"))
    if plan_id is None:
        plans = selectors.dashboard_plans(request.user)
        return _render(request, "analytics/choose_plan.html", {"unit": unit, "plans": plans})
    plan = found_or_404(selectors.dashboard_plan(request.user, plan_id), "plan")
    visible = selectors.dashboard_unit_ids(request.user)
    rows = drilldown_rows(plan, unit, visible)
    successors = successors_of(unit, visible)
    context = dashboards.unit_dashboard(
        plan, unit, [row.unit for row in rows], _int(request.GET.get("indicator")), timezone.localdate(), rows
    )
    context["successors"] = successors
    context["parent_link"] = selectors.unit_can_open(visible, unit.parent_id)
    context["synthetic"] = _synthetic(plan)
    context["query_prefix"] = f"plan={plan.pk}&indicator={context['chosen'].indicator.pk if context['chosen'] else ''}&"
    # A unit no longer in force (a former district of a 2023 plan) adds up its groups from its own reports, as
    # its page's other figures (analytics/drilldown.py); a unit in force reads the summary.
    historic = unit if unit.valid_to is not None else None
    extra = breakdown_context(
        context["rollup"],
        context["home_id"],
        unit.level,
        context["measurable"],
        context["chosen"],
        request.GET.get("by", ""),
        historic,
        context["own"],
    )
    context["tables"].update(extra.pop("tables"))
    context.update(extra)
    if context.get("by"):
        context["query_prefix"] += f"by={context['by']}&"
    return _maybe_csv(request, context, f"dia-ban-{unit.pk}-ke-hoach-{plan.pk}") or _render(
        request, "analytics/unit_dashboard.html", context
    )


@login_required
def method(request: HttpRequest) -> HttpResponse:
    try:
        text = METHOD_DOC.read_text(encoding="utf-8")
    except OSError:
        text = _("Tài liệu phương pháp (docs/monitoring.md) không có trong bản cài đặt này.")
    # The method text is our own docs/monitoring.md, not user input, so its HTML is trusted.
    body = mark_safe(markdown.markdown(text, extensions=["tables", "attr_list"]))  # noqa: S308
    return _render(request, "analytics/method.html", {"body": body})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every plan the user may see, with its dashboards; the national view when a plan is marked national."""
    national = national_plan()
    if national is not None and selectors.dashboard_plan(request.user, national.pk) is None:
        national = None
    plans = selectors.dashboard_plans(request.user)
    if national is not None:
        plans = plans.exclude(pk=national.pk)
    return _render(request, "analytics/index.html", {"plans": plans, "national": national})


def _plan_page(
    request: HttpRequest, pk: int, build: Callable[[Plan], dict[str, Any]], template: str, default_table: str
) -> HttpResponse:
    """A page of one visible plan: its data from ``build``, as HTML or one of its tables as CSV."""
    plan = found_or_404(selectors.dashboard_plan(request.user, pk), "plan")
    context = build(plan)
    context["synthetic"] = _synthetic(plan)
    return _maybe_csv(request, context, f"ke-hoach-{plan.pk}", default_table) or _render(request, template, context)


@login_required
def plan_budget(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk, pages.budget_page, "analytics/budget.html", "kinh-phi")


@login_required
def plan_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk, pages.tasks_page, "analytics/tasks.html", "theo-co-quan")


@login_required
def national(request: HttpRequest) -> HttpResponse:
    plan = national_plan()
    if plan is None or selectors.dashboard_plan(request.user, plan.pk) is None:
        raise not_found("national")
    context = pages.national_page(plan, _int(request.GET.get("indicator")), units_in_scope_ids(request.user))
    context["synthetic"] = _synthetic(plan)
    context["query_prefix"] = f"indicator={context['chosen'].pk if context['chosen'] else ''}&"
    return _maybe_csv(
        request, context, "quoc-gia-mo-phong" if context["synthetic"] else "quoc-gia", "xep-hang-tinh"
    ) or _render(request, "analytics/national.html", context)
