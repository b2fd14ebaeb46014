"""One indicator's figures for a unit broken down by one category (age group, ethnicity or area) and sex (issue 16).

Only full combinations are stored (docs/disaggregation.md): an indicator declared by age × ethnicity has
"age=15-24;ethnicity=dtts" and "age=15-24;ethnicity=kinh" in the summary of accepted values, never
"age=15-24" alone. ``Rollup(plan, combo=...)`` reads one stored combination; a group of one category (a
margin) is read here as the sum of the full combinations that hold it: their summary rows are added (values,
numerators, denominators, report counts) level by level and the result goes through the roll-up's own rule
(``figures_from``: the nearest level below the unit that reported, else the unit's own values; rates as summed
numerators over summed denominators). For an indicator declared by one category only, the margin is the full
combination itself, and the figure is exactly ``Rollup(plan, combo=...)``'s.

Queries: one, for the unit's summary rows of the one indicator (every combination at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from binhdang.plans.categories import (
    AGE,
    AREA,
    ETHNICITY,
    categories_of,
    combo_key,
    combo_label,
    combos_for,
    parse_combo,
)
from binhdang.plans.models import Indicator, Plan
from binhdang.reporting.models import AcceptedSum, Period, Sex

from .drilldown import PartRow
from .rollup import Figure, figures_from

# The categories a dashboard can break an indicator down by, in CATEGORY_ORDER, with the words of the chooser.
BY_CATEGORIES = (AGE, ETHNICITY, AREA)


def category_label(category: str) -> str:
    return {AGE: _("Nhóm tuổi"), ETHNICITY: _("Dân tộc"), AREA: _("Thành thị, nông thôn")}[category]


def breakdown_categories(indicator: Indicator) -> list[str]:
    """The categories the indicator is reported by (besides sex): those a person may break its figures down by."""
    return list(categories_of(indicator))


def margin_key(category: str, member: str) -> str:
    """The key of one group of one category ("age=15-24"), as a combination with only that category."""
    return combo_key({category: member})


def group_label(category: str, member: str) -> str:
    return combo_label(margin_key(category, member))


# The summed columns of a summary row, in the order figures_from reads them after rank and own.
_SUMS = ("value", "values", "numerator", "denominator", "reports", "fraction_reports")
_Sums = tuple[Decimal, int, Decimal, Decimal, int, int]
_NO_SUMS: _Sums = (Decimal(0), 0, Decimal(0), Decimal(0), 0, 0)


def margin_figures(
    plan: Plan,
    indicator: Indicator,
    unit_id: int,
    rank: int,
    category: str,
    rows: Iterable[PartRow] | None = None,
) -> dict[tuple[str, str, int], Figure]:
    """The unit's figure per (group of ``category``, sex, period), each group the sum of the indicator's full
    combinations that hold it. ``unit_id`` is a unit in force (its home, as for ``Rollup.figures``) and ``rank``
    its level rank. Combinations the indicator no longer declares are left out, as the form leaves them out."""
    members = categories_of(indicator).get(category)
    if not members:
        return {}
    declared = set(combos_for(indicator)) - {""}
    if rows is None:  # a unit in force: the summary kept at acceptance; a historic one passes its reports' rows
        rows = (
            AcceptedSum.objects.filter(plan=plan, indicator=indicator, unit_id=unit_id, reports__gt=0)
            .exclude(combo="")
            .values_list("combo", "sex", "period_id", "rank", "own", *_SUMS)
            .order_by()
        )
    # (member, sex, period) -> (rank, own) -> the summed columns
    summed: dict[tuple[str, str, int], dict[tuple[int, bool], _Sums]] = {}
    for combo, sex, period_id, row_rank, own, value, values, numerator, denominator, reports, fractions in rows:
        if combo not in declared:
            continue
        member = parse_combo(combo).get(category)
        if member is None:
            continue
        levels = summed.setdefault((member, sex, period_id), {})
        before = levels.get((row_rank, own), _NO_SUMS)
        levels[(row_rank, own)] = (
            before[0] + value,
            before[1] + values,
            before[2] + numerator,
            before[3] + denominator,
            before[4] + reports,
            before[5] + fractions,
        )
    result: dict[tuple[str, str, int], Figure] = {}
    indicators, scales = {indicator.pk: indicator}, {indicator.pk: indicator.scale}
    for member in members:
        keys = [k for k in summed if k[0] == member]
        if not keys:
            continue
        by_key = {
            (indicator.pk, sex, period_id): [(r, own, *sums) for (r, own), sums in summed[(m, sex, period_id)].items()]
            for m, sex, period_id in keys
        }
        # The highest rank that reported any of this group's figures, as the roll-up takes it per indicator.
        top = {indicator.pk: max(entry[0] for entries in by_key.values() for entry in entries)}
        for (_pk, sex, period_id), figure in figures_from(by_key, top, rank, indicators, scales).items():
            result[(member, sex, period_id)] = figure
    return result


@dataclass
class GroupRow:
    """One group's figures (or the whole's: ``member`` ""), per sex, in the breakdown's period."""

    member: str
    label: str
    figures: dict[str, Figure | None]

    def figure(self, sex: str) -> Decimal | None:
        found = self.figures.get(sex)
        return found.figure if found is not None else None

    @property
    def gap(self) -> Decimal | None:
        """Female minus male (percentage points for a rate): None unless both are known."""
        female, male = self.figure(Sex.FEMALE.value), self.figure(Sex.MALE.value)
        return female - male if female is not None and male is not None else None


@dataclass
class Breakdown:
    indicator: Indicator
    category: str
    period: Period | None  # the latest period with a figure for any group; None when no group has one
    sexes: list[str]  # total, then female and male when the indicator is reported by sex
    groups: list[GroupRow]
    whole: GroupRow  # the indicator's total (combination ""), as the rest of the page shows it

    @property
    def by_sex(self) -> bool:
        return Sex.FEMALE.value in self.sexes


def indicator_breakdown(
    plan: Plan,
    indicator: Indicator,
    unit_id: int,
    rank: int,
    category: str,
    periods: list[Period],
    totals: dict[tuple[int, str, int], Figure],
    rows: Iterable[PartRow] | None = None,
) -> Breakdown:
    """The unit's figures for each group of ``category`` and for the whole, in the latest period in which a group
    has a figure. ``periods`` are the plan's in order and ``totals`` the unit's figures over all combinations
    (``Rollup(plan).figures(unit_id, rank)``)."""
    members = categories_of(indicator).get(category, [])
    figures = margin_figures(plan, indicator, unit_id, rank, category, rows)
    with_data = {period_id for _member, _sex, period_id in figures}
    period = next((p for p in reversed(periods) if p.pk in with_data), None)
    sexes = [Sex.TOTAL.value]
    if "sex" in (indicator.disaggregations or []):
        sexes += [Sex.FEMALE.value, Sex.MALE.value]
    groups = [
        GroupRow(
            member,
            group_label(category, member),
            {s: figures.get((member, s, period.pk)) if period else None for s in sexes},
        )
        for member in members
    ]
    whole = GroupRow("", _("Toàn bộ"), {s: totals.get((indicator.pk, s, period.pk)) if period else None for s in sexes})
    return Breakdown(indicator, category, period, sexes, groups, whole)
