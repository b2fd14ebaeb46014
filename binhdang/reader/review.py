"""What the review page shows and how a person's corrections are applied to the reader's plan/1 tree.

Each editable value is addressed by its JSON Pointer (RFC 6901), the same key the reader's `provenance`
uses, so the page can highlight the text a value came from. Pure functions: no database.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from binhdang.lib.dates import parse_vn_date
from binhdang.lib.numbers import parse_vn_number
from binhdang.lib.text import clean_text
from binhdang.places.models import Level
from binhdang.plans.models import Comparator, FundingSource, ProjectKind, ReferenceRelation, ReportKind

TEXT, LONG, INT, NUMBER, DATE, LIST, CHOICE = "text", "long", "int", "number", "date", "list", "choice"
# A yes/no value (a task's lead is a group) and a number or a range ("10 - 13" → [10, 13]).
BOOL, RANGE, DUE = "bool", "range", "due"

# The choices a reviewer picks from: the stored value and the label people read, from the models' own choices
# (one home for the wording), plus the two report kinds only the reader knows (docs/plan-format.md).
Choices = tuple[tuple[str, Any], ...]
LEVELS: Choices = tuple(Level.choices)
RELATIONS: Choices = tuple(ReferenceRelation.choices)
COMPARATORS: Choices = tuple(Comparator.choices)
SOURCES: Choices = tuple(FundingSource.choices)
REPORT_KINDS: Choices = (
    *ReportKind.choices,
    ("once", _("Báo cáo một lần (có hạn cụ thể)")),
    ("periodic", _("Báo cáo định kỳ (chưa rõ kỳ)")),
)
PROJECT_KINDS: Choices = tuple(ProjectKind.choices)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: Any
    kind: str
    choices: Choices = ()


@dataclass
class Field:
    pointer: str
    label: Any
    kind: str
    value: str
    choices: Choices
    start: int | None
    end: int | None
    confidence: float | None
    # A warning the reviewer should see beside the field ("no year": a target printed without one).
    flag: Any = ""

    @property
    def certainty(self) -> tuple[str, Any] | None:
        """How sure the reader is of the value, in words a reviewer reads: ("high"|"medium"|"low", label)."""
        if self.confidence is None:
            return None
        if self.confidence >= 0.9:
            return "high", _("chắc chắn")
        if self.confidence >= 0.7:
            return "medium", _("nên xem lại")
        return "low", _("cần kiểm tra")


@dataclass
class Row:
    pointer: str
    title: str
    fields: list[Field]


@dataclass
class Section:
    key: str
    title: Any
    rows: list[Row]
    deletable: bool


DOCUMENT = [
    FieldSpec("kind", _("Loại văn bản"), TEXT),
    FieldSpec("code", _("Số, ký hiệu"), TEXT),
    FieldSpec("number", _("Số"), TEXT),
    FieldSpec("symbol", _("Ký hiệu"), TEXT),
    FieldSpec("date", _("Ngày ban hành"), DATE),
    FieldSpec("place", _("Địa danh"), TEXT),
    FieldSpec("issuer", _("Cơ quan ban hành"), TEXT),
    FieldSpec("unit", _("Địa bàn"), TEXT),
    FieldSpec("title", _("Trích yếu"), LONG),
    FieldSpec("level", _("Cấp"), CHOICE, LEVELS),
    FieldSpec("years/0", _("Từ năm"), INT),
    FieldSpec("years/1", _("Đến năm"), INT),
]
# The plan a decision issues ("Quyết định ban hành Kế hoạch ..."): shown and editable beside the decision.
ISSUED_PLAN = [
    FieldSpec("title", _("Tên kế hoạch được ban hành"), LONG),
    FieldSpec("code", _("Số, ký hiệu của kế hoạch"), TEXT),
]
SIGNER = [
    FieldSpec("authority", _("Thẩm quyền ký"), TEXT),
    FieldSpec("title", _("Chức vụ"), TEXT),
    FieldSpec("name", _("Người ký"), TEXT),
]
LISTS: list[tuple[str, Any, list[FieldSpec]]] = [
    (
        "references",
        _("Văn bản dẫn chiếu"),
        [
            FieldSpec("kind", _("Loại"), TEXT),
            FieldSpec("code", _("Số, ký hiệu"), TEXT),
            FieldSpec("date", _("Ngày"), DATE),
            FieldSpec("issuer", _("Cơ quan ban hành"), TEXT),
            FieldSpec("title", _("Trích yếu"), LONG),
            FieldSpec("relation", _("Quan hệ"), CHOICE, RELATIONS),
        ],
    ),
    ("objectives", _("Mục tiêu"), [FieldSpec("number", _("Số"), TEXT), FieldSpec("title", _("Tên mục tiêu"), LONG)]),
    (
        "indicators",
        _("Chỉ tiêu"),
        [
            FieldSpec("number", _("Số"), TEXT),
            FieldSpec("text", _("Chỉ tiêu"), LONG),
            FieldSpec("unit", _("Đơn vị tính"), TEXT),
            FieldSpec("responsible", _("Cơ quan chịu trách nhiệm (mỗi dòng một tên)"), LIST),
        ],
    ),
    (
        "tasks",
        _("Nhiệm vụ"),
        [
            FieldSpec("text", _("Nhiệm vụ"), LONG),
            FieldSpec("lead", _("Chủ trì"), TEXT),
            FieldSpec("group", _("Chủ trì là một nhóm cơ quan"), BOOL),
            FieldSpec("partners", _("Phối hợp (mỗi dòng một tên)"), LIST),
            FieldSpec("window/start", _("Từ ngày"), TEXT),
            FieldSpec("window/end", _("Đến ngày"), TEXT),
        ],
    ),
    (
        "projects",
        _("Dự án, mô hình"),
        [
            FieldSpec("kind", _("Loại"), CHOICE, PROJECT_KINDS),
            FieldSpec("name", _("Tên"), LONG),
            FieldSpec("lead", _("Chủ trì"), TEXT),
            FieldSpec("units", _("Địa bàn (mỗi dòng một tên)"), LIST),
        ],
    ),
    (
        "budget/lines",
        _("Kinh phí (triệu đồng)"),
        [
            FieldSpec("item", _("Hạng mục"), TEXT),
            FieldSpec("year", _("Năm"), INT),
            FieldSpec("source", _("Nguồn"), CHOICE, SOURCES),
            FieldSpec("amount", _("Số tiền"), NUMBER),
        ],
    ),
    (
        "budget/totals",
        _("Tổng in trong văn bản"),
        [
            FieldSpec("item", _("Hạng mục"), TEXT),
            FieldSpec("year", _("Năm"), INT),
            FieldSpec("source", _("Nguồn"), CHOICE, SOURCES),
            FieldSpec("amount", _("Số tiền"), NUMBER),
        ],
    ),
    (
        "reporting",
        _("Chế độ báo cáo"),
        [
            FieldSpec("kind", _("Loại báo cáo"), CHOICE, REPORT_KINDS),
            FieldSpec("due", _("Hạn (vd. 15/12 hằng năm, ngày 16 hằng tháng, 16/12/2025)"), DUE),
            FieldSpec("to", _("Gửi về"), TEXT),
            FieldSpec("through", _("Qua"), TEXT),
        ],
    ),
]
TARGET = [
    FieldSpec("year", _("Năm"), INT),
    FieldSpec("value", _("Giá trị (một số, hoặc khoảng như 10 - 13)"), RANGE),
    FieldSpec("comparator", _("So sánh"), CHOICE, COMPARATORS),
    FieldSpec("text", _("Nguyên văn"), TEXT),
]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_get(tree: Any, pointer: str) -> Any:
    node = tree
    for raw in pointer.strip("/").split("/") if pointer.strip("/") else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            index = int(token)
            node = node[index] if 0 <= index < len(node) else None
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            return None
        if node is None:
            return None
    return node


def pointer_set(tree: Any, pointer: str, value: Any) -> None:
    """Set a value, creating what is missing on the way: an object ("/tasks/2/window/start" on a task with no
    window), or a list where the next token is an index ("/document/years/0" on a plan whose years were not
    found), padded with nulls."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.strip("/").split("/")]
    node = tree
    for token, following in itertools.pairwise(tokens):
        child = _get(node, token)
        if not isinstance(child, dict | list):
            child = [] if following.isdigit() else {}
            _put(node, token, child)
        node = child
    _put(node, tokens[-1], value)


def _get(node: Any, token: str) -> Any:
    if isinstance(node, list):
        index = int(token)
        return node[index] if index < len(node) else None
    return node.get(token)


def _put(node: Any, token: str, value: Any) -> None:
    if isinstance(node, list):
        index = int(token)
        node.extend([None] * (index + 1 - len(node)))
        node[index] = value
    else:
        node[token] = value


def _display(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        # A yes/no target is stored as 1 or 0; the loader turns it back into true/false for boolean measures.
        return "1" if value else "0"
    if kind == BOOL:
        return "1" if value else "0"
    if kind == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if kind == DUE and isinstance(value, str):
        return _due_display(value)
    if kind == RANGE and isinstance(value, list):
        return " - ".join(str(v).replace(".", ",") for v in value)
    if kind == LIST and isinstance(value, list):
        # One name per line: names themselves may contain ";" or "," ("Ban Văn hóa; Truyền thanh").
        return "\n".join(str(v) for v in value)
    if kind in (NUMBER, RANGE) and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return str(value)


def _field(tree: dict[str, Any], pointer: str, spec: FieldSpec) -> Field:
    span = (tree.get("provenance") or {}).get(pointer) or {}
    return Field(
        pointer=pointer,
        label=spec.label,
        kind=spec.kind,
        value=_display(pointer_get(tree, pointer), spec.kind),
        choices=spec.choices,
        start=span.get("start"),
        end=span.get("end"),
        confidence=span.get("confidence"),
    )


VERDICT_TITLES = {
    "plan": _("Kế hoạch"),
    "decision-issuing-plan": _("Quyết định ban hành kế hoạch"),
    "not-plan": _("Không phải kế hoạch"),
}


def verdict_of(tree: dict[str, Any]) -> str:
    """What the reader found the document to be; a tree without ``verdict`` is a plan (docs/plan-format.md)."""
    verdict = tree.get("verdict")
    return verdict if verdict in VERDICT_TITLES else "plan"


def review_sections(tree: dict[str, Any]) -> list[Section]:
    """Everything a reviewer can correct, section by section, each field with its source span."""
    sections = [
        Section(
            "document",
            _("Thông tin văn bản"),
            [Row("/document", "", [_field(tree, f"/document/{s.key}", s) for s in DOCUMENT])],
            False,
        ),
    ]
    if isinstance(tree.get("plan_document"), dict):
        sections.append(
            Section(
                "plan-document",
                _("Kế hoạch được quyết định ban hành"),
                [Row("/plan_document", "", [_field(tree, f"/plan_document/{s.key}", s) for s in ISSUED_PLAN])],
                False,
            )
        )
    for key, title, specs in LISTS:
        items = pointer_get(tree, f"/{key}") or []
        rows = []
        for index, item in enumerate(items):
            base = f"/{key}/{index}"
            fields = [_field(tree, f"{base}/{s.key}", s) for s in specs]
            if key == "indicators":
                for t_index, target in enumerate(item.get("targets") or []):
                    target_fields = [_field(tree, f"{base}/targets/{t_index}/{s.key}", s) for s in TARGET]
                    if isinstance(target, dict) and target.get("year") is None:
                        target_fields[0].flag = _("Văn bản không nêu năm của chỉ tiêu này; hãy kiểm tra.")
                    fields += target_fields
            rows.append(Row(base, str(item.get("id") or index + 1), fields))
        sections.append(Section(key.replace("/", "-"), title, rows, True))
    sections.append(
        Section(
            "signer", _("Người ký"), [Row("/signer", "", [_field(tree, f"/signer/{s.key}", s) for s in SIGNER])], False
        )
    )
    return sections


_RANGE_SPLIT = re.compile(r"^\s*(?P<lo>[^-–]+?)\s*[-–]\s*(?P<hi>[^-–]+?)\s*$")


def _coerce(raw: str, kind: str) -> tuple[Any, str | None]:
    if kind == BOOL:
        return raw.strip() in {"1", "true", "on", "yes"}, None
    if kind == RANGE:
        m = _RANGE_SPLIT.match(clean_text(raw))
        if m:
            lo, lo_error = _coerce(m["lo"], NUMBER)
            hi, hi_error = _coerce(m["hi"], NUMBER)
            if lo_error or hi_error or lo is None or hi is None:
                return None, lo_error or hi_error or str(_("khoảng phải có hai số (vd. 10 - 13)"))
            return [lo, hi], None
        return _coerce(raw, NUMBER)
    if kind == LIST:
        return [clean_text(line) for line in raw.splitlines() if clean_text(line)], None
    text = clean_text(raw)
    if text == "":
        return None, None
    if kind == INT:
        return (int(text), None) if text.isdigit() else (None, str(_("phải là số nguyên")))
    if kind == NUMBER:
        try:
            number = parse_vn_number(text)
        except ValueError:
            return None, str(_("không phải số (viết 1.040 cho một nghìn không trăm bốn mươi, 1,7 cho một phẩy bảy)"))
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if kind == DUE:
        due = _due_parse(text)
        return (
            (due, None)
            if due
            else (None, str(_("hạn không hợp lệ (vd. 15/12 hằng năm, ngày 16 hằng tháng, 16/12/2025)")))
        )
    if kind == DATE:
        try:
            return dt.date.fromisoformat(text).isoformat(), None
        except ValueError:
            pass
        try:
            return parse_vn_date(text).isoformat(), None
        except ValueError:
            return None, str(_("ngày không hợp lệ (viết dd/mm/yyyy)"))
    return text, None


# A report's due day as the plan format stores it (XML Schema's recurring forms: "--12-15" each year, "---16"
# each month, an ISO date once) and as people write it.
_YEARLY = re.compile(r"^--(\d\d)-(\d\d)$")
_MONTHLY = re.compile(r"^---(\d\d)$")
_TYPED_MONTHLY = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+(?:hằng|hàng)\s+tháng$", re.IGNORECASE)
_TYPED_YEARLY = re.compile(r"^(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:\s+(?:hằng|hàng)\s+năm)?$", re.IGNORECASE)


def _due_display(due: str) -> str:
    if m := _YEARLY.match(due):
        return str(_("%(day)s/%(month)s hằng năm") % {"day": m[2], "month": m[1]})
    if m := _MONTHLY.match(due):
        return str(_("ngày %(day)s hằng tháng") % {"day": m[1]})
    try:
        return dt.date.fromisoformat(due).strftime("%d/%m/%Y")
    except ValueError:
        return due


def _due_parse(text: str) -> str | None:
    """The stored form of a typed due day, or None when it is not one."""
    if _YEARLY.match(text) or _MONTHLY.match(text):
        return text
    if m := _TYPED_MONTHLY.match(text):
        day = int(m[1])
        return f"---{day:02d}" if 1 <= day <= 31 else None
    if m := _TYPED_YEARLY.match(text):
        day, month = int(m[1]), int(m[2])
        try:
            dt.date(2000, month, day)  # a leap year, so 29/02 is a valid yearly day
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    for parse in (dt.date.fromisoformat, parse_vn_date):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    return None


def _specs() -> Iterator[tuple[str, FieldSpec]]:
    for spec in DOCUMENT:
        yield f"/document/{spec.key}", spec
    for spec in ISSUED_PLAN:
        yield f"/plan_document/{spec.key}", spec
    for spec in SIGNER:
        yield f"/signer/{spec.key}", spec


def _spec_for(pointer: str) -> FieldSpec | None:
    for fixed, spec in _specs():
        if pointer == fixed:
            return spec
    for key, _title, specs in LISTS:
        prefix = f"/{key}/"
        if pointer.startswith(prefix):
            rest = pointer[len(prefix) :].split("/", 1)
            if len(rest) == 2 and rest[0].isdigit():
                if key == "indicators" and rest[1].startswith("targets/"):
                    parts = rest[1].split("/", 2)
                    if len(parts) == 3 and parts[1].isdigit():
                        return next((s for s in TARGET if s.key == parts[2]), None)
                return next((s for s in specs if s.key == rest[1]), None)
    return None


def review_apply(
    tree: dict[str, Any], form: Mapping[str, str], deletions: list[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Apply posted fields ("f:<pointer>") and row deletions; unknown pointers are ignored, bad values reported."""
    result = copy.deepcopy(tree)
    errors: dict[str, str] = {}
    for name, raw in form.items():
        if not name.startswith("f:"):
            continue
        pointer = name[2:]
        spec = _spec_for(pointer)
        parent_missing = pointer_get(result, pointer.rsplit("/", 1)[0]) is None
        if spec is None or (
            parent_missing and not pointer.startswith(("/signer", "/document")) and "/window/" not in pointer
        ):
            continue
        if spec.kind == BOOL and value_is_default(result, pointer, raw):
            # "group" is written only when true (docs/plan-format.md); an untouched "no" adds nothing.
            continue
        value, error = _coerce(raw, spec.kind)
        if error:
            errors[pointer] = error
            continue
        if spec.kind == CHOICE and value is not None and value not in {key for key, _label in spec.choices}:
            errors[pointer] = str(_("giá trị không có trong danh sách"))
            continue
        if pointer.startswith("/signer") and not isinstance(result.get("signer"), dict):
            result["signer"] = {"name": None, "title": None, "authority": None}
        if "/window/" in pointer and not isinstance(pointer_get(result, pointer.rsplit("/", 1)[0]), dict):
            if value is None:
                continue
            pointer_set(result, pointer.rsplit("/", 1)[0], {"start": None, "end": None})
        pointer_set(result, pointer, value)
    _delete(result, deletions)
    if isinstance(result.get("signer"), dict) and not any(result["signer"].values()):
        result["signer"] = None
    return result, errors


def value_is_default(tree: dict[str, Any], pointer: str, raw: str) -> bool:
    return raw.strip() not in {"1", "true", "on", "yes"} and not pointer_get(tree, pointer)


class NotAPlan(ValueError):
    """The reader found the document is not a plan (``verdict`` "not-plan"): there is nothing to accept."""

    def __init__(self, what: str | None) -> None:
        super().__init__(what or "not a plan")
        self.what = what


def plan_for_loader(tree: dict[str, Any]) -> dict[str, Any]:
    """The reviewed tree in the form the plan loader stores (docs/plan-format.md, "What the reader adds").

    A not-plan is refused (:class:`NotAPlan`). The reader's own keys go: the verdict and notes; a decision's
    issued plan gives the stored plan its title (the document's number and date stay the decision's, which is
    how the plan was issued); a task's group flag (the lead's name says it); a target range keeps its low end
    as "at least" (the range stays in the target's text); a one-off report is stored as an ad hoc one with its
    date, an undated periodic one as ad hoc, and a monthly day, which the plan model cannot hold, as no day.
    """
    if verdict_of(tree) == "not-plan":
        raise NotAPlan(tree.get("not_plan"))
    data = copy.deepcopy(tree)
    issued = data.pop("plan_document", None)
    if isinstance(issued, dict) and issued.get("title") and isinstance(data.get("document"), dict):
        data["document"]["title"] = issued["title"]
    for key in ("verdict", "not_plan", "notes"):
        data.pop(key, None)
    for task in data.get("tasks") or []:
        if isinstance(task, dict):
            task.pop("group", None)
    for indicator in data.get("indicators") or []:
        for target in (indicator.get("targets") if isinstance(indicator, dict) else None) or []:
            if isinstance(target, dict) and isinstance(target.get("value"), list):
                bounds = target["value"]
                low = bounds[0] if bounds else None
                target["text"] = target.get("text") or " - ".join(_display(v, NUMBER) for v in bounds) or None
                target["value"] = low
                target["comparator"] = ">=" if low is not None else None
    for rule in data.get("reporting") or []:
        if not isinstance(rule, dict):
            continue
        if rule.get("kind") in {"once", "periodic"}:
            rule["kind"] = "adhoc"
        due = rule.get("due")
        if isinstance(due, str) and due.startswith("---"):
            rule["due"] = None
    return data


def _delete(tree: dict[str, Any], deletions: list[str]) -> None:
    # Delete from the end of each list so earlier indexes stay valid.
    by_list: dict[str, list[int]] = {}
    for pointer in deletions:
        base, _, position = pointer.rpartition("/")
        if position.isdigit() and any(base == f"/{key}" for key, _t, _s in LISTS):
            by_list.setdefault(base, []).append(int(position))
    for base, indexes in by_list.items():
        items = pointer_get(tree, base)
        if not isinstance(items, list):
            continue
        removed_ids = set()
        for index in sorted(set(indexes), reverse=True):
            if 0 <= index < len(items):
                removed_ids.add(items[index].get("id"))
                del items[index]
        _drop_links(tree, base, removed_ids)


def _drop_links(tree: dict[str, Any], base: str, removed: set[Any]) -> None:
    """Links to a deleted row would make the plan invalid; they go with it."""
    removed.discard(None)
    if not removed:
        return
    link_fields = {
        "/objectives": ("objective", "objectives"),
        "/projects": ("project", None),
        "/tasks": ("parent", None),
        "/indicators": (None, "indicators"),
    }
    single, multiple = link_fields.get(base, (None, None))
    for key in ("indicators", "tasks", "projects"):
        for item in tree.get(key) or []:
            if single and item.get(single) in removed:
                item[single] = None
            if multiple and isinstance(item.get(multiple), list):
                item[multiple] = [link for link in item[multiple] if link not in removed]


def agency_names(tree: dict[str, Any]) -> list[str]:
    """Every agency name the plan uses, once, in order of first appearance."""
    names: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and value.strip() and value not in names:
            names.append(value)

    for item in (tree.get("tasks") or []) + (tree.get("projects") or []):
        add(item.get("lead"))
        for partner in item.get("partners") or []:
            add(partner)
    for indicator in tree.get("indicators") or []:
        for name in indicator.get("responsible") or []:
            add(name)
    for rule in tree.get("reporting") or []:
        add(rule.get("to"))
        add(rule.get("through"))
    return names


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
