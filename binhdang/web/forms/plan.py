"""Forms for a whole plan: its identity (`PlanForm`), deriving a lower-level plan, adopting catalogue
indicators, importing a plan file."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from binhdang.places.models import AdministrativeUnit, Generation
from binhdang.places.selectors import user_is_admin
from binhdang.plans.models import (
    CatalogueIndicator,
    Objective,
    Plan,
    PlanStatus,
)

from .fields import IMPORT_MAX_BYTES, TEXTAREA, ChoiceWithMessage, VnDateField, YearField
from .parts import PartForm

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
        label=_("Trích yếu"), widget=TEXTAREA, error_messages={"required": _("Cần nhập trích yếu của kế hoạch.")}
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
    aims = forms.CharField(label=_("Mục đích, yêu cầu (mỗi đoạn một dòng)"), widget=TEXTAREA, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_authority = forms.CharField(label=_("Thẩm quyền ký"), max_length=120, required=False)
    recipients = forms.CharField(label=_("Nơi nhận (mỗi nơi một dòng)"), widget=TEXTAREA, required=False)

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
