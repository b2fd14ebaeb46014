"""The fields a reviewer can correct (their labels, kinds and choices) and the JSON Pointers that address them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

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
