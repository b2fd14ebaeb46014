"""The report entry form and the words the report page shows: parse what people typed, never write.

A report's form is not a fixed Django form: its rows are the report's own indicators (one cell per sex the
indicator asks for; a value, or a numerator and a denominator for rates) and tasks (status, narrative and
spending per funding source). `ReportEntryForm` builds those rows from the saved report, lays the posted
text over them, parses Vietnamese numbers ("1.040", "45,5") and turns them into the inputs of
`services.report_save`. A number that cannot be read is a field error and nothing is saved; the rules on the
figures themselves (parts and wholes, percentages, previous periods) are the services' (checks.py), shown
next to the fields they concern.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binhdang.lib.numbers import format_vn_number, parse_vn_number
from binhdang.plans.categories import combo_label
from binhdang.plans.models import FundingSource, Indicator, Measure, Task
from binhdang.plans.numbering import plan_indicator_labels, plan_task_labels

from .checks import Entry, cell_label, check_task_spending
from .entries import indicator_meta, previous_figures, sexes_for
from .errors import Issue
from .models import Period, Progress, Report, ReportStatus, Spending, TaskStatus, Value
from .services import ProgressInput, SpendingInput

SPENDING_SOURCES = (FundingSource.CENTRAL, FundingSource.LOCAL, FundingSource.OTHER)
# The database keeps 4 decimals for values (20 digits) and 3 for amounts (16 digits).
VALUE_PLACES, VALUE_DIGITS = 4, 20
AMOUNT_PLACES, AMOUNT_DIGITS = 3, 16


def format_number(value: Decimal | None, decimals: int | None = None) -> str:
    return "" if value is None else format_vn_number(value, decimals)


def parse_number(text: str, places: int, digits: int) -> tuple[Decimal | None, str]:
    """(number, error): empty text is None; anything not a Vietnamese number is refused with a reason."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        number = parse_vn_number(text)
    except ValueError:
        return None, _("Không phải số. Viết như 1.040 hoặc 45,5.")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        return None, _("Tối đa %(places)s chữ số sau dấu phẩy.") % {"places": places}
    if number.adjusted() + 1 > digits - places:
        return None, _("Số quá lớn.")
    return number, ""


# --- the entry form ------------------------------------------------------------------------------------------


@dataclass
class Input:
    """One input of the form: its name, the text shown in it, and what is wrong with it."""

    name: str
    label: str
    text: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kind: str = ""  # value | numerator | denominator (indicator cells), the source (spending)

    @property
    def has_error(self) -> bool:
        return bool(self.errors)


@dataclass
class Cell:
    sex: str
    label: str
    inputs: list[Input]
    rate: str = ""  # the computed rate, for fractions
    previous: str = ""  # the unit's accepted figure of the previous period, shown beside the field


@dataclass
class GridRow:
    """One line of an indicator's grid of parts (issue 16): a combination (age group × ethnicity × area) and its
    cells, one per sex as the total's row."""

    combo: str
    label: str
    cells: list[Cell]


@dataclass
class IndicatorRow:
    indicator: Indicator
    fraction: bool
    scale: Decimal
    cells: list[Cell]
    source: Input
    note: Input
    problems: list[str] = field(default_factory=list)  # errors not tied to one input
    number: str = ""  # the label beside the row, as the Excel sheet prints it (plans.numbering)
    grid: list[GridRow] = field(default_factory=list)  # the parts below the total, when it has categories
    tiles: bool = False  # the parts cover the total exactly once: they add up to it, and an empty total is derived

    @property
    def all_cells(self) -> list[Cell]:
        return self.cells + [cell for line in self.grid for cell in line.cells]

    @property
    def is_text(self) -> bool:
        return self.indicator.measure == Measure.TEXT

    @property
    def is_boolean(self) -> bool:
        return self.indicator.measure == Measure.BOOLEAN

    @property
    def has_error(self) -> bool:
        return bool(self.problems) or self.note.has_error or any(i.has_error for c in self.all_cells for i in c.inputs)


@dataclass
class TaskRow:
    task: Task
    status: Input
    narrative: Input
    spending: list[Input]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # flags for a second look, not refusals
    number: str = ""  # the label beside the row, as the Excel sheet prints it (plans.numbering)


def _fraction_labels(indicator: Indicator) -> tuple[str, str]:
    return (_("Tử số"), _("Mẫu số"))


def input_key(name: str) -> tuple[int, str, str, str] | None:
    """(indicator, sex, kind, combo) of an indicator input's name ("i12-female-value@ethnicity=dtts"), else None."""
    head, _sep, combo = name.partition("@")
    pieces = head.split("-")
    if len(pieces) != 3 or not pieces[0].startswith("i") or not pieces[0][1:].isdigit():
        return None
    return int(pieces[0][1:]), pieces[1], pieces[2], combo


class ReportEntryForm:
    """The report's rows, filled from what is saved and, when posted, from what was typed."""

    def __init__(self, report: Report, data: Mapping[str, Any] | None = None) -> None:
        self.report = report
        self.data = data
        self.errors: list[str] = []
        self.indicators: list[IndicatorRow] = []
        self.tasks: list[TaskRow] = []
        self.problems: list[Issue] = []  # issues the page lists on top (task, report, comment)
        self._parsed: dict[str, Decimal | None] = {}
        values = {(v.indicator_id, v.sex, v.combo): v for v in Value.objects.filter(report=report)}
        lines = report.indicator_lines.select_related("indicator__catalogue", "indicator__objective").order_by(
            "indicator__order", "indicator__pk"
        )
        for line in lines:
            self.indicators.append(self._indicator_row(line.indicator, values))
        numbers = plan_indicator_labels([report.period.plan_id])
        for row in self.indicators:
            row.number = numbers.get(row.indicator.pk, row.indicator.number)
        progress = {p.task_id: p for p in Progress.objects.filter(report=report)}
        spending = {(s.task_id, s.source): s.amount for s in Spending.objects.filter(report=report)}
        for task_line in report.task_lines.select_related("task").order_by("task__order", "task__pk"):
            self.tasks.append(self._task_row(task_line.task, progress.get(task_line.task_id), spending))
        task_labels = plan_task_labels([report.period.plan_id])
        for task_row in self.tasks:
            task_row.number = task_labels.get(task_row.task.pk, task_row.task.number)
        self._previous_figures()
        self.summary = Input("summary", _("Tóm tắt kết quả"), report.summary)
        if data is not None:
            self.summary.text = str(data.get("summary", ""))
        self._valid: bool | None = None

    # Building rows ---------------------------------------------------------------------------------------

    def _previous_figures(self) -> None:
        """Beside each field, the unit's latest accepted figure of an earlier period (issue 14)."""
        previous = previous_figures(self.report, [row.indicator.pk for row in self.indicators])
        for row in self.indicators:
            for cell in row.cells:
                figure = previous.get((row.indicator.pk, cell.sex))
                if figure is not None:
                    cell.previous = format_vn_number(figure.quantize(Decimal("0.01")).normalize())

    def flag_tasks(self) -> None:
        """Flags on tasks for a second look (money spent on a task "not started"), from what the form shows."""
        for row in self.tasks:
            amounts = [parse_number(item.text, AMOUNT_PLACES, AMOUNT_DIGITS)[0] for item in row.spending]
            flag = check_task_spending(row.status.text, amounts)
            if flag and flag not in row.warnings:
                row.warnings.append(flag)

    def marked(self) -> list[tuple[str, str, str, str]]:
        """Every field the page marks, as (anchor id, where in words, message, level): the summary at the top
        of the page links to each, and counts exactly these (issue 14: "còn 7 lỗi" while 4 fields were marked)."""
        result: list[tuple[str, str, str, str]] = []
        for row in self.indicators:
            where = f"{row.number}. {row.indicator.text}" if row.number else row.indicator.text
            for problem in row.problems:
                result.append((f"ind-{row.indicator.pk}", where, problem, "error"))
            for cell in row.all_cells:
                for item in cell.inputs:
                    label = f"{where} – {cell.label}" + (f" ({item.label})" if len(cell.inputs) > 1 else "")
                    messages = [(m, "error") for m in item.errors] + [(m, "warning") for m in item.warnings]
                    if messages:
                        text = " ".join(m for m, _level in messages)
                        level = "error" if item.errors else "warning"
                        result.append((item.name, label, text, level))
            note_messages = row.note.errors + row.note.warnings
            if note_messages:
                level = "error" if row.note.errors else "warning"
                result.append((row.note.name, f"{where} – {row.note.label}", " ".join(note_messages), level))
        for task_row in self.tasks:
            where = f"{task_row.number}. {task_row.task.text}" if task_row.number else task_row.task.text
            where = where if len(where) <= 90 else where[:89] + "…"
            task_messages = [(m, "error") for m in task_row.problems + task_row.status.errors]
            task_messages += [(m, "error") for item in task_row.spending for m in item.errors]
            task_messages += [(m, "warning") for m in task_row.warnings]
            if task_messages:
                level = "error" if any(lv == "error" for _m, lv in task_messages) else "warning"
                result.append((f"task-{task_row.task.pk}", where, " ".join(m for m, _lv in task_messages), level))
        return result

    def _posted(self, item: Input) -> None:
        if self.data is not None:
            item.text = str(self.data.get(item.name, ""))

    def _cells(self, indicator: Indicator, values: dict[tuple[int, str, str], Value], combo: str) -> list[Cell]:
        """One cell per sex of one combination. Inputs are named "i<id>-<sex>-<kind>" for the total, as before,
        and "i<id>-<sex>-<kind>@<combo>" for a part (a combination's key holds no "@"): ``input_key`` reads
        them back."""
        fraction = indicator.is_fraction
        prefix = f"i{indicator.pk}"
        suffix = f"@{combo}" if combo else ""
        cells = []
        for sex in sexes_for(indicator):
            saved = values.get((indicator.pk, sex, combo))
            inputs: list[Input] = []
            if indicator.measure == Measure.TEXT:
                pass
            elif fraction:
                top, bottom = _fraction_labels(indicator)
                inputs.append(
                    Input(
                        f"{prefix}-{sex}-numerator{suffix}",
                        top,
                        format_number(saved.numerator if saved else None),
                        kind="numerator",
                    )
                )
                inputs.append(
                    Input(
                        f"{prefix}-{sex}-denominator{suffix}",
                        bottom,
                        format_number(saved.denominator if saved else None),
                        kind="denominator",
                    )
                )
            else:
                inputs.append(
                    Input(
                        f"{prefix}-{sex}-value{suffix}",
                        _("Giá trị"),
                        format_number(saved.value if saved else None),
                        kind="value",
                    )
                )
            for item in inputs:
                self._posted(item)
            cells.append(Cell(sex, cell_label(sex, combo), inputs))
        return cells

    def _indicator_row(self, indicator: Indicator, values: dict[tuple[int, str, str], Value]) -> IndicatorRow:
        meta = indicator_meta(indicator)
        fraction = indicator.is_fraction
        prefix = f"i{indicator.pk}"
        cells = self._cells(indicator, values, "")
        source_text = note_text = ""
        for combo in meta.combos:
            for sex in sexes_for(indicator):
                saved = values.get((indicator.pk, sex, combo))
                if saved is not None:
                    source_text = source_text or saved.source
                    note_text = note_text or saved.note
        grid: list[GridRow] = []
        if indicator.measure == Measure.TEXT:
            # A qualitative indicator is reported in words: its note is the result.
            cells = cells[:1]
        else:
            grid = [GridRow(c, combo_label(c), self._cells(indicator, values, c)) for c in meta.combos if c]
        source = Input(f"{prefix}-source", _("Nguồn số liệu"), source_text)
        note = Input(f"{prefix}-note", _("Kết quả") if indicator.measure == Measure.TEXT else _("Ghi chú"), note_text)
        self._posted(source)
        self._posted(note)
        row = IndicatorRow(indicator, fraction, meta.scale, cells, source, note, grid=grid, tiles=meta.combos_tile)
        self._compute_rates(row)
        return row

    def _task_row(
        self, task: Task, progress: Progress | None, spending: dict[tuple[int | None, str], Decimal]
    ) -> TaskRow:
        prefix = f"t{task.pk}"
        status = Input(f"{prefix}-status", _("Tình trạng"), progress.status if progress else TaskStatus.NOT_STARTED)
        narrative = Input(f"{prefix}-narrative", _("Kết quả thực hiện"), progress.narrative if progress else "")
        amounts = [
            Input(
                f"{prefix}-{source.value}",
                str(source.label),
                format_number(spending.get((task.pk, source.value))),
                kind=source.value,
            )
            for source in SPENDING_SOURCES
        ]
        for item in (status, narrative, *amounts):
            self._posted(item)
        return TaskRow(task, status, narrative, amounts)

    def _compute_rates(self, row: IndicatorRow) -> None:
        if not row.fraction:
            return
        for cell in row.all_cells:
            numbers = {}
            for item in cell.inputs:
                numbers[item.kind], _error = parse_number(item.text, VALUE_PLACES, VALUE_DIGITS)
            top, bottom = numbers.get("numerator"), numbers.get("denominator")
            if top is not None and bottom:
                cell.rate = format_vn_number(top / bottom * row.scale, 2)

    # Parsing ---------------------------------------------------------------------------------------------

    def is_valid(self) -> bool:
        """Parse every number; False (and a message per input) when any cannot be read."""
        if self._valid is not None:
            return self._valid
        valid = True
        for row in self.indicators:
            for cell in row.all_cells:
                for item in cell.inputs:
                    number, error = parse_number(item.text, VALUE_PLACES, VALUE_DIGITS)
                    self._parsed[item.name] = number
                    if error:
                        item.errors.append(error)
                        valid = False
        for task_row in self.tasks:
            if task_row.status.text not in TaskStatus.values:
                task_row.status.errors.append(_("Hãy chọn một tình trạng."))
                valid = False
            for item in task_row.spending:
                number, error = parse_number(item.text, AMOUNT_PLACES, AMOUNT_DIGITS)
                if not error and number is not None and number < 0:
                    error = _("Không được là số âm.")
                self._parsed[item.name] = number
                if error:
                    item.errors.append(error)
                    valid = False
        self._valid = valid
        return valid

    def entries(self) -> list[Entry]:
        """One entry per cell. The indicator's source and note go on every cell that has a figure (a warning
        on the female figure needs its own note), or on the total when none has: "no data, because …"."""
        result = []
        for row in self.indicators:
            source, note = row.source.text.strip(), row.note.text.strip()
            built = []
            for combo, cells in [("", row.cells), *((line.combo, line.cells) for line in row.grid)]:
                for cell in cells:
                    numbers = {item.kind: self._parsed.get(item.name) for item in cell.inputs}
                    built.append(
                        Entry(
                            row.indicator.pk,
                            cell.sex,
                            numbers.get("value"),
                            numbers.get("numerator"),
                            numbers.get("denominator"),
                            combo=combo,
                        )
                    )
            carriers = [entry for entry in built if not entry.is_empty] or built[:1]
            for entry in carriers:
                entry.source, entry.note = source, note
            result.extend(built)
        return result

    def progress(self) -> list[ProgressInput]:
        """Task progress; an untouched task (not started, no narrative, nothing saved) is left out of the trail."""
        saved = set(Progress.objects.filter(report=self.report).values_list("task_id", flat=True))
        result = []
        for row in self.tasks:
            status, narrative = row.status.text, row.narrative.text.strip()
            if row.task.pk in saved or status != TaskStatus.NOT_STARTED or narrative:
                result.append(ProgressInput(row.task.pk, status, narrative))
        return result

    def spending(self) -> list[SpendingInput]:
        return [
            SpendingInput(row.task.pk, item.kind, self._parsed.get(item.name))
            for row in self.tasks
            for item in row.spending
        ]

    def summary_text(self) -> str:
        return self.summary.text.strip()

    # Problems from the services ----------------------------------------------------------------------------

    def attach(self, issues: Iterable[Issue]) -> None:
        """Show each issue next to its input ("indicator:<id>:<sex>:<field>", then ":<combo>" for a part), the rest
        on top."""
        rows = {row.indicator.pk: row for row in self.indicators}
        tasks = {row.task.pk: row for row in self.tasks}
        for issue in issues:
            parts = issue.where.split(":")
            target: Input | None = None
            if parts[0] == "indicator" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) in rows:
                row = rows[int(parts[1])]
                if len(parts) in (4, 5):
                    sex, name = parts[2], parts[3]
                    combo = parts[4] if len(parts) == 5 else ""
                    cells = row.cells if not combo else next((g.cells for g in row.grid if g.combo == combo), [])
                    if name == "note":
                        target = row.note
                    else:
                        cell = next((c for c in cells if c.sex == sex), None)
                        if cell is not None:
                            target = next((i for i in cell.inputs if i.kind == name), None)
                            if target is None and cell.inputs:
                                target = cell.inputs[0]  # a percentage over 100 is about the pair
                if target is None and row.is_text:
                    target = row.note
                if target is None:
                    row.problems.append(issue.message)
                    continue
            elif parts[0] == "task" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) in tasks:
                tasks[int(parts[1])].problems.append(issue.message)
                continue
            if target is None:
                self.problems.append(issue)
                continue
            (target.errors if issue.level == "error" else target.warnings).append(issue.message)


# --- the decisions --------------------------------------------------------------------------------------------


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do mở lại"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Mở lại báo cáo đã chấp nhận cần ghi lý do.")},
    )


def _status_choices() -> list[tuple[str, str]]:
    return [("", str(_("Tất cả"))), *((value, str(label)) for value, label in ReportStatus.choices)]


class ReportFilterForm(forms.Form):
    period = forms.ModelChoiceField(label=gettext_lazy("Kỳ báo cáo"), queryset=Period.objects.none(), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=_status_choices, required=False)

    def __init__(self, *args: Any, periods: QuerySet[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_ = self.fields["period"]
        assert isinstance(field_, forms.ModelChoiceField)
        field_.queryset = periods
        field_.empty_label = _("Tất cả")
