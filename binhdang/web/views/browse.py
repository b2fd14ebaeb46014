"""Read pages: the plan list, a plan's page, its JSON export and an agency's work ("Việc của đơn vị").

Every read goes through binhdang.plans.selectors, which scope what the user may see: a plan the user may
not read is a 404 here, exactly as if it did not exist. What the pages show is built in binhdang.plans.pages;
this module parses the request and renders.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from binhdang.lib.http import found_or_404
from binhdang.lib.text import fold
from binhdang.opendata.selectors import may_publish
from binhdang.places.models import Level
from binhdang.places.selectors import user_agency
from binhdang.plans import pages, selectors
from binhdang.plans.interchange import plan_export
from binhdang.plans.models import Indicator, PlanStatus, Task
from binhdang.reporting.todo import todo_for, unit_work
from binhdang.web.lookup import visible_plan

PAGE_SIZE = 25
NO_AGENCY_HELP = gettext_lazy(
    "Tài khoản của bạn chưa gắn với cơ quan, đơn vị nào. Hãy đề nghị quản trị hệ thống của tỉnh gắn tài khoản với "
    "cơ quan của bạn (Quản trị → Hồ sơ người dùng); sau đó trang này sẽ hiện các báo cáo và việc của đơn vị."
)


def home(request: HttpRequest) -> HttpResponse:
    """ "Việc cần làm", the landing page after sign-in: what the user's unit has to do, newest first."""
    if not request.user.is_authenticated:
        return redirect("login")
    today = timezone.localdate()
    return render(request, "web/todo.html", {"todo": todo_for(request.user, today), "today": today})


# The plan list ---------------------------------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm kiếm"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=gettext_lazy("Cấp"), required=False, choices=[("", gettext_lazy("Tất cả")), *Level.choices]
    )
    unit = forms.CharField(label=gettext_lazy("Địa bàn"), required=False, max_length=120)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=1900, max_value=2100)
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"), required=False, choices=[("", gettext_lazy("Tất cả")), *PlanStatus.choices]
    )


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_visible_to(request.user)
    form = PlanFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        plans = pages.plan_search(
            plans, text=data["q"], level=data["level"], status=data["status"], year=data["year"], unit=data["unit"]
        )
    elif form.is_bound:
        plans = plans.none()
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/browse/plan_list.html",
        {"form": form, "page": page, "plans": page.object_list, "query": query.urlencode()},
    )


# A plan's page -------------------------------------------------------------------------------------------


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = found_or_404(selectors.plan_detail(request.user, pk), "plan")
    context = pages.plan_page(request.user, plan, timezone.localdate())
    context["can_publish"] = may_publish(request.user, plan)
    return render(request, "web/browse/plan_detail.html", context)


_UNSAFE_FILENAME = re.compile(r"[^a-z0-9]+")


@login_required
def plan_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    name = _UNSAFE_FILENAME.sub("-", fold(plan.code or "")).strip("-") or f"ke-hoach-{plan.pk}"
    response = JsonResponse(plan_export(plan), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


# An agency's work ----------------------------------------------------------------------------------------


@login_required
def agency_work(request: HttpRequest, pk: int) -> HttpResponse:
    agency = found_or_404(selectors.agencies_visible_to(request.user).filter(pk=pk).first(), "agency")
    work = unit_work(request.user, agency)
    tasks: list[Task] = work["tasks"]
    indicators: list[Indicator] = work["indicators"]
    return render(
        request,
        "web/browse/agency_work.html",
        {
            "agency": agency,
            "plans": pages.agency_work_plans(agency, tasks, indicators),
            "task_count": len(tasks),
            "indicator_count": len(indicators),
            "is_own": (own := user_agency(request.user)) is not None and own.pk == agency.pk,
        },
    )


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    agency = user_agency(request.user)
    if agency is None:
        messages.warning(request, NO_AGENCY_HELP)
        return redirect("home")
    return redirect("agency-work", pk=agency.pk)
