"""Template filters that print numbers and dates the Vietnamese way, whatever the interface language.

Plans are Vietnamese documents: "1.040" is what the plan printed, so amounts and dates keep the
Vietnamese form on the English pages too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from binhdang.lib.dates import format_vn_date, parse_yearly_day
from binhdang.lib.numbers import format_vn_figure, format_vn_number

register = template.Library()


@register.filter
def vn_number(value: Decimal | int | float | None) -> str:
    """1040 → "1.040"; None → "" (an empty cell, not "0")."""
    if value is None or value == "":
        return ""
    return format_vn_number(value)


@register.filter
def vn_figure(value: Decimal | int | float | None) -> str:
    """A figure rounded to at most two decimals, Vietnamese separators: 53.0934 → "53,09"; None → ""."""
    if value is None or value == "":
        return ""
    return format_vn_figure(value)


@register.filter
def vn_date(value: dt.date | None, style: str = "") -> str:
    """A date as "13/04/2023", or "ngày 13 tháng 4 năm 2023" with ``|vn_date:"long"``."""
    if value is None or value == "":
        return ""
    return format_vn_date(value, long=style == "long")


@register.filter
def vn_day(value: str | None) -> str:
    """A yearly day "--06-10" as "10/6"; an ISO date as "10/06/2025"; anything else unchanged."""
    if not value:
        return ""
    if value.startswith("--"):
        try:
            day, month = parse_yearly_day(value)
        except ValueError:
            return value
        return f"{day}/{month}"
    try:
        return format_vn_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


@register.filter
def login_errors(form: Any) -> list[str]:
    """The sign-in form's errors in the interface language.

    Django's own Vietnamese catalogue leaves the wrong-password message untranslated, so the message for
    each error code is ours.
    """
    messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Xin kiểm tra lại (chữ hoa và chữ thường là khác nhau)."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }
    result: list[str] = []
    for error in form.non_field_errors().as_data():
        text = messages.get(error.code or "")
        result.append(text if text is not None else " ".join(error.messages))
    return result
