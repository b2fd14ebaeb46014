"""Score the plan reader against golden files: precision and recall per field (docs/reader-scoring.md).

Two kinds of golden file are read into the same comparable items:

- ``<name>.golden.json`` (``binhdang.reader-golden/1``): the fields that matter on real documents, written by
  reading the document;
- ``<seed>.expected.json`` (``binhdang.plan/1``): a seed's whole golden plan, from which the same items are
  derived, so the seeds are scored the same way.

The reader's output (a plan/1 dict, plus the names docs/reader-scoring.md defines for verdicts, groups and
one-off deadlines) is turned into the same items, and each field is matched as the doc says. Pure Python: the
reader is called through its public ``parse_bytes``; nothing here imports Django.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from binhdang.lib.agency_names import agency_key
from binhdang.lib.text import clean_text, fold

__all__ = [
    "FIELDS",
    "GOLDEN_FORMAT",
    "DocumentScore",
    "FieldCount",
    "Golden",
    "GoldenError",
    "Items",
    "Score",
    "find_source",
    "golden_from_plan",
    "items_from_reader",
    "load_golden",
    "quote_problems",
    "quote_text",
    "render_table",
    "render_verbose",
    "score_document",
    "score_folders",
]

GOLDEN_FORMAT = "binhdang.reader-golden/1"
VERDICTS = ("plan", "decision-issuing-plan", "not-plan")
# What the reader gives when it raised, or said "not a plan" without naming what the document is.
REFUSED = "refused"
IDENTITY_FIELDS = ("kind", "code", "date", "place", "issuer", "level")
FIELDS = ("identity", "references", "targets", "task leads", "task partners", "deadlines", "not-plans", "plans read")
# Share of a target quote's words that must appear in the read indicator's text for the two to match.
QUOTE_WORD_SHARE = 0.75
# Words of a seed task's text taken as its quote (docs/reader-scoring.md: "the first 6–12 words").
SEED_QUOTE_WORDS = 12
REPO_ROOT = Path(__file__).resolve().parents[2]


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


# --- scoring ----------------------------------------------------------------------------------------------


@dataclass
class FieldCount:
    golden: int = 0
    read: int = 0
    right_golden: int = 0  # golden items found right (recall's numerator)
    right_read: int = 0  # read items that are right (precision's numerator)

    def add(self, other: FieldCount) -> None:
        self.golden += other.golden
        self.read += other.read
        self.right_golden += other.right_golden
        self.right_read += other.right_read

    @property
    def precision(self) -> float | None:
        return self.right_read / self.read if self.read else None

    @property
    def recall(self) -> float | None:
        return self.right_golden / self.golden if self.golden else None


@dataclass
class DocumentScore:
    name: str
    verdict: str
    read_verdict: str
    counts: dict[str, FieldCount]
    missed: list[str] = field(default_factory=list)  # golden items not found
    wrong: list[str] = field(default_factory=list)  # read items that match no golden item, or wrong values
    error: str | None = None


@dataclass
class Score:
    documents: list[DocumentScore]
    totals: dict[str, FieldCount]

    def to_json(self) -> dict[str, Any]:
        def counts(c: dict[str, FieldCount]) -> dict[str, Any]:
            return {
                k: {
                    "precision": v.precision,
                    "recall": v.recall,
                    "golden": v.golden,
                    "read": v.read,
                    "right_golden": v.right_golden,
                    "right_read": v.right_read,
                }
                for k, v in c.items()
            }

        return {
            "fields": counts(self.totals),
            "documents": [
                {
                    "name": d.name,
                    "verdict": d.verdict,
                    "read_verdict": d.read_verdict,
                    "error": d.error,
                    "fields": counts(d.counts),
                    "missed": d.missed,
                    "wrong": d.wrong,
                }
                for d in self.documents
            ],
        }


def _same_identity(key: str, golden: str | None, read: str | None) -> bool:
    if golden is None or read is None:
        return golden is read
    if key == "code":
        return _code_key(golden) == _code_key(read)
    if key == "issuer":
        return agency_key(golden) == agency_key(read)
    if key in ("place", "title"):
        return _words(golden) == _words(read)
    return fold(golden) == fold(read)


def _score_identity(g: Items, r: Items, doc: DocumentScore) -> FieldCount:
    c = FieldCount()
    pairs: list[tuple[str, str | None, str | None]] = [("verdict", g.verdict, r.verdict)]
    if r.verdict != REFUSED:
        pairs += [(k, g.document.get(k), r.document.get(k)) for k in IDENTITY_FIELDS]
    else:
        pairs += [(k, g.document.get(k), None) for k in IDENTITY_FIELDS]
    if g.verdict == "decision-issuing-plan":
        rp = r.plan or {}
        gp = g.plan or {}
        pairs += [(f"plan {k}", gp.get(k), rp.get(k)) for k in ("title", "code")]
    for key, gv, rv in pairs:
        c.golden += 1
        c.read += 1
        base = key.removeprefix("plan ")
        if r.verdict == REFUSED:
            ok = False
        elif key == "verdict":
            ok = gv == rv
        else:
            ok = _same_identity(base, gv, rv)
        if ok:
            c.right_golden += 1
            c.right_read += 1
        else:
            doc.wrong.append(f"identity {key}: golden {gv!r}, read {rv!r}")
    return c


def _score_references(g: Items, r: Items, doc: DocumentScore) -> FieldCount:
    gk = {_code_key(x): x for x in g.references}
    rk = {_code_key(x): x for x in r.references}
    both = gk.keys() & rk.keys()
    doc.missed += [f"reference {gk[k]}" for k in gk if k not in both]
    doc.wrong += [f"reference {rk[k]} (not in the golden file)" for k in rk if k not in both]
    return FieldCount(len(gk), len(rk), len(both), len(both))


def _quote_share(quote: str, text: str) -> float:
    qw = _words(quote)
    if not qw:
        return 0.0
    tw = set(_words(text))
    return sum(1 for w in qw if w in tw) / len(qw)


def _fmt_value(v: float | tuple[float, float] | None) -> str:
    if isinstance(v, tuple):
        return f"[{v[0]:g}, {v[1]:g}]"
    return "null" if v is None else f"{v:g}"


def _fmt_year(year: int | None) -> str:
    return "no year" if year is None else f"by {year}"


def _score_targets(g: Items, r: Items, doc: DocumentScore) -> FieldCount:
    candidates = []
    for gi, gt in enumerate(g.targets):
        for ri, rt in enumerate(r.targets):
            if _same_value(gt.value, rt.value) and gt.year == rt.year:
                share = _quote_share(gt.quote, rt.quote)
                if share >= QUOTE_WORD_SHARE:
                    candidates.append((-share, gi, ri))
    matched_g: dict[int, int] = {}
    matched_r: set[int] = set()
    for _share, gi, ri in sorted(candidates):
        if gi not in matched_g and ri not in matched_r:
            matched_g[gi] = ri
            matched_r.add(ri)
    for gi, gt in enumerate(g.targets):
        if gi not in matched_g:
            doc.missed.append(f"target {_fmt_value(gt.value)} {gt.unit or ''} {_fmt_year(gt.year)}: {gt.quote!r}")
        else:
            rt = r.targets[matched_g[gi]]
            if gt.comparator and rt.comparator and gt.comparator != rt.comparator:
                doc.wrong.append(
                    f"target {gt.quote!r}: comparator {rt.comparator} read, {gt.comparator} golden (not scored)"
                )
    for ri, rt in enumerate(r.targets):
        if ri not in matched_r:
            doc.wrong.append(
                f"target {_fmt_value(rt.value)} {_fmt_year(rt.year)} (no golden match): {rt.quote[:100]!r}"
            )
    n = len(matched_g)
    return FieldCount(len(g.targets), len(r.targets), n, n)


def _lead_right(gt: TaskLead, rt: TaskLead) -> bool:
    if rt.lead is None or gt.lead is None:
        return False
    if agency_key(gt.lead) != agency_key(rt.lead):
        return False
    return rt.group if gt.group else True


def _score_tasks(g: Items, r: Items, doc: DocumentScore) -> tuple[FieldCount, FieldCount]:
    phrases = [_phrase(t.quote) for t in r.tasks]
    contains = {gi: [ri for ri, p in enumerate(phrases) if _phrase(gt.quote) in p] for gi, gt in enumerate(g.tasks)}
    matched: dict[int, int] = {}
    used: set[int] = set()
    # Right pairs first, so a wrong pair cannot take the read task a later golden task would match rightly;
    # among several read tasks holding the quote, the shortest (the most specific) wins.
    for want_right in (True, False):
        for gi, gt in enumerate(g.tasks):
            if gi in matched:
                continue
            options = [
                ri
                for ri in contains[gi]
                if ri not in used and r.tasks[ri].lead is not None and _lead_right(gt, r.tasks[ri]) == want_right
            ]
            if options:
                ri = min(options, key=lambda i: len(phrases[i]))
                matched[gi] = ri
                used.add(ri)
    leads = FieldCount(golden=len(g.tasks), read=sum(1 for t in r.tasks if t.lead is not None))
    partners = FieldCount()
    for gi, gt in enumerate(g.tasks):
        if gi not in matched:
            doc.missed.append(f"task led by {gt.lead}{' (group)' if gt.group else ''}: {gt.quote!r}")
            partners.golden += len(gt.partners)
            continue
        rt = r.tasks[matched[gi]]
        if _lead_right(gt, rt):
            leads.right_golden += 1
            leads.right_read += 1
        else:
            flag = " (not kept as a group)" if gt.group and not rt.group else ""
            doc.wrong.append(f"task {gt.quote!r}: lead read {rt.lead!r}{flag}, golden {gt.lead!r}")
        gp = {agency_key(p) for p in gt.partners}
        rp = {agency_key(p) for p in rt.partners}
        partners.golden += len(gp)
        partners.read += len(rp)
        partners.right_golden += len(gp & rp)
        partners.right_read += len(gp & rp)
        if gp != rp:
            doc.wrong.append(f"task {gt.quote!r}: partners read {list(rt.partners)}, golden {list(gt.partners)}")
    for ri, rt in enumerate(r.tasks):
        if ri not in used and rt.lead is not None:
            doc.wrong.append(f"task led by {rt.lead} (no golden match): {' '.join(rt.quote.split()[:14])!r}")
    return leads, partners


def _score_deadlines(g: Items, r: Items, doc: DocumentScore) -> FieldCount:
    gs, rs = set(g.deadlines), set(r.deadlines)
    both = gs & rs
    doc.missed += [f"deadline {k} {d}" for k, d in sorted(gs - both, key=str)]
    doc.wrong += [f"deadline {k} {d} (not in the golden file)" for k, d in sorted(rs - both, key=str)]
    return FieldCount(len(gs), len(rs), len(both), len(both))


def score_document(name: str, golden: Items, read: Items) -> DocumentScore:
    """Compare what the reader read from one document with its golden items (rules in docs/reader-scoring.md)."""
    doc = DocumentScore(name, golden.verdict, read.verdict, {}, error=read.error)
    doc.counts["identity"] = _score_identity(golden, read, doc)
    # A not-plan's lists are not scored; a plan the reader refused or called a not-plan has all of them missed.
    scored = golden.verdict != "not-plan"
    lists = read if read.verdict in ("plan", "decision-issuing-plan") else Items(verdict=read.verdict)
    empty = Items(verdict=golden.verdict)
    g, r = (golden, lists) if scored else (empty, empty)
    doc.counts["references"] = _score_references(g, r, doc)
    doc.counts["targets"] = _score_targets(g, r, doc)
    doc.counts["task leads"], doc.counts["task partners"] = _score_tasks(g, r, doc)
    doc.counts["deadlines"] = _score_deadlines(g, r, doc)
    named = read.verdict == "not-plan"
    doc.counts["not-plans"] = FieldCount(
        golden=int(golden.verdict == "not-plan"),
        read=int(named),
        right_golden=int(named and golden.verdict == "not-plan"),
        right_read=int(named and golden.verdict == "not-plan"),
    )
    read_as_plan = read.verdict in ("plan", "decision-issuing-plan")
    doc.counts["plans read"] = FieldCount(
        golden=int(scored),
        read=int(read_as_plan),
        right_golden=int(scored and read_as_plan),
        right_read=int(scored and read_as_plan),
    )
    if golden.verdict == "not-plan" and not named:
        doc.wrong.append(f"not a plan ({golden.not_plan or 'not-plan'}) but read as {read.verdict}")
    if scored and not read_as_plan:
        doc.wrong.append(f"a plan, but the reader gave {read.verdict}" + (f" ({read.error})" if read.error else ""))
    return doc


def score_folders(folders: Iterable[Path], reader: Callable[[Path], Items] = run_reader) -> Score:
    """Score ``reader`` on every golden file in ``folders``. Raises :class:`GoldenError` for a malformed golden
    file, a missing source document or a folder with no golden file, rather than scoring less than asked."""
    docs: list[DocumentScore] = []
    for folder in folders:
        if not folder.is_dir():
            raise GoldenError(f"{folder}: not a folder")
        paths = golden_files(folder)
        if not paths:
            raise GoldenError(f"{folder}: no *.golden.json or *.expected.json file")
        for path in paths:
            golden = load_golden(path)
            if golden.source is None:
                raise GoldenError(
                    f"{path}: source document {golden.source_name} not found in {folder} or in ../shared/corpus"
                )
            docs.append(score_document(golden.name, golden.items, reader(golden.source)))
    totals = {f: FieldCount() for f in FIELDS}
    for d in docs:
        for f, c in d.counts.items():
            totals[f].add(c)
    return Score(docs, totals)


# --- reports ----------------------------------------------------------------------------------------------


def _ratio(v: float | None) -> str:
    return "    -" if v is None else f"{v:5.3f}"


def render_table(score: Score) -> str:
    """One line per field: precision, recall, golden count, read count (docs/reader-scoring.md)."""
    lines = [
        f"{len(score.documents)} documents",
        f"{'field':<14} {'precision':>9} {'recall':>7} {'golden':>7} {'read':>6}",
    ]
    for name in FIELDS:
        c = score.totals[name]
        lines.append(f"{name:<14} {_ratio(c.precision):>9} {_ratio(c.recall):>7} {c.golden:>7} {c.read:>6}")
    return "\n".join(lines)


def render_verbose(score: Score) -> str:
    """Per document: its verdicts, the per-field counts, then every missed and wrong item."""
    out = []
    for d in score.documents:
        out.append(f"\n== {d.name}: golden {d.verdict}, read {d.read_verdict}" + (f" ({d.error})" if d.error else ""))
        out.append(
            "   "
            + "  ".join(
                f"{k} {c.right_golden}/{c.golden} (read {c.read})"
                for k, c in d.counts.items()
                if k not in ("not-plans", "plans read") and (c.golden or c.read)
            )
        )
        out += [f"   missed: {m}" for m in d.missed]
        out += [f"   wrong:  {w}" for w in d.wrong]
    return "\n".join(out)


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
