"""Inspections (đoàn kiểm tra liên ngành), their findings, and the mid-term and final review pages.

Thin: forms parse, binhdang.reporting.inspections writes and gathers, its named errors become messages.
A plan the user may not read is a 404; recording or closing without the right to change the plan is a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from binhdang.lib.http import found_or_404
from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plans_visible_to
from binhdang.reporting import inspections as service
from binhdang.reporting.errors import InvalidValues, NotAllowed, WrongState
from binhdang.reporting.models import Finding, FindingStatus, Inspection, Period
from binhdang.web.forms import VnDateField
from binhdang.web.lookup import visible_plan

_TEXTAREA = forms.Textarea(attrs={"rows": 3})


# --- forms ---------------------------------------------------------------------------------------------------


class InspectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên đoàn kiểm tra"), max_length=255)
    team = forms.CharField(
        label=gettext_lazy("Thành phần đoàn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Trưởng đoàn, các thành viên và cơ quan của họ; mỗi người một dòng."),
    )
    starts_on = VnDateField(label=gettext_lazy("Từ ngày"))
    ends_on = VnDateField(label=gettext_lazy("Đến ngày"))
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Địa bàn được kiểm tra"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    agencies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị được kiểm tra"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        agencies = self.fields["agencies"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        assert isinstance(agencies, forms.ModelMultipleChoiceField)
        units.queryset = service.inspection_units(plan)
        agencies.queryset = service.inspection_agencies(plan)
        agencies.label_from_instance = _agency_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Ngày kết thúc trước ngày bắt đầu."))
        if not data.get("units") and not data.get("agencies"):
            self.add_error("units", _("Hãy chọn ít nhất một địa bàn hoặc cơ quan được kiểm tra."))
        return data


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} – {agency.unit.name}"


class FindingForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Địa bàn, cơ quan"))
    text = forms.CharField(label=gettext_lazy("Phát hiện"), widget=_TEXTAREA)
    recommendation = forms.CharField(label=gettext_lazy("Kiến nghị"), required=False, widget=_TEXTAREA)
    due = VnDateField(label=gettext_lazy("Hạn khắc phục"), required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f"unit:{u.pk}", u.name) for u in inspection.units.order_by("name")]
        choices += [
            (f"agency:{a.pk}", f"{a.name} – {a.unit.name}")
            for a in inspection.agencies.select_related("unit").order_by("unit__name", "name")
        ]
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = choices
        self._units = {u.pk: u for u in inspection.units.all()}
        self._agencies = {a.pk: a for a in inspection.agencies.select_related("unit")}

    def target_objects(self) -> tuple[AdministrativeUnit | None, Agency | None]:
        kind, _sep, pk = str(self.cleaned_data["target"]).partition(":")
        if kind == "unit":
            return self._units.get(int(pk)), None
        agency = self._agencies.get(int(pk))
        return (agency.unit if agency else None), agency


class CloseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Kết quả khắc phục"), widget=_TEXTAREA)


# --- helpers -------------------------------------------------------------------------------------------------


def _visible_inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = Inspection.objects.select_related("plan__unit").filter(pk=pk).first()
    if inspection is not None and not plans_visible_to(request.user).filter(pk=inspection.plan_id).exists():
        inspection = None  # another unit's inspection answers the same as none
    return found_or_404(inspection, "inspection")


def _issues_to_form(form: forms.Form, exc: InvalidValues) -> None:
    for issue in exc.issues:
        form.add_error(issue.where if issue.where in form.fields else None, issue.message)


# --- views ---------------------------------------------------------------------------------------------------


@login_required
def inspection_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    inspections = (
        Inspection.objects.filter(plan=plan)
        .annotate(
            findings_total=Count("findings", distinct=True),
            findings_open=Count("findings", filter=Q(findings__status=FindingStatus.OPEN), distinct=True),
        )
        .prefetch_related("units", "agencies")
        .order_by("-starts_on", "-pk")
    )
    return render(
        request,
        "reporting/inspection_list.html",
        {
            "plan": plan,
            "inspections": inspections,
            "reviews": service.review_periods(plan),
            "can_edit": plan_can_edit(request.user, plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    if not plan_can_edit(request.user, plan):
        raise PermissionDenied(_("Bạn không được ghi đợt kiểm tra của kế hoạch này."))
    form = InspectionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = service.inspection_create(
                plan=plan,
                user=request.user,
                title=data["title"],
                team=data["team"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                units=data["units"],
                agencies=data["agencies"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except InvalidValues as exc:
            _issues_to_form(form, exc)
        else:
            messages.success(request, _("Đã ghi đợt kiểm tra."))
            return redirect("inspection-detail", inspection.pk)
    return render(request, "reporting/inspection_form.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection, its findings per unit with a close form each; POST adds a finding."""
    inspection = _visible_inspection(request, pk)
    plan = inspection.plan
    can_edit = plan_can_edit(request.user, plan)
    form = FindingForm(request.POST or None, inspection=inspection)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Bạn không được ghi kết quả kiểm tra của kế hoạch này."))
        if form.is_valid():
            unit, agency = form.target_objects()
            try:
                service.finding_add(
                    inspection=inspection,
                    user=request.user,
                    unit=unit,
                    agency=agency,
                    text=form.cleaned_data["text"],
                    recommendation=form.cleaned_data["recommendation"],
                    due=form.cleaned_data["due"],
                )
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from exc
            except InvalidValues as exc:
                _issues_to_form(form, exc)
            else:
                messages.success(request, _("Đã ghi phát hiện, kiến nghị."))
                return redirect("inspection-detail", inspection.pk)
    return render(
        request,
        "reporting/inspection_detail.html",
        {
            "plan": plan,
            "inspection": inspection,
            "groups": service.findings_by_unit(inspection, request.user),
            "units": inspection.units.order_by("name"),
            "agencies": inspection.agencies.select_related("unit").order_by("unit__name", "name"),
            "can_edit": can_edit,
            "form": form,
            "close_form": CloseForm(),
        },
    )


@login_required
@require_POST
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding = Finding.objects.select_related("inspection__plan__unit").filter(pk=pk).first()
    if finding is not None and not plans_visible_to(request.user).filter(pk=finding.inspection.plan_id).exists():
        finding = None  # a finding of another unit's inspection answers the same as none
    finding = found_or_404(finding, "finding")
    inspection = finding.inspection
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi kết quả khắc phục trước khi đóng kiến nghị."))
        return redirect("inspection-detail", inspection.pk)
    try:
        service.finding_close(finding=finding, user=request.user, note=form.cleaned_data["note"])
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except WrongState:
        messages.warning(request, _("Kiến nghị này đã được đóng trước đó."))
    except InvalidValues:
        messages.error(request, _("Hãy ghi kết quả khắc phục trước khi đóng kiến nghị."))
    else:
        messages.success(request, _("Đã ghi nhận kiến nghị đã được khắc phục."))
    return redirect("inspection-detail", inspection.pk)


@login_required
def review_summary(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    review = Period.objects.filter(plan=plan, pk=period, kind__in=service.REVIEW_KINDS).first()
    review = found_or_404(review, "review")
    table = service.review_gather(plan=plan, period=review)
    return render(request, "reporting/review_summary.html", {"plan": plan, "review": review, "table": table})
