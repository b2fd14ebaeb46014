"""Forms of the web interface: parse and check input, name the field and the reason, in Vietnamese.

Forms never write. Their `cleaned_data` use the model field names the services in binhdang.plans.services
expect; agencies come out as `Agency` objects or as new names, which the services resolve in the plan's unit
inside their transaction, so a refused form creates no agency either.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import MutableMapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binhdang.lib.agency_names import agency_key
from binhdang.lib.dates import format_vn_date, parse_day_month, parse_vn_date, yearly_day
from binhdang.lib.numbers import format_vn_number, parse_vn_number
from binhdang.lib.text import clean_text
from binhdang.places.models import AdministrativeUnit, Agency, Generation
from binhdang.places.selectors import user_is_admin
from binhdang.plans.models import (
    YEAR_MAX,
    YEAR_MIN,
    CatalogueIndicator,
    Comparator,
    Direction,
    Disaggregation,
    FundingSource,
    Indicator,
    Measure,
    Objective,
    Plan,
    PlanStatus,
    Project,
    ProjectKind,
    ReferenceRelation,
    ReportKind,
    Task,
)
from binhdang.plans.selectors import agencies_visible_to
from binhdang.plans.services import INDICATOR_FIELDS

IMPORT_MAX_BYTES = 5 * 1024 * 1024
_BLANK: list[tuple[str, str]] = [("", "—")]
_TEXTAREA = forms.Textarea(attrs={"rows": 3})


# --- fields ------------------------------------------------------------------------------------------------


class VnDecimalField(forms.Field):
    """A number written the Vietnamese way: "1.040" is 1040, "1,7" is 1.7; plain digits too."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _(
            "Không phải số: “%(value)s” (viết theo kiểu Việt Nam: 1.040 là một nghìn không trăm bốn mươi, "
            "1,7 là một phẩy bảy)."
        ),
        "negative": _("Không được là số âm: %(value)s."),
        "too_large": _("Số quá lớn: %(value)s."),
        "decimals": _("Nhiều nhất %(places)s chữ số sau dấu phẩy: %(value)s."),
    }

    def __init__(
        self, *, min_value: Decimal | None = None, max_digits: int = 18, decimal_places: int = 4, **kwargs: Any
    ) -> None:
        self.min_value = min_value
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_vn_number(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int) and not isinstance(value, bool):
            number = Decimal(value)
        else:
            text = str(value).strip()
            try:
                number = parse_vn_number(text)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text}) from None
        shown = format_vn_number(number)
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(self.error_messages["negative"], code="negative", params={"value": shown})
        if abs(number) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise ValidationError(self.error_messages["too_large"], code="too_large", params={"value": shown})
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise ValidationError(
                self.error_messages["decimals"],
                code="decimals",
                params={"value": shown, "places": self.decimal_places},
            )
        return number


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s."),
            code="year_range",
            params={"year": year, "min": YEAR_MIN, "max": YEAR_MAX},
        )


class YearField(forms.Field):
    """A year between 1990 and 2100."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Năm phải là số có bốn chữ số, ví dụ 2025: “%(value)s”.")}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        else:
            text = str(value).strip()
            if not re.fullmatch(r"\d{1,4}", text):
                raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text})
            year = int(text)
        _check_year(year)
        return year


class VnDateField(forms.Field):
    """A date: "13/4/2023", "13/04/2023", "ngày 13 tháng 4 năm 2023" (or ISO from a date picker)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: “%(value)s”. Nhập theo dạng dd/mm/yyyy hoặc “ngày 13 tháng 4 năm 2023”.")
    }

    def prepare_value(self, value: Any) -> Any:
        return format_vn_date(value) if isinstance(value, dt.date) else value

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            date = value
        else:
            text = clean_text(str(value))
            try:
                date = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else parse_vn_date(text)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text}) from None
        _check_year(date.year)
        return date


class VnDayField(forms.Field):
    """A yearly day "15/11" (stored "--11-15") or a one-off date "15/11/2024" (stored ISO)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _(
            "Ngày không hợp lệ: “%(value)s”. Nhập dd/mm cho một ngày hằng năm hoặc dd/mm/yyyy cho một ngày cụ thể."
        )
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            if m := re.fullmatch(r"--(\d{2})-(\d{2})", value):
                return f"{m.group(2)}/{m.group(1)}"
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return format_vn_date(dt.date.fromisoformat(value))
        return value

    def to_python(self, value: Any) -> str:
        if value in self.empty_values:
            return ""
        text = clean_text(str(value))
        try:
            if re.fullmatch(r"--\d{2}-\d{2}", text):
                return yearly_day(int(text[5:7]), int(text[2:4]))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                date = dt.date.fromisoformat(text)
            else:
                try:
                    date = parse_vn_date(text)
                except ValueError:
                    day, month = parse_day_month(text)
                    return yearly_day(day, month)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text}) from None
        _check_year(date.year)
        return date.isoformat()


class ChoiceWithMessage(forms.ChoiceField):
    default_error_messages = {"invalid_choice": _("Giá trị không hợp lệ: “%(value)s”.")}


class ComparatorField(forms.ChoiceField):
    default_error_messages = {
        "invalid_choice": _("Phép so sánh không hợp lệ: “%(value)s”. Chọn một trong ≥, >, ≤, <, =, khoảng.")
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_BLANK + list(Comparator.choices), required=False, **kwargs)


class AgencyChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Cơ quan không có hoặc bạn không được chọn.")}

    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.unit.name})"


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("Cơ quan không có hoặc bạn không được chọn: %(value)s."),
        "invalid_pk_value": _("Giá trị không hợp lệ: “%(pk)s”."),
    }

    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.unit.name})"


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
            required=False, widget=_TEXTAREA, label=_("hoặc tên cơ quan chưa có trong danh sách, mỗi dòng một tên")
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


# --- plan --------------------------------------------------------------------------------------------------


def unit_by_code(code: str) -> AdministrativeUnit | None:
    """ "19", "2025:19" or "legacy:19": a unit of the current generation unless another is named."""
    generation, sep, number = code.strip().partition(":")
    if not sep:
        generation, number = Generation.CURRENT, generation
    return AdministrativeUnit.objects.filter(generation=generation.strip(), code=number.strip()).first()


class PlanForm(forms.Form):
    error_css_class = "loi"
    required_css_class = "bat-buoc"

    title = forms.CharField(
        label=_("Trích yếu"), widget=_TEXTAREA, error_messages={"required": _("Cần nhập trích yếu của kế hoạch.")}
    )
    unit_code = forms.CharField(
        label=_("Mã đơn vị hành chính"),
        required=False,
        max_length=20,
        help_text=_("Ví dụ 19 (mã tỉnh) hoặc legacy:19 cho đơn vị trước 01/7/2025. Để trống: địa bàn của bạn."),
    )
    kind = forms.CharField(label=_("Loại văn bản"), max_length=8, initial="KH", required=False)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=60, required=False)
    code = forms.CharField(label=_("Số, ký hiệu"), max_length=80, required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    unit_written_as = forms.CharField(label=_("Địa bàn (như văn bản ghi)"), max_length=255, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=120, required=False)
    issued_on = VnDateField(label=_("Ngày ban hành"), required=False)
    year_start = YearField(label=_("Từ năm"), error_messages={"required": _("Cần nhập năm bắt đầu.")})
    year_end = YearField(label=_("Đến năm"), error_messages={"required": _("Cần nhập năm kết thúc.")})
    status = ChoiceWithMessage(
        label=_("Trạng thái"), choices=PlanStatus.choices, initial=PlanStatus.DRAFT, required=False
    )
    aims = forms.CharField(label=_("Mục đích, yêu cầu (mỗi đoạn một dòng)"), widget=_TEXTAREA, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_authority = forms.CharField(label=_("Thẩm quyền ký"), max_length=120, required=False)
    recipients = forms.CharField(label=_("Nơi nhận (mỗi nơi một dòng)"), widget=_TEXTAREA, required=False)

    def __init__(self, *args: Any, user: Any, instance: Plan | None = None, **kwargs: Any) -> None:
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = plan_initial(instance)
        super().__init__(*args, **kwargs)
        if user_is_admin(user):
            self.fields["unit_code"].help_text = _("Ví dụ 19 (mã tỉnh) hoặc legacy:19 cho đơn vị trước 01/7/2025.")

    def clean_status(self) -> str:
        status: str = self.cleaned_data.get("status") or ""
        return status or (self.instance.status if self.instance is not None else PlanStatus.DRAFT)

    def clean_unit_code(self) -> str:
        code: str = self.cleaned_data.get("unit_code", "").strip()
        self.cleaned_data["unit"] = None
        if code:
            unit = unit_by_code(code)
            if unit is None:
                raise ValidationError(
                    _("Không có đơn vị hành chính mã “%(code)s”."), code="unknown_unit", params={"code": code}
                )
            self.cleaned_data["unit"] = unit
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_start"), data.get("year_end")
        if start and end and end < start:
            self.add_error(
                "year_end",
                ValidationError(
                    _("Năm kết thúc %(end)s trước năm bắt đầu %(start)s."),
                    code="years_order",
                    params={"end": end, "start": start},
                ),
            )
        code = re.sub(r"\s+", "", data.get("code") or "")
        number = (data.get("number") or "").strip()
        if code and number and not code.startswith(f"{number}/"):
            self.add_error(
                "code",
                ValidationError(
                    _("Số, ký hiệu “%(code)s” không bắt đầu bằng số “%(number)s”."),
                    code="code_number",
                    params={"code": code, "number": number},
                ),
            )
        return data


def plan_initial(plan: Plan) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(plan, name)
        for name in (
            "title",
            "kind",
            "number",
            "symbol",
            "code",
            "issuer",
            "unit_written_as",
            "place",
            "issued_on",
            "year_start",
            "year_end",
            "status",
            "signer_name",
            "signer_title",
            "signer_authority",
        )
    }
    initial["unit_code"] = (
        plan.unit.code if plan.unit.generation == Generation.CURRENT else f"{plan.unit.generation}:{plan.unit.code}"
    )
    initial["aims"] = "\n".join(plan.aims)
    initial["recipients"] = "\n".join(plan.recipients)
    return initial


# --- parts -------------------------------------------------------------------------------------------------


class ObjectiveForm(PartForm):
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    title = forms.CharField(label=_("Tên mục tiêu"), widget=_TEXTAREA, required=False)
    text = forms.CharField(label=_("Nội dung"), widget=_TEXTAREA, required=False)

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
        label=_("Chỉ tiêu"), widget=_TEXTAREA, error_messages={"required": _("Cần nhập nội dung chỉ tiêu.")}
    )
    measure = ChoiceWithMessage(label=_("Loại số đo"), choices=Measure.choices, initial=Measure.PERCENTAGE)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False)
    direction = ChoiceWithMessage(label=_("Chiều"), choices=_BLANK + list(Direction.choices), required=False)
    rate_per = forms.IntegerField(
        label=_("Trên (N)"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Cần một số nguyên dương."), "min_value": _("Cần một số nguyên dương.")},
    )
    numerator = forms.CharField(label=_("Tử số"), widget=_TEXTAREA, required=False)
    denominator = forms.CharField(label=_("Mẫu số"), widget=_TEXTAREA, required=False)
    disaggregations = forms.MultipleChoiceField(
        label=_("Phân tổ"),
        choices=Disaggregation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Phân tổ không hợp lệ: “%(value)s”.")},
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["responsible_refs"] = self.agency_multiple("responsible")
        return data


class TaskForm(PartForm):
    parent = forms.ModelChoiceField(queryset=Task.objects.none(), required=False, label=_("Thuộc nhiệm vụ"))
    section = forms.CharField(label=_("Phần"), max_length=10, required=False)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    text = forms.CharField(
        label=_("Nhiệm vụ"), widget=_TEXTAREA, error_messages={"required": _("Cần nhập nội dung nhiệm vụ.")}
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
    name = forms.CharField(label=_("Tên"), widget=_TEXTAREA, error_messages={"required": _("Cần nhập tên dự án.")})
    scope = forms.CharField(label=_("Phạm vi"), widget=_TEXTAREA, required=False)
    places = forms.CharField(label=_("Địa bàn thực hiện (mỗi dòng một đơn vị)"), widget=_TEXTAREA, required=False)

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
    item = forms.CharField(label=_("Hạng mục"), widget=_TEXTAREA, required=False)
    year = YearField(label=_("Năm"), required=False)
    source = ChoiceWithMessage(label=_("Nguồn kinh phí"), choices=_BLANK + list(FundingSource.choices), required=False)
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
    text = forms.CharField(label=_("Nguyên văn"), widget=_TEXTAREA, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận báo cáo tổng hợp (mỗi dòng một nơi; để trống: theo mặc định của cấp kế hoạch)"),
        widget=_TEXTAREA,
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
    title = forms.CharField(label=_("Trích yếu"), widget=_TEXTAREA, required=False)

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


# --- whole-plan actions ------------------------------------------------------------------------------------


class DeriveForm(forms.Form):
    """Derive a lower level's plan; administrators name the unit, others derive for their own."""

    error_css_class = "loi"

    unit_code = forms.CharField(
        label=_("Mã đơn vị hành chính cấp dưới"),
        required=False,
        max_length=20,
        help_text=_("Để trống: địa bàn của bạn."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user_is_admin(user):
            del self.fields["unit_code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["unit"] = None
        code = (data.get("unit_code") or "").strip()
        if code:
            unit = unit_by_code(code)
            if unit is None:
                self.add_error(
                    "unit_code",
                    ValidationError(
                        _("Không có đơn vị hành chính mã “%(code)s”."), code="unknown_unit", params={"code": code}
                    ),
                )
            data["unit"] = unit
        return data


class AdoptForm(PartForm):
    catalogue = forms.ModelChoiceField(
        queryset=CatalogueIndicator.objects.all(),
        label=_("Chỉ tiêu của Chiến lược quốc gia"),
        error_messages={
            "required": _("Cần chọn một chỉ tiêu."),
            "invalid_choice": _("Không có chỉ tiêu này trong danh mục."),
        },
    )
    objective = forms.ModelChoiceField(queryset=Objective.objects.none(), required=False, label=_("Thuộc mục tiêu"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objective_field = self.fields["objective"]
        assert isinstance(objective_field, forms.ModelChoiceField)
        objective_field.queryset = self.plan.objectives.all()


class ImportForm(forms.Form):
    error_css_class = "loi"

    file = forms.FileField(
        label=_("Tệp kế hoạch (JSON, định dạng binhdang.plan/1)"),
        error_messages={"required": _("Cần chọn một tệp."), "empty": _("Tệp rỗng.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > IMPORT_MAX_BYTES:
            raise ValidationError(_("Tệp lớn hơn 5 MB."), code="too_large")
        raw = upload.read(IMPORT_MAX_BYTES + 1)
        if len(raw) > IMPORT_MAX_BYTES:
            raise ValidationError(_("Tệp lớn hơn 5 MB."), code="too_large")
        try:
            self.cleaned_data["data"] = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError(_("Tệp không phải văn bản UTF-8, không phải tệp JSON."), code="encoding") from None
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("Không phải tệp JSON hợp lệ (dòng %(line)s, cột %(col)s)."),
                code="json",
                params={"line": exc.lineno, "col": exc.colno},
            ) from None
        except (ValueError, RecursionError):  # a number of more than 4,300 digits; arrays nested too deeply
            raise ValidationError(
                _("Không phải tệp JSON hợp lệ: có số quá dài hoặc lồng nhau quá sâu."), code="json"
            ) from None
        return upload
