"""The plan format's field errors in the reader's language: one gettext message per code of plans.errors.

The loader (plans.interchange) records a code and its parameters; the command line and the API print the
English sentence (``FieldError.message``), the pages print the sentence from this table.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from binhdang.plans.errors import FieldError

FIELD_MESSAGES: dict[str, Promise] = {
    "plan_not_object": _("kế hoạch phải là một đối tượng JSON, tệp có %(got)s"),
    "schema": _("lược đồ phải là %(expected)s, tệp ghi %(got)s"),
    "not_object": _("phải là một đối tượng, tệp có %(got)s"),
    "not_list": _("phải là một danh sách, tệp có %(got)s"),
    "not_string_list": _("phải là danh sách chuỗi ký tự, tệp có %(got)s"),
    "not_string": _("phải là một chuỗi ký tự, tệp có %(got)s"),
    "not_number": _("phải là một số, tệp có %(got)s"),
    "not_year": _("phải là một năm, tệp có %(got)s"),
    "not_iso_date": _("phải là ngày dạng YYYY-MM-DD, tệp có %(got)s"),
    "not_day": _("phải là '--MM-DD' hoặc ngày YYYY-MM-DD, tệp có %(got)s"),
    "required": _("bắt buộc phải có"),
    "required_id": _("bắt buộc (một mã không trùng trong danh sách)"),
    "required_object": _("bắt buộc phải có và phải là một đối tượng"),
    "empty": _("không được để trống"),
    "too_long": _("dài quá %(max)s ký tự"),
    "unknown_choice": _("giá trị không hợp lệ %(value)s; chỉ nhận một trong: %(allowed)s"),
    "year_range": _("năm %(year)s nằm ngoài khoảng %(first)s–%(last)s"),
    "date_invalid": _("ngày không hợp lệ %(value)s; cần dạng YYYY-MM-DD"),
    "date_range": _("ngày %(value)s nằm ngoài khoảng %(first)s–%(last)s"),
    "day_invalid": _("ngày không hợp lệ %(value)s; cần '--MM-DD' hoặc YYYY-MM-DD"),
    "day_invalid_form": _("ngày không hợp lệ %(value)s; cần '--MM-DD' hoặc YYYY-MM-DD"),
    "not_a_number": _("không phải số: %(value)s (kiểu Việt Nam: '1.040' = 1040, '1,7' = 1,7)"),
    "not_a_vn_number": _("không phải số: %(value)s (kiểu Việt Nam: '1.040' = 1040, '1,7' = 1,7)"),
    "not_finite": _("không phải số hữu hạn: %(value)s"),
    "negative": _("không được âm: %(value)s"),
    "too_large": _("số quá lớn: %(value)s"),
    "years_order": _("năm cuối %(last)s trước năm đầu %(first)s"),
    "years_pair": _("phải là [năm đầu, năm cuối]"),
    "code_number": _("số, ký hiệu %(written)s không bắt đầu bằng số %(number)s"),
    "parent_twice": _("có hơn một văn bản được ghi là kế hoạch cấp trên"),
    "target_before_baseline": _("năm chỉ tiêu %(year)s trước năm cơ sở %(baseline)s"),
    "unknown_disaggregation": _("phân tổ không hợp lệ %(value)s"),
    "disaggregation_twice": _("phân tổ %(value)s được ghi hai lần"),
    "age_group_invalid": _("nhóm tuổi không hợp lệ %(value)s; viết như 15-24 hoặc 60+"),
    "age_groups_overlap": _("nhóm tuổi %(first)s và %(second)s trùng nhau: một người sẽ được tính ở cả hai nhóm"),
    "positive_int": _("phải là số nguyên dương, tệp có %(got)s"),
    "unknown_link": _("không có %(what)s mã %(value)s"),
    "budget_unit": _("đơn vị %(value)s không được hỗ trợ; số tiền tính bằng triệu đồng"),
    "duplicate_id": _("trùng mã %(value)s"),
    "own_parent": _("một mục không thể là cấp trên của chính nó"),
    "lead_and_partner": _("%(agency)s không thể vừa chủ trì vừa phối hợp"),
    "agency_twice": _("một cơ quan được ghi hai lần"),
    "no_unit": _(
        "không tìm thấy đơn vị hành chính khớp với %(value)s; ghi document.unit dạng 'xã ..., tỉnh ...' hoặc "
        "document.unit_code"
    ),
}
TYPE_NAMES: dict[str, Promise] = {
    "object": _("một đối tượng"),
    "list": _("một danh sách"),
    "string": _("một chuỗi ký tự"),
    "boolean": _("true/false"),
    "null": _("null"),
    "number": _("một số"),
}
PART_NAMES: dict[str, Promise] = {
    "objective": _("mục tiêu"),
    "indicator": _("chỉ tiêu"),
    "project": _("dự án"),
    "task": _("nhiệm vụ"),
}


def field_error_text(error: FieldError) -> str:
    """The field error as the page says it; a code without a sentence here falls back to the English one."""
    template = FIELD_MESSAGES.get(error.code)
    if template is None:
        return error.message
    params: dict[str, str] = dict(error.params)
    if "got" in params and params["got"] in TYPE_NAMES:
        params["got"] = str(TYPE_NAMES[params["got"]])
    if "what" in params and params["what"] in PART_NAMES:
        params["what"] = str(PART_NAMES[params["what"]])
    return str(template) % params
