"""What the review page shows and how a person's corrections are applied to the reader's plan/1 tree.

Each editable value is addressed by its JSON Pointer (RFC 6901), the same key the reader's `provenance`
uses, so the page can highlight the text a value came from. Pure functions: no database.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from binhdang.lib.dates import parse_vn_date
from binhdang.lib.numbers import parse_vn_number
from binhdang.lib.text import clean_text

TEXT, LONG, INT, NUMBER, DATE, LIST, CHOICE = "text", "long", "int", "number", "date", "list", "choice"

LEVELS = ["province", "district", "commune"]
RELATIONS = ["basis", "parent", "cited"]
COMPARATORS = [">=", ">", "<=", "<", "=", "~"]
SOURCES = ["central", "local", "other"]
REPORT_KINDS = ["semiannual", "annual", "ninemonth", "quarterly", "monthly", "adhoc", "midterm", "final"]
PROJECT_KINDS = ["project", "subproject", "content", "model"]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: Any
    kind: str
    choices: tuple[str, ...] = ()


@dataclass
class Field:
    pointer: str
    label: Any
    kind: str
    value: str
    choices: tuple[str, ...]
    start: int | None
    end: int | None
    confidence: float | None


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
    FieldSpec("level", _("Cấp"), CHOICE, tuple(LEVELS)),
    FieldSpec("years/0", _("Từ năm"), INT),
    FieldSpec("years/1", _("Đến năm"), INT),
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
            FieldSpec("relation", _("Quan hệ"), CHOICE, tuple(RELATIONS)),
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
            FieldSpec("partners", _("Phối hợp (mỗi dòng một tên)"), LIST),
            FieldSpec("window/start", _("Từ ngày"), TEXT),
            FieldSpec("window/end", _("Đến ngày"), TEXT),
        ],
    ),
    (
        "projects",
        _("Dự án, mô hình"),
        [
            FieldSpec("kind", _("Loại"), CHOICE, tuple(PROJECT_KINDS)),
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
            FieldSpec("source", _("Nguồn"), CHOICE, tuple(SOURCES)),
            FieldSpec("amount", _("Số tiền"), NUMBER),
        ],
    ),
    (
        "budget/totals",
        _("Tổng in trong văn bản"),
        [
            FieldSpec("item", _("Hạng mục"), TEXT),
            FieldSpec("year", _("Năm"), INT),
            FieldSpec("source", _("Nguồn"), CHOICE, tuple(SOURCES)),
            FieldSpec("amount", _("Số tiền"), NUMBER),
        ],
    ),
    (
        "reporting",
        _("Chế độ báo cáo"),
        [
            FieldSpec("kind", _("Loại báo cáo"), CHOICE, tuple(REPORT_KINDS)),
            FieldSpec("due", _("Hạn (--MM-DD)"), TEXT),
            FieldSpec("to", _("Gửi về"), TEXT),
            FieldSpec("through", _("Qua"), TEXT),
        ],
    ),
]
TARGET = [
    FieldSpec("year", _("Năm"), INT),
    FieldSpec("value", _("Giá trị"), NUMBER),
    FieldSpec("comparator", _("So sánh"), CHOICE, tuple(COMPARATORS)),
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
    """Set a value, creating objects on the way ("/tasks/2/window/start" on a task with no window)."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.strip("/").split("/")]
    node = tree
    for token in tokens[:-1]:
        if isinstance(node, list):
            node = node[int(token)]
        else:
            if not isinstance(node.get(token), dict | list):
                node[token] = {}
            node = node[token]
    last = tokens[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _display(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        # A yes/no target is stored as 1 or 0; the loader turns it back into true/false for boolean measures.
        return "1" if value else "0"
    if kind == LIST and isinstance(value, list):
        # One name per line: names themselves may contain ";" or "," ("Ban Văn hóa; Truyền thanh").
        return "\n".join(str(v) for v in value)
    if kind == NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
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
    for key, title, specs in LISTS:
        items = pointer_get(tree, f"/{key}") or []
        rows = []
        for index, item in enumerate(items):
            base = f"/{key}/{index}"
            fields = [_field(tree, f"{base}/{s.key}", s) for s in specs]
            if key == "indicators":
                for t_index, _target in enumerate(item.get("targets") or []):
                    fields += [_field(tree, f"{base}/targets/{t_index}/{s.key}", s) for s in TARGET]
            rows.append(Row(base, str(item.get("id") or index + 1), fields))
        sections.append(Section(key.replace("/", "-"), title, rows, True))
    sections.append(
        Section(
            "signer", _("Người ký"), [Row("/signer", "", [_field(tree, f"/signer/{s.key}", s) for s in SIGNER])], False
        )
    )
    return sections


def _coerce(raw: str, kind: str) -> tuple[Any, str | None]:
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


def _specs() -> Iterator[tuple[str, FieldSpec]]:
    for spec in DOCUMENT:
        yield f"/document/{spec.key}", spec
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
        value, error = _coerce(raw, spec.kind)
        if error:
            errors[pointer] = error
            continue
        if spec.kind == CHOICE and value is not None and value not in spec.choices:
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
