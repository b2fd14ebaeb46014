"""Reads of the public section: published indicators only, ACCEPTED values only.

Every public page and download goes through these functions, so no view can show a draft, submitted or
returned report's figures or an indicator that is not published. Figures are per reporting unit and period;
rates are rebuilt from the summed numerators and denominators (analytics.rollup.combine), never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from binhdang.analytics.rollup import Row, combine
from binhdang.places.models import AdministrativeUnit
from binhdang.places.selectors import user_agency, user_is_admin
from binhdang.plans.categories import AGE, AREA, ETHNICITY, combo_label, combos_for, parse_combo
from binhdang.plans.models import Indicator, Measure, Plan
from binhdang.plans.numbering import label_indicators
from binhdang.reporting.entries import sexes_for
from binhdang.reporting.models import Period, ReportStatus, Sex, Value
from binhdang.reporting.selectors import acceptor_of

from .models import PublishedIndicator

SEX_LABELS = {Sex.TOTAL.value: "Tổng", Sex.FEMALE.value: "Nữ", Sex.MALE.value: "Nam"}

# The data dictionary of the downloads: one entry per column, in order. New columns go at the end, so that a
# consumer reading columns by position keeps working (issue 16 added the last four).
FIELDS: list[tuple[str, Any]] = [
    ("indicator_key", _("Mã chỉ tiêu trong kế hoạch")),
    ("indicator", _("Tên chỉ tiêu")),
    ("unit_code", _("Mã đơn vị hành chính (mã thống kê)")),
    ("unit_generation", _("Thế hệ đơn vị hành chính: legacy (trước 01/7/2025) hoặc 2025")),
    ("unit_name", _("Tên đơn vị hành chính báo cáo")),
    ("year", _("Năm của kỳ báo cáo")),
    ("period_kind", _("Loại kỳ: semiannual, annual, quarterly, ...")),
    ("period", _("Tên kỳ báo cáo")),
    ("data_from", _("Số liệu từ ngày (ISO 8601)")),
    ("data_to", _("Số liệu đến ngày (ISO 8601)")),
    ("sex", _("Giới tính: total (tổng), female (nữ), male (nam)")),
    ("figure", _("Số liệu công bố: giá trị, hoặc tử số / mẫu số × thang đo với tỷ lệ")),
    ("value", _("Giá trị cộng dồn (chỉ tiêu số lượng, có/không)")),
    ("numerator", _("Tổng tử số (chỉ tiêu tỷ lệ)")),
    ("denominator", _("Tổng mẫu số (chỉ tiêu tỷ lệ)")),
    ("reports", _("Số báo cáo đã được chấp nhận góp vào số liệu")),
    (
        "age_group",
        _(
            "Nhóm tuổi: 15-24 (cả hai đầu), 60+ (60 tuổi trở lên), 0-4 (dưới 5 tuổi); trống: mọi lứa tuổi. "
            "Dòng số tổng là dòng có age_group, ethnicity và area đều trống; các dòng khác là một phần của nó, "
            "không cộng thêm vào tổng."
        ),
    ),
    ("ethnicity", _("Dân tộc: kinh (dân tộc Kinh), dtts (dân tộc thiểu số); trống: mọi dân tộc")),
    ("area", _("Khu vực: urban (thành thị), rural (nông thôn); trống: cả hai")),
    ("group_label", _("Nhóm bằng lời, ví dụ “15–24 tuổi, dân tộc thiểu số”; trống với số tổng")),
]
# The columns naming a row's group (its combination, plans/categories.py); all empty on a total's row.
GROUP_COLUMNS = {AGE: "age_group", ETHNICITY: "ethnicity", AREA: "area"}


def fields() -> list[tuple[str, str]]:
    """The data dictionary's columns with their descriptions in the active language."""
    return [(name, str(text)) for name, text in FIELDS]


def published_indicators() -> QuerySet[PublishedIndicator]:
    return PublishedIndicator.objects.select_related("indicator__plan__unit").order_by(
        "indicator__plan__year_start", "indicator__plan_id", "indicator__order"
    )


def published_indicator(pk: int) -> PublishedIndicator | None:
    return published_indicators().filter(indicator_id=pk).first()


@dataclass(frozen=True)
class Record:
    unit: AdministrativeUnit
    period: Period
    sex: str
    figure: Decimal | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    reports: int
    combo: str = ""  # the group (plans/categories.py): "" for the total, else one part of it

    def as_dict(self, indicator: Indicator) -> dict[str, object]:
        def number(d: Decimal | None) -> str | None:
            return None if d is None else _plain(d)

        return {
            "indicator_key": indicator.key,
            "indicator": indicator.text,
            "unit_code": self.unit.code,
            "unit_generation": self.unit.generation,
            "unit_name": self.unit.name,
            "year": self.period.year,
            "period_kind": self.period.kind,
            "period": self.period.label,
            "data_from": self.period.data_from.isoformat(),
            "data_to": self.period.data_to.isoformat(),
            "sex": self.sex,
            "figure": number(self.figure),
            "value": number(self.value),
            "numerator": number(self.numerator),
            "denominator": number(self.denominator),
            "reports": self.reports,
            **group_columns(self.combo),
        }


def group_columns(combo: str) -> dict[str, str]:
    """The columns naming a group: ``"age=15-24;ethnicity=dtts"`` → age_group 15-24, ethnicity dtts, area empty,
    and its label; all empty for the total ("")."""
    parts = parse_combo(combo)
    return {
        **{column: parts.get(category, "") for category, column in GROUP_COLUMNS.items()},
        "group_label": combo_label(combo),
    }


def _plain(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.0001")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def indicator_records(indicator: Indicator, *, parts: bool = False) -> list[Record]:
    """Accepted values of one indicator, summed by reporting unit × period × sex. Two queries, then memory.

    The totals only (combo ""), unless ``parts``: then also each group the indicator is reported by (its
    declared combinations, plans.categories.combos_for), each row marked with its group, so that a reader can
    always tell a total from its parts and never adds one into the other."""
    combos = combos_for(indicator) if parts else [""]
    both = Q(numerator__isnull=False, denominator__isnull=False)
    sums = (
        Value.objects.filter(indicator=indicator, report__status=ReportStatus.ACCEPTED, combo__in=combos)
        .values("sex", "combo", "report__unit_id", "report__period_id")
        .annotate(
            sum_value=Sum("value"),
            sum_numerator=Sum("numerator", filter=both),
            sum_denominator=Sum("denominator", filter=both),
            reports=Count("report", distinct=True),
            fraction_reports=Count("report", filter=both, distinct=True),
        )
        .order_by()
    )
    rows = [
        (
            r["combo"],
            Row(
                indicator.pk,
                r["sex"],
                r["report__unit_id"],
                r["report__period_id"],
                r["sum_value"],
                r["sum_numerator"],
                r["sum_denominator"],
                r["reports"],
                r["fraction_reports"],
            ),
        )
        for r in sums
    ]
    units = AdministrativeUnit.objects.in_bulk({r.unit_id for _c, r in rows})
    periods = Period.objects.in_bulk({r.period_id for _c, r in rows})
    sex_order = {sex: i for i, sex in enumerate(sexes_for(indicator))}
    combo_order = {combo: i for i, combo in enumerate(combos)}
    records = []
    for combo, row in rows:
        if row.sex not in sex_order:
            continue
        fig = combine(indicator, [row])
        records.append(
            Record(
                units[row.unit_id],
                periods[row.period_id],
                row.sex,
                fig.figure,
                fig.value,
                fig.numerator,
                fig.denominator,
                fig.reports,
                combo,
            )
        )
    # Within a unit and period: the total's rows first, then each group's, in the indicator's order of groups.
    records.sort(key=lambda r: (r.period.data_to, r.period.kind, r.unit.code, combo_order[r.combo], sex_order[r.sex]))
    return records


def dictionary_entry(publication: PublishedIndicator) -> dict[str, object]:
    indicator = publication.indicator
    plan = indicator.plan
    return {
        "key": indicator.key,
        "number": indicator.number,
        "text": indicator.text,
        "measure": indicator.measure,
        "measure_label": str(indicator.get_measure_display()),
        "unit": indicator.unit,
        "rate_per": indicator.rate_per,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "disaggregations": list(indicator.disaggregations or []),
        "sexes": list(sexes_for(indicator)),
        "age_groups": list(indicator.age_groups or []),
        # The groups whose rows the downloads carry beside the totals (docs/disaggregation.md).
        "groups": [{"combo": combo, **group_columns(combo)} for combo in combos_for(indicator) if combo],
        "source_plan": {
            "code": plan.code,
            "title": plan.title,
            "unit": plan.unit.name,
            "years": [plan.year_start, plan.year_end],
        },
        "note": publication.note,
        "published_at": publication.published_at.isoformat(),
    }


# --- publishing (signed-in pages, web/views/opendata_publish.py) ---------------------------------------------


def may_publish(user: Any, plan: Plan) -> bool:
    """Who chooses what of a plan is public: the standing agency that accepts its reports, and administrators."""
    if user_is_admin(user):
        return True
    agency = user_agency(user)
    acceptor = acceptor_of(plan)
    return agency is not None and acceptor is not None and agency.pk == acceptor.pk


def publishable_indicators(plan: Plan) -> list[tuple[Indicator, PublishedIndicator | None, int]]:
    """The plan's quantitative indicators, each with its publication (or None) and its number of accepted value
    rows — what the public would see today."""
    indicators = list(
        Indicator.objects.filter(plan=plan)
        .exclude(measure=Measure.TEXT)
        .select_related("publication")
        .annotate(accepted=Count("values", filter=Q(values__report__status=ReportStatus.ACCEPTED, values__combo="")))
        .order_by("order", "pk")
    )
    label_indicators(indicators)
    return [(ind, getattr(ind, "publication", None), ind.accepted) for ind in indicators]
