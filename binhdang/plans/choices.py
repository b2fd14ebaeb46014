"""The plans' fixed lists of choices (what a plan, an indicator, a task or a reporting rule may be), and the rules
that belong to a choice itself (a measure that is a fraction, and its scale)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class ReferenceRelation(models.TextChoices):
    BASIS = "basis", _("Căn cứ")
    PARENT = "parent", _("Kế hoạch cấp trên")
    CITED = "cited", _("Được dẫn chiếu")


class ProjectKind(models.TextChoices):
    PROJECT = "project", _("Dự án")
    SUBPROJECT = "subproject", _("Tiểu dự án")
    CONTENT = "content", _("Nội dung")
    MODEL = "model", _("Mô hình")


class Measure(models.TextChoices):
    PERCENTAGE = "percentage", _("Tỷ lệ phần trăm")
    RATIO = "ratio", _("Tỷ số")
    RATE = "rate", _("Tỷ suất (trên N)")
    COUNT = "count", _("Số lượng")
    BOOLEAN = "boolean", _("Có/không")
    TEXT = "text", _("Định tính")

    @property
    def is_fraction(self) -> bool:
        """Kept as numerator and denominator, so that it rolls up by summing both, never by averaging rates
        (DOMAIN.md, "Statistics")."""
        return self in (Measure.PERCENTAGE, Measure.RATE, Measure.RATIO)

    def scale(self, rate_per: int | None) -> Decimal:
        """What numerator / denominator is multiplied by: 100 for a percentage, N for a rate per N, else 1."""
        if self is Measure.PERCENTAGE:
            return Decimal(100)
        return Decimal(rate_per) if rate_per else Decimal(1)


class Direction(models.TextChoices):
    INCREASE = "increase", _("Tăng")
    DECREASE = "decrease", _("Giảm")
    MAINTAIN = "maintain", _("Duy trì")


class Disaggregation(models.TextChoices):
    SEX = "sex", _("Giới tính")
    AGE = "age", _("Nhóm tuổi")
    ETHNICITY = "ethnicity", _("Dân tộc")
    AREA = "area", _("Thành thị/nông thôn")


class Comparator(models.TextChoices):
    GE = ">=", "≥"
    GT = ">", ">"
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "=", "="
    ABOUT = "~", _("khoảng")


class Role(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    PARTNER = "partner", _("Phối hợp")
    RESPONSIBLE = "responsible", _("Chịu trách nhiệm")


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    LOCAL = "local", _("Ngân sách địa phương")
    OTHER = "other", _("Nguồn hợp pháp khác")


class ReportKind(models.TextChoices):
    SEMIANNUAL = "semiannual", _("Báo cáo 6 tháng")
    ANNUAL = "annual", _("Báo cáo năm")
    NINEMONTH = "ninemonth", _("Báo cáo 9 tháng")
    QUARTERLY = "quarterly", _("Báo cáo quý")
    MONTHLY = "monthly", _("Báo cáo tháng")
    ADHOC = "adhoc", _("Báo cáo đột xuất")
    MIDTERM = "midterm", _("Sơ kết")
    FINAL = "final", _("Tổng kết")
