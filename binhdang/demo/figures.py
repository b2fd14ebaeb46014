"""Plausible, deterministic figures for the labelled synthetic reporting history (binhdang/demo/history.py):
the summary, task progress, spending and indicator values of one synthetic report.

A seeded random generator moves each indicator from a starting value toward the plan's first target.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from binhdang.plans.categories import combos_for, combos_tile
from binhdang.plans.models import SYNTHETIC_LABEL as LABEL
from binhdang.plans.models import Indicator, Measure, Plan
from binhdang.reporting.checks import Entry
from binhdang.reporting.entries import check_report_entries, sexes_for
from binhdang.reporting.models import Period, Report, TaskStatus
from binhdang.reporting.services import ProgressInput, SpendingInput

D = Decimal

_NARRATIVES = (
    "Đã ban hành kế hoạch triển khai tại đơn vị và phân công cán bộ đầu mối theo dõi.",
    "Tổ chức {n} buổi tuyên truyền, lồng ghép trong sinh hoạt chi hội, khu dân cư.",
    "Phối hợp Hội Liên hiệp Phụ nữ tổ chức tập huấn cho {n} cán bộ cơ sở.",
    "Đưa {n} tin, bài về bình đẳng giới trên hệ thống truyền thanh cơ sở.",
    "Rà soát, cập nhật số liệu tách biệt theo giới; đang tổng hợp gửi cơ quan thường trực.",
    "Hưởng ứng Tháng hành động vì bình đẳng giới; treo {n} băng rôn, khẩu hiệu.",
)
_FAR_NOTE = "Số liệu mô phỏng: biến động so với kỳ trước do thay đổi phạm vi thống kê."


def report_summary(report: Report, period: Period, rng: random.Random) -> str:
    return (
        f"{LABEL} Kết quả thực hiện {period.label.lower().removeprefix('báo cáo ')} của {report.reporter.name}: "
        f"đã triển khai các nhiệm vụ được giao, {rng.choice(('cơ bản đạt', 'đạt', 'chưa đạt'))} tiến độ đề ra. "
        "Số liệu do hệ thống tạo ra để trình diễn, không phải số liệu thật."
    )


def report_progress(report: Report, period: Period, rng: random.Random) -> list[ProgressInput]:
    items = []
    done_share = 0.5 if period.kind == "annual" else 0.25
    for task_id in report.task_lines.order_by("task_id").values_list("task_id", flat=True):
        roll = rng.random()
        status = TaskStatus.DONE if roll < done_share else TaskStatus.IN_PROGRESS
        if roll > 0.95:
            status = TaskStatus.NOT_STARTED
        narrative = "" if status == TaskStatus.NOT_STARTED else rng.choice(_NARRATIVES).format(n=rng.randint(2, 12))
        items.append(ProgressInput(task_id, status, narrative))
    return items


def report_spending(report: Report, rng: random.Random) -> list[SpendingInput]:
    tasks = list(report.task_lines.order_by("task_id").values_list("task_id", flat=True)[:2])
    return [SpendingInput(task_id, "local", D(rng.randint(50, 800)) / 10) for task_id in tasks if rng.random() < 0.6]


def report_entries(plan: Plan, report: Report, period: Period, rng: random.Random) -> list[Entry]:
    lines = report.indicator_lines.select_related("indicator").prefetch_related("indicator__targets")
    indicators = [line.indicator for line in lines.order_by("indicator__order")]
    entries: list[Entry] = []
    for indicator in indicators:
        if indicator.measure == Measure.TEXT:
            continue
        sexes = sexes_for(indicator)
        if len(sexes) == 1:
            entries.append(_entry(plan, indicator, report, period, rng, "total", 1.0))
        else:
            female = _entry(plan, indicator, report, period, rng, "female", 0.5)
            male = _entry(plan, indicator, report, period, rng, "male", 0.5)
            entries += [_sum_entry(indicator.pk, female, male), female, male]
    entries += _parts(indicators, entries, report)
    # A figure far from the unit's previous one must carry a note (checks.py): the history gives one.
    noted = {issue.where for issue in check_report_entries(report, entries) if issue.level == "warning"}
    for entry in entries:
        if f"indicator:{entry.indicator_id}:{entry.sex}:note" in noted:
            entry.note = _FAR_NOTE
    return entries


def _parts(indicators: list[Indicator], entries: list[Entry], report: Report) -> list[Entry]:
    """The figures of an indicator reported by age group and ethnicity (issue 16), split from its totals: each sex's
    total shared out among the combinations with fixed weights, female and male split on their own and the
    total's parts their sums, so that parts add up to every total and female + male to the total in each part."""
    parts: list[Entry] = []
    by_key = {(e.indicator_id, e.sex): e for e in entries}
    for indicator in indicators:
        combos = [c for c in combos_for(indicator) if c]
        if not combos or not combos_tile(indicator):
            continue
        weigh = random.Random(f"binhdang-demo:parts:{indicator.key}:{report.unit.code}")  # noqa: S311 - demo data
        weights = [weigh.uniform(0.5, 2.0) for _ in combos]
        split: dict[str, list[Entry]] = {}
        for sex in ("female", "male", "total"):
            whole = by_key.get((indicator.pk, sex))
            if whole is None or (sex == "total" and split):
                continue
            split[sex] = _split(whole, combos, weights)
        if "female" in split and "male" in split:
            split["total"] = [
                _sum_entry(indicator.pk, f, m) for f, m in zip(split["female"], split["male"], strict=True)
            ]
            for entry, combo in zip(split["total"], combos, strict=True):
                entry.combo = combo
        parts += [entry for sex_parts in split.values() for entry in sex_parts]
    return parts


def _split(whole: Entry, combos: list[str], weights: list[float]) -> list[Entry]:
    """``whole`` shared out by ``weights``: counts and denominators in whole units (tenths for a numerator written
    with one decimal), a numerator never over its part's denominator."""
    if whole.denominator is None:
        values = _share(whole.value, weights, None)
        return [Entry(whole.indicator_id, whole.sex, value=v, combo=c) for v, c in zip(values, combos, strict=True)]
    denominators = _share(whole.denominator, weights, None)
    numerators = _share(whole.numerator, [float(d or 0) for d in denominators], denominators)
    return [
        Entry(whole.indicator_id, whole.sex, numerator=n, denominator=d, combo=c)
        for n, d, c in zip(numerators, denominators, combos, strict=True)
    ]


def _share(total: Decimal | None, weights: list[float], caps: list[Decimal | None] | None) -> list[Decimal | None]:
    """``total`` in shares proportional to ``weights`` that add up to it exactly; each share at most its cap."""
    if total is None:
        return [None] * len(weights)
    step = D(1) if total == total.to_integral_value() else D("0.1")
    units = int(total / step)
    scale = sum(weights) or 1.0
    counts = [int(units * w / scale) for w in weights]
    limits = [units if cap is None else int(cap / step) for cap in (caps or [None] * len(weights))]
    counts = [min(c, limit) for c, limit in zip(counts, limits, strict=True)]
    index = 0
    while sum(counts) < units:  # the remainder of the rounding, one unit at a time, where there is room
        if counts[index] < limits[index]:
            counts[index] += 1
        index = (index + 1) % len(counts)
    return [D(c) * step for c in counts]


def _sum_entry(indicator_id: int, female: Entry, male: Entry) -> Entry:
    def add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a + b

    return Entry(
        indicator_id,
        "total",
        value=add(female.value, male.value),
        numerator=add(female.numerator, male.numerator),
        denominator=add(female.denominator, male.denominator),
    )


def _target(indicator: Indicator, plan: Plan) -> tuple[float, int, str]:
    """The first target the plan sets (value, year, comparator); a neutral one when it sets none."""
    targets = [t for t in indicator.targets.all() if t.value is not None]
    if not targets:
        return (50.0 if indicator.measure == Measure.PERCENTAGE else 1.0), plan.year_end, ""
    first = min(targets, key=lambda t: t.year or plan.year_end)
    return float(first.value or 0), first.year or plan.year_end, first.comparator


def _entry(
    plan: Plan, indicator: Indicator, report: Report, period: Period, rng: random.Random, sex: str, share: float
) -> Entry:
    """One plausible figure: the indicator moves from a starting value toward its target over the plan's years."""
    base = random.Random(f"binhdang-demo:{indicator.key}:{report.unit.code}:{sex}")  # noqa: S311 - demo data
    target, target_year, comparator = _target(indicator, plan)
    elapsed = period.year - plan.year_start + (0.5 if period.kind == "semiannual" else 1.0)
    progress = min(1.05, max(0.0, elapsed / max(1, target_year - plan.year_start + 1)))
    decreasing = indicator.direction == "decrease" or comparator in ("<", "<=")
    measure = indicator.measure
    if measure == Measure.BOOLEAN:
        switch = base.randint(plan.year_start, max(plan.year_start, target_year))
        return Entry(indicator.pk, sex, value=D(1 if period.year >= switch else 0))
    if measure == Measure.COUNT:
        # "Không để xảy ra" (target 0): mostly none, now and then one case.
        count = (1 if rng.random() < 0.1 else 0) if target == 0 else round(target * rng.uniform(1.0, 1.6) * share)
        return Entry(indicator.pk, sex, value=D(count))
    if measure == Measure.PERCENTAGE:
        start = min(100.0, target + 8) if decreasing else max(0.0, target - 15)
        figure = min(100.0, max(0.0, start + (target - start) * progress + rng.uniform(-1.5, 1.5)))
        denominator = round(base.randint(120, 900) * (1 + 0.02 * (period.year - plan.year_start)) * share)
        part = min(denominator, round(figure / 100 * denominator))
        return Entry(indicator.pk, sex, numerator=D(part), denominator=D(max(1, denominator)))
    # Ratios and rates: a ratio written "110 bé trai/100 bé gái" with no rate_per is stored as 1.10.
    scale = float(indicator.rate_per or 1)
    if measure == Measure.RATIO and not indicator.rate_per and target > 20:
        target = target / 100
    start = target * 1.2 if decreasing else target * (1.03 if comparator in ("=", "~") else 0.85)
    figure = max(0.01, start + (target - start) * progress) * rng.uniform(0.98, 1.02)
    denominator = round(base.randint(40, 120) * (25 if measure == Measure.RATE else 1) * share) or 1
    numerator = D(str(figure / scale * denominator)).quantize(D("0.1"), rounding=ROUND_HALF_UP)
    return Entry(indicator.pk, sex, numerator=numerator, denominator=D(denominator))
