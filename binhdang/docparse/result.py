"""The typed result of reading a plan, and its serialisation to ``binhdang.plan/1`` (docs/plan-format.md).

Every entity keeps, beside its values, the spans of text they came from (``spans``: field name -> Span). The
JSON carries them as ``provenance``: JSON Pointers into the plan mapped to ``{start, end, confidence}``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCHEMA",
    "Aim",
    "BudgetCheck",
    "BudgetLine",
    "DocumentInfo",
    "Indicator",
    "IssuedPlan",
    "Objective",
    "ParseResult",
    "Plan",
    "Project",
    "Reference",
    "Report",
    "Signer",
    "Span",
    "Target",
    "Task",
]

SCHEMA = "binhdang.plan/1"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    confidence: float = 0.9


def _spans() -> dict[str, Span]:
    return {}


@dataclass
class DocumentInfo:
    kind: str | None = None
    code: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    place: str | None = None
    issuer: str | None = None
    unit: str | None = None
    title: str | None = None
    level: str | None = None
    years: list[int] | None = None
    status: str = "draft"
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Reference:
    kind: str | None
    code: str
    number: str | None
    date: str | None
    issuer: str | None
    title: str | None
    relation: str
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Aim:
    text: str
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Objective:
    id: str
    number: str | None
    title: str | None
    text: str | None
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Target:
    year: int | None
    # A range ("10 - 13%/năm") is [low, high].
    value: float | int | bool | list[float | int] | None
    comparator: str | None
    text: str | None
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Indicator:
    id: str
    objective: str | None
    project: str | None
    number: str | None
    text: str
    measure: str | None = None
    unit: str | None = None
    direction: str | None = None
    baseline: dict[str, Any] | None = None
    targets: list[Target] = field(default_factory=list)
    disaggregations: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Task:
    id: str
    parent: str | None
    section: str | None
    number: str | None
    text: str
    lead: str | None = None
    partners: list[str] = field(default_factory=list)
    window: dict[str, str] | None = None
    objectives: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    # The lead is a group of bodies ("Ủy ban nhân dân các xã, phường", "các sở, ban, ngành"), not one agency.
    group: bool = field(default=False, metadata={"omit_default": True})
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Project:
    id: str
    parent: str | None
    kind: str
    number: str | None
    name: str | None
    lead: str | None = None
    partners: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    scope: str | None = None
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class BudgetLine:
    item: str | None
    year: int | None
    source: str | None
    amount: float | int
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class BudgetCheck:
    ok: bool
    item: str | None
    year: int | None
    source: str | None
    printed: float | int
    computed: float | int
    message: str
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Report:
    kind: str
    due: str | None
    to: str | None
    through: str | None
    text: str
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class Signer:
    name: str | None = None
    title: str | None = None
    authority: str | None = None
    spans: dict[str, Span] = field(default_factory=_spans)


@dataclass
class IssuedPlan:
    """The plan a decision issues ("Quyết định ban hành Kế hoạch ..."): its title and code when printed."""

    title: str | None = None
    code: str | None = None
    spans: dict[str, Span] = field(default_factory=_spans)


VERDICTS = ("plan", "decision-issuing-plan", "not-plan")


@dataclass
class Plan:
    document: DocumentInfo = field(default_factory=DocumentInfo)
    references: list[Reference] = field(default_factory=list)
    aims: list[Aim] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    budget_unit: str | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)
    budget_totals: list[BudgetLine] = field(default_factory=list)
    budget_checks: list[BudgetCheck] = field(default_factory=list)
    reporting: list[Report] = field(default_factory=list)
    signer: Signer | None = None
    recipients: list[Aim] = field(default_factory=list)
    # What the document is (see VERDICTS); for a not-plan, what it is in Vietnamese words; for a decision that
    # issues a plan, that plan. Written to JSON only when they differ from a plain plan (docs/plan-format.md).
    verdict: str = "plan"
    not_plan: str | None = None
    issued_plan: IssuedPlan | None = None
    notes: list[str] = field(default_factory=list)


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}
_KEEP = object()


def _names(cls: type) -> tuple[tuple[str, Any], ...]:
    """Field names with, for fields written only when set, their default (else _KEEP)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            (f.name, f.default if f.metadata.get("omit_default") else _KEEP)
            for f in dataclasses.fields(cls)
            if f.name != "spans"
        )
    return names


def _entity(obj: Any, pointer: str, prov: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, default in _names(type(obj)):
        value = getattr(obj, name)
        if default is not _KEEP and value == default:
            continue
        if isinstance(value, list):
            if value and dataclasses.is_dataclass(value[0]):
                out[name] = [_entity(v, f"{pointer}/{name}/{i}", prov) for i, v in enumerate(value)]
            else:
                out[name] = list(value)
        else:
            out[name] = value
    for name, span in obj.spans.items():
        prov[f"{pointer}/{_esc(name)}"] = {"start": span.start, "end": span.end, "confidence": span.confidence}
    return out


def plan_to_json(plan: Plan, source: dict[str, Any] | None = None) -> dict[str, Any]:
    prov: dict[str, dict[str, Any]] = {}
    out: dict[str, Any] = {"schema": SCHEMA, "document": _entity(plan.document, "/document", prov)}
    out["references"] = [_entity(r, f"/references/{i}", prov) for i, r in enumerate(plan.references)]
    out["aims"] = []
    for i, a in enumerate(plan.aims):
        out["aims"].append(a.text)
        for span in a.spans.values():
            prov[f"/aims/{i}"] = {"start": span.start, "end": span.end, "confidence": span.confidence}
    for key in ("objectives", "indicators", "tasks", "projects"):
        out[key] = [_entity(x, f"/{key}/{i}", prov) for i, x in enumerate(getattr(plan, key))]
    out["budget"] = {
        "unit": plan.budget_unit,
        "lines": [_entity(x, f"/budget/lines/{i}", prov) for i, x in enumerate(plan.budget_lines)],
        "totals": [_entity(x, f"/budget/totals/{i}", prov) for i, x in enumerate(plan.budget_totals)],
        "checks": [_entity(x, f"/budget/checks/{i}", prov) for i, x in enumerate(plan.budget_checks)],
    }
    out["reporting"] = [_entity(x, f"/reporting/{i}", prov) for i, x in enumerate(plan.reporting)]
    out["signer"] = _entity(plan.signer, "/signer", prov) if plan.signer else None
    out["recipients"] = []
    for i, a in enumerate(plan.recipients):
        out["recipients"].append(a.text)
        for span in a.spans.values():
            prov[f"/recipients/{i}"] = {"start": span.start, "end": span.end, "confidence": span.confidence}
    if plan.verdict != "plan":
        out["verdict"] = plan.verdict
    if plan.not_plan is not None:
        out["not_plan"] = plan.not_plan
    if plan.issued_plan is not None:
        out["plan_document"] = _entity(plan.issued_plan, "/plan_document", prov)
    if plan.notes:
        out["notes"] = list(plan.notes)
    if source is not None:
        out["source"] = source
    out["provenance"] = prov
    return out


@dataclass
class ParseResult:
    """What :func:`binhdang.docparse.parse_text` returns: ``plan`` is the plan/1 dict (also for not-a-plan,
    with empty fields), ``is_plan`` says whether the text is a plan, ``reason`` why not."""

    is_plan: bool
    reason: str | None
    plan: dict[str, Any]
    typed: Plan
    text: str
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """ "plan", "decision-issuing-plan" or "not-plan" (docs/reader-scoring.md)."""
        return self.typed.verdict

    @property
    def not_plan(self) -> str | None:
        """For a not-plan, what the document is ("Quyết định công bố thủ tục hành chính")."""
        return self.typed.not_plan

    def to_json(self) -> dict[str, Any]:
        return self.plan
