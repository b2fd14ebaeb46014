"""The CSV import's combination columns (issue 16): ``age_group``, ``ethnicity``, ``area``, empty for the total;
an ethnicity as kinh / dtts or one of the 54 groups' codes, several minority groups of one cell summed into its
dtts figure and said; every bad line refused with its line and column, nothing written. A file without the
columns imports as before (totals)."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from binhdang.plans.categories import combo_key
from binhdang.reporting.csv_import import csv_import
from binhdang.reporting.models import Value
from tests.reporting.test_combo_grid_xlsx import by_group, stored
from tests.reporting.test_spreadsheets import snapshot

pytestmark = pytest.mark.django_db
D = Decimal
OLD_HEADER = "report_id,indicator_id,sex,value,numerator,denominator,source,note\n"
HEADER = "report_id,indicator_id,sex,age_group,ethnicity,area,value,numerator,denominator,source,note\n"


@pytest.fixture
def w(cycle: SimpleNamespace) -> SimpleNamespace:
    return by_group(cycle)


def _refused(w: Any, data: str) -> list[str]:
    before = snapshot()
    result = csv_import(user=w.commune_user, data=data.encode(), report=w.a)
    assert not result.ok and not result.saved
    assert snapshot() == before
    return [e.english() for e in result.errors]


def _i1_lines(w: Any) -> str:
    """I1 (a rate by sex × age group × ethnicity): its totals, and each sex's four parts adding up to them."""
    a, i1 = w.a.pk, w.i1.pk
    lines = [f"{a},{i1},total,,,,,90,200,,", f"{a},{i1},female,,,,,45,100,,", f"{a},{i1},male,,,,,45,100,,"]
    parts = {
        ("0-14", "kinh"): {"total": (10, 20), "female": (5, 10), "male": (5, 10)},
        ("0-14", "dtts"): {"total": (20, 40), "female": (10, 20), "male": (10, 20)},
        ("15+", "kinh"): {"total": (25, 60), "female": (12, 30), "male": (13, 30)},
        ("15+", "dtts"): {"total": (35, 80), "female": (18, 40), "male": (17, 40)},
    }
    for (age, eth), cells in parts.items():
        lines += [f"{a},{i1},{sex},{age},{eth},,,{num},{den},," for sex, (num, den) in cells.items()]
    return "\n".join(lines) + "\n"


def test_parts_by_columns_are_stored_under_their_combination(w: Any) -> None:
    a, i2 = w.a.pk, w.i2.pk
    data = (
        HEADER + _i1_lines(w) + f"{a},{i2},total,,,,10,,,,\n{a},{i2},total,,kinh,,6,,,,\n{a},{i2},total,,dtts,,4,,,,\n"
    )
    result = csv_import(user=w.commune_user, data=data.encode(), report=w.a)
    assert result.ok, [e.english() for e in result.errors]
    values = stored(w.a)
    assert values[(w.i1.pk, "male", combo_key({"age": "15+", "ethnicity": "dtts"}))] == (None, D(17), D(40))
    assert values[(w.i1.pk, "female", combo_key({"age": "0-14", "ethnicity": "kinh"}))] == (None, D(5), D(10))
    assert values[(i2, "total", "ethnicity=kinh")] == (D(6), None, None)
    assert values[(i2, "total", "ethnicity=dtts")] == (D(4), None, None)
    assert len(values) == 3 + 12 + 3  # I1's three totals and twelve parts, I2's total and two parts


def test_a_file_without_the_columns_imports_as_totals(w: Any) -> None:
    data = OLD_HEADER + f"{w.a.pk},{w.i2.pk},total,12,,,,\n"
    result = csv_import(user=w.commune_user, data=data.encode(), report=w.a)
    assert result.ok, [e.english() for e in result.errors]
    assert stored(w.a) == {(w.i2.pk, "total", ""): (D(12), None, None)}


def test_ethnic_group_codes_map_to_kinh_and_several_minorities_are_summed_and_said(w: Any) -> None:
    a, i2 = w.a.pk, w.i2.pk
    data = (
        HEADER
        + f"{a},{i2},total,,,,20,,,,\n"
        + f"{a},{i2},total,,01,,8,,,,\n"  # Kinh
        + f"{a},{i2},total,,02,,5,,,Báo cáo xã,\n"  # Tày
        + f"{a},{i2},total,,3,,4,,,Báo cáo xã,\n"  # Thái, written without its leading zero
        + f"{a},{i2},total,,05,,3,,,Công an,\n"  # Khơ-me
    )
    result = csv_import(user=w.commune_user, data=data.encode(), report=w.a)
    assert result.ok, [e.english() for e in result.errors]
    values = {v.combo: (v.value, v.source) for v in Value.objects.filter(report=w.a, indicator_id=i2)}
    assert values == {
        "": (D(20), ""),
        "ethnicity=kinh": (D(8), ""),
        "ethnicity=dtts": (D(5 + 4 + 3), "Báo cáo xã; Công an"),
    }
    assert [x.english() for x in result.warnings] == [
        "line 4, column ethnicity: lines 4, 5, 6 (ethnic group codes 02, 03, 05) were summed into the "
        "cell 'total, ethnicity=dtts' of indicator " + f"{i2}: value 12.",
    ]


@pytest.mark.parametrize(
    ("line", "english"),
    [
        (
            "{a},{i2},total,,99,,4,,,,",
            "line 2, column ethnicity: unknown ethnicity ('99'); write kinh, dtts or an ethnic group code 01–54",
        ),
        (
            "{a},{i1},total,15-24,kinh,,,3,10,,",
            "line 2, column age_group: this indicator has no age group 15-24; it has: 0-14, 15+",
        ),
        (
            "{a},{i1},total,teen,kinh,,,3,10,,",
            "line 2, column age_group: invalid age group ('teen'); write e.g. 15-24 or 60+",
        ),
        (
            "{a},{i2},total,15+,kinh,,4,,,,",
            "line 2, column age_group: this indicator is not broken down by age group; leave this cell empty",
        ),
        (
            "{a},{i2},total,,kinh,rural,4,,,,",
            "line 2, column area: this indicator is not broken down by area; leave this cell empty",
        ),
        (
            "{a},{i2},total,,kinh,city,4,,,,",
            "line 2, column area: invalid area ('city'); write urban (thành thị) or rural (nông thôn)",
        ),
    ],
)
def test_a_bad_group_is_refused_by_line_and_column(w: Any, line: str, english: str) -> None:
    data = HEADER + line.format(a=w.a.pk, i1=w.i1.pk, i2=w.i2.pk) + "\n"
    assert _refused(w, data) == [english]


def test_a_margin_instead_of_a_full_combination_is_refused(w: Any) -> None:
    data = HEADER + f"{w.a.pk},{w.i1.pk},total,,dtts,,,3,10,,\n"  # I1 is by age group × ethnicity
    assert _refused(w, data) == [
        "line 2, column age_group: the age group is missing: this indicator is reported by age group × ethnicity, "
        "each cell one full group (larger groups are summed by the system)"
    ]


def test_parts_that_disagree_with_their_total_are_refused(w: Any) -> None:
    a, i2 = w.a.pk, w.i2.pk
    # Kinh and ethnic minorities cover the total exactly once: 6 + 5 is not 10.
    data = HEADER + f"{a},{i2},total,,,,10,,,,\n{a},{i2},total,,kinh,,6,,,,\n{a},{i2},total,,dtts,,5,,,,\n"
    assert _refused(w, data) == ["line 2, column value: Tổng: the groups add up to 11, not the total (10)."]
    # Only one part given, but larger than the total.
    data = HEADER + f"{a},{i2},total,,,,10,,,,\n{a},{i2},total,,dtts,,11,,,,\n"
    assert "line 3, column value: dân tộc thiểu số: larger than the total (10)." in _refused(w, data)


def test_the_same_cell_twice_is_refused_unless_it_sums_minority_groups(w: Any) -> None:
    a, i2 = w.a.pk, w.i2.pk
    assert _refused(w, HEADER + f"{a},{i2},total,,dtts,,2,,,,\n{a},{i2},total,,05,,3,,,,\n") == [
        "line 3, column indicator_id: duplicates line 2."
    ]
    assert _refused(w, HEADER + f"{a},{i2},total,,05,,2,,,,\n{a},{i2},total,,05,,3,,,,\n") == [
        "line 3, column indicator_id: duplicates line 2."
    ]
    assert _refused(w, HEADER + f"{a},{i2},total,,kinh,,2,,,,\n{a},{i2},total,,1,,3,,,,\n") == [
        "line 3, column indicator_id: duplicates line 2."
    ]


def test_a_sum_of_groups_with_a_missing_figure_is_refused(w: Any) -> None:
    a, i1 = w.a.pk, w.i1.pk
    data = HEADER + f"{a},{i1},total,15+,02,,,3,10,,\n{a},{i1},total,15+,07,,,4,,,\n"
    errors = _refused(w, data)
    assert errors[0] == (
        "line 3, column denominator: lines 2, 3 are summed into one cell (ethnic minorities) but not all of them "
        "give this column: the sum would be short."
    )


def test_the_command_line_says_it_in_english(w: Any, tmp_path: Any) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_text(HEADER + f"{w.a.pk},{w.i2.pk},total,,99,,4,,,,\n", encoding="utf-8")
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("report_import", str(path), user="xa_a", stderr=err)
    assert "error: line 2, column ethnicity: unknown ethnicity ('99')" in err.getvalue()
    assert snapshot() == before
