"""A compiled period as its Báo cáo kết quả thực hiện công tác bình đẳng giới.

Issued in the name of the plan's issuing body (the People's Committee of the plan's unit, for which the
standing agency drafts); number, date and signer are left for the clerk. Every sentence is generated from
the compiled figures (:func:`binhdang.reporting.compilation.compile_period`); the last section, proposals,
is left for the drafter to write in the Word file before issuing.
"""

from __future__ import annotations

from decimal import Decimal

from binhdang.lib.dates import format_vn_date
from binhdang.places.models import Level
from binhdang.plans.models import BudgetLine, Comparator, Direction, Indicator, Measure, Plan, Role
from binhdang.plans.targets import indicator_spec, target_for_year
from binhdang.reporting.compilation import Cell, CompiledIndicator, compile_period
from binhdang.reporting.models import Period, Report, ReportStatus

from .common import SOURCE_NAMES, SOURCE_ORDER, amount, committee_symbol, issuer_of, target_text, year_target_text
from .common import value_text as _value_text
from .model import Block, Bullet, Header, Heading, OfficialDocument, Paragraph, Signature, Table

SEX_NAMES = {"total": "Tổng", "female": "Nữ", "male": "Nam"}
REACHED = "Đạt"
NOT_REACHED = "Chưa đạt"
NO_DATA = "Chưa có số liệu"
NO_TARGET = "Không có chỉ tiêu năm"
NOT_PLANNED = "Chưa lập kế hoạch"
NAME_TO_FILL = "…………………………"

# "Nơi nhận" of a compiled report when its regime names none (ReportingRule.recipients), by the plan's level.
NATIONAL_RECIPIENTS = ["Bộ Nội vụ (b/c)", "Ủy ban Quốc gia vì sự tiến bộ của phụ nữ Việt Nam (b/c)"]


def _plan_reference(plan: Plan) -> str:
    kind = "Kế hoạch"
    parts = [kind]
    if plan.code:
        parts.append(f"số {plan.code}")
    if plan.issued_on:
        parts.append(f"ngày {plan.issued_on.day:02d}/{plan.issued_on.month}/{plan.issued_on.year}")
    parts.append(f"của {issuer_of(plan)}")
    return " ".join(parts) + f" về {plan.title[:1].lower() + plan.title[1:]}"


def indicator_status(item: CompiledIndicator, year: int) -> tuple[str, str, str]:
    """(figure, target, status) for the indicator's total (or only) cell.

    The target of the year is the dashboards' (`binhdang.plans.targets.target_for_year`: stated for the year, else
    the point on the path to the next stated target, the last stated one holding after it), so the report and the
    dashboard never disagree on it. A target the plan writes only in words is printed as written, not assessed."""
    indicator = item.indicator
    cell: Cell | None = item.cells.get("total") or next(iter(item.cells.values()), None)
    figure = cell.figure if cell is not None else None
    target, _problems = target_for_year(indicator_spec(indicator), year)
    figure_text = _value_text(indicator, figure)
    if target is not None:
        target_str = year_target_text(indicator, target)
    else:
        worded = [t for t in indicator.targets.all() if t.value is None and t.text and t.year in (year, None)]
        target_str = target_text(indicator, worded[0], with_year=False) if worded else ""
    if figure is None or indicator.measure == Measure.TEXT:
        return figure_text, target_str, NO_DATA
    if target is None:
        return figure_text, target_str, NO_TARGET
    return (
        figure_text,
        target_str,
        REACHED if reached(indicator, figure, target.value, target.comparator) else NOT_REACHED,
    )


def reached(indicator: Indicator, figure: Decimal, goal: Decimal, comparator: str) -> bool:
    if indicator.measure == Measure.BOOLEAN:
        return bool(figure) == bool(goal) if comparator in ("", Comparator.EQ) else bool(figure)
    if comparator == Comparator.GE:
        return figure >= goal
    if comparator == Comparator.GT:
        return figure > goal
    if comparator == Comparator.LE:
        return figure <= goal
    if comparator == Comparator.LT:
        return figure < goal
    if comparator == Comparator.ABOUT:
        return abs(figure - goal) <= abs(goal) * Decimal("0.05")
    if indicator.direction == Direction.DECREASE:
        return figure <= goal
    if indicator.direction == Direction.MAINTAIN or comparator == Comparator.EQ:
        return figure == goal
    return figure >= goal


def _cells_text(item: CompiledIndicator) -> str:
    indicator = item.indicator
    parts = []
    for sex in item.sexes:
        cell = item.cells.get(sex)
        if cell is None or cell.figure is None:
            continue
        text = _value_text(indicator, cell.figure)
        parts.append(text if sex == "total" and len(item.sexes) == 1 else f"{SEX_NAMES.get(sex, sex)}: {text}")
    return "; ".join(parts)


def report_document(period: Period) -> OfficialDocument:
    period = Period.objects.select_related("plan__unit").get(pk=period.pk)
    plan = period.plan
    compiled = compile_period(period)
    issuer = issuer_of(plan)
    header = Header(
        issuer=issuer,
        number="",  # số and ngày are left blank for the clerk (Decree 30: "Số: …/BC-UBND", "ngày … tháng …")
        symbol=f"BC-{committee_symbol(issuer) or '…'}",
        place=plan.place or place_of(plan),
        date=None,
    )
    label = _period_words(period.label)
    summary = f"Kết quả thực hiện công tác bình đẳng giới {label}"
    blocks: list[Block] = [
        Paragraph(
            f"Thực hiện {_plan_reference(plan)}, {issuer} báo cáo kết quả thực hiện công tác bình đẳng giới "
            f"{label} (số liệu từ ngày {format_vn_date(period.data_from)} "
            f"đến ngày {format_vn_date(period.data_to)}) như sau:"
        )
    ]

    # I. Reports received
    blocks.append(Heading("I. TÌNH HÌNH THU THẬP BÁO CÁO", 1))
    reports = list(Report.objects.filter(period=period).select_related("reporter").order_by("reporter__name"))
    late = sum(1 for r in reports if r.late and r.status == ReportStatus.ACCEPTED)
    blocks.append(
        Paragraph(
            f"Trong kỳ có {compiled.reports_accepted}/{compiled.reports_total} báo cáo của các cơ quan, đơn vị, "
            f"địa phương được chấp nhận và đưa vào tổng hợp" + (f", trong đó {late} báo cáo nộp muộn." if late else ".")
        )
    )
    missing = [r for r in reports if r.status != ReportStatus.ACCEPTED]
    if missing:
        blocks.append(Paragraph("Các báo cáo chưa được đưa vào tổng hợp:"))
        blocks += [Bullet(f"{r.reporter.name}: {r.get_status_display().lower()}.") for r in missing]

    # II. Indicators
    blocks.append(Heading("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", 1))
    rows = []
    counts = {REACHED: 0, NOT_REACHED: 0, NO_DATA: 0, NO_TARGET: 0}
    for n, item in enumerate(compiled.indicators, start=1):
        _figure, target, status = indicator_status(item, period.year)
        counts[status] += 1
        rows.append([str(n), item.indicator.text, _cells_text(item), target, status])
    if rows:
        with_data = len(rows) - counts[NO_DATA]
        sentence = f"Kế hoạch có {len(rows)} chỉ tiêu; {with_data} chỉ tiêu có số liệu tổng hợp trong kỳ"
        assessed = counts[REACHED] + counts[NOT_REACHED]
        if assessed:
            sentence += f", trong đó {counts[REACHED]}/{assessed} chỉ tiêu có mục tiêu năm {period.year} đã đạt"
        blocks.append(Paragraph(sentence + ". Chi tiết như sau:"))
        blocks.append(
            Table(
                ["STT", "Chỉ tiêu", "Kết quả", f"Mục tiêu năm {period.year}", "Đánh giá"],
                rows,
                widths_mm=[12, 70, 35, 25, 23],
            )
        )
        not_rollable = sum(c.not_rollable for item in compiled.indicators for c in item.cells.values())
        if not_rollable:
            blocks.append(
                Paragraph(
                    f"Có {not_rollable} số liệu tỷ lệ được báo cáo không kèm tử số, mẫu số nên không cộng dồn "
                    "được vào kết quả chung.",
                    italic=True,
                )
            )
    else:
        blocks.append(Paragraph("Kế hoạch không có chỉ tiêu định lượng."))

    # III. Tasks by agency
    blocks.append(Heading("III. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", 1))
    task_total = plan.tasks.count()
    blocks.append(
        Paragraph(f"Có {len(compiled.tasks)}/{task_total} nhiệm vụ của Kế hoạch được báo cáo tiến độ trong kỳ.")
    )
    by_lead: dict[str, list[Block]] = {}
    for compiled_task in compiled.tasks:
        task = compiled_task.task
        lead = next((a.written_as for a in task.assignments.all() if a.role == Role.LEAD), "Nhiệm vụ chung")
        lines = by_lead.setdefault(lead, [])
        lines.append(Bullet(task.text.rstrip(".") + ":"))
        for reporter, status, narrative in compiled_task.statuses:
            tail = f" – {narrative.strip().rstrip('.')}" if narrative.strip() else ""
            lines.append(Bullet(f"{reporter}: {status.lower()}{tail}.", 2))
    for n, (lead, lines) in enumerate(by_lead.items(), start=1):
        blocks.append(Heading(f"{n}. {lead}", 2))
        blocks += lines

    # IV. Spending
    blocks.append(Heading("IV. KINH PHÍ THỰC HIỆN", 1))
    spending_rows = []
    planned_total = spent_total = Decimal(0)
    # A source with no budget line for the year was not planned: "chưa lập kế hoạch", never a planned 0.
    planned_sources = {
        source or "other"
        for source in BudgetLine.objects.filter(plan=plan, year=period.year).values_list("source", flat=True)
    }
    for source in [*SOURCE_ORDER, *(k for k in compiled.spending if k not in SOURCE_ORDER)]:
        amounts = compiled.spending.get(source)
        if amounts is None:
            continue
        planned, spent = amounts["planned"], amounts["spent"]
        planned_total += planned
        spent_total += spent
        if source in planned_sources:
            spending_rows.append(
                [SOURCE_NAMES.get(source, source), amount(planned), amount(spent), _percent(spent, planned)]
            )
        else:
            spending_rows.append([SOURCE_NAMES.get(source, source), NOT_PLANNED, amount(spent), ""])
    if spending_rows:
        spending_rows.append(
            [
                "Tổng cộng",
                amount(planned_total) if planned_sources else NOT_PLANNED,
                amount(spent_total),
                _percent(spent_total, planned_total) if planned_sources else "",
            ]
        )
        blocks.append(
            Paragraph(
                f"Tổng kinh phí đã chi trong kỳ là {amount(spent_total)} triệu đồng"
                + (
                    f", bằng {_percent(spent_total, planned_total)} kinh phí bố trí năm {period.year} "
                    f"({amount(planned_total)} triệu đồng)."
                    if planned_sources and planned_total
                    else f"; Kế hoạch chưa lập kế hoạch kinh phí cho năm {period.year}."
                )
            )
        )
        blocks.append(
            Table(
                ["Nguồn kinh phí", f"Kế hoạch năm {period.year} (triệu đồng)", "Đã chi (triệu đồng)", "Tỷ lệ"],
                spending_rows,
                widths_mm=[60, 40, 40, 25],
                bold_rows={len(spending_rows) - 1},
                numeric={1, 2, 3},
            )
        )
    else:
        blocks.append(Paragraph("Trong kỳ chưa có báo cáo về kinh phí đã chi."))

    # V. What the reporters wrote
    if compiled.summaries:
        blocks.append(Heading("V. ĐÁNH GIÁ CHUNG CỦA CÁC ĐƠN VỊ", 1))
        blocks += [Bullet(f"{r.reporter.name}: {text.strip()}") for r, text in compiled.summaries]
    blocks.append(Heading(f"{'VI' if compiled.summaries else 'V'}. ĐỀ XUẤT, KIẾN NGHỊ", 1))
    blocks.append(Paragraph("…", italic=False))

    return OfficialDocument(
        header=header,
        doc_type="BÁO CÁO",
        summary=summary,
        blocks=blocks,
        signature=report_signature(plan, issuer),
        recipients=report_recipients(period),
        file_stem=f"Bao-cao-ky-{period.pk}",
    )


def _unit_words(plan: Plan) -> str:
    """ "Tỉnh Thái Nguyên" → "tỉnh Thái Nguyên", as a body's name continues ("Ban ... tỉnh Thái Nguyên")."""
    name = plan.unit_written_as or plan.unit.name
    return name[:1].lower() + name[1:]


def place_of(plan: Plan) -> str:
    """The place name of the date line when the plan gives none: the unit's name without its kind."""
    name = plan.unit_written_as or plan.unit.name
    for kind in ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(kind):
            return name[len(kind) :]
    return name


def report_recipients(period: Period) -> list[str]:
    """ "Nơi nhận": what the period's regime (or, failing that, any regime of the plan) sets, one per line;
    otherwise the defaults of the plan's level — the ministry and the national committee for a province — the
    bodies the regime sends to, and the unit's own Ban Vì sự tiến bộ của phụ nữ. "Lưu: VT" is added last."""
    plan = period.plan
    rules = list(plan.reporting_rules.all())
    own = [r for r in rules if period.rule_id == r.pk] or rules
    chosen = [line.strip() for rule in own for line in rule.recipients.splitlines() if line.strip()]
    if not chosen:
        chosen = [line.strip() for rule in rules for line in rule.recipients.splitlines() if line.strip()]
    if chosen:
        return list(dict.fromkeys(chosen))
    recipients = list(NATIONAL_RECIPIENTS) if plan.level == Level.PROVINCE else []
    recipients += [f"{rule.to_written_as} (b/c)" for rule in rules if rule.to_written_as]
    recipients.append(f"Ban Vì sự tiến bộ của phụ nữ {_unit_words(plan)}")
    return list(dict.fromkeys(recipients))


def report_signature(plan: Plan, issuer: str) -> Signature:
    """The signer block in Decree 30 form, from the plan's issuer: a People's Committee signs collectively
    ("TM. ỦY BAN NHÂN DÂN"), usually through a vice-chair ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", or what the plan's own
    signature says); the name is left as a line to fill, since who signs the report is decided when it is issued."""
    authority = " ".join(plan.signer_authority.replace("KT/", "KT. ").split()).upper()
    title = " ".join(plan.signer_title.split()).upper()
    if committee_symbol(issuer):
        if not authority.startswith("TM."):
            authority = "TM. ỦY BAN NHÂN DÂN\n" + (authority or "KT. CHỦ TỊCH")
        if not title and authority.endswith("KT. CHỦ TỊCH"):
            title = "PHÓ CHỦ TỊCH"
    return Signature(authority=authority or "…", title=title, name=NAME_TO_FILL)


def _period_words(label: str) -> str:
    """ "Báo cáo 6 tháng đầu năm 2026" → "6 tháng đầu năm 2026" (the document is already a report)."""
    words = label.strip()
    if words.lower().startswith("báo cáo "):
        words = words[len("báo cáo ") :]
    return words[:1].lower() + words[1:]


def _percent(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return ""
    return _value_text_percent(part / whole * 100)


def _value_text_percent(value: Decimal) -> str:
    from binhdang.lib.numbers import format_vn_number

    return f"{format_vn_number(value, 1)}%"
