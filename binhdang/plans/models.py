"""The plan model: everything the seed plans hold, so that nothing has to be bolted on later.

Names of agencies are kept as the document wrote them (`written_as`) beside the matched agency, so a plan
exports exactly as it was issued while tasks and reports attach to real agencies.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binhdang.places.models import AdministrativeUnit, Agency, Level

from .categories import age_group_problems

# The choices live in choices.py; importers keep reading them here, beside the models that use them.
from .choices import Comparator as Comparator
from .choices import Direction as Direction
from .choices import Disaggregation as Disaggregation
from .choices import FundingSource as FundingSource
from .choices import Measure as Measure
from .choices import PlanStatus as PlanStatus
from .choices import ProjectKind as ProjectKind
from .choices import ReferenceRelation as ReferenceRelation
from .choices import ReportKind as ReportKind
from .choices import Role as Role

YEAR_MIN = 1990
YEAR_MAX = 2100
year_validators = [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]

# Every piece of synthetic (demo, load-test) data starts with this label, so it says what it is wherever it shows.
# It lives here, not in binhdang.demo, because the pages that show the label must not import the demo.
SYNTHETIC_LABEL = "[Dữ liệu mô phỏng]"


class Plan(models.Model):
    kind = models.CharField(_("loại văn bản"), max_length=8, default="KH")
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    code = models.CharField(_("số, ký hiệu"), max_length=80, blank=True, db_index=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("địa bàn")
    )
    unit_written_as = models.CharField(_("địa bàn (như văn bản ghi)"), max_length=255, blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.TextField(_("trích yếu"))
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    year_start = models.PositiveSmallIntegerField(_("từ năm"), validators=year_validators)
    year_end = models.PositiveSmallIntegerField(_("đến năm"), validators=year_validators)
    status = models.CharField(_("trạng thái"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("kế hoạch cấp trên"),
    )
    aims = models.JSONField(_("mục đích, yêu cầu"), default=list, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=120, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    # The plan the national dashboard shows (at most one): chosen by this flag, never by its title, so a real
    # national plan can be marked as well as the demo's synthetic one.
    is_national = models.BooleanField(_("kế hoạch toàn quốc"), default=False)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    source_filename = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year_start", "unit__name", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(year_end__gte=models.F("year_start")), name="plan_years_ordered"),
            models.CheckConstraint(
                condition=Q(year_start__gte=YEAR_MIN, year_end__lte=YEAR_MAX), name="plan_years_in_range"
            ),
            models.UniqueConstraint(fields=["is_national"], condition=Q(is_national=True), name="plan_one_national"),
        ]

    def __str__(self) -> str:
        label = self.code or _("(chưa có số)")
        return f"{label} – {self.title[:80]}"

    @property
    def is_synthetic(self) -> bool:
        """A labelled synthetic plan (the demo's or a load test's): its pages carry the synthetic-data banner."""
        return self.title.startswith(SYNTHETIC_LABEL)

    @property
    def has_signature(self) -> bool:
        return bool(self.signer_name or self.signer_title or self.signer_authority)


class Reference(models.Model):
    """Another document the plan cites: its legal bases, the plan it carries out, anything it mentions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("loại"), max_length=8, blank=True)
    code = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    number = models.CharField(_("số"), max_length=20, blank=True)
    issued_on = models.DateField(_("ngày"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    title = models.TextField(_("trích yếu"), blank=True)
    relation = models.CharField(_("quan hệ"), max_length=8, choices=ReferenceRelation.choices)
    linked_plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
        verbose_name=_("kế hoạch trong hệ thống"),
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("văn bản dẫn chiếu")
        verbose_name_plural = _("văn bản dẫn chiếu")

    def __str__(self) -> str:
        return self.code or self.title[:60]


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    key = models.CharField(max_length=30)
    order = models.PositiveIntegerField(default=0)
    number = models.CharField(_("số"), max_length=20, blank=True)
    title = models.TextField(_("tên mục tiêu"), blank=True)
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="objective_plan_key_unique")]

    def __str__(self) -> str:
        return f"{_('Mục tiêu')} {self.number}: {self.title}".strip()


class Project(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    key = models.CharField(max_length=30)
    order = models.PositiveIntegerField(default=0)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("loại"), max_length=10, choices=ProjectKind.choices)
    number = models.CharField(_("số"), max_length=20, blank=True)
    name = models.TextField(_("tên"))
    scope = models.TextField(_("phạm vi"), blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("dự án, mô hình")
        verbose_name_plural = _("dự án, mô hình")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="project_plan_key_unique")]

    def __str__(self) -> str:
        return self.name[:80]


class ProjectPlace(models.Model):
    """A unit where a project or pilot model runs, as written, matched to a real unit where possible."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="places")
    order = models.PositiveIntegerField(default=0)
    written_as = models.CharField(max_length=255)
    unit = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["project", "order"]

    def __str__(self) -> str:
        return self.written_as


class CatalogueIndicator(models.Model):
    """An indicator of the national strategy 2021–2030 (Resolution 28/NQ-CP) that a plan can adopt."""

    objective_number = models.PositiveSmallIntegerField(_("mục tiêu số"))
    objective_title = models.CharField(_("mục tiêu"), max_length=255)
    number = models.CharField(_("chỉ tiêu số"), max_length=10)
    text = models.TextField(_("chỉ tiêu"))
    measure = models.CharField(max_length=12, choices=Measure.choices)
    unit = models.CharField(max_length=60, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    rate_per = models.PositiveIntegerField(null=True, blank=True)
    numerator = models.TextField(_("tử số"), blank=True)
    denominator = models.TextField(_("mẫu số"), blank=True)
    disaggregations = models.JSONField(default=list, blank=True)
    targets = models.JSONField(default=list, blank=True)
    source = models.CharField(_("nguồn"), max_length=255)
    confirmed = models.BooleanField(_("đã xác nhận nguồn"), default=True)

    class Meta:
        ordering = ["objective_number", "number"]
        verbose_name = _("chỉ tiêu Chiến lược quốc gia")
        verbose_name_plural = _("chỉ tiêu Chiến lược quốc gia")
        constraints = [
            models.UniqueConstraint(fields=["objective_number", "number"], name="catalogue_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.objective_number}.{self.number} {self.text[:80]}"


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(max_length=30)
    order = models.PositiveIntegerField(default=0)
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators")
    number = models.CharField(_("số"), max_length=20, blank=True)
    text = models.TextField(_("chỉ tiêu"))
    measure = models.CharField(_("loại số đo"), max_length=12, choices=Measure.choices, default=Measure.PERCENTAGE)
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices, blank=True)
    rate_per = models.PositiveIntegerField(_("trên (N)"), null=True, blank=True)
    numerator = models.TextField(_("tử số"), blank=True)
    denominator = models.TextField(_("mẫu số"), blank=True)
    disaggregations = models.JSONField(_("phân tổ"), default=list, blank=True)
    # Codes of the age groups it is reported by, e.g. ["0-4", "15-24", "60+"] (plans/categories.py); used when
    # "age" is among its disaggregations. Groups must not overlap (``clean``).
    age_groups = models.JSONField(_("nhóm tuổi"), default=list, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("năm cơ sở"), null=True, blank=True, validators=year_validators)
    baseline_value = models.DecimalField(_("giá trị cơ sở"), max_digits=18, decimal_places=4, null=True, blank=True)
    catalogue = models.ForeignKey(
        CatalogueIndicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    # "Ngừng theo dõi": no longer asked for in new reports; kept, with its reported figures, in history and
    # dashboards. An indicator that reports hang on is retired, never deleted (plans/locks.py).
    retired_on = models.DateField(_("ngừng theo dõi từ"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="indicator_plan_key_unique")]

    def __str__(self) -> str:
        return self.text[:100]

    def clean(self) -> None:
        problems = age_group_problems(self.age_groups or [])
        if problems:
            raise ValidationError({"age_groups": problems})

    @property
    def label(self) -> str:
        """The number people read beside it, the same on every page (plans.numbering); lists set it in one query
        with ``label_indicators``, a lone indicator asks its plan."""
        if not hasattr(self, "_label"):
            from .numbering import label_indicators  # numbering imports this module

            label_indicators([self])
        return str(self._label)  # type: ignore[attr-defined]

    @property
    def is_fraction(self) -> bool:
        return Measure(self.measure).is_fraction

    @property
    def scale(self) -> Decimal:
        return Measure(self.measure).scale(self.rate_per)


# An indicator's fields that a person writes (forms, services, the interchange format, the API), derived from the
# model so that a new field is one edit. The fields below are kept by the system instead, each for its reason.
INDICATOR_NOT_WRITTEN: dict[str, str] = {
    "id": "the database key",
    "plan": "fixed when the indicator is made; an indicator never moves to another plan",
    "key": "the plan-local id the system gives (I1, I2, ...); the interchange format carries it as `id`",
    "order": "the position among the plan's indicators, kept by the system",
    "catalogue": "set only by adopting a national-strategy indicator (plans.services.indicator_adopt)",
    "retired_on": "set only by retiring the indicator (plans.services.indicator_retire)",
}
INDICATOR_FIELDS: tuple[str, ...] = tuple(
    f.name for f in Indicator._meta.concrete_fields if f.name not in INDICATOR_NOT_WRITTEN
)
# The written fields that hold text, cleaned (NFC, spaces) on the way in.
INDICATOR_TEXT_FIELDS: tuple[str, ...] = tuple(
    name
    for name in INDICATOR_FIELDS
    if isinstance(Indicator._meta.get_field(name), models.CharField | models.TextField)
)


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveIntegerField(default=0)
    # Null year: the text sets no year, which the monitoring reads as the plan's last year.
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True, validators=year_validators)
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4, null=True, blank=True)
    comparator = models.CharField(_("so sánh"), max_length=2, choices=Comparator.choices, blank=True)
    text = models.TextField(_("nguyên văn"), blank=True)

    class Meta:
        ordering = ["indicator", "order"]
        verbose_name = _("chỉ tiêu theo năm")
        verbose_name_plural = _("chỉ tiêu theo năm")

    def __str__(self) -> str:
        return f"{self.year}: {self.comparator} {self.value}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(max_length=30)
    order = models.PositiveIntegerField(default=0)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    section = models.CharField(_("phần"), max_length=10, blank=True)
    number = models.CharField(_("số"), max_length=20, blank=True)
    text = models.TextField(_("nhiệm vụ"))
    # "--MM-DD" for a yearly window (15/11–15/12 each year) or an ISO date for a one-off window.
    window_start = models.CharField(_("từ ngày"), max_length=10, blank=True)
    window_end = models.CharField(_("đến ngày"), max_length=10, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="tasks")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="tasks")
    retired_on = models.DateField(_("ngừng theo dõi từ"), null=True, blank=True)  # as Indicator.retired_on

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="task_plan_key_unique")]

    def __str__(self) -> str:
        return self.text[:100]

    @property
    def label(self) -> str:
        """The number people read beside it, as ``Indicator.label``."""
        if not hasattr(self, "_label"):
            from .numbering import label_tasks  # numbering imports this module

            label_tasks([self])
        return str(self._label)  # type: ignore[attr-defined]


class Assignment(models.Model):
    """An agency named on a task, project or indicator, with its role and the name as the document wrote it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    written_as = models.CharField(_("tên như văn bản ghi"), max_length=255)
    order = models.PositiveIntegerField(default=0)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            # Exactly one owner, so an assignment can never float free or belong to two things at once.
            models.CheckConstraint(
                condition=(
                    Q(task__isnull=False, project__isnull=True, indicator__isnull=True)
                    | Q(task__isnull=True, project__isnull=False, indicator__isnull=True)
                    | Q(task__isnull=True, project__isnull=True, indicator__isnull=False)
                ),
                name="assignment_one_owner",
            ),
            models.UniqueConstraint(fields=["task", "agency"], name="assignment_task_agency_unique"),
            models.UniqueConstraint(fields=["project", "agency"], name="assignment_project_agency_unique"),
            models.UniqueConstraint(fields=["indicator", "agency"], name="assignment_indicator_agency_unique"),
            models.UniqueConstraint(fields=["task"], condition=Q(role="lead"), name="assignment_one_task_lead"),
            models.UniqueConstraint(fields=["project"], condition=Q(role="lead"), name="assignment_one_project_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.written_as} ({self.get_role_display()})"


class BudgetAmount(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="%(class)ss")
    order = models.PositiveIntegerField(default=0)
    item = models.TextField(_("hạng mục"), blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True, validators=year_validators)
    source = models.CharField(_("nguồn kinh phí"), max_length=8, choices=FundingSource.choices, blank=True)
    # Million VND, as the plans print them; three decimals keep amounts given in thousands of VND exact.
    amount = models.DecimalField(
        _("số tiền (triệu đồng)"), max_digits=16, decimal_places=3, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        abstract = True
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.item or '-'} {self.year or ''} {self.source}: {self.amount}"


class BudgetLine(BudgetAmount):
    class Meta(BudgetAmount.Meta):
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("dòng kinh phí")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount_nonnegative")]


class BudgetTotal(BudgetAmount):
    """A total as the document prints it; kept as printed and checked against the lines, never corrected."""

    class Meta(BudgetAmount.Meta):
        verbose_name = _("tổng kinh phí in trong văn bản")
        verbose_name_plural = _("tổng kinh phí in trong văn bản")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budgettotal_amount_nonnegative")]


class ReportingRule(models.Model):
    """One line of the plan's reporting regime: what kind of report goes to whom, by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_rules")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=ReportKind.choices)
    # The day as written in "trước ngày 10/6": "--06-10", or an ISO date for a one-off report.
    due = models.CharField(_("hạn (như văn bản ghi)"), max_length=10, blank=True)
    to_written_as = models.CharField(_("gửi về"), max_length=255, blank=True)
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    through_written_as = models.CharField(_("qua"), max_length=255, blank=True)
    through_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nguyên văn"), blank=True)
    # "Nơi nhận" of the compiled report sent under this regime, one per line; empty: the defaults of the plan's
    # level (documents.report.report_recipients).
    recipients = models.TextField(_("nơi nhận báo cáo tổng hợp"), blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"
