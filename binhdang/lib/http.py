"""One "found or 404" for every page: what the user asked for, or a 404 that says what was not found.

A missing object and one the user may not see answer alike (docs/permissions.md: not visible is a 404, visible
but not allowed is a 403), so the messages for objects found through a visibility selector say both. One table
of messages, so that two pages never word the same 404 differently. Here rather than in `binhdang.web` because
the dashboards, documents and open data (apps below web) raise the same 404s.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

T = TypeVar("T")

Kind = Literal[
    "plan",
    "report",
    "period",
    "unit",
    "agency",
    "inspection",
    "finding",
    "job",
    "upload",
    "notice",
    "part",
    "item",
    "retirable",
    "indicator",
    "review",
    "table",
    "national",
    "file",
    "publication",
]

NOT_FOUND: dict[Kind, Promise] = {
    # Found through a visibility selector: another unit's object answers the same as none.
    "plan": gettext_lazy("Không có kế hoạch này, hoặc bạn không có quyền xem."),
    "report": gettext_lazy("Không có báo cáo này, hoặc bạn không có quyền xem."),
    "period": gettext_lazy("Không có kỳ báo cáo này, hoặc bạn không có quyền xem."),
    "unit": gettext_lazy("Không có địa bàn này, hoặc bạn không có quyền xem."),
    "agency": gettext_lazy("Không có cơ quan này, hoặc bạn không có quyền xem."),
    "inspection": gettext_lazy("Không có đợt kiểm tra này, hoặc bạn không có quyền xem."),
    "finding": gettext_lazy("Không có kiến nghị này, hoặc bạn không có quyền xem."),
    "job": gettext_lazy("Không có công việc này, hoặc bạn không có quyền xem."),
    "upload": gettext_lazy("Không có văn bản tải lên này, hoặc bạn không có quyền xem."),
    "notice": gettext_lazy("Không có thông báo này, hoặc bạn không có quyền xem."),
    "national": gettext_lazy("Chưa có kế hoạch toàn quốc, hoặc bạn không có quyền xem."),
    # Looked up inside an object already found visible: only "there is none" can be the reason.
    "part": gettext_lazy("Không có phần này của kế hoạch."),
    "item": gettext_lazy("Không có mục này trong kế hoạch."),
    "retirable": gettext_lazy("Chỉ chỉ tiêu và nhiệm vụ mới ngừng theo dõi được."),
    "indicator": gettext_lazy("Không có chỉ tiêu này trong kế hoạch."),
    "review": gettext_lazy("Không có kỳ sơ kết, tổng kết này."),
    "table": gettext_lazy("Không có bảng này."),
    "file": gettext_lazy("Tệp chưa sẵn sàng."),
    # The public open-data section: only published indicators exist there.
    "publication": gettext_lazy("Không có số liệu công bố này."),
}


def not_found(kind: Kind) -> Http404:
    """The 404 for a kind, to raise where there is no object to test (a wrong part name in the URL)."""
    # A str, not the lazy proxy: Django's 404 view shows the exception's text only when it is a str.
    return Http404(str(NOT_FOUND[kind]))


def found_or_404(obj: T | None, kind: Kind) -> T:
    """The object, or the 404 of its kind when it is None (absent, or not visible to the user)."""
    if obj is None:
        raise not_found(kind)
    return obj
