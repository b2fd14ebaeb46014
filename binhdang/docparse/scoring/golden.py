"""Golden files and reader output as comparable items (docs/reader-scoring.md).

Two kinds of golden file are read into the same items:

- ``<name>.golden.json`` (``binhdang.reader-golden/1``): the fields that matter on real documents, written by
  reading the document;
- ``<seed>.expected.json`` (``binhdang.plan/1``): a seed's whole golden plan, from which the same items are
  derived, so the seeds are scored the same way.

The reader's output (a plan/1 dict, plus the names docs/reader-scoring.md defines for verdicts, groups and
one-off deadlines) is turned into the same items by :func:`items_from_reader`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from binhdang.lib.text import clean_text, fold

__all__ = [
    "FIELDS",
    "GOLDEN_FORMAT",
    "Golden",
    "GoldenError",
    "Items",
    "Target",
    "TaskLead",
    "find_source",
    "golden_files",
    "golden_from_plan",
    "items_from_reader",
    "load_golden",
    "quote_problems",
    "quote_text",
    "run_reader",
]

GOLDEN_FORMAT = "binhdang.reader-golden/1"
VERDICTS = ("plan", "decision-issuing-plan", "not-plan")
# What the reader gives when it raised, or said "not a plan" without naming what the document is.
REFUSED = "refused"
IDENTITY_FIELDS = ("kind", "code", "date", "place", "issuer", "level")
FIELDS = ("identity", "references", "targets", "task leads", "task partners", "deadlines", "not-plans", "plans read")
# Words of a seed task's text taken as its quote (docs/reader-scoring.md: "the first 6–12 words").
SEED_QUOTE_WORDS = 12
REPO_ROOT = Path(__file__).resolve().parents[3]


class GoldenError(ValueError):
    """A golden file that cannot be read: names the file and what is wrong."""


# --- comparable items -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    quote: str
    value: float | tuple[float, float] | None
    year: int | None
    unit: str | None = None
    comparator: str | None = None


@dataclass(frozen=True)
class TaskLead:
    quote: str
    lead: str | None
    partners: tuple[str, ...] = ()
    group: bool = False


@dataclass
class Items:
    """What one document holds (golden) or what the reader read from it, in comparable form."""

    verdict: str
    not_plan: str | None = None
    document: dict[str, Any] = field(default_factory=dict)
    plan: dict[str, Any] | None = None
    references: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[TaskLead] = field(default_factory=list)
    deadlines: list[tuple[str | None, str | None]] = field(default_factory=list)
    error: str | None = None


@dataclass
class Golden:
    name: str
    source: Path | None
    source_name: str
    items: Items
    notes: str = ""


# --- folding ----------------------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


def _words(s: str) -> list[str]:
    return [w for w in _NON_WORD.split(fold(s)) if w]


def _phrase(s: str) -> str:
    """Folded words joined by single spaces, padded so containment only matches whole words."""
    return " " + " ".join(_words(s)) + " "


def _code_key(code: str) -> str:
    return re.sub(r"\s+", "", clean_text(code)).translate({0x2013: "-", 0x2014: "-"}).casefold()


def quote_text(text: str) -> str:
    """The text quotes are copied from: NFC, markdown marks removed, every run of white space one space."""
    return " ".join(clean_text(" ".join(text.split())).replace("*", "").split())


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.replace(",", "."))
        except ValueError:
            return None
    return None


def _value(v: Any) -> float | tuple[float, float] | None:
    """A target value: a number, or ``(low, high)`` from ``[low, high]`` or ``{"low":, "high":}``."""
    if isinstance(v, dict):
        v = [v.get("low"), v.get("high")]
    if isinstance(v, (list, tuple)):
        if len(v) == 2:
            low, high = _number(v[0]), _number(v[1])
            if low is not None and high is not None:
                return (low, high) if low != high else low
        return None
    return _number(v)


def _same_value(a: float | tuple[float, float] | None, b: float | tuple[float, float] | None) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and abs(a[0] - b[0]) < 1e-9 and abs(a[1] - b[1]) < 1e-9
    return abs(a - b) < 1e-9


def _year(v: Any) -> int | None:
    n = _number(v)
    return int(n) if n is not None else None


def _str(v: Any) -> str | None:
    if v is None:
        return None
    s = clean_text(str(v))
    return s or None


# --- golden files -----------------------------------------------------------------------------------------


def _corpus_dirs() -> list[Path]:
    """``shared/corpus`` beside the repository root or beside any folder above it (worktrees sit deeper); then
    the same above the working directory, for a package installed outside its checkout."""
    return [p / "shared" / "corpus" for p in (*REPO_ROOT.parents, *Path.cwd().parents)]


def find_source(name: str, folder: Path) -> Path | None:
    """The source document ``name``: in the golden file's folder, else in ``../shared/corpus`` (see above)."""
    for d in (folder, *_corpus_dirs()):
        candidate = d / name
        if candidate.is_file():
            return candidate
    return None


def _golden_targets(raw: Any, where: str) -> list[Target]:
    out = []
    for i, t in enumerate(raw or []):
        if not isinstance(t, dict) or not isinstance(t.get("quote"), str):
            raise GoldenError(f"{where}: targets[{i}] needs a quote")
        value = _value(t.get("value"))
        if value is None:
            raise GoldenError(f"{where}: targets[{i}] has no number or [low, high] value")
        out.append(Target(t["quote"], value, _year(t.get("year")), _str(t.get("unit")), _str(t.get("comparator"))))
    return out


def _golden_tasks(raw: Any, where: str) -> list[TaskLead]:
    out = []
    for i, t in enumerate(raw or []):
        if not isinstance(t, dict) or not isinstance(t.get("quote"), str) or not isinstance(t.get("lead"), str):
            raise GoldenError(f"{where}: task_leads[{i}] needs a quote and a lead")
        partners = tuple(p for p in (t.get("partners") or []) if isinstance(p, str))
        out.append(TaskLead(t["quote"], t["lead"], partners, bool(t.get("group"))))
    return out


def _golden_deadlines(raw: Any, where: str) -> list[tuple[str | None, str | None]]:
    out = []
    for i, d in enumerate(raw or []):
        if not isinstance(d, dict) or not isinstance(d.get("kind"), str):
            raise GoldenError(f"{where}: deadlines[{i}] needs a kind")
        out.append((d["kind"], _str(d.get("due"))))
    return out


def _reader_golden(data: dict[str, Any], path: Path) -> Golden:
    where = str(path)
    verdict = data.get("verdict")
    if verdict not in VERDICTS:
        raise GoldenError(f"{where}: verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    source_name = data.get("source")
    if not isinstance(source_name, str) or not source_name:
        raise GoldenError(f"{where}: no source file named")
    document = data.get("document") or {}
    if not isinstance(document, dict):
        raise GoldenError(f"{where}: document must be an object")
    plan = data.get("plan")
    if verdict == "decision-issuing-plan" and not isinstance(plan, dict):
        raise GoldenError(f"{where}: a decision-issuing-plan needs a plan object (title, code)")
    items = Items(
        verdict=verdict,
        not_plan=_str(data.get("not_plan")),
        document={k: _str(document.get(k)) for k in IDENTITY_FIELDS},
        plan={"title": _str(plan.get("title")), "code": _str(plan.get("code"))} if isinstance(plan, dict) else None,
        references=[r for r in data.get("references") or [] if isinstance(r, str)],
        targets=_golden_targets(data.get("targets"), where),
        tasks=_golden_tasks(data.get("task_leads"), where),
        deadlines=_golden_deadlines(data.get("deadlines"), where),
    )
    return Golden(
        path.name.removesuffix(".golden.json"),
        find_source(source_name, path.parent),
        source_name,
        items,
        str(data.get("notes") or ""),
    )


def _seed_quote(text: str) -> str:
    return " ".join(text.split()[:SEED_QUOTE_WORDS])


def golden_from_plan(plan: dict[str, Any]) -> Items:
    """The comparable items of a whole hand-written plan/1 golden file (a seed's ``.expected.json``)."""
    items = _plan_items(plan, verdict="plan")
    items.tasks = [TaskLead(_seed_quote(t.quote), t.lead, t.partners, t.group) for t in items.tasks if t.lead]
    return items


def load_golden(path: Path) -> Golden:
    """Read one golden file of either kind; raise :class:`GoldenError` naming the file when it is malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldenError(f"{path}: cannot read the golden file: {exc}") from exc
    if not isinstance(data, dict):
        raise GoldenError(f"{path}: a golden file is a JSON object")
    if data.get("format") == GOLDEN_FORMAT:
        return _reader_golden(data, path)
    if data.get("schema") == "binhdang.plan/1":
        name = path.name.removesuffix(".expected.json")
        source = path.with_name(f"{name}.txt")
        return Golden(name, source if source.is_file() else None, source.name, golden_from_plan(data))
    raise GoldenError(f"{path}: neither {GOLDEN_FORMAT} nor a binhdang.plan/1 file")


def golden_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.golden.json"), *folder.glob("*.expected.json")])


# --- the reader's output ----------------------------------------------------------------------------------


def _plan_items(plan: dict[str, Any], verdict: str) -> Items:
    doc = plan.get("document") if isinstance(plan.get("document"), dict) else {}
    assert isinstance(doc, dict)
    references = [r.get("code") for r in plan.get("references") or [] if isinstance(r, dict)]
    targets = []
    for ind in plan.get("indicators") or []:
        if not isinstance(ind, dict):
            continue
        for t in ind.get("targets") or []:
            if not isinstance(t, dict):
                continue
            text = " ".join(s for s in (ind.get("text"), t.get("text")) if isinstance(s, str))
            targets.append(
                Target(
                    text, _value(t.get("value")), _year(t.get("year")), _str(ind.get("unit")), _str(t.get("comparator"))
                )
            )
    tasks = []
    for t in plan.get("tasks") or []:
        if not isinstance(t, dict) or not isinstance(t.get("text"), str):
            continue
        lead = _str(t.get("lead"))
        partners = tuple(p for p in t.get("partners") or [] if isinstance(p, str))
        tasks.append(TaskLead(t["text"], lead, partners, bool(t.get("lead_group") or t.get("group"))))
    deadlines = [(_str(r.get("kind")), _str(r.get("due"))) for r in plan.get("reporting") or [] if isinstance(r, dict)]
    return Items(
        verdict=verdict,
        document={k: _str(doc.get(k)) for k in IDENTITY_FIELDS},
        references=[r for r in references if isinstance(r, str) and r.strip()],
        targets=targets,
        tasks=tasks,
        deadlines=deadlines,
    )


def items_from_reader(plan: dict[str, Any] | None, *, is_plan: bool = True, error: str | None = None) -> Items:
    """The comparable items of what the reader returned (``plan`` is its plan/1 dict, None when it raised).

    The verdict is ``document.verdict`` (or a top-level ``verdict``) when the reader names one; a reader that
    names none and says ``is_plan=False``, or raised, refused the document. For a decision that issues a plan,
    ``plan_document`` holds the plan's title and code.
    """
    if plan is None or error is not None:
        return Items(verdict=REFUSED, error=error or "the reader returned nothing")
    doc = plan.get("document") if isinstance(plan.get("document"), dict) else {}
    assert isinstance(doc, dict)
    verdict = doc.get("verdict") or plan.get("verdict")
    if verdict not in VERDICTS:
        verdict = "plan" if is_plan else REFUSED
    if verdict == REFUSED:
        return Items(verdict=REFUSED, error="refused: not read as a plan and not named as anything else")
    items = _plan_items(plan, verdict)
    items.not_plan = _str(doc.get("not_plan") or plan.get("not_plan"))
    pd = plan.get("plan_document")
    if isinstance(pd, dict):
        items.plan = {"title": _str(pd.get("title")), "code": _str(pd.get("code"))}
        extra = [r.get("code") for r in pd.get("references") or [] if isinstance(r, dict)]
        items.references += [r for r in extra if isinstance(r, str) and r.strip()]
    return items


def run_reader(path: Path) -> Items:
    """Read ``path`` with the reader's public entry point; an exception is a refusal."""
    from binhdang.docparse import parse_bytes

    try:
        result = parse_bytes(path.read_bytes(), path.name, ocr=False)
    except Exception as exc:  # any failure of the reader is scored as a refusal, and reported
        return items_from_reader(None, error=f"{type(exc).__name__}: {exc}")
    return items_from_reader(result.plan, is_plan=bool(getattr(result, "is_plan", True)))


def quote_problems(golden_path: Path) -> list[str]:
    """The quotes of a ``reader-golden/1`` file that do not occur in its source's :func:`quote_text`."""
    golden = load_golden(golden_path)
    if golden.source is None:
        return [f"{golden_path}: source {golden.source_name} not found"]
    text = quote_text(golden.source.read_text(encoding="utf-8"))
    quotes = [("target", t.quote) for t in golden.items.targets] + [("task", t.quote) for t in golden.items.tasks]
    raw = json.loads(golden_path.read_text(encoding="utf-8"))
    quotes += [("deadline", d["quote"]) for d in raw.get("deadlines") or [] if isinstance(d.get("quote"), str)]
    return [f"{golden_path.name}: {kind} quote not in the text: {q!r}" for kind, q in quotes if q not in text]
