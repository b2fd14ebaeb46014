"""Figures by age group, ethnicity and area (issue 16) in DHIS2 files: codes, the level a file carries, totals.

A cell is (sex, combination), the combination as plans/categories.py keys it (``"age=0-4;ethnicity=dtts"``,
``""`` the total). In dataValueSets a cell is one category option combination (COC): the mapping's total,
female and male for the combination ``""``; a row of `Dhis2CategoryOptionCombo`, or else the **default code**
built from the members, for a part. In ADX a part travels as the profile carries it, one attribute per category
(``sex="F" ageGroup="0-4" ethnicity="dtts"``), names and values mapped through `Dhis2Attribute` and
`Dhis2CategoryOption` or known by default. docs/dhis2.md says what each becomes.

DHIS2 gives a data element one category combination and derives every total by adding its options, so a file
carries each element at one level only, the finest one entered (`export_level`); a total left out must be what
the parts add up to, and the import derives it back (`derive_totals`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from binhdang.plans.categories import (
    AGE,
    AREA,
    AREAS,
    CATEGORY_ORDER,
    ETHNICITIES,
    ETHNICITY,
    CategoryError,
    categories_of,
    combo_key,
    combo_label,
    combos_for,
    combos_tile,
    ethnicity_of_group,
    parse_age_group,
    parse_combo,
)
from binhdang.plans.models import Measure
from binhdang.reporting.checks import cell_label

from .dhis2 import format_value
from .models import Dhis2Attribute, Dhis2CategoryOption, Dhis2CategoryOptionCombo, Dhis2Mapping

Cell = tuple[str, str]  # (sex, combo)
FEMALE, MALE, TOTAL = "female", "male", "total"
SEX_LETTERS = {FEMALE: "F", MALE: "M", TOTAL: "T"}

# ADX attribute names known without a row of Dhis2Attribute (any case); the first of each is what we write.
ADX_NAMES = {AGE: "ageGroup", ETHNICITY: "ethnicity", AREA: "area"}
# in messages, translated when a message is built
WORDS = {AGE: gettext_lazy("nhóm tuổi"), ETHNICITY: gettext_lazy("dân tộc"), AREA: gettext_lazy("thành thị/nông thôn")}
DEFAULT_ATTRIBUTES = {"agegroup": AGE, "age": AGE, "ethnicity": ETHNICITY, "area": AREA}

# Age group spellings read without a row of Dhis2CategoryOption, any case, after an optional "AGE"/"Y" prefix and
# an optional unit ("y", "yrs", "years"): our codes ("0-4", "60+"), "under5"/"<5" (0 to 4), "5andOver"/"5plus"/
# ">=5" (5 and over). Nothing else is guessed: "over5" could mean 5 or 6 and over.
_AGE_PREFIX = re.compile(r"^(?:age|years|y)\s*(?=[\d<>u])", re.IGNORECASE)
_AGE_UNIT = r"\s*(?:y|yr|yrs|years)?"
_UNDER = re.compile(rf"^(?:under|<|lt)\s*(\d{{1,3}}){_AGE_UNIT}$", re.IGNORECASE)
_AND_OVER = re.compile(rf"^(\d{{1,3}}){_AGE_UNIT}\s*(?:\+|plus|andover|andolder|andabove|ormore)$", re.IGNORECASE)
_AT_LEAST = re.compile(rf"^(?:>=|ge)\s*(\d{{1,3}}){_AGE_UNIT}$", re.IGNORECASE)
_RANGE = re.compile(rf"^(\d{{1,3}})\s*-\s*(\d{{1,3}}){_AGE_UNIT}$", re.IGNORECASE)


def default_age(text: str) -> str | None:
    """Our age group code for a default spelling (see above), or None."""
    body = _AGE_PREFIX.sub("", text.strip())
    if match := _UNDER.match(body):
        upper = int(match.group(1))
        return f"0-{upper - 1}" if upper > 0 else None
    if match := _AND_OVER.match(body) or _AT_LEAST.match(body):
        return f"{int(match.group(1))}+"
    if match := _RANGE.match(body):
        try:
            return parse_age_group(f"{int(match.group(1))}-{int(match.group(2))}").code
        except CategoryError:
            return None
    return None


# --- the default code of a category option combination ---------------------------------------------------------


def default_coc(sex: str, combo: str) -> str:
    """The code a part travels under when no Dhis2CategoryOptionCombo names it: the sex's letter, then the members
    in key order, upper case, joined by "_": ``F_0-4_DTTS_RURAL``, ``T_15+_KINH``. Members of different categories
    never look alike (age groups start with a digit), so the code reads back without the categories' names."""
    members = [member.upper() for _category, member in (p.split("=") for p in combo.split(";"))]
    return "_".join([SEX_LETTERS[sex], *members])


def parse_default_coc(text: str) -> Cell | None:
    """(sex, combo) of a default code, or None when the text is not one."""
    letter, *members = text.strip().split("_")
    sex = next((s for s, code in SEX_LETTERS.items() if code == letter.upper()), None)
    if sex is None or not members:
        return None
    parts: dict[str, str] = {}
    for member in members:
        low = member.lower()
        category = ETHNICITY if low in ETHNICITIES else AREA if low in AREAS else AGE
        if category in parts:
            return None
        parts[category] = low
    try:
        return sex, combo_key(parts)
    except CategoryError:
        return None


@dataclass
class Codes:
    """The mapping tables of categories, read once per import or export."""

    attributes: dict[str, str]  # ADX attribute name, lower case → category
    options: dict[tuple[str, str], str]  # (category, value lower case) → member
    cocs: dict[tuple[int, str], Cell]  # (mapping id, coc) → cell, parts only
    coc_of_cell: dict[tuple[int, Cell], str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Codes:
        cocs = {(r.mapping_id, r.coc): (r.sex, r.combo) for r in Dhis2CategoryOptionCombo.objects.all()}
        return cls(
            attributes={
                **DEFAULT_ATTRIBUTES,
                **{name.lower(): category for name, category in Dhis2Attribute.objects.values_list("name", "category")},
            },
            options={
                (c, code.strip().lower()): m
                for c, code, m in Dhis2CategoryOption.objects.values_list("category", "code", "member")
            },
            cocs=cocs,
            coc_of_cell={(mapping_id, cell): coc for (mapping_id, coc), cell in cocs.items()},
        )

    def coc(self, mapping: Dhis2Mapping, sex: str, combo: str) -> str | None:
        """The COC a cell is written under: the mapping's total, female or male, else the table, else the
        default code; None when the mapping leaves that sex out."""
        if not combo:
            return mapping.combos().get(sex)
        return self.coc_of_cell.get((mapping.pk, (sex, combo))) or default_coc(sex, combo)

    def cell_of_coc(self, mapping: Dhis2Mapping, coc: str) -> Cell | None:
        sex = next((s for s, c in mapping.combos().items() if c == coc), None)
        if sex is not None:
            return sex, ""
        return self.cocs.get((mapping.pk, coc)) or parse_default_coc(coc)

    def member(self, category: str, text: str) -> tuple[str, str] | None:
        """(member, ethnic group code or "") for an attribute value; None when it is not one we know."""
        low = text.strip().lower()
        if (category, low) in self.options:
            return self.options[(category, low)], ""
        if category == AGE:
            code = default_age(low)
            return (code, "") if code else None
        if category == ETHNICITY:
            if low in ETHNICITIES:
                return low, ""
            try:
                return ethnicity_of_group(low), low.zfill(2)
            except CategoryError:
                return None
        return (low, "") if low in AREAS else None


# --- reading a value's attributes ----------------------------------------------------------------------------


@dataclass
class Attributes:
    """A value's disaggregation attributes read: its categories' members and the ethnic group code, if any."""

    parts: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # category → "name=value" as the file wrote it
    group: str = ""


def read_attributes(
    attributes: Iterable[tuple[str, str]], codes: Codes, element: str, where: str, problem: Callable[[str, str], None]
) -> Attributes | None:
    """The attributes against the tables alone (no indicator yet): an unknown name or value, or a category given
    twice, is refused by name, naming the element and the value; None when any was."""
    read = Attributes()
    ok = True
    for name, value in attributes:
        category = codes.attributes.get(name.lower())
        if category is None:
            known = ", ".join(sorted({ADX_NAMES[c] for c in CATEGORY_ORDER}))
            problem(
                f"{where}@{name}",
                gettext(
                    "phân tổ %(name)s=%(value)s của dataElement %(element)s không có trong bảng ánh xạ thuộc tính ADX"
                    " (nhận: sex, %(known)s); không nhận để khỏi ghi nhầm vào số tổng"
                )
                % {"name": name, "value": repr(value), "element": repr(element), "known": known},
            )
            ok = False
            continue
        if category in read.parts:
            message = gettext("dataElement %(element)s: phân tổ %(category)s ghi hai lần (%(value)s)")
            problem(
                f"{where}@{name}",
                message % {"element": repr(element), "category": WORDS[category], "value": repr(value)},
            )
            ok = False
            continue
        found = codes.member(category, value)
        if found is None:
            problem(
                f"{where}@{name}",
                gettext(
                    "dataElement %(element)s: %(name)s=%(value)s không phải một nhóm %(category)s đã biết"
                    " (thêm vào bảng ánh xạ nhóm phân tổ DHIS2 nếu đúng)"
                )
                % {"element": repr(element), "name": name, "value": repr(value), "category": WORDS[category]},
            )
            ok = False
            continue
        read.parts[category], group = found
        read.written[category] = f"{name}={value!r}"
        read.group = read.group or group
    return read if ok else None


def declared_problem(indicator: Any, element: str, read: Attributes) -> tuple[str, str] | None:
    """(category, message) when the members are not a combination the indicator is reported by: a category it
    does not declare, a member (age group) it does not list, or a combination that is not full."""
    declared = categories_of(indicator)
    for category, member in read.parts.items():
        if category not in declared:
            return category, gettext(
                "chỉ tiêu %(indicator)s không phân tổ theo %(category)s: %(written)s"
                " của dataElement %(element)s không có ô để ghi"
            ) % {
                "indicator": indicator.key,
                "category": WORDS[category],
                "written": read.written[category],
                "element": repr(element),
            }
        if member not in declared[category]:
            return category, gettext(
                "%(written)s của dataElement %(element)s (%(member)s) không thuộc các nhóm của chỉ tiêu"
                " %(indicator)s (%(groups)s)"
            ) % {
                "written": read.written[category],
                "element": repr(element),
                "member": member,
                "indicator": indicator.key,
                "groups": ", ".join(declared[category]),
            }
    combo = combo_key(read.parts)
    if combo and combo not in combos_for(indicator):
        missing = ", ".join(str(WORDS[c]) for c in declared if c not in read.parts)
        return "", gettext(
            "dataElement %(element)s (%(written)s): chỉ tiêu %(indicator)s chỉ lưu tổ hợp"
            " đủ các phân tổ; thiếu %(missing)s"
        ) % {
            "element": repr(element),
            "written": ", ".join(read.written.values()),
            "indicator": indicator.key,
            "missing": missing,
        }
    return None


# --- export: the level an element travels at -----------------------------------------------------------------

FIELDS = ("value", "numerator", "denominator")
Amounts = Mapping[str, Decimal | None]


def export_level(mapping: Dhis2Mapping, cells: Mapping[Cell, Amounts]) -> tuple[list[Cell], list[tuple[str, str]]]:
    """The cells of one element (indicator, unit, period) that go in the file, and what stops the export.

    One level per element, the finest entered: female and male when mapped and entered (else the total), and the
    parts when the indicator has them, `export_parts` is on and a part of the chosen sexes is entered (else the
    combination ""). Every entered cell left out must be what DHIS2 will derive by adding the cells under it:
    each summable field equal to their sum, with all of them present; a rate's or a yes/no's value (which does
    not add up), or parts that do not cover the total (age groups with a gap), cannot be left out: refused with
    the cell named. A sex the mapping leaves out (no female COC), or parts with `export_parts` off, are not
    exchanged at all, as before issue 16."""
    indicator = mapping.indicator
    declared = combos_for(indicator)
    parts = [c for c in declared if c] if mapping.export_parts else []
    sex_cocs = mapping.combos()
    present = {cell: amounts for cell, amounts in cells.items() if cell[1] in declared}
    split = [s for s in (FEMALE, MALE) if s in sex_cocs and any(cell[0] == s for cell in present)]
    sexes = split or [TOTAL]
    combos = parts if parts and any(cell[0] in sexes and cell[1] in parts for cell in present) else [""]
    level = [(s, c) for s in sexes for c in combos if (s, c) in present]
    problems: list[tuple[str, str]] = []
    tiles = combos_tile(indicator)
    for (sex, combo), amounts in present.items():
        if (sex, combo) in level or (sex != TOTAL and sex not in sexes) or (combo and not parts):
            continue
        name = "" if (sex, combo) == (TOTAL, "") else cell_label(sex, combo)
        if combo and combos == [""]:
            problems.append(
                (
                    name,
                    gettext(
                        "ô này không xuất được: tệp DHIS2 giữ mỗi dataElement ở một mức phân tổ, ở đây theo nữ/nam"
                        " không theo nhóm; nhập nữ và nam của từng nhóm, hoặc tắt xuất các phân tổ"
                    ),
                )
            )
            continue
        under_sexes = [sex] if sex != TOTAL else sexes
        under_combos = [combo] if combo else combos
        whole = (sex != TOTAL or sexes in ([FEMALE, MALE], [TOTAL])) and (combo or combos == [""] or tiles)
        for field_name in mapping.elements():
            total = amounts.get(field_name)
            if total is None:
                continue
            label = f"{field_name} ({name})" if name else field_name
            if field_name == "value" and indicator.measure != Measure.COUNT:
                problems.append(
                    (
                        label,
                        gettext(
                            "số %(total)s của chỉ tiêu không cộng được (tỷ lệ, có/không) không suy ra được từ các ô"
                            " DHIS2 giữ: ánh xạ tử số và mẫu số, hoặc bỏ ánh xạ nữ/nam, hoặc tắt xuất các phân tổ"
                        )
                        % {"total": format_value(total)},
                    )
                )
                continue
            pieces = [present.get((s, c), {}).get(field_name) for s in under_sexes for c in under_combos]
            numbers = [p for p in pieces if p is not None]
            if not whole and combo == "" and combos != [""]:
                problems.append(
                    (
                        label,
                        gettext(
                            "có tổng %(total)s nhưng các nhóm không phủ kín số tổng (%(combos)s):"
                            " DHIS2 sẽ cộng sai; tắt xuất các phân tổ của chỉ tiêu này"
                        )
                        % {"total": format_value(total), "combos": ", ".join(combos)},
                    )
                )
            elif not whole or len(numbers) < len(pieces):
                if combo or combos == [""]:
                    message = gettext("có tổng %(total)s nhưng thiếu số của nữ hoặc nam")
                else:
                    message = gettext("có tổng %(total)s nhưng thiếu số của một số nhóm")
                problems.append((label, message % {"total": format_value(total)}))
            elif total != sum(numbers):
                shown = " + ".join(format_value(n) for n in numbers)
                if len(numbers) == 2 and under_sexes == [FEMALE, MALE]:
                    message = gettext("tổng %(total)s khác nữ + nam (%(shown)s)")
                else:
                    message = gettext("tổng %(total)s khác tổng các ô (%(shown)s)")
                problems.append((label, message % {"total": format_value(total), "shown": shown}))
    return level, problems


def attributes_of(combo: str) -> tuple[tuple[str, str], ...]:
    """The ADX attributes of a part, with our names and codes: (("ageGroup", "0-4"), ("ethnicity", "dtts"))."""
    parts = parse_combo(combo)
    return tuple((ADX_NAMES[c], parts[c]) for c in CATEGORY_ORDER if c in parts)


# --- import: totals derived from their parts -----------------------------------------------------------------


def derive_totals(
    indicator: Any,
    cells: dict[Cell, dict[str, Decimal]],
    where: dict[tuple[Cell, str], str],
    problem: Callable[[str, str], None],
) -> None:
    """DHIS2 keeps the finest cells and derives the rest (the export leaves them out for that reason): a
    summable field given for every cell under a coarser one gives it here — female + male, and the parts when
    they cover the total — and a value also given must agree, else it is refused naming both rows."""
    parts = [c for c in combos_for(indicator) if c]
    tiles = combos_tile(indicator)
    summable = [f for f in FIELDS if f != "value" or indicator.measure == Measure.COUNT]
    steps: list[tuple[Cell, list[Cell]]] = [((TOTAL, c), [(FEMALE, c), (MALE, c)]) for c in parts]
    if tiles:
        steps += [((s, ""), [(s, c) for c in parts]) for s in (FEMALE, MALE, TOTAL)]
    steps.append(((TOTAL, ""), [(FEMALE, ""), (MALE, "")]))
    for target, under in steps:
        for field_name in summable:
            numbers = [cells.get(cell, {}).get(field_name) for cell in under]
            if any(n is None for n in numbers):
                continue
            derived = sum((n for n in numbers if n is not None), Decimal(0))
            first = where[(under[0], field_name)]
            given = cells.get(target, {}).get(field_name)
            if given is None:
                cells.setdefault(target, {})[field_name] = derived
                where[(target, field_name)] = first
            elif given != derived:
                by_sex = not target[1] and not under[0][1]  # female + male of the total
                if target[1]:
                    names = " + ".join(cell_label(*cell) for cell in under)
                else:
                    names = gettext("nữ + nam") if by_sex else gettext("các nhóm")
                shown = " + ".join(format_value(n) for n in numbers if n is not None)
                label = f"{indicator.key}, {cell_label(*target)}" if target[1] else indicator.key
                words = {"total": format_value(given), "shown": shown, "first": first}
                if target == (TOTAL, "") and by_sex:
                    message = gettext("tổng %(total)s khác nữ + nam (%(shown)s, %(first)s)") % words
                else:
                    message = gettext("%(label)s: %(total)s khác %(names)s (%(shown)s, %(first)s)") % {
                        **words,
                        "label": label,
                        "names": names,
                    }
                problem(where[(target, field_name)], message)


def describe(cell: Cell) -> str:
    """A cell for a message: "giới tính" as before issue 16, and the combination after it for a part."""
    if cell[1]:
        return gettext("giới tính, %(combo)s") % {"combo": combo_label(cell[1])}
    return gettext("giới tính")
