"""Reusable fields of the web forms: Vietnamese numbers, years, dates and days, choices, agencies."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binhdang.lib.dates import format_vn_date, parse_day_month, parse_vn_date, yearly_day
from binhdang.lib.numbers import format_vn_number, parse_vn_number
from binhdang.lib.text import clean_text
from binhdang.places.models import Agency
from binhdang.plans.models import (
    YEAR_MAX,
    YEAR_MIN,
    Comparator,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024
BLANK_CHOICE: list[tuple[str, str]] = [("", "—")]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


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
        super().__init__(choices=BLANK_CHOICE + list(Comparator.choices), required=False, **kwargs)


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
