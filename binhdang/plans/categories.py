"""Categories an indicator's figures are broken down by, besides sex, and their combinations (issue 16).

Why as data: a figure such as "women aged 15–24 of ethnic minorities in rural areas" must be entered, stored,
checked and summed under one stable key. The key of a combination is a canonical string in a fixed category
order, ``"age=15-24;ethnicity=dtts;area=rural"``; ``""`` is the figure over all (every value reported before
issue 16). Sex stays a column of its own (reporting.Value.sex), so a combination names the other categories.

- Age groups are codes ``"lo-hi"`` (both ends included, in whole years) or ``"lo+"`` (and over); each
  indicator lists its own (``Indicator.age_groups``); groups of one indicator must not overlap.
- Ethnicity is entered as ``kinh`` / ``dtts`` (dân tộc thiểu số); the 54 groups of the official list are in
  data/ethnic_groups.csv, and a group code maps to one of the two (01 Kinh, the others minorities).
- Area is ``urban`` / ``rural`` (thành thị / nông thôn).

See docs/disaggregation.md for the decisions.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

AGE, ETHNICITY, AREA = "age", "ethnicity", "area"
# The fixed order of categories in a combination's key (and of a grid's columns of labels).
CATEGORY_ORDER = (AGE, ETHNICITY, AREA)
KINH, DTTS = "kinh", "dtts"
ETHNICITIES = (KINH, DTTS)
URBAN, RURAL = "urban", "rural"
AREAS = (URBAN, RURAL)
KINH_CODE = "01"  # the Kinh group's code in the official list

_AGE_CODE = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|(\+))$")
ETHNIC_GROUPS_FILE = Path(__file__).parent / "data" / "ethnic_groups.csv"


class CategoryError(ValueError):
    """A category, age group, ethnicity code or combination that cannot be used; the message says which."""


@dataclass(frozen=True, order=True)
class AgeGroup:
    lo: int
    hi: int | None  # None: "and over"
    code: str

    def overlaps(self, other: AgeGroup) -> bool:
        self_hi = self.hi if self.hi is not None else 10**6
        other_hi = other.hi if other.hi is not None else 10**6
        return self.lo <= other_hi and other.lo <= self_hi


def parse_age_group(code: str) -> AgeGroup:
    """``"15-24"`` → 15..24, ``"60+"`` → 60 and over; anything else is refused by name."""
    match = _AGE_CODE.match((code or "").strip())
    if match is None:
        raise CategoryError(_("Nhóm tuổi “%(code)s” không hợp lệ: viết như 15-24 hoặc 60+.") % {"code": code})
    lo = int(match.group(1))
    if match.group(3):
        return AgeGroup(lo, None, f"{lo}+")
    hi = int(match.group(2))
    if hi < lo:
        raise CategoryError(_("Nhóm tuổi “%(code)s”: tuổi cuối nhỏ hơn tuổi đầu.") % {"code": code})
    return AgeGroup(lo, hi, f"{lo}-{hi}")


def age_label(code: str) -> str:
    """The group in words: "dưới 5 tuổi", "15–24 tuổi", "60 tuổi trở lên"."""
    group = parse_age_group(code)
    if group.hi is None:
        return _("%(lo)s tuổi trở lên") % {"lo": group.lo}
    if group.lo == 0:
        return _("dưới %(n)s tuổi") % {"n": group.hi + 1}
    return _("%(lo)s–%(hi)s tuổi") % {"lo": group.lo, "hi": group.hi}


def age_group_problems(codes: Iterable[str]) -> list[str]:
    """What is wrong with one indicator's list of age groups: bad codes, repeats, overlapping groups (named)."""
    problems: list[str] = []
    groups: list[AgeGroup] = []
    for code in codes:
        try:
            group = parse_age_group(code)
        except CategoryError as error:
            problems.append(str(error))
            continue
        for earlier in groups:
            if earlier.overlaps(group):
                problems.append(
                    _("Nhóm tuổi “%(a)s” và “%(b)s” trùng nhau: một người không được tính ở hai nhóm.")
                    % {"a": earlier.code, "b": group.code}
                )
        groups.append(group)
    return problems


def age_groups_tile(codes: Iterable[str]) -> bool:
    """The groups cover every age exactly once (0 to some age, then "and over"): their parts add up to the total."""
    try:
        groups = sorted(parse_age_group(c) for c in codes)
    except CategoryError:
        return False
    if not groups or groups[0].lo != 0 or groups[-1].hi is not None:
        return False
    return all(a.hi is not None and a.hi + 1 == b.lo for a, b in itertools.pairwise(groups))


# The groups plans ask for most often (national strategy targets, gender statistics indicators), offered when an
# indicator's groups are chosen. Not one list to tile: "15+" is a group of its own.
USUAL_AGE_GROUPS = ("0-4", "5-14", "15-24", "25-59", "60+", "15+", "0-15", "16-59")


@functools.cache
def ethnic_groups() -> dict[str, str]:
    """The 54 groups of the official list, code ("01"–"54") → name (data/ethnic_groups.csv)."""
    with ETHNIC_GROUPS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["code"].strip(): row["name"].strip() for row in rows}


def ethnicity_of_group(code: str) -> str:
    """``kinh`` or ``dtts`` for a group code of the official list ("1" and "01" alike); an unknown code is
    refused by name. Lossless for a figure of one group; summing several groups into ``dtts`` is the caller's."""
    text = (code or "").strip()
    normalised = text.zfill(2) if text.isdigit() else text
    if normalised not in ethnic_groups():
        raise CategoryError(_("Mã dân tộc “%(code)s” không có trong danh mục 54 dân tộc.") % {"code": code})
    return KINH if normalised == KINH_CODE else DTTS


def ethnicity_label(code: str) -> str:
    return {KINH: _("dân tộc Kinh"), DTTS: _("dân tộc thiểu số")}[code]


def area_label(code: str) -> str:
    return {URBAN: _("thành thị"), RURAL: _("nông thôn")}[code]


def _check_member(category: str, member: str) -> str:
    if category == AGE:
        return parse_age_group(member).code
    if category == ETHNICITY and member in ETHNICITIES:
        return member
    if category == AREA and member in AREAS:
        return member
    raise CategoryError(
        _("“%(member)s” không phải một nhóm của “%(category)s”.") % {"member": member, "category": category}
    )


def combo_key(parts: Mapping[str, str]) -> str:
    """The canonical key of a combination: categories in CATEGORY_ORDER, empty members left out; ``{}`` → ``""``."""
    unknown = set(parts) - set(CATEGORY_ORDER)
    if unknown:
        raise CategoryError(_("Không có phân tổ “%(name)s”.") % {"name": ", ".join(sorted(unknown))})
    return ";".join(f"{c}={_check_member(c, parts[c])}" for c in CATEGORY_ORDER if parts.get(c))


def parse_combo(text: str) -> dict[str, str]:
    """The categories of a key (``""`` → ``{}``); a repeated or unknown category or member is refused."""
    parts: dict[str, str] = {}
    if not text:
        return parts
    for item in text.split(";"):
        category, sep, member = item.partition("=")
        if not sep or not member:
            raise CategoryError(_("Tổ hợp phân tổ “%(text)s” không hợp lệ.") % {"text": text})
        if category in parts:
            raise CategoryError(_("Phân tổ “%(name)s” lặp lại trong “%(text)s”.") % {"name": category, "text": text})
        parts[category] = member
    combo_key(parts)  # validates every category and member
    return parts


def combo_label(combo: str) -> str:
    """The combination in words, in key order: "15–24 tuổi, dân tộc thiểu số, nông thôn"; "" for the total."""
    parts = parse_combo(combo)
    labels = {AGE: age_label, ETHNICITY: ethnicity_label, AREA: area_label}
    return ", ".join(labels[c](parts[c]) for c in CATEGORY_ORDER if c in parts)


def categories_of(indicator: Any) -> dict[str, list[str]]:
    """The non-sex categories an indicator declares, with their members, in CATEGORY_ORDER. Age counts only with
    groups listed (``age_groups``): a declared "age" without groups has nothing to enter yet."""
    declared = set(indicator.disaggregations or [])
    result: dict[str, list[str]] = {}
    if AGE in declared and indicator.age_groups:
        result[AGE] = [parse_age_group(c).code for c in indicator.age_groups]
    if ETHNICITY in declared:
        result[ETHNICITY] = list(ETHNICITIES)
    if AREA in declared:
        result[AREA] = list(AREAS)
    return result


def combos_for(indicator: Any) -> list[str]:
    """Every combination an indicator is reported by: ``""`` (the total) then the cartesian product of its declared
    non-sex categories (one member of each), in key order."""
    categories = categories_of(indicator)
    if not categories:
        return [""]
    names = list(categories)
    return [""] + [
        combo_key(dict(zip(names, members, strict=True))) for members in itertools.product(*categories.values())
    ]


def combos_tile(indicator: Any) -> bool:
    """The indicator's combinations cover the total exactly once (every category exhaustive: ethnicity and area
    always, age when its groups tile all ages), so the parts must add up to it."""
    categories = categories_of(indicator)
    return bool(categories) and (AGE not in categories or age_groups_tile(categories[AGE]))
