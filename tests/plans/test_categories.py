"""Categories and their combinations as data (issue 16): age-group codes, the ethnic-group list, combination keys."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from binhdang.plans.categories import (
    CategoryError,
    age_group_problems,
    age_groups_tile,
    age_label,
    combo_key,
    combo_label,
    combos_for,
    combos_tile,
    ethnic_groups,
    ethnicity_of_group,
    parse_age_group,
    parse_combo,
)


def _indicator(disaggregations: list[str], age_groups: list[str] | None = None) -> SimpleNamespace:
    return SimpleNamespace(disaggregations=disaggregations, age_groups=age_groups or [])


def test_age_codes_parse_to_bounds() -> None:
    assert (parse_age_group("15-24").lo, parse_age_group("15-24").hi) == (15, 24)
    assert (parse_age_group("60+").lo, parse_age_group("60+").hi) == (60, None)
    assert parse_age_group(" 0-4 ").code == "0-4"
    for bad in ("15–24", "24-15", "abc", "15", "-4", "15-"):
        with pytest.raises(CategoryError):
            parse_age_group(bad)


def test_age_labels_read_as_vietnamese() -> None:
    assert age_label("0-4") == "dưới 5 tuổi"
    assert age_label("15-24") == "15–24 tuổi"
    assert age_label("60+") == "60 tuổi trở lên"


def test_overlapping_age_groups_are_refused_naming_both() -> None:
    problems = age_group_problems(["15-24", "15+"])
    assert len(problems) == 1
    assert "15-24" in problems[0] and "15+" in problems[0]
    assert age_group_problems(["0-4", "5-14", "15-24", "25-59", "60+"]) == []
    assert len(age_group_problems(["0-4", "0-4"])) == 1  # a repeat overlaps itself
    assert age_group_problems(["x"]) and "x" in age_group_problems(["x"])[0]


def test_age_groups_tile_only_when_they_cover_every_age_once() -> None:
    assert age_groups_tile(["60+", "0-14", "15-59"])  # any order
    assert not age_groups_tile(["15-24", "25-59", "60+"])  # nobody under 15
    assert not age_groups_tile(["0-14", "16-59", "60+"])  # age 15 missing
    assert not age_groups_tile(["0-14", "15-59"])  # nobody over 59


def test_the_official_list_has_54_groups_kinh_first() -> None:
    groups = ethnic_groups()
    assert len(groups) == 54
    assert list(groups) == [f"{n:02d}" for n in range(1, 55)]
    assert groups["01"] == "Kinh"
    assert len(set(groups.values())) == 54


def test_group_codes_map_to_kinh_or_minorities_and_unknown_codes_are_refused_by_name() -> None:
    assert ethnicity_of_group("01") == "kinh"
    assert ethnicity_of_group("1") == "kinh"
    assert ethnicity_of_group("02") == "dtts"
    assert ethnicity_of_group("54") == "dtts"
    with pytest.raises(CategoryError, match="55"):
        ethnicity_of_group("55")
    with pytest.raises(CategoryError, match="XY"):
        ethnicity_of_group("XY")


def test_combo_keys_are_canonical_and_parse_back() -> None:
    key = combo_key({"area": "rural", "ethnicity": "dtts", "age": "15-24"})
    assert key == "age=15-24;ethnicity=dtts;area=rural"
    assert parse_combo(key) == {"age": "15-24", "ethnicity": "dtts", "area": "rural"}
    assert combo_key({}) == "" and parse_combo("") == {}
    assert combo_key({"age": "", "area": "urban"}) == "area=urban"
    for bad in ("age=15-24;age=0-4", "sex=female", "ethnicity=hoa", "area", "age=15–24"):
        with pytest.raises(CategoryError):
            parse_combo(bad)
    with pytest.raises(CategoryError):
        combo_key({"religion": "x"})


def test_combo_labels() -> None:
    assert combo_label("age=15-24;ethnicity=dtts") == "15–24 tuổi, dân tộc thiểu số"
    assert combo_label("area=urban") == "thành thị"
    assert combo_label("") == ""


def test_combos_for_is_the_product_of_declared_categories_plus_the_total() -> None:
    assert combos_for(_indicator(["sex"])) == [""]
    assert combos_for(_indicator(["sex", "age"])) == [""]  # age declared, no groups listed yet
    both = combos_for(_indicator(["sex", "ethnicity", "age"], ["0-14", "15+"]))
    assert both == [
        "",
        "age=0-14;ethnicity=kinh",
        "age=0-14;ethnicity=dtts",
        "age=15+;ethnicity=kinh",
        "age=15+;ethnicity=dtts",
    ]
    assert len(combos_for(_indicator(["age", "ethnicity", "area"], ["0-4", "5-14", "15+"]))) == 1 + 3 * 2 * 2
    assert all(parse_combo(c) is not None for c in both)


def test_combos_tile_when_every_category_is_exhaustive() -> None:
    assert combos_tile(_indicator(["ethnicity", "area"]))
    assert combos_tile(_indicator(["age", "ethnicity"], ["0-14", "15+"]))
    assert not combos_tile(_indicator(["age", "ethnicity"], ["15-24", "60+"]))
    assert not combos_tile(_indicator(["sex"]))
