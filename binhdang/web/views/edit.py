"""Write pages of a whole plan: create and change it, delete it, derive a lower level's plan from it, adopt a
strategy indicator, load a plan/1 file. The parts of a plan have their pages in edit_parts.py.

Thin by design: a form parses and checks the input, a service in binhdang.plans.services writes, and the
service's named exceptions become messages here (edit_errors.py). A plan the user may not read is a 404 (found
only through `plans_visible_to`); a plan the user may read but not change is a 403.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from binhdang.plans import services
from binhdang.plans.errors import PlanAlreadyExists, PlanFormatError, PlanNotEditable
from binhdang.plans.locks import PartLocked
from binhdang.web.forms import (
    AdoptForm,
    DeriveForm,
    ImportForm,
    PlanForm,
    TargetFormSet,
    formset_targets,
)
from binhdang.web.lookup import editable_plan, visible_plan
from binhdang.web.messages import field_error_text
from binhdang.web.views.edit_errors import locked_message, model_errors, other_plan_error
from binhdang.web.views.edit_parts import TARGETS_PREFIX, plan_parts


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
            model_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    form = PlanForm(request.POST if request.method == "POST" else None, user=request.user, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, user=request.user, data=form.cleaned_data, unit=form.cleaned_data["unit"])
        except PlanNotEditable:
            raise PermissionDenied(_("Bạn không được sửa kế hoạch này.")) from None
        except PartLocked as exc:
            form.add_error(None, locked_message(exc))
        except ValidationError as exc:
            model_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/plan_form.html", {"form": form, "plan": plan, "parts": plan_parts(plan)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
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
    plan = editable_plan(request, pk)
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
            other_plan_error(form, exc)
        except ValidationError as exc:
            model_errors(form, exc)
        else:
            messages.success(request, _("Đã đưa chỉ tiêu của Chiến lược quốc gia vào kế hoạch."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "web/edit/indicator_adopt.html", {"plan": plan, "form": form, "targets": targets})


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_json(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Load a plan/1 file as a new plan, or (with pk) replace that plan's content with the file's."""
    plan = editable_plan(request, pk) if pk is not None else None
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
            refused = [{"path": error.path or "/", "message": field_error_text(error)} for error in exc.errors]
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
