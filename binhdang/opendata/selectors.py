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

from binhdang.analytics.rollup import Row, combine
from binhdang.places.models import AdministrativeUnit
from binhdang.places.selectors import user_agency, user_is_admin
from binhdang.plans.models import Indicator, Measure, Plan
from binhdang.plans.numbering import label_indicators
from binhdang.reporting.entries import sexes_for
from binhdang.reporting.models import Period, ReportStatus, Sex, Value
from binhdang.reporting.selectors import acceptor_of

from .models import PublishedIndicator

SEX_LABELS = {Sex.TOTAL.value: "Tổng", Sex.FEMALE.value: "Nữ", Sex.MALE.value: "Nam"}

# The data dictionary of the downloads: one entry per column, in order.
FIELDS: list[tuple[str, str]] = [
    ("indicator_key", "Mã chỉ tiêu trong kế hoạch"),
    ("indicator", "Tên chỉ tiêu"),
    ("unit_code", "Mã đơn vị hành chính (mã thống kê)"),
    ("unit_generation", "Thế hệ đơn vị hành chính: legacy (trước 01/7/2025) hoặc 2025"),
    ("unit_name", "Tên đơn vị hành chính báo cáo"),
    ("year", "Năm của kỳ báo cáo"),
    ("period_kind", "Loại kỳ: semiannual, annual, quarterly, ..."),
    ("period", "Tên kỳ báo cáo"),
    ("data_from", "Số liệu từ ngày (ISO 8601)"),
    ("data_to", "Số liệu đến ngày (ISO 8601)"),
    ("sex", "Giới tính: total (tổng), female (nữ), male (nam)"),
    ("figure", "Số liệu công bố: giá trị, hoặc tử số / mẫu số × thang đo với tỷ lệ"),
    ("value", "Giá trị cộng dồn (chỉ tiêu số lượng, có/không)"),
    ("numerator", "Tổng tử số (chỉ tiêu tỷ lệ)"),
    ("denominator", "Tổng mẫu số (chỉ tiêu tỷ lệ)"),
    ("reports", "Số báo cáo đã được chấp nhận góp vào số liệu"),
]


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
        }


def _plain(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.0001")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def indicator_records(indicator: Indicator) -> list[Record]:
    """Accepted values of one indicator, summed by reporting unit × period × sex. Two queries, then memory."""
    both = Q(numerator__isnull=False, denominator__isnull=False)
    sums = (
        Value.objects.filter(indicator=indicator, report__status=ReportStatus.ACCEPTED, combo="")  # totals only
        .values("sex", "report__unit_id", "report__period_id")
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
        )
        for r in sums
    ]
    units = AdministrativeUnit.objects.in_bulk({r.unit_id for r in rows})
    periods = Period.objects.in_bulk({r.period_id for r in rows})
    sex_order = {sex: i for i, sex in enumerate(sexes_for(indicator))}
    records = []
    for row in rows:
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
            )
        )
    records.sort(key=lambda r: (r.period.data_to, r.period.kind, r.unit.code, sex_order[r.sex]))
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
