"""A plan as its Kế hoạch: the stored plan laid out in the usual five sections.

I Mục đích, yêu cầu và mục tiêu (aims, objectives, indicators with their targets); II Nhiệm vụ, giải pháp
(tasks that name no lead agency, with their sub-tasks, and the projects); III Kinh phí (the budget by year
and source, with the totals the document printed and whether they match); IV Tổ chức thực hiện (tasks
grouped by lead agency); V Chế độ báo cáo (the reporting regime).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from binhdang.lib.budget import budget_checks
from binhdang.lib.dates import format_vn_date, parse_yearly_day
from binhdang.lib.numbers import format_vn_number
from binhdang.plans.models import Plan, Reference, ReferenceRelation, Role, Task

from .common import KIND_NAMES, SOURCE_NAMES, SOURCE_ORDER, amount, committee_symbol, issuer_of, targets_text
from .model import Block, Bullet, Header, Heading, OfficialDocument, Paragraph, Signature, Table

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _load(plan: Plan) -> Plan:
    return (
        Plan.objects.select_related("unit")
        .prefetch_related(
            "references",
            "objectives__indicators__targets",
            "indicators__targets",
            "indicators__assignments",
            "tasks__assignments",
            "projects__assignments",
            "budgetlines",
            "budgettotals",
            "reporting_rules",
        )
        .get(pk=plan.pk)
    )


def reference_text(ref: Reference) -> str:
    """ "Nghị quyết số 28/NQ-CP ngày 03/3/2021 của Chính phủ ban hành …"."""
    parts = [KIND_NAMES.get(ref.kind, ref.kind or "Văn bản")]
    if ref.code:
        parts.append(f"số {ref.code}")
    if ref.issued_on:
        parts.append(f"ngày {ref.issued_on.day:02d}/{ref.issued_on.month}/{ref.issued_on.year}")
    if ref.issuer:
        parts.append(f"của {ref.issuer}")
    if ref.title:
        parts.append(ref.title)
    return " ".join(parts)


def plan_header(plan: Plan) -> Header:
    issuer = issuer_of(plan)
    symbol = plan.symbol or f"{plan.kind or 'KH'}-{committee_symbol(issuer) or '…'}"
    return Header(
        issuer=issuer,
        number=plan.number,
        symbol=symbol,
        place=plan.place,
        date=plan.issued_on,
    )


def plan_document(plan: Plan) -> OfficialDocument:
    plan = _load(plan)
    issuer = issuer_of(plan)
    blocks: list[Block] = []

    bases = [r for r in plan.references.all() if r.relation == ReferenceRelation.BASIS]
    for ref in bases:
        blocks.append(Paragraph(f"Căn cứ {reference_text(ref)};"))
    blocks.append(Paragraph(f"{issuer} ban hành Kế hoạch {_lower_first(plan.title)} với các nội dung sau:"))

    sections: list[tuple[str, list[Block]]] = [
        ("MỤC ĐÍCH, YÊU CẦU VÀ MỤC TIÊU", _aims(plan)),
        ("NHIỆM VỤ, GIẢI PHÁP", _tasks(plan)),
        ("KINH PHÍ THỰC HIỆN", _budget(plan)),
        ("TỔ CHỨC THỰC HIỆN", _organisation(plan)),
        ("CHẾ ĐỘ BÁO CÁO", _reporting(plan)),
    ]
    for i, (title, content) in enumerate(sections):
        blocks.append(Heading(f"{ROMAN[i]}. {title}", 1))
        blocks += content

    return OfficialDocument(
        header=plan_header(plan),
        doc_type="KẾ HOẠCH",
        summary=plan.title,
        blocks=blocks,
        signature=Signature(plan.signer_authority, plan.signer_title, plan.signer_name),
        recipients=list(plan.recipients or []),
        file_stem=f"Ke-hoach-{plan.code.replace('/', '-')}" if plan.code else f"Ke-hoach-{plan.pk}",
    )


def _lower_first(text: str) -> str:
    text = " ".join(text.split())
    if text.isupper():
        return text.lower()
    return text[:1].lower() + text[1:] if text else text


def _aims(plan: Plan) -> list[Block]:
    blocks: list[Block] = [Heading("1. Mục đích, yêu cầu", 2)]
    aims = [str(a) for a in plan.aims or [] if str(a).strip()]
    blocks += [Bullet(aim) for aim in aims] or [Paragraph("(Kế hoạch không ghi mục đích, yêu cầu.)", italic=True)]
    objectives = list(plan.objectives.all())
    loose = [i for i in plan.indicators.all() if i.objective_id is None]
    if not objectives and not loose:
        return blocks
    blocks.append(Heading("2. Mục tiêu, chỉ tiêu", 2))
    for objective in objectives:
        label = f"Mục tiêu {objective.number}" if objective.number else "Mục tiêu"
        blocks.append(Heading(f"{label}: {objective.title}".rstrip(": "), 3))
        if objective.text:
            blocks.append(Paragraph(objective.text))
        blocks += [_indicator_bullet(ind) for ind in objective.indicators.all()]
    if loose:
        if objectives:
            blocks.append(Heading("Các chỉ tiêu khác", 3))
        blocks += [_indicator_bullet(ind) for ind in loose]
    return blocks


def _indicator_bullet(indicator: object) -> Bullet:
    from binhdang.plans.models import Indicator

    assert isinstance(indicator, Indicator)
    targets = targets_text(indicator)
    text = indicator.text.rstrip(".;")
    return Bullet(f"{text} (chỉ tiêu: {targets})." if targets else f"{text}.")


def _agencies(task: Task) -> str:
    lead = [a.written_as for a in task.assignments.all() if a.role == Role.LEAD]
    partners = [a.written_as for a in task.assignments.all() if a.role != Role.LEAD]
    parts = []
    if lead:
        parts.append(f"chủ trì: {lead[0]}")
    if partners:
        parts.append(f"phối hợp: {', '.join(partners)}")
    return f" ({'; '.join(parts)})" if parts else ""


def _window(task: Task) -> str:
    def day(value: str) -> str:
        if value.startswith("--"):
            d, m = parse_yearly_day(value)
            return f"{d:02d}/{m:02d}"
        try:
            import datetime as dt

            return format_vn_date(dt.date.fromisoformat(value))
        except ValueError:
            return value

    if task.window_start and task.window_end:
        return f" Thời gian: từ ngày {day(task.window_start)} đến ngày {day(task.window_end)}."
    if task.window_end:
        return f" Thời gian: trước ngày {day(task.window_end)}."
    return ""


def _lead(task: Task) -> str | None:
    return next((a.written_as for a in task.assignments.all() if a.role == Role.LEAD), None)


def _task_text(task: Task, with_agencies: bool) -> str:
    text = task.text.rstrip()
    agencies = _agencies(task) if with_agencies else ""
    if agencies and text.endswith("."):
        text = text[:-1]
    return f"{text}{agencies}{'.' if agencies else ''}{_window(task)}"


def _children(tasks: list[Task]) -> dict[int | None, list[Task]]:
    children: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        children[task.parent_id].append(task)
    return children


def _tasks(plan: Plan) -> list[Block]:
    tasks = list(plan.tasks.all())
    children = _children(tasks)
    general = [t for t in children[None] if _lead(t) is None]
    blocks: list[Block] = []
    for n, task in enumerate(general, start=1):
        blocks.append(Paragraph(f"{n}. {_task_text(task, True)}"))
        blocks += [Bullet(_task_text(child, True)) for child in children[task.pk]]
    projects = list(plan.projects.all())
    if projects:
        blocks.append(Heading("Các dự án, mô hình", 3))
        for project in projects:
            lead = next((a.written_as for a in project.assignments.all() if a.role == Role.LEAD), "")
            label = f"{project.get_kind_display()} {project.number}".strip()
            suffix = f" (chủ trì: {lead})" if lead else ""
            blocks.append(Bullet(f"{label}: {project.name}{suffix}."))
    if not blocks:
        blocks.append(Paragraph("(Các nhiệm vụ được giao cụ thể cho từng cơ quan tại Mục IV.)", italic=True))
    return blocks


def _organisation(plan: Plan) -> list[Block]:
    tasks = list(plan.tasks.all())
    children = _children(tasks)
    by_lead: dict[str, list[Task]] = {}
    for task in children[None]:
        lead = _lead(task)
        if lead is not None:
            by_lead.setdefault(lead, []).append(task)
    blocks: list[Block] = []
    for n, (lead, items) in enumerate(by_lead.items(), start=1):
        blocks.append(Heading(f"{n}. {lead}", 2))
        for task in items:
            partners = [a.written_as for a in task.assignments.all() if a.role != Role.LEAD]
            suffix = f" (phối hợp: {', '.join(partners)})" if partners else ""
            text = task.text.rstrip()
            if suffix and text.endswith("."):
                text = text[:-1] + suffix + "."
            else:
                text += suffix
            blocks.append(Bullet(text + _window(task)))
            blocks += [Bullet(_task_text(child, True), 2) for child in children[task.pk]]
    if not blocks:
        blocks.append(Paragraph("(Kế hoạch không giao nhiệm vụ cho cơ quan chủ trì cụ thể.)", italic=True))
    return blocks


def _budget(plan: Plan) -> list[Block]:
    lines = list(plan.budgetlines.all())
    totals = list(plan.budgettotals.all())
    if not lines and not totals:
        return [Paragraph("(Kế hoạch không ghi chi tiết kinh phí.)", italic=True)]
    blocks: list[Block] = [Paragraph("Đơn vị tính: triệu đồng.", italic=True)]
    if lines:
        sources = [s for s in SOURCE_ORDER if any((line.source or "") == s for line in lines)]
        years = sorted({line.year for line in lines if line.year is not None})
        grid: dict[tuple[int | None, str], Decimal] = defaultdict(Decimal)
        for line in lines:
            grid[(line.year, line.source or "")] += line.amount
        row_keys: list[int | None] = [*years, *([None] if any(line.year is None for line in lines) else [])]
        rows = []
        for year in row_keys:
            cells = [grid.get((year, s)) for s in sources]
            row_total = sum((c for c in cells if c is not None), Decimal(0))
            rows.append([str(year) if year else "Không ghi năm", *(amount(c) for c in cells), amount(row_total)])
        column_totals = [sum((grid.get((y, s), Decimal(0)) for y in row_keys), Decimal(0)) for s in sources]
        rows.append(["Tổng cộng", *(amount(c) for c in column_totals), amount(sum(column_totals, Decimal(0)))])
        columns = ["Năm", *(SOURCE_NAMES[s] for s in sources), "Cộng"]
        width = 120 / (len(sources) + 1)
        blocks.append(
            Table(
                columns,
                rows,
                widths_mm=[45, *([width] * (len(sources) + 1))],
                bold_rows={len(rows) - 1},
                numeric=set(range(1, len(columns))),
            )
        )
    if totals:
        whole = [t for t in totals if not t.item]
        for total in whole:
            scope = f"năm {total.year}" if total.year else "cả giai đoạn"
            source = f", {SOURCE_NAMES[total.source].lower()}" if total.source else ""
            blocks.append(
                Bullet(f"Tổng kinh phí {scope}{source} ghi trong Kế hoạch: {amount(total.amount)} triệu đồng.")
            )
        checks = budget_checks(
            [{"item": b.item, "year": b.year, "source": b.source, "amount": b.amount} for b in lines],
            [{"item": t.item, "year": t.year, "source": t.source, "amount": t.amount} for t in totals],
        )
        wrong = [c for c in checks if c.covered and not c.ok]
        if wrong:
            blocks.append(
                Paragraph(
                    f"Lưu ý: {len(wrong)}/{len(checks)} tổng kinh phí in trong Kế hoạch không bằng tổng các dòng "
                    "chi tiết (giữ nguyên như văn bản đã ban hành):",
                    italic=True,
                )
            )
            for check in wrong[:10]:
                what = check.item or "toàn Kế hoạch"
                when = f", năm {check.year}" if check.year else ""
                blocks.append(
                    Bullet(
                        f"{what}{when}: in {format_vn_number(check.printed)}, "
                        f"cộng các dòng {format_vn_number(check.computed)}."
                    )
                )
            if len(wrong) > 10:
                blocks.append(Bullet(f"và {len(wrong) - 10} tổng khác."))
    return blocks


def _reporting(plan: Plan) -> list[Block]:
    rules = list(plan.reporting_rules.all())
    if not rules:
        return [Paragraph("(Kế hoạch không quy định chế độ báo cáo.)", italic=True)]
    blocks: list[Block] = [
        Paragraph("Các cơ quan, đơn vị, địa phương báo cáo kết quả thực hiện Kế hoạch theo chế độ sau:")
    ]
    for rule in rules:
        parts = [str(rule.get_kind_display())]
        if rule.to_written_as:
            parts.append(f"gửi {rule.to_written_as}")
        if rule.through_written_as:
            parts.append(f"qua {rule.through_written_as}")
        due = ""
        if rule.due.startswith("--"):
            d, m = parse_yearly_day(rule.due)
            due = f" trước ngày {d}/{m}"
        elif rule.due:
            import datetime as dt

            try:
                due = f" trước ngày {format_vn_date(dt.date.fromisoformat(rule.due))}"
            except ValueError:
                due = f" trước ngày {rule.due}"
        blocks.append(Bullet(", ".join(parts) + due + "."))
    return blocks
