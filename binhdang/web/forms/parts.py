"""Forms for the parts of a plan (objectives, indicators with targets, tasks, projects, budget, reporting,
references); one base, `PartForm`, for what they share."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binhdang.lib.agency_names import agency_key
from binhdang.lib.text import clean_text
from binhdang.places.models import Agency
from binhdang.plans.categories import age_group_problems, parse_age_group
from binhdang.plans.models import (
    INDICATOR_FIELDS,
    Direction,
    Disaggregation,
    FundingSource,
    Indicator,
    Measure,
    Objective,
    Plan,
    Project,
    ProjectKind,
    ReferenceRelation,
    ReportKind,
    Task,
)
from binhdang.plans.selectors import agencies_visible_to

from .fields import (
    BLANK_CHOICE,
    TEXTAREA,
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    ChoiceWithMessage,
    ComparatorField,
    VnDateField,
    VnDayField,
    VnDecimalField,
    YearField,
)


def _lines(text: str) -> list[str]:
    return [line for line in (clean_text(part) for part in (text or "").splitlines()) if line]


def _ref_key(ref: Agency | str) -> str:
    return agency_key(ref.name if isinstance(ref, Agency) else ref)


class PartForm(forms.Form):
    """A form about one plan: knows the plan and the user, to offer only their objectives and agencies."""

    error_css_class = "loi"
    required_css_class = "bat-buoc"

    def __init__(self, *args: Any, plan: Plan, user: Any, instance: Any = None, **kwargs: Any) -> None:
        self.plan = plan
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)

    def agencies(self) -> QuerySet[Agency]:
        return agencies_visible_to(self.user).order_by("unit__code", "name")

    def add_agency_single(self, name: str, label: Any) -> None:
        self.fields[name] = AgencyChoiceField(queryset=self.agencies(), required=False, label=label)
        self.fields[f"{name}_new"] = forms.CharField(
            required=False, max_length=255, label=_("hoặc tên cơ quan chưa có trong danh sách")
        )

    def add_agency_multiple(self, name: str, label: Any) -> None:
        self.fields[name] = AgencyMultipleChoiceField(
            queryset=self.agencies(), required=False, label=label, widget=forms.SelectMultiple(attrs={"size": 6})
        )
        self.fields[f"{name}_new"] = forms.CharField(
            required=False, widget=TEXTAREA, label=_("hoặc tên cơ quan chưa có trong danh sách, mỗi dòng một tên")
        )

    def agency_single(self, name: str) -> Agency | str | None:
        chosen = self.cleaned_data.get(name)
        typed = clean_text(self.cleaned_data.get(f"{name}_new") or "")
        if chosen is not None and typed:
            self.add_error(f"{name}_new", _("Chọn một cơ quan trong danh sách hoặc nhập tên mới, không nhập cả hai."))
            return None
        return chosen if chosen is not None else (typed or None)

    def agency_multiple(self, name: str) -> list[Agency | str]:
        refs: list[Agency | str] = list(self.cleaned_data.get(name) or [])
        refs.extend(_lines(self.cleaned_data.get(f"{name}_new") or ""))
        return refs

    def check_lead_partners(self, lead: Agency | str | None, partners: list[Agency | str]) -> None:
        if lead is None:
            return
        key = _ref_key(lead)
        for partner in partners:
            if _ref_key(partner) == key:
                name = lead.name if isinstance(lead, Agency) else lead
                self.add_error(
                    "partners",
                    ValidationError(
                        _("“%(name)s” không thể vừa là cơ quan chủ trì vừa là cơ quan phối hợp."),
                        code="lead_partner",
                        params={"name": name},
                    ),
                )
                return


# --- parts -------------------------------------------------------------------------------------------------


class ObjectiveForm(PartForm):
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    title = forms.CharField(label=_("Tên mục tiêu"), widget=TEXTAREA, required=False)
    text = forms.CharField(label=_("Nội dung"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            self.initial.update({name: getattr(self.instance, name) for name in ("number", "title", "text")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title") or "").strip() and not (data.get("text") or "").strip():
            self.add_error("title", _("Cần nhập tên hoặc nội dung của mục tiêu."))
        return data


class TargetForm(forms.Form):
    error_css_class = "loi"

    year = YearField(label=_("Năm"), required=False)
    value = VnDecimalField(label=_("Giá trị"), required=False)
    comparator = ComparatorField(label=_("So sánh"))
    text = forms.CharField(label=_("Nguyên văn"), required=False, widget=forms.TextInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("value") is None and not (data.get("text") or "").strip() and not self.has_error("value"):
            self.add_error("value", _("Cần nhập giá trị hoặc nguyên văn của chỉ tiêu."))
        return data


def formset_targets(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid target formset, as dicts for the services."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        rows.append({k: form.cleaned_data.get(k) for k in ("year", "value", "comparator", "text")})
    return rows


TargetFormSet = forms.formset_factory(TargetForm, extra=2, can_delete=True)


def target_initial(indicator: Indicator | None) -> list[dict[str, Any]]:
    if indicator is None:
        return []
    return [
        {"year": t.year, "value": t.value, "comparator": t.comparator, "text": t.text} for t in indicator.targets.all()
    ]


class IndicatorForm(PartForm):
    objective = forms.ModelChoiceField(queryset=Objective.objects.none(), required=False, label=_("Thuộc mục tiêu"))
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False, label=_("Thuộc dự án"))
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    text = forms.CharField(
        label=_("Chỉ tiêu"), widget=TEXTAREA, error_messages={"required": _("Cần nhập nội dung chỉ tiêu.")}
    )
    measure = ChoiceWithMessage(label=_("Loại số đo"), choices=Measure.choices, initial=Measure.PERCENTAGE)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False)
    direction = ChoiceWithMessage(label=_("Chiều"), choices=BLANK_CHOICE + list(Direction.choices), required=False)
    rate_per = forms.IntegerField(
        label=_("Trên (N)"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Cần một số nguyên dương."), "min_value": _("Cần một số nguyên dương.")},
    )
    numerator = forms.CharField(label=_("Tử số"), widget=TEXTAREA, required=False)
    denominator = forms.CharField(label=_("Mẫu số"), widget=TEXTAREA, required=False)
    disaggregations = forms.MultipleChoiceField(
        label=_("Phân tổ"),
        choices=Disaggregation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Phân tổ không hợp lệ: “%(value)s”.")},
    )
    age_groups = forms.CharField(
        label=_("Nhóm tuổi"),
        required=False,
        help_text=_("Khi phân tổ theo nhóm tuổi: các nhóm, cách nhau bằng dấu phẩy, ví dụ 0-4, 15-24, 60+."),
    )
    baseline_year = YearField(label=_("Năm cơ sở"), required=False)
    baseline_value = VnDecimalField(label=_("Giá trị cơ sở"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objective_field = self.fields["objective"]
        project_field = self.fields["project"]
        assert isinstance(objective_field, forms.ModelChoiceField)
        assert isinstance(project_field, forms.ModelChoiceField)
        objective_field.queryset = self.plan.objectives.all()
        project_field.queryset = self.plan.projects.all()
        self.add_agency_multiple("responsible", _("Cơ quan chịu trách nhiệm"))
        if self.instance is not None and not self.is_bound:
            ind: Indicator = self.instance
            self.initial.update(
                {
                    # The same fields the indicator services accept.
                    name: getattr(ind, name)
                    for name in INDICATOR_FIELDS
                }
            )
            self.initial["responsible"] = [a.agency_id for a in ind.assignments.all()]
            self.initial["age_groups"] = ", ".join(ind.age_groups or [])

    def clean_age_groups(self) -> list[str]:
        """ "0-4, 15-24; 60+" → ["0-4", "15-24", "60+"]; a code that is not an age group, or two that overlap, is
        refused with both named (plans.categories)."""
        text = self.cleaned_data.get("age_groups") or ""
        codes = [code.strip() for code in re.split(r"[,;\s]+", text) if code.strip()]
        problems = age_group_problems(codes)
        if problems:
            raise ValidationError(problems)
        return [parse_age_group(code).code for code in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["responsible_refs"] = self.agency_multiple("responsible")
        return data


class TaskForm(PartForm):
    parent = forms.ModelChoiceField(queryset=Task.objects.none(), required=False, label=_("Thuộc nhiệm vụ"))
    section = forms.CharField(label=_("Phần"), max_length=10, required=False)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    text = forms.CharField(
        label=_("Nhiệm vụ"), widget=TEXTAREA, error_messages={"required": _("Cần nhập nội dung nhiệm vụ.")}
    )
    window_start = VnDayField(label=_("Từ ngày"), required=False)
    window_end = VnDayField(label=_("Đến ngày"), required=False)
    objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(), required=False, label=_("Mục tiêu liên quan")
    )
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(), required=False, label=_("Chỉ tiêu liên quan")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tasks = self.plan.tasks.all()
        if self.instance is not None:
            tasks = tasks.exclude(pk=self.instance.pk)
        for name, queryset in (
            ("parent", tasks),
            ("objectives", self.plan.objectives.all()),
            ("indicators", self.plan.indicators.all()),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        self.add_agency_single("lead", _("Cơ quan chủ trì"))
        self.add_agency_multiple("partners", _("Cơ quan phối hợp"))
        if self.instance is not None and not self.is_bound:
            task: Task = self.instance
            self.initial.update(
                {
                    name: getattr(task, name)
                    for name in ("parent", "section", "number", "text", "window_start", "window_end")
                }
            )
            self.initial["objectives"] = list(task.objectives.values_list("pk", flat=True))
            self.initial["indicators"] = list(task.indicators.values_list("pk", flat=True))
            _assignment_initial(self.initial, task.assignments.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["lead_ref"] = self.agency_single("lead")
        data["partner_refs"] = self.agency_multiple("partners")
        self.check_lead_partners(data["lead_ref"], data["partner_refs"])
        return data


def _assignment_initial(initial: MutableMapping[str, Any], assignments: Any) -> None:
    initial["lead"] = next((a.agency_id for a in assignments if a.role == "lead"), None)
    initial["partners"] = [a.agency_id for a in assignments if a.role == "partner"]


class ProjectForm(PartForm):
    parent = forms.ModelChoiceField(queryset=Project.objects.none(), required=False, label=_("Thuộc dự án"))
    kind = ChoiceWithMessage(label=_("Loại"), choices=ProjectKind.choices, initial=ProjectKind.PROJECT)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    name = forms.CharField(label=_("Tên"), widget=TEXTAREA, error_messages={"required": _("Cần nhập tên dự án.")})
    scope = forms.CharField(label=_("Phạm vi"), widget=TEXTAREA, required=False)
    places = forms.CharField(label=_("Địa bàn thực hiện (mỗi dòng một đơn vị)"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = self.plan.projects.all()
        if self.instance is not None:
            projects = projects.exclude(pk=self.instance.pk)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = projects
        self.add_agency_single("lead", _("Cơ quan chủ trì"))
        self.add_agency_multiple("partners", _("Cơ quan phối hợp"))
        if self.instance is not None and not self.is_bound:
            project: Project = self.instance
            self.initial.update(
                {name: getattr(project, name) for name in ("parent", "kind", "number", "name", "scope")}
            )
            self.initial["places"] = "\n".join(p.written_as for p in project.places.all())
            _assignment_initial(self.initial, project.assignments.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["lead_ref"] = self.agency_single("lead")
        data["partner_refs"] = self.agency_multiple("partners")
        self.check_lead_partners(data["lead_ref"], data["partner_refs"])
        return data


class BudgetForm(PartForm):
    item = forms.CharField(label=_("Hạng mục"), widget=TEXTAREA, required=False)
    year = YearField(label=_("Năm"), required=False)
    source = ChoiceWithMessage(
        label=_("Nguồn kinh phí"), choices=BLANK_CHOICE + list(FundingSource.choices), required=False
    )
    amount = VnDecimalField(
        label=_("Số tiền (triệu đồng)"),
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=3,
        error_messages={
            "required": _("Cần nhập số tiền."),
            "negative": _("Số tiền không được âm: %(value)s."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            self.initial.update({name: getattr(self.instance, name) for name in ("item", "year", "source", "amount")})


class ReportingForm(PartForm):
    kind = ChoiceWithMessage(label=_("Loại báo cáo"), choices=ReportKind.choices)
    due = VnDayField(label=_("Hạn (ngày/tháng hằng năm hoặc ngày cụ thể)"), required=False)
    text = forms.CharField(label=_("Nguyên văn"), widget=TEXTAREA, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận báo cáo tổng hợp (mỗi dòng một nơi; để trống: theo mặc định của cấp kế hoạch)"),
        widget=TEXTAREA,
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_agency_single("to", _("Gửi về"))
        self.add_agency_single("through", _("Qua"))
        if self.instance is not None and not self.is_bound:
            rule = self.instance
            self.initial.update({"kind": rule.kind, "due": rule.due, "text": rule.text, "recipients": rule.recipients})
            self.initial["to"] = rule.to_agency_id
            self.initial["through"] = rule.through_agency_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["to_ref"] = self.agency_single("to")
        data["through_ref"] = self.agency_single("through")
        return data


class ReferenceForm(PartForm):
    relation = ChoiceWithMessage(label=_("Quan hệ"), choices=ReferenceRelation.choices, initial=ReferenceRelation.BASIS)
    kind = forms.CharField(label=_("Loại văn bản"), max_length=8, required=False)
    code = forms.CharField(label=_("Số, ký hiệu"), max_length=80, required=False)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    issued_on = VnDateField(label=_("Ngày"), required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    title = forms.CharField(label=_("Trích yếu"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            self.initial.update(
                {
                    name: getattr(self.instance, name)
                    for name in ("relation", "kind", "code", "number", "issued_on", "issuer", "title")
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("code") or "").strip() and not (data.get("title") or "").strip():
            self.add_error("code", _("Cần nhập số, ký hiệu hoặc trích yếu của văn bản."))
        return data
