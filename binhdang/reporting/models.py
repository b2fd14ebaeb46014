"""Reporting periods, reports, the values and progress they carry, and the trail of every change.

A report belongs to one reporter (an agency, or a lower-level committee through its standing agency) and
one period of one plan. Rates and percentages are stored as numerator and denominator so that they roll
up by summing, never by averaging (DOMAIN.md, "Statistics").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.plans.models import FundingSource, Indicator, Plan, ReportingRule, ReportKind, Task


class Period(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    rule = models.ForeignKey(ReportingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="periods")
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    # Quarter 1–4, month 1–12, or 1 for a 6-month, 9-month or annual period; a sequence for ad hoc reports.
    number = models.PositiveSmallIntegerField(_("số kỳ"), default=1)
    label = models.CharField(_("tên kỳ"), max_length=120)
    data_from = models.DateField(_("số liệu từ ngày"))
    data_to = models.DateField(_("số liệu đến ngày"))
    due = models.DateField(_("hạn nộp"))
    closed = models.BooleanField(_("đã khóa kỳ"), default=False)

    class Meta:
        ordering = ["plan", "due", "kind"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "year", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(data_to__gte=models.F("data_from")), name="period_data_ordered"),
        ]

    def __str__(self) -> str:
        return self.label

    def past_due(self, day: dt.date) -> bool:
        """The one rule for lateness: a report sent, or still unsent, on a day after ``due`` is late. ``due`` is
        already the last day allowed ("trước ngày 10/6" is stored as 9 June, plans.schedule)."""
        return day > self.due


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Report(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("đơn vị báo cáo")
    )
    # The unit the figures are about: the reporter's unit, which is what the roll-up groups by.
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="reports")
    is_committee = models.BooleanField(_("báo cáo của UBND cấp dưới"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.TextField(_("tóm tắt kết quả"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    late = models.BooleanField(_("nộp muộn"), default=False)
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("lý do trả lại"), blank=True)
    # Optimistic locking: every save through the services bumps it; a stale form is refused, never merged.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "unit__name", "reporter__name"]
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [models.UniqueConstraint(fields=["period", "reporter"], name="report_period_reporter_unique")]

    def __str__(self) -> str:
        return f"{self.reporter} – {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

    def state(self, today: dt.date) -> str:
        """Where the report stands for completeness, as DHIS2 counts it: "on_time" or "late" once sent (decided
        by the first submission, kept through a re-open), else "missing" after the deadline, "pending" before."""
        if self.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            return "late" if self.late else "on_time"
        return "missing" if self.period.past_due(today) else "pending"

    def overdue(self, today: dt.date) -> bool:
        """Still to be sent (a draft or returned) after its deadline."""
        return self.state(today) == "missing"


class ReportIndicator(models.Model):
    """An indicator the reporter must report in this report: exactly its assigned ones."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_lines")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_indicator_unique")]

    def __str__(self) -> str:
        return str(self.indicator)


class ReportTask(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="task_lines")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="report_task_unique")]

    def __str__(self) -> str:
        return str(self.task)


class Sex(models.TextChoices):
    TOTAL = "total", _("Tổng")
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")


class Value(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices, default=Sex.TOTAL)
    # The combination of the other categories (age group, ethnicity, area) the figure is for, as a canonical key
    # (plans/categories.py): "" is the figure over all of them, as every value before issue 16. Readers that
    # show totals read combo "" only: the parts are never summed into the total.
    combo = models.CharField(_("phân tổ"), max_length=120, blank=True, default="")
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["report", "indicator", "combo", "sex"]
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator", "sex", "combo"], name="value_unique_combo")
        ]
        indexes = [models.Index(fields=["indicator", "sex"])]

    def __str__(self) -> str:
        where = f"{self.sex}@{self.combo}" if self.combo else self.sex
        return f"{self.indicator_id}/{where}: {self.value if self.value is not None else self.numerator}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    DONE = "done", _("Hoàn thành")
    DROPPED = "dropped", _("Dừng, không thực hiện")


class Progress(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="progress")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)

    class Meta:
        verbose_name = _("tiến độ nhiệm vụ")
        verbose_name_plural = _("tiến độ nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="progress_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.status}"


class Spending(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="spending")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="spending")
    source = models.CharField(_("nguồn kinh phí"), max_length=8, choices=FundingSource.choices)
    amount = models.DecimalField(_("đã chi (triệu đồng)"), max_digits=16, decimal_places=3)

    class Meta:
        verbose_name = _("kinh phí đã chi")
        verbose_name_plural = _("kinh phí đã chi")
        constraints = [
            models.UniqueConstraint(fields=["report", "task", "source"], name="spending_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spending_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"


class AuditEvent(models.Model):
    """Who changed what, when, from what to what, and why. Never updated, never deleted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="audit")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)
    field = models.CharField(max_length=120, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.field}"


class Reminder(models.Model):
    """A reminder that was sent, so that a daily cron never sends the same one twice."""

    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    recipient = models.CharField(max_length=255)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "report", "kind", "recipient"], name="reminder_once"),
            # Period-level reminders have no report, and NULLs never collide in a unique index.
            models.UniqueConstraint(
                fields=["period", "kind", "recipient"],
                condition=Q(report__isnull=True),
                name="reminder_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    text = models.TextField()
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Inspection(models.Model):
    """An interagency inspection (Đoàn kiểm tra liên ngành): its team, where it went, and when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="inspections")
    title = models.CharField(_("tên đoàn kiểm tra"), max_length=255)
    team = models.TextField(_("thành phần đoàn"), blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    units = models.ManyToManyField(
        AdministrativeUnit, blank=True, related_name="inspections", verbose_name=_("địa bàn")
    )
    agencies = models.ManyToManyField(Agency, blank=True, related_name="inspections", verbose_name=_("cơ quan"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("đoàn kiểm tra")
        verbose_name_plural = _("đoàn kiểm tra")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_dates")]

    def __str__(self) -> str:
        return self.title


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Đang theo dõi")
    CLOSED = "closed", _("Đã khắc phục")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("phát hiện"))
    recommendation = models.TextField(_("kiến nghị"), blank=True)
    due = models.DateField(_("hạn khắc phục"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("kết quả khắc phục"), blank=True)

    class Meta:
        ordering = ["inspection", "status", "pk"]
        verbose_name = _("phát hiện, kiến nghị")
        verbose_name_plural = _("phát hiện, kiến nghị")

    def __str__(self) -> str:
        return self.text[:80]


class AcceptedSum(models.Model):
    """Sums of the ACCEPTED values of one indicator, sex, combination and period, counted toward one unit in force.

    A report's values count toward the home of its unit (places.attribution) with ``own`` set, and toward
    each ancestor of that home with ``own`` clear; ``rank`` is the level of the unit that reported (0
    province, 1 district, 2 commune). Kept by the reporting services in the same transaction as the
    acceptance or reopening that changes it (reporting/summary.py); `binhdang report summary` rebuilds it.
    The roll-up (analytics/rollup.py) reads it instead of the values.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(max_length=6, choices=Sex.choices)
    combo = models.CharField(max_length=120, blank=True, default="")  # as Value.combo; "" the total
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    own = models.BooleanField()
    # Sums are exact: values are decimal(20,4); ten digits of headroom for the number of rows summed.
    value = models.DecimalField(max_digits=30, decimal_places=4, default=0)
    values = models.PositiveIntegerField(default=0)  # rows with a value: none means the sum is "no value"
    numerator = models.DecimalField(max_digits=30, decimal_places=4, default=0)  # over rows with both
    denominator = models.DecimalField(max_digits=30, decimal_places=4, default=0)
    reports = models.PositiveIntegerField(default=0)  # value rows (one per report, indicator and sex)
    fraction_reports = models.PositiveIntegerField(default=0)  # of them, rows with numerator and denominator

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "indicator", "sex", "combo", "period", "rank", "own"],
                name="accepted_sum_unique_combo",
            )
        ]
        # The roll-up reads one combination of one plan for a few units (analytics/rollup.py): with the unique
        # key alone (combo after indicator and sex) it walked every combination's rows of those units, six
        # times the rows it needed once the synthetic data carried age groups and ethnicity.
        indexes = [models.Index(fields=["plan", "combo", "unit", "indicator"], name="accepted_sum_plan_combo_unit")]

    def __str__(self) -> str:
        sex = f"{self.sex}@{self.combo}" if self.combo else self.sex
        return f"{self.unit_id}/{self.indicator_id}/{sex}/{self.period_id}/{self.rank}{'*' if self.own else ''}"
