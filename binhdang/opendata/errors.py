from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class PublishingNotAllowed(Exception):
    message = _("Chỉ cơ quan thường trực của kế hoạch và quản trị viên được công bố hoặc thôi công bố dữ liệu mở.")


class IndicatorNotPublishable(Exception):
    message = _("Chỉ tiêu định tính không công bố được dưới dạng bảng số liệu.")
