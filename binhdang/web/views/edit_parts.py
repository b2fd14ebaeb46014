"""Write pages of a plan's parts (objectives, indicators, tasks, projects, budget lines and totals, reporting
rules, references): add, change, delete, and retire ("Ngừng theo dõi") an indicator or task.

One table, PARTS, names each part's form and services; the four views work for every part through it. A plan
the user may not read is a 404, one it may read but not change a 403 (web.lookup.editable_plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from binhdang.lib.http import found_or_404, not_found
from binhdang.plans import services
from binhdang.plans.errors import PlanNotEditable
from binhdang.plans.locks import PartLocked
from binhdang.plans.models import (
    BudgetLine,
    BudgetTotal,
    Indicator,
    Objective,
    Plan,
    Project,
    Reference,
    ReportingRule,
    Task,
)
from binhdang.web.forms import (
    BudgetForm,
    IndicatorForm,
    ObjectiveForm,
    PartForm,
    ProjectForm,
    ReferenceForm,
    ReportingForm,
    TargetFormSet,
    TaskForm,
    formset_targets,
    target_initial,
)
from binhdang.web.lookup import editable_plan
from binhdang.web.views.edit_errors import (
    lead_partner_error,
    locked_message,
    model_errors,
    other_plan_error,
    parent_message,
)

TARGETS_PREFIX = "targets"


@dataclass(frozen=True)
class Part:
    slug: str
    label: Any  # lazy Vietnamese name, "mục tiêu"
    model: type[models.Model]
    related: str  # the plan's related manager
    form: type[PartForm]
    create: Callable[[Plan, Any, dict[str, Any], list[dict[str, Any]] | None], models.Model]
    update: Callable[[Any, Any, dict[str, Any], list[dict[str, Any]] | None], models.Model]
    delete: Callable[[Any, Any], None]
    targets: bool = False


def _lead(data: dict[str, Any]) -> dict[str, Any]:
    return {"lead": data["lead_ref"], "partners": data["partner_refs"]}


def _rule_agencies(data: dict[str, Any]) -> dict[str, Any]:
    return {"to": data["to_ref"], "through": data["through_ref"]}


PARTS: dict[str, Part] = {
    part.slug: part
    for part in (
        Part(
            "objective",
            gettext_lazy("mục tiêu"),
            Objective,
            "objectives",
            ObjectiveForm,
            lambda plan, user, data, _t: services.objective_create(plan=plan, user=user, data=data),
            lambda obj, user, data, _t: services.objective_update(objective=obj, user=user, data=data),
            lambda obj, user: services.objective_delete(objective=obj, user=user),
        ),
        Part(
            "indicator",
            gettext_lazy("chỉ tiêu"),
            Indicator,
            "indicators",
            IndicatorForm,
            lambda plan, user, data, targets: services.indicator_create(
                plan=plan, user=user, data=data, targets=targets or [], responsible=data["responsible_refs"]
            ),
            lambda obj, user, data, targets: services.indicator_update(
                indicator=obj, user=user, data=data, targets=targets, responsible=data["responsible_refs"]
            ),
            lambda obj, user: services.indicator_delete(indicator=obj, user=user),
            targets=True,
        ),
        Part(
            "task",
            gettext_lazy("nhiệm vụ"),
            Task,
            "tasks",
            TaskForm,
            lambda plan, user, data, _t: services.task_create(plan=plan, user=user, data=data, **_lead(data)),
            lambda obj, user, data, _t: services.task_update(task=obj, user=user, data=data, **_lead(data)),
            lambda obj, user: services.task_delete(task=obj, user=user),
        ),
        Part(
            "project",
            gettext_lazy("dự án, mô hình"),
            Project,
            "projects",
            ProjectForm,
            lambda plan, user, data, _t: services.project_create(plan=plan, user=user, data=data, **_lead(data)),
            lambda obj, user, data, _t: services.project_update(project=obj, user=user, data=data, **_lead(data)),
            lambda obj, user: services.project_delete(project=obj, user=user),
        ),
        Part(
            "budget-line",
            gettext_lazy("dòng kinh phí"),
            BudgetLine,
            "budgetlines",
            BudgetForm,
            lambda plan, user, data, _t: services.budget_line_create(plan=plan, user=user, data=data),
            lambda obj, user, data, _t: services.budget_line_update(line=obj, user=user, data=data),
            lambda obj, user: services.budget_line_delete(line=obj, user=user),
        ),
        Part(
            "budget-total",
            gettext_lazy("tổng kinh phí"),
            BudgetTotal,
            "budgettotals",
            BudgetForm,
            lambda plan, user, data, _t: services.budget_total_create(plan=plan, user=user, data=data),
            lambda obj, user, data, _t: services.budget_total_update(total=obj, user=user, data=data),
            lambda obj, user: services.budget_total_delete(total=obj, user=user),
        ),
        Part(
            "reporting",
            gettext_lazy("chế độ báo cáo"),
            ReportingRule,
            "reporting_rules",
            ReportingForm,
            lambda plan, user, data, _t: services.reporting_rule_create(
                plan=plan, user=user, data=data, **_rule_agencies(data)
            ),
            lambda obj, user, data, _t: services.reporting_rule_update(
                rule=obj, user=user, data=data, **_rule_agencies(data)
            ),
            lambda obj, user: services.reporting_rule_delete(rule=obj, user=user),
        ),
        Part(
            "reference",
            gettext_lazy("văn bản dẫn chiếu"),
            Reference,
            "references",
            ReferenceForm,
            lambda plan, user, data, _t: services.reference_create(plan=plan, user=user, data=data),
            lambda obj, user, data, _t: services.reference_update(reference=obj, user=user, data=data),
            lambda obj, user: services.reference_delete(reference=obj, user=user),
        ),
    )
}


def _part(slug: str) -> Part:
    try:
        return PARTS[slug]
    except KeyError:
        raise not_found("part") from None


def _item(plan: Plan, part: Part, item: int) -> Any:
    return found_or_404(getattr(plan, part.related).filter(pk=item).first(), "item")


def _part_form(request: HttpRequest, plan: Plan, part: Part, instance: Any) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = part.form(data, plan=plan, user=request.user, instance=instance)
    targets = TargetFormSet(data, prefix=TARGETS_PREFIX, initial=target_initial(instance)) if part.targets else None
    if data is not None and form.is_valid() and (targets is None or targets.is_valid()):
        rows = formset_targets(targets) if targets is not None else None
        try:
            if instance is None:
                part.create(plan, request.user, form.cleaned_data, rows)
            else:
                part.update(instance, request.user, form.cleaned_data, rows)
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
        except services.AgencyLeadAndPartner as exc:
            lead_partner_error(form, exc)
        except services.PartOfOtherPlan as exc:
            other_plan_error(form, exc)
        except services.PartCycle as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None,
                _("Không thể chọn chính mục này hoặc một mục con của nó làm mục cấp trên."),
            )
        except PartLocked as exc:
            form.add_error(None, locked_message(exc))
        except (services.ParentNotAbove, services.ParentNotVisible) as exc:
            form.add_error("code" if "code" in form.fields else None, parent_message(exc))
        except ValidationError as exc:
            model_errors(form, exc)
        else:
            done = _("Đã thêm %(part)s.") if instance is None else _("Đã lưu %(part)s.")
            messages.success(request, done % {"part": part.label})
            return redirect("plan-detail", pk=plan.pk)
    return render(
        request,
        "web/edit/part_form.html",
        {"plan": plan, "part": part, "form": form, "targets": targets, "instance": instance},
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def part_create(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    spec = _part(part)
    plan = editable_plan(request, pk)
    return _part_form(request, plan, spec, None)


@login_required
@require_http_methods(["GET", "POST"])
def part_update(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    spec = _part(part)
    plan = editable_plan(request, pk)
    return _part_form(request, plan, spec, _item(plan, spec, item))


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    spec = _part(part)
    plan = editable_plan(request, pk)
    obj = _item(plan, spec, item)
    context = {"plan": plan, "part": spec, "object": obj, "retirable": spec.slug in RETIRE}
    if request.method == "POST":
        try:
            spec.delete(obj, request.user)
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
        except PartLocked as exc:
            return render(
                request, "web/edit/confirm_delete.html", {**context, "locked": locked_message(exc)}, status=409
            )
        messages.success(request, _("Đã xóa %(part)s.") % {"part": spec.label})
        return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/confirm_delete.html", context)


RETIRE: dict[str, Callable[[Any, Any, bool], Any]] = {
    "indicator": lambda obj, user, retired: services.indicator_retire(indicator=obj, user=user, retired=retired),
    "task": lambda obj, user, retired: services.task_retire(task=obj, user=user, retired=retired),
}


@login_required
@require_POST
def part_retire(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    """“Ngừng theo dõi” (or, with retired=0, “Theo dõi lại”) an indicator or a task: new reports stop asking for it;
    what was reported stays. What replaces deleting a part that reports hang on."""
    if part not in RETIRE:
        raise not_found("retirable")
    spec = _part(part)
    plan = editable_plan(request, pk)
    obj = _item(plan, spec, item)
    retired = request.POST.get("retired", "1") != "0"
    try:
        RETIRE[part](obj, request.user, retired)
    except PlanNotEditable:
        raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
    if retired:
        messages.success(
            request,
            _("Đã ngừng theo dõi %(part)s; các báo cáo mới không hỏi nữa, số liệu đã báo cáo vẫn được giữ.")
            % {"part": spec.label},
        )
    else:
        messages.success(request, _("Đã theo dõi lại %(part)s từ các báo cáo tạo sau.") % {"part": spec.label})
    return redirect("plan-update", pk=plan.pk)


def plan_parts(plan: Plan) -> list[dict[str, Any]]:
    """Every part of the plan with its items, for the edit page's lists of links."""
    return [{"part": part, "items": list(getattr(plan, part.related).all())} for part in PARTS.values()]
