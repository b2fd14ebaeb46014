"""How the plan services' named refusals read on a form: on the field they concern, or above the form.

Shared by the plan pages (edit.py) and the part pages (edit_parts.py); `locked_message` is the one Vietnamese
wording of a `PartLocked` refusal (docs/permissions.md, "Accepted means locked").
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from binhdang.plans import services
from binhdang.plans.locks import PartLocked


def model_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's model validation errors on the form's fields, or above the form when it has no such field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def lead_partner_error(form: forms.Form, exc: services.AgencyLeadAndPartner) -> None:
    form.add_error(
        "partners" if "partners" in form.fields else None,
        _("“%(name)s” không thể vừa là cơ quan chủ trì vừa là cơ quan phối hợp.") % {"name": exc.agency.name},
    )


def other_plan_error(form: forms.Form, exc: services.PartOfOtherPlan) -> None:
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


def parent_message(exc: services.ParentNotAbove | services.ParentNotVisible) -> str:
    if isinstance(exc, services.ParentNotAbove):
        return _(
            "Kế hoạch mang số hiệu %(code)s không thuộc địa bàn cấp trên của kế hoạch này, nên không là kế hoạch "
            "cấp trên được. Hãy chọn quan hệ “Được dẫn chiếu”, hoặc kiểm tra lại số hiệu."
        ) % {"code": exc.plan_code}
    return _(
        "Không có kế hoạch cấp trên mang số hiệu %(code)s mà bạn được xem. Chỉ liên kết được với kế hoạch cấp trên "
        "mà đơn vị bạn được xem; hãy chọn quan hệ “Được dẫn chiếu”."
    ) % {"code": exc.plan_code}
