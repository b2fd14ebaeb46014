"""Reading a combination (age group, ethnicity, area: issue 16) from the cells of an uploaded file, one cell per
category, the same for the workbook's "Phân tổ" sheet and the CSV's ``age_group``, ``ethnicity``, ``area``
columns. A cell may hold the code (``15-24``, ``dtts``, ``rural``) or the words the workbook writes ("15–24
tuổi", "dân tộc thiểu số", "nông thôn"); an ethnicity may also be one of the 54 groups of the official list, by
code (``01``–``54``) or name, which maps to ``kinh`` or ``dtts`` (plans.categories.ethnicity_of_group).

Every refusal is a ``CategoryProblem`` naming the category, in Vietnamese and English; the caller puts it at
its cell. Only full combinations of the indicator's declared categories are accepted (docs/disaggregation.md:
margins are derived, never typed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

from binhdang.plans.categories import (
    AGE,
    AREA,
    AREAS,
    CATEGORY_ORDER,
    DTTS,
    ETHNICITIES,
    ETHNICITY,
    KINH,
    CategoryError,
    age_label,
    area_label,
    categories_of,
    combo_key,
    ethnic_groups,
    ethnicity_label,
    ethnicity_of_group,
    parse_age_group,
)
from binhdang.plans.models import Indicator

from ..checks import cell_label
from .cells import fold, shown, text_of

# What each category is called in messages.
CATEGORY_WORDS = {AGE: ("nhóm tuổi", "age group"), ETHNICITY: ("dân tộc", "ethnicity"), AREA: ("khu vực", "area")}


class CategoryProblem(Exception):
    def __init__(self, category: str, vi: str, en: str) -> None:
        super().__init__(vi)
        self.category, self.vi, self.en = category, vi, en


@dataclass(frozen=True)
class Member:
    """What one category cell said: the member (``"15-24"``, ``"dtts"``, ``"rural"``) and, for an ethnicity given
    as one of the 54 groups, that group's code (``"05"``), so that several groups of one cell can be summed."""

    code: str
    group: str = ""


def _words(labels: dict[str, str]) -> dict[str, str]:
    return {fold(label): code for code, label in labels.items()} | {fold(code): code for code in labels}


def _vi(function: Any, code: str) -> str:
    with translation.override("vi"):
        return str(function(code))


def _age(text: str, raw: Any) -> Member:
    try:
        return Member(parse_age_group(text.replace("–", "-").replace(" ", "")).code)
    except CategoryError:
        pass
    # The words the workbook writes ("15–24 tuổi", "dưới 5 tuổi", "60 tuổi trở lên"), for the usual shapes.
    folded = fold(text).removesuffix("tuổi").strip()
    if folded.startswith("dưới ") and folded[5:].strip().isdigit():
        upper = int(folded[5:].strip())
        if upper > 0:
            return Member(f"0-{upper - 1}")
    if folded.endswith("tuổi trở lên") and folded.split()[0].isdigit():
        return Member(f"{int(folded.split()[0])}+")
    try:
        return Member(parse_age_group(folded.replace("–", "-").replace(" ", "")).code)
    except CategoryError:
        raise CategoryProblem(
            AGE,
            f"nhóm tuổi không hợp lệ ({shown(raw)}); viết như 15-24 hoặc 60+",
            f"invalid age group ({shown(raw)}); write e.g. 15-24 or 60+",
        ) from None


def _ethnicity(text: str, raw: Any) -> Member:
    words = _words({code: _vi(ethnicity_label, code) for code in ETHNICITIES})
    words.update({"dân tộc thiểu số": DTTS, "thiểu số": DTTS, "kinh": KINH})
    found = words.get(fold(text))
    if found is not None:
        return Member(found)
    groups = ethnic_groups()
    by_name = {fold(name): code for code, name in groups.items()}
    code = by_name.get(fold(text)) or text
    try:
        member = ethnicity_of_group(code)
    except CategoryError:
        raise CategoryProblem(
            ETHNICITY,
            f"dân tộc không có trong danh mục ({shown(raw)}); ghi kinh, dtts hoặc mã dân tộc 01–54",
            f"unknown ethnicity ({shown(raw)}); write kinh, dtts or an ethnic group code 01–54",
        ) from None
    group = code.strip().zfill(2)
    return Member(member, group if member == DTTS else "")


def _area(text: str, raw: Any) -> Member:
    found = _words({code: _vi(area_label, code) for code in AREAS}).get(fold(text))
    if found is None:
        raise CategoryProblem(
            AREA,
            f"khu vực không hợp lệ ({shown(raw)}); ghi thành thị (urban) hoặc nông thôn (rural)",
            f"invalid area ({shown(raw)}); write urban (thành thị) or rural (nông thôn)",
        )
    return Member(found)


_READERS = {AGE: _age, ETHNICITY: _ethnicity, AREA: _area}


def member_of(category: str, raw: Any) -> Member | None:
    """One category cell: None when empty, else its member; an unknown code or word is refused by name."""
    text = text_of(raw)
    if not text:
        return None
    return _READERS[category](text, raw)


def member_words(category: str, code: str) -> str:
    """A member in the workbook's words ("15–24 tuổi", "dân tộc thiểu số", "nông thôn")."""
    labels = {AGE: age_label, ETHNICITY: ethnicity_label, AREA: area_label}
    return _vi(labels[category], code)


def vi_cell_label(sex: str, combo: str) -> str:
    """A cell in the checks' words, in Vietnamese whatever the request's language: for the Vietnamese half of a
    message (its English half names the codes)."""
    with translation.override("vi"):
        return cell_label(sex, combo)


def combo_of(indicator: Indicator, members: dict[str, Member | None]) -> str:
    """The combination a row names, checked against the indicator's declared categories: every declared one
    given (a full combination), no other, and an age group among the indicator's own. All empty is the total
    (``""``): the caller decides whether a total belongs where the row is."""
    declared = categories_of(indicator)
    given = {c: m for c, m in members.items() if m is not None}
    if not given:
        return ""
    for category in CATEGORY_ORDER:
        vi_word, en_word = CATEGORY_WORDS[category]
        member = given.get(category)
        if member is not None and category not in declared:
            raise CategoryProblem(
                category,
                f"chỉ tiêu này không chia theo {vi_word}; để trống ô này",
                f"this indicator is not broken down by {en_word}; leave this cell empty",
            )
        if member is not None and member.code not in declared[category]:
            allowed = ", ".join(declared[category])
            raise CategoryProblem(
                category,
                f"chỉ tiêu này không có {vi_word} {member.code}; chỉ có: {allowed}",
                f"this indicator has no {en_word} {member.code}; it has: {allowed}",
            )
    for category in declared:
        if category not in given:
            vi_word, en_word = CATEGORY_WORDS[category]
            names_vi = " × ".join(CATEGORY_WORDS[c][0] for c in declared)
            names_en = " × ".join(CATEGORY_WORDS[c][1] for c in declared)
            raise CategoryProblem(
                category,
                f"thiếu {vi_word}: chỉ tiêu này báo cáo theo {names_vi}, mỗi ô một nhóm đầy đủ "
                "(số của một nhóm lớn hơn được hệ thống tự cộng)",
                f"the {en_word} is missing: this indicator is reported by {names_en}, each cell one full group "
                "(larger groups are summed by the system)",
            )
    return combo_key({c: m.code for c, m in given.items()})
