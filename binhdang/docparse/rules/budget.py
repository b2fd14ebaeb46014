"""Budget table: amounts by item × year × funding source, printed totals kept as printed, and their checks.

The table is read from the normalised text, where each row is one line of cells joined by " | " (the normaliser
re-joins tables flattened one cell per line). A data row is ``[marker] | name | amounts... | [lead agency]``.

Columns. When the header row is lost (the Quảng Ninh plan), the layout is worked out from the text, never
guessed: the number of funding sources is the number of kinds the budget text names (central, local, other),
the amount columns are one block per year plus one for the whole period, each block one column per source, and
the years are the plan's years. Which column holds which source comes from a sentence stating a year's
amounts by source ("năm 2012 ... ngân sách Trung ương hỗ trợ 430 triệu đồng, ngân sách tỉnh 70 triệu đồng"),
matched against that year's column sums; without one, the order the text lists the sources in.

Rows. A row with a Roman (or lost) marker followed by rows with Arabic markers is a group; its children's
items are "<group> / <child>". Leaf rows give the lines (per-year amounts); their whole-period columns, the
group rows, a subtotal row without a name and the "Tổng cộng" row are printed totals. A subtotal row that lost
its first cells comes as fragments: the first fragment is read from the first column, the last one ends at
the last amount column (it is followed by the empty agency cell).

Checks are ``binhdang.lib.budget.budget_checks``, the one rule the plan pages and the interchange export use
too: a total covers the lines whose item equals it or lies below it ("Dự án 1 / ..." under "Dự án 1"), whose
year equals it and whose source equals it, an empty field of the total covering every value; ``ok`` when at
least one line is covered and the sum equals the printed amount. Totals are never corrected.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from binhdang.docparse.result import BudgetCheck, BudgetLine, Span
from binhdang.docparse.rules import Context
from binhdang.lib.budget import budget_checks as lib_budget_checks
from binhdang.lib.numbers import parse_vn_number

__all__ = ["BudgetRule", "budget_checks", "vn_number"]

_NUM = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
_ROMAN = re.compile(r"^[IVX]{1,5}$")
_ARABIC = re.compile(r"^\d{1,2}$")
_SOURCE_WORDS = {
    "central": re.compile(r"ngân sách (?:nhà nước )?trung ương", re.IGNORECASE),
    "local": re.compile(r"ngân sách (?:địa phương|tỉnh|huyện|xã)", re.IGNORECASE),
    "other": re.compile(r"nguồn (?:hợp pháp )?khác|nguồn hợp pháp khác|viện trợ|xã hội hóa", re.IGNORECASE),
}
_STATED = re.compile(
    r"(?P<src>ngân sách (?:nhà nước )?(?:trung ương|địa phương|tỉnh|huyện|xã))[^\d;()]{0,30}?"
    r"(?P<n>\d[\d.,]*)\s*triệu",
    re.IGNORECASE,
)
_YEAR_STATED = re.compile(r"(?:Trong\s+)?năm\s+(?P<y>\d{4})\s*,?\s*kinh phí", re.IGNORECASE)
_UNITS = (
    ("triệu đồng", "million VND"),
    ("nghìn đồng", "thousand VND"),
    ("ngàn đồng", "thousand VND"),
    ("tỷ đồng", "billion VND"),
)


def vn_number(s: str) -> int | float | None:
    """A Vietnamese number as a JSON number ("1.040" → 1040, "1,7" → 1.7); None when it is not one."""
    s = s.strip()
    if not _NUM.match(s):
        return None
    try:
        d = parse_vn_number(s)
    except ValueError:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


@dataclass
class _Cell:
    text: str
    start: int
    end: int


@dataclass
class _Row:
    cells: list[_Cell]
    marker: str | None = None
    name: _Cell | None = None
    amounts: list[_Cell] = field(default_factory=list)
    agency: _Cell | None = None
    line_start: int = 0


def _split_row(line: str, off: int) -> list[_Cell]:
    cells: list[_Cell] = []
    pos = 0
    for part in line.split("|"):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        cells.append(_Cell(text, off + pos + lead, off + pos + lead + len(text)))
        pos += len(part) + 1
    return cells


def _shape(row: _Row) -> None:
    cells = row.cells
    i = 0
    if (
        cells
        and (_ROMAN.match(cells[0].text) or _ARABIC.match(cells[0].text))
        and len(cells) > 1
        and cells[1].text
        and vn_number(cells[1].text) is None
    ):
        row.marker, i = cells[0].text, 1
    elif cells and not cells[0].text and len(cells) > 1 and cells[1].text and vn_number(cells[1].text) is None:
        i = 1
    if i < len(cells) and cells[i].text and vn_number(cells[i].text) is None:
        row.name = cells[i]
        i += 1
    rest = cells[i:]
    if len(rest) > 1 and vn_number(rest[-1].text) is None:
        row.agency = rest[-1] if rest[-1].text else None
        rest = rest[:-1]
    row.amounts = rest


def _table_rows(text: str) -> list[_Row]:
    """The rows of the largest block of table lines (" | " lines and lone numbers between them)."""
    blocks: list[list[_Row]] = []
    cur: list[_Row] = []
    pos = 0
    for line in text.split("\n"):
        off = pos
        pos += len(line) + 1
        stripped = line.strip()
        if "|" in stripped or (cur and vn_number(stripped) is not None):
            row = _Row(cells=_split_row(line, off), line_start=off)
            _shape(row)
            cur.append(row)
        elif stripped or not cur:
            if cur:
                blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    if not blocks:
        return []
    return max(blocks, key=lambda b: sum(len(r.amounts) for r in b))


def _sources_named(text: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for src, pat in _SOURCE_WORDS.items():
        m = pat.search(text)
        if m:
            found.append((m.start(), src))
    return [s for _p, s in sorted(found)]


def _source_of(word: str) -> str:
    return "central" if "trung ương" in word.lower() else "local"


def _budget_text(ctx: Context) -> str:
    parts = [
        b.text
        for b in ctx.blocks
        if b.kind in {"para", "item", "bullet", "section"}
        and ("kinh phí" in b.text.lower() or "ngân sách" in b.text.lower())
    ]
    return "\n".join(parts)


def budget_checks(lines: list[BudgetLine], totals: list[BudgetLine]) -> list[BudgetCheck]:
    """One check per printed total, in the order printed, by the rule of ``binhdang.lib.budget``; each check
    points at where its total was printed."""

    def fields(line: BudgetLine) -> dict[str, Any]:
        return {"item": line.item, "year": line.year, "source": line.source, "amount": line.amount}

    checked = lib_budget_checks([fields(line) for line in lines], [fields(total) for total in totals])
    result: list[BudgetCheck] = []
    for total, check in zip(totals, checked, strict=True):
        values = check.as_dict()
        result.append(
            BudgetCheck(
                ok=check.ok,
                item=check.item,
                year=check.year,
                source=check.source,
                printed=values["printed"],
                computed=values["computed"],
                message=check.message,
                spans=dict(total.spans),
            )
        )
    return result


class BudgetRule:
    name = "budget"
    priority = 60

    def test(self, ctx: Context) -> bool:
        return " | " in ctx.text and bool(re.search(r"(?i)kinh phí|ngân sách", ctx.text))

    def run(self, ctx: Context) -> None:
        rows = _table_rows(ctx.text)
        data = [r for r in rows if r.name is not None and r.amounts]
        if not data:
            return
        ncols = Counter(len(r.amounts) for r in data).most_common(1)[0][0]
        btext = _budget_text(ctx)
        named = _sources_named(btext)
        years = ctx.plan.document.years
        n_src = len(named)
        if n_src == 0 or ncols % n_src:
            return
        n_years = ncols // n_src - 1
        first: int | None = None
        if years and years[1] - years[0] + 1 == n_years:
            first = years[0]
        if first is None:
            ym = _YEAR_STATED.search(btext)
            if ym is None:
                return
            first = int(ym["y"])
        year_list = [first + k for k in range(n_years)]
        full = [r for r in data if len(r.amounts) == ncols]
        # Groups: a row followed by rows with Arabic markers.
        parent_of: dict[int, _Row | None] = {}
        is_group: set[int] = set()
        group: _Row | None = None
        for k, r in enumerate(full):
            nxt = full[k + 1] if k + 1 < len(full) else None
            if r.marker is None or _ROMAN.match(r.marker):
                group = None
                if nxt is not None and nxt.marker is not None and _ARABIC.match(nxt.marker):
                    is_group.add(id(r))
                    group = r
                parent_of[id(r)] = None
            else:
                parent_of[id(r)] = group
        leaves = [r for r in full if id(r) not in is_group]
        order = self._source_order(btext, named, leaves, first, year_list, n_src)
        if order is None:
            return

        def item_of(r: _Row) -> str:
            assert r.name is not None
            p = parent_of.get(id(r))
            return f"{p.name.text} / {r.name.text}" if p is not None and p.name is not None else r.name.text

        def blocks(
            r: _Row,
            cells: list[tuple[int, _Cell]],
            item: str | None,
            level: int,
            out: list[tuple[int, BudgetLine]],
            lines: list[BudgetLine] | None,
        ) -> None:
            for col, cell in cells:
                value = vn_number(cell.text)
                if value is None:
                    continue
                blk, src_i = divmod(col, n_src)
                year = year_list[blk] if blk < n_years else None
                bl = BudgetLine(
                    item=item,
                    year=year,
                    source=order[src_i],
                    amount=value,
                    spans={"amount": Span(cell.start, cell.end, 0.85)},
                )
                if lines is not None and year is not None:
                    lines.append(bl)
                else:
                    out.append((level, bl))

        lines: list[BudgetLine] = []
        totals: list[tuple[int, BudgetLine]] = []
        for r in full:
            if r.agency is not None and r.name is not None:
                ctx.budget_agencies[item_of(r)] = r.agency.text
            cells: list[tuple[int, _Cell]] = list(enumerate(r.amounts))
            if id(r) in is_group:
                blocks(r, cells, r.name.text if r.name else None, 1, totals, None)
            else:
                blocks(r, cells, item_of(r), 0, totals, lines)
        # Grand totals: nameless fragments (a subtotal row) and named rows outside the data layout.
        k = 0
        rest = [r for r in rows if not (r.name is not None and len(r.amounts) == ncols)]
        while k < len(rest):
            r = rest[k]
            if r.name is None:
                frags = [r]
                while k + 1 < len(rest) and rest[k + 1].name is None:
                    k += 1
                    frags.append(rest[k])
                cells = []
                if len(frags) == 1:
                    cells = list(enumerate(frags[0].amounts)) if len(frags[0].amounts) == ncols else []
                else:
                    cells = list(enumerate(frags[0].amounts))
                    tail = frags[-1].amounts
                    cells += [(ncols - len(tail) + j, c) for j, c in enumerate(tail)]
                blocks(r, [(c, x) for c, x in cells if c < ncols], None, 2, totals, None)
            elif len(r.amounts) == n_years + 1 and re.match(r"(?i)^tổng", r.name.text):
                for j, cell in enumerate(r.amounts):
                    value = vn_number(cell.text)
                    if value is None:
                        continue
                    year = year_list[j] if j < n_years else None
                    totals.append(
                        (
                            2,
                            BudgetLine(
                                item=None,
                                year=year,
                                source=None,
                                amount=value,
                                spans={"amount": Span(cell.start, cell.end, 0.85)},
                            ),
                        )
                    )
            k += 1
        ordered = [bl for _lvl, bl in sorted(totals, key=lambda t: t[0])]
        plan = ctx.plan
        plan.budget_lines = lines
        plan.budget_totals = ordered
        plan.budget_checks = budget_checks(lines, ordered)
        low = btext.lower()
        plan.budget_unit = next((u for w, u in _UNITS if w in low), None) if (lines or ordered) else None

    def _source_order(
        self, btext: str, named: list[str], leaves: list[_Row], first: int, years: list[int], n_src: int
    ) -> list[str] | None:
        """The source of each column within a year block."""
        stated: dict[str, int | float] = {}
        ym = _YEAR_STATED.search(btext)
        if ym is not None:
            seg_end = btext.find(".", ym.end())
            seg = btext[ym.end() : seg_end if seg_end > 0 else len(btext)]
            for m in _STATED.finditer(seg):
                v = vn_number(m["n"])
                if v is not None:
                    stated.setdefault(_source_of(m["src"]), v)
        if stated and ym is not None and int(ym["y"]) in years:
            blk = years.index(int(ym["y"]))
            sums = []
            for c in range(n_src):
                total = Decimal(0)
                for r in leaves:
                    v = vn_number(r.amounts[blk * n_src + c].text)
                    if v is not None:
                        total += Decimal(str(v))
                sums.append(total)
            order: list[str | None] = [None] * n_src
            for src, v in stated.items():
                cols = [c for c in range(n_src) if sums[c] == Decimal(str(v)) and order[c] is None]
                if len(cols) == 1:
                    order[cols[0]] = src
            left = [s for s in named if s not in order]
            for c in range(n_src):
                if order[c] is None and left:
                    order[c] = left.pop(0)
            if all(o is not None for o in order):
                return [o for o in order if o is not None]
        return named[:n_src] if len(named) == n_src else None
