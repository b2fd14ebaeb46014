"""Checks on entered values, the same for the form, the spreadsheet and the CSV import.

Errors: a negative number, a part larger than its whole, female plus male not equal to the total, the parts
of a disaggregated figure (age group, ethnicity, area: issue 16) not adding up to its total or larger than it, a
figure for a combination the indicator does not declare, a percentage over 100, a rate with a zero denominator,
a numerator without a denominator. Warning: a value far from the unit's previous periods (more than three times,
or less than a third of, the previous accepted value, with a difference above 10% of the scale), which must then
carry a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from binhdang.lib.numbers import format_vn_number
from binhdang.plans.categories import CategoryError, combo_label
from binhdang.plans.models import Measure

from .errors import FLAG, Issue
from .models import Sex

HUNDRED = Decimal(100)
FAR_FACTOR = Decimal(3)


@dataclass
class Entry:
    """One cell group of the form: an indicator's value for one sex and one combination ("" the total)."""

    indicator_id: int
    sex: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: str = ""
    note: str = ""
    combo: str = ""  # the combination of age group, ethnicity and area (plans/categories.py); "" the total

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


@dataclass(frozen=True)
class IndicatorMeta:
    id: int
    measure: str
    scale: Decimal  # 100 for percentages, N for a rate per N, 1 otherwise
    by_sex: bool = False  # the indicator asks for female and male as well as the total
    combos: tuple[str, ...] = ("",)  # the combinations it is reported by ("" the total), plans.categories
    combos_tile: bool = False  # its combinations cover the total exactly once: the parts must add up to it

    @property
    def uses_fraction(self) -> bool:
        return Measure(self.measure).is_fraction

    @property
    def additive(self) -> bool:
        """Counts and rates (numerator and denominator) add up over their parts; a yes/no or a text does not."""
        return self.uses_fraction or self.measure == Measure.COUNT


def computed(meta: IndicatorMeta, entry: Entry) -> Decimal | None:
    """The figure a reader sees: the value, or numerator / denominator × scale for rates."""
    if meta.uses_fraction:
        if entry.numerator is None or not entry.denominator:
            return entry.value
        return entry.numerator / entry.denominator * meta.scale
    return entry.value


def _where(entry: Entry, field: str) -> str:
    """Where an issue points: "indicator:<id>:<sex>:<field>", and ":<combo>" after it for a part (issue 16)."""
    where = f"indicator:{entry.indicator_id}:{entry.sex}:{field}"
    return f"{where}:{entry.combo}" if entry.combo else where


def cell_label(sex: str, combo: str) -> str:
    """A cell in words, as the checks name it: "Nữ, 15–24 tuổi, dân tộc thiểu số"; the total's sex is left out
    of a part's name ("15–24 tuổi, nông thôn"), a combination that cannot be read is shown as typed."""
    sex_word = str(Sex(sex).label) if sex in Sex.values else sex
    if not combo:
        return sex_word
    try:
        label = combo_label(combo)
    except CategoryError:
        label = combo
    return label if sex == "total" else f"{sex_word}, {label}"


def check_combo_declared(meta: IndicatorMeta, entry: Entry) -> list[Issue]:
    """A figure for a combination the indicator is not reported by: refused, naming the cell."""
    if entry.combo in meta.combos:
        return []
    return [
        Issue(
            "error",
            _where(entry, "numerator" if meta.uses_fraction else "value"),
            _("Ô “%(cell)s” không thuộc phân tổ của chỉ tiêu này.") % {"cell": cell_label(entry.sex, entry.combo)},
            code="combo_undeclared",
            params={"cell": cell_label(entry.sex, entry.combo)},
        )
    ]


def check_combos(meta: IndicatorMeta, entries: dict[tuple[str, str], Entry]) -> list[Issue]:
    """The parts (combinations) of each sex against that sex's total (combo ""), field by field (a rate's
    numerator and denominator each). When the parts cover the total exactly once (``combos_tile``) and all are
    entered, they must add up to it; otherwise they must not exceed it. ``entries`` by (sex, combo)."""
    issues: list[Issue] = []
    parts_of = [c for c in meta.combos if c]
    if not parts_of or not meta.additive:  # a "yes" in two groups is not two "yes"
        return issues
    fields = ("numerator", "denominator") if meta.uses_fraction else ("value",)
    sexes = {sex for sex, _combo in entries}
    for sex in sorted(sexes):
        total = entries.get((sex, ""))
        if total is None or total.is_empty:
            continue
        parts = [entries[(sex, c)] for c in parts_of if (sex, c) in entries and not entries[(sex, c)].is_empty]
        for field in fields:
            whole = getattr(total, field)
            numbers = [(p, getattr(p, field)) for p in parts if getattr(p, field) is not None]
            if whole is None or not numbers:
                continue
            single_over = False
            for part, number in numbers:
                if number > whole:
                    single_over = True
                    issues.append(
                        Issue(
                            "error",
                            _where(part, field),
                            _("%(cell)s: lớn hơn số tổng (%(total)s).")
                            % {"cell": cell_label(sex, part.combo), "total": format_vn_number(whole)},
                            code="part_over_total",
                            params={"cell": cell_label(sex, part.combo), "total": format_vn_number(whole)},
                        )
                    )
            added = sum((n for _p, n in numbers), Decimal(0))
            words = {"sex": cell_label(sex, ""), "sum": format_vn_number(added), "total": format_vn_number(whole)}
            if meta.combos_tile and len(numbers) == len(parts_of):
                if added != whole:
                    issues.append(
                        Issue(
                            "error",
                            _where(total, field),
                            _("%(sex)s: cộng các nhóm (%(sum)s) không bằng số tổng (%(total)s).") % words,
                            code="parts_sum",
                            params=words,
                        )
                    )
            elif added > whole and not single_over:  # a part over the total already says it, at its cell
                issues.append(
                    Issue(
                        "error",
                        _where(total, field),
                        _("%(sex)s: cộng các nhóm đã nhập (%(sum)s) lớn hơn số tổng (%(total)s).") % words,
                        code="parts_over_total",
                        params=words,
                    )
                )
    return issues


def numerator_over_whole(meta: IndicatorMeta, entry: Entry) -> bool:
    return (
        meta.measure == "percentage"
        and entry.numerator is not None
        and bool(entry.denominator)
        and entry.numerator > entry.denominator  # type: ignore[operator]
    )


def check_entry(meta: IndicatorMeta, entry: Entry, previous: Decimal | None = None) -> list[Issue]:
    issues: list[Issue] = []
    for field in ("value", "numerator", "denominator"):
        number = getattr(entry, field)
        if number is not None and number < 0:
            issues.append(Issue("error", _where(entry, field), _("Không được là số âm."), code="negative"))
    if meta.uses_fraction:
        if entry.numerator is not None and entry.denominator is None:
            issues.append(Issue("error", _where(entry, "denominator"), _("Thiếu mẫu số."), code="denominator_missing"))
        if entry.denominator is not None and entry.denominator == 0 and (entry.numerator or 0) != 0:
            issues.append(
                Issue(
                    "error",
                    _where(entry, "denominator"),
                    _("Mẫu số bằng 0 nên không tính được tỷ lệ."),
                    code="denominator_zero",
                )
            )
        if numerator_over_whole(meta, entry):
            issues.append(
                Issue(
                    "error",
                    _where(entry, "numerator"),
                    _("Tử số lớn hơn mẫu số (bộ phận lớn hơn tổng thể)."),
                    code="numerator_over_denominator",
                )
            )
    figure = computed(meta, entry)
    # A numerator over its denominator already says why the percentage is over 100: one message, not two.
    if (
        meta.measure == "percentage"
        and figure is not None
        and figure > HUNDRED
        and not numerator_over_whole(meta, entry)
    ):
        issues.append(
            Issue("error", _where(entry, "value"), _("Tỷ lệ phần trăm không được vượt quá 100."), code="over_100")
        )
    if meta.measure == "boolean" and entry.value is not None and entry.value not in (0, 1):
        issues.append(Issue("error", _where(entry, "value"), _("Chỉ nhận 1 (có) hoặc 0 (không)."), code="boolean_only"))
    if previous is not None and figure is not None and not entry.note and _far(figure, previous, meta.scale):
        message = _("Khác xa kỳ trước (%(previous)s); hãy ghi chú lý do.") % {"previous": format_vn_number(previous, 2)}
        issues.append(
            Issue(
                "warning",
                _where(entry, "note"),
                message,
                code="far_from_previous",
                params={"previous": format_vn_number(previous, 2)},
            )
        )
    return issues


def _far(figure: Decimal, previous: Decimal, scale: Decimal) -> bool:
    if abs(figure - previous) <= scale * Decimal("0.1") and scale > 1:
        return False
    if previous == 0:
        return figure > scale * Decimal("0.1") if scale > 1 else figure > 10
    ratio = figure / previous
    return ratio > FAR_FACTOR or ratio < 1 / FAR_FACTOR


def check_sexes(meta: IndicatorMeta, entries: dict[str, Entry]) -> list[Issue]:
    """Female and male against the total: parts larger than the whole, or a sum that does not match."""
    total, female, male = entries.get("total"), entries.get("female"), entries.get("male")
    issues: list[Issue] = []
    if total is None or total.is_empty:
        return issues
    if meta.by_sex and not total.combo and all(e is None or e.is_empty for e in (female, male)):
        # A flag for a second look, never a refusal (level "flag": it stops neither saving nor sending): the
        # figure may truly not exist by sex, but plans ask for it and the inspections' most common finding is
        # "thiếu số liệu tách biệt theo giới".
        issues.append(
            Issue(
                FLAG,
                _where(total, "numerator" if meta.uses_fraction else "value"),
                _("Chưa có số của nữ và nam: chỉ tiêu này báo cáo tách biệt theo giới."),
                code="sexes_missing",
            )
        )
    fields = ("numerator", "denominator") if meta.uses_fraction else ("value",)
    for field in fields:
        whole = getattr(total, field)
        parts = [getattr(e, field) for e in (female, male) if e is not None and not e.is_empty]
        if whole is None:
            continue
        for part_entry in (female, male):
            part = getattr(part_entry, field) if part_entry is not None else None
            if part is not None and part > whole:
                issues.append(Issue("error", _where(part_entry, field), _("Lớn hơn số tổng."), code="sex_over_total"))  # type: ignore[arg-type]
        if len(parts) == 2 and all(p is not None for p in parts) and sum(parts) != whole:
            issues.append(
                Issue(
                    "error",
                    _where(total, field),
                    _("Nữ cộng nam (%(sum)s) không bằng tổng (%(total)s).")
                    % {"sum": format_vn_number(sum(parts)), "total": format_vn_number(whole)},
                    code="sexes_sum",
                    params={"sum": format_vn_number(sum(parts)), "total": format_vn_number(whole)},
                )
            )
    return issues


def check_task_spending(status: str, amounts: Iterable[Decimal | None]) -> str | None:
    """A task reported "not started" with money spent on it: one of the two is probably wrong (issue 14). A flag
    for a second look, not a refusal: money may be spent on preparing a task before it starts."""
    spent = sum((a for a in amounts if a is not None), Decimal(0))
    if status == "not_started" and spent > 0:
        return _(
            "Nhiệm vụ ghi “Chưa triển khai” nhưng đã chi %(amount)s triệu đồng: hãy kiểm tra lại tình trạng hoặc "
            "số tiền, và ghi rõ trong kết quả thực hiện."
        ) % {"amount": format_vn_number(spent)}
    return None
