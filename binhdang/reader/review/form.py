"""What the review page shows: the reader's plan/1 tree as sections of rows of fields, each with its source span."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from binhdang.reader.review.fields import DOCUMENT, ISSUED_PLAN, LISTS, SIGNER, TARGET, Choices, FieldSpec, pointer_get
from binhdang.reader.review.values import _display


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
