"""Write pages: create and change plans and their parts, derive a lower level's plan, adopt strategy indicators,
load a plan/1 file.

Thin by design: a form parses and checks the input, a service in binhdang.plans.services writes, and the
service's named exceptions become messages here. A plan the user may not read is a 404 (found only through
`plans_visible_to`); a plan the user may read but not change is a 403.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
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
from binhdang.plans.errors import PlanAlreadyExists, PlanFormatError, PlanNotEditable
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
from binhdang.plans.selectors import plan_can_edit
from binhdang.web.forms import (
    AdoptForm,
    BudgetForm,
    DeriveForm,
    ImportForm,
    IndicatorForm,
    ObjectiveForm,
    PartForm,
    PlanForm,
    ProjectForm,
    ReferenceForm,
    ReportingForm,
    TargetFormSet,
    TaskForm,
    field_error_vi,
    formset_targets,
    target_initial,
)
from binhdang.web.lookup import visible_plan

TARGETS_PREFIX = "targets"


# --- helpers -----------------------------------------------------------------------------------------------


def _editable_plan(request: HttpRequest, pk: int) -> Plan:
    plan = visible_plan(request, pk)
    if not plan_can_edit(request.user, plan):
        raise PermissionDenied(_("Bạn không được sửa kế hoạch này."))
    return plan


def _model_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's model validation errors on the form's fields, or above the form when it has no such field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _lead_partner_error(form: forms.Form, exc: services.AgencyLeadAndPartner) -> None:
    form.add_error(
        "partners" if "partners" in form.fields else None,
        _("“%(name)s” không thể vừa là cơ quan chủ trì vừa là cơ quan phối hợp.") % {"name": exc.agency.name},
    )


def _other_plan_error(form: forms.Form, exc: services.PartOfOtherPlan) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, _("Mục được chọn thuộc kế hoạch khác."))


def locked_message(exc: PartLocked) -> str:
    """Why a plan part that reports hang on was not changed, and who can unlock what (docs/permissions.md)."""
    counts = {
        "label": exc.label,
        "reports": exc.hold.reports,
        "accepted": exc.hold.accepted,
        "who": ", ".join(exc.hold.acceptors) or _("quản trị hệ thống"),
    }
    why = {
        "delete": _(
            "Không xóa được “%(label)s”: %(reports)s báo cáo đã có số liệu hoặc đã gửi cho mục này "
            "(%(accepted)s báo cáo đã được chấp nhận). Số liệu đã báo cáo không được mất. Với chỉ tiêu hoặc nhiệm "
            "vụ, hãy dùng “Ngừng theo dõi”: các báo cáo mới không hỏi nữa, số liệu cũ vẫn được giữ."
        ),
        "reimport": _(
            "Không nạp lại được kế hoạch “%(label)s” từ tệp: kế hoạch đã có %(reports)s báo cáo (%(accepted)s "
            "báo cáo đã được chấp nhận). Nạp lại sẽ xóa các báo cáo, kỳ báo cáo, nhật ký thay đổi và số liệu đã "
            "công bố. Hãy sửa từng phần của kế hoạch trên trang này, hoặc nạp tệp thành một kế hoạch mới."
        ),
        "move": _(
            "Không đổi được địa bàn của kế hoạch “%(label)s”: kế hoạch đã có %(reports)s báo cáo "
            "(%(accepted)s báo cáo đã được chấp nhận) về địa bàn hiện tại."
        ),
        "reshape": _(
            "Không đổi được loại số đo, hệ số hoặc phân tổ của chỉ tiêu “%(label)s”: %(reports)s báo cáo đã có "
            "số liệu theo cách đo hiện tại (%(accepted)s báo cáo đã được chấp nhận). Hãy “Ngừng theo dõi” chỉ "
            "tiêu này và thêm chỉ tiêu mới với cách đo mới."
        ),
    }.get(exc.code, _("Không thực hiện được: %(reports)s báo cáo đã có số liệu cho mục này."))
    unlock = _("Số liệu đã chấp nhận chỉ sửa được khi %(who)s mở lại báo cáo (có ghi nhật ký).")
    return (why + " " + unlock) % counts if exc.hold.accepted else why % counts


# --- the parts of a plan -----------------------------------------------------------------------------------


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
            _lead_partner_error(form, exc)
        except services.PartOfOtherPlan as exc:
            _other_plan_error(form, exc)
        except services.PartCycle as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None,
                _("Không thể chọn chính mục này hoặc một mục con của nó làm mục cấp trên."),
            )
        except PartLocked as exc:
            form.add_error(None, locked_message(exc))
        except (services.ParentNotAbove, services.ParentNotVisible) as exc:
            form.add_error("code" if "code" in form.fields else None, _parent_message(exc))
        except ValidationError as exc:
            _model_errors(form, exc)
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
    plan = _editable_plan(request, pk)
    return _part_form(request, plan, spec, None)


@login_required
@require_http_methods(["GET", "POST"])
def part_update(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    spec = _part(part)
    plan = _editable_plan(request, pk)
    return _part_form(request, plan, spec, _item(plan, spec, item))


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    spec = _part(part)
    plan = _editable_plan(request, pk)
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
    plan = _editable_plan(request, pk)
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


def _parent_message(exc: services.ParentNotAbove | services.ParentNotVisible) -> str:
    if isinstance(exc, services.ParentNotAbove):
        return _(
            "Kế hoạch mang số hiệu %(code)s không thuộc địa bàn cấp trên của kế hoạch này, nên không là kế hoạch "
            "cấp trên được. Hãy chọn quan hệ “Được dẫn chiếu”, hoặc kiểm tra lại số hiệu."
        ) % {"code": exc.plan_code}
    return _(
        "Không có kế hoạch cấp trên mang số hiệu %(code)s mà bạn được xem. Chỉ liên kết được với kế hoạch cấp trên "
        "mà đơn vị bạn được xem; hãy chọn quan hệ “Được dẫn chiếu”."
    ) % {"code": exc.plan_code}


# --- plans -------------------------------------------------------------------------------------------------


def _plan_parts(plan: Plan) -> list[dict[str, Any]]:
    """Every part of the plan with its items, for the edit page's lists of links."""
    return [{"part": part, "items": list(getattr(plan, part.related).all())} for part in PARTS.values()]


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, data=form.cleaned_data, unit=form.cleaned_data["unit"])
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được tạo kế hoạch cho địa bàn này.")) from None
        except services.NoUnit:
            form.add_error(None, _("Tài khoản của bạn chưa thuộc cơ quan nào; hãy nhập mã đơn vị hành chính."))
        except ValidationError as exc:
            _model_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = PlanForm(request.POST if request.method == "POST" else None, user=request.user, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, user=request.user, data=form.cleaned_data, unit=form.cleaned_data["unit"])
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
        except PartLocked as exc:
            form.add_error(None, locked_message(exc))
        except ValidationError as exc:
            _model_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/plan_form.html", {"form": form, "plan": plan, "parts": _plan_parts(plan)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if request.method == "POST":
        try:
            services.plan_delete(plan=plan, user=request.user)
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được xóa kế hoạch này.")) from None
        except PartLocked as exc:
            context = {"plan": plan, "part": None, "object": plan, "locked": locked_message(exc)}
            return render(request, "web/edit/confirm_delete.html", context, status=409)
        messages.success(request, _("Đã xóa kế hoạch."))
        return redirect("plan-list")
    return render(request, "web/edit/confirm_delete.html", {"plan": plan, "part": None, "object": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_derive(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the user's unit's own plan from a plan above it (GET asks, POST does it)."""
    parent = visible_plan(request, pk)
    form = DeriveForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_derive(parent=parent, user=request.user, unit=form.cleaned_data["unit"])
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được lập kế hoạch cho địa bàn này.")) from None
        except services.NoUnit:
            form.add_error(None, _("Tài khoản của bạn chưa thuộc cơ quan nào."))
        except services.DeriveUnitNotBelow as exc:
            form.add_error(
                "unit_code" if "unit_code" in form.fields else None,
                _("%(unit)s không phải địa bàn cấp dưới của %(parent)s.")
                % {"unit": exc.unit.name, "parent": exc.parent.unit.name},
            )
        else:
            messages.success(
                request, _("Đã lập dự thảo kế hoạch của %(unit)s từ kế hoạch cấp trên.") % {"unit": plan.unit.name}
            )
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/plan_derive.html", {"plan": parent, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt an indicator of the national strategy 2021–2030, with the plan's own targets."""
    plan = _editable_plan(request, pk)
    data = request.POST if request.method == "POST" else None
    form = AdoptForm(data, plan=plan, user=request.user)
    targets = TargetFormSet(data, prefix=TARGETS_PREFIX)
    if data is not None and form.is_valid() and targets.is_valid():
        rows = formset_targets(targets)
        try:
            services.indicator_adopt(
                plan=plan,
                user=request.user,
                catalogue=form.cleaned_data["catalogue"],
                objective=form.cleaned_data["objective"],
                targets=rows or None,  # none given: start from the strategy's own targets
            )
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
        except services.CatalogueAlreadyAdopted as exc:
            form.add_error(
                "catalogue",
                _("Kế hoạch đã có chỉ tiêu này (%(key)s).") % {"key": exc.indicator.number or exc.indicator.key},
            )
        except services.PartOfOtherPlan as exc:
            _other_plan_error(form, exc)
        except ValidationError as exc:
            _model_errors(form, exc)
        else:
            messages.success(request, _("Đã đưa chỉ tiêu của Chiến lược quốc gia vào kế hoạch."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/indicator_adopt.html", {"plan": plan, "form": form, "targets": targets})


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_json(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Load a plan/1 file as a new plan, or (with pk) replace that plan's content with the file's."""
    plan = _editable_plan(request, pk) if pk is not None else None
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    refused: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        sha256 = hashlib.sha256(upload.read()).hexdigest()
        try:
            loaded = services.plan_import(
                user=request.user,
                data=form.cleaned_data["data"],
                filename=(upload.name or "")[:255],
                sha256=sha256,
                replace=plan,
            )
        except PlanFormatError as exc:
            refused = [{"path": error.path or "/", "message": field_error_vi(error.message)} for error in exc.errors]
        except PlanAlreadyExists as exc:
            form.add_error("file", _("Kế hoạch trong tệp đã có trong hệ thống (mã số %(id)s).") % {"id": exc.plan_id})
        except PartLocked as exc:
            form.add_error("file", locked_message(exc))
        except PlanNotEditable:
            if plan is not None:
                raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
            # The file names another unit's plan: refuse the file rather than the page.
            form.add_error("file", _("Kế hoạch trong tệp thuộc địa bàn mà bạn không được lập kế hoạch."))
        else:
            messages.success(request, _("Đã nạp kế hoạch từ tệp %(name)s.") % {"name": upload.name})
            return redirect("plan-detail", pk=loaded.pk)
    return render(request, "web/edit/plan_import.html", {"plan": plan, "form": form, "refused": refused})
