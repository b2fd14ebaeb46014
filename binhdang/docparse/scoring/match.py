"""Matching the reader's items against the golden items, field by field, as docs/reader-scoring.md says."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from binhdang.docparse.scoring.golden import (
    FIELDS,
    IDENTITY_FIELDS,
    REFUSED,
    GoldenError,
    Items,
    TaskLead,
    _code_key,
    _phrase,
    _same_value,
    _words,
    golden_files,
    load_golden,
    run_reader,
)
from binhdang.lib.agency_names import agency_key
from binhdang.lib.text import fold

__all__ = ["DocumentScore", "FieldCount", "Score", "score_document", "score_folders"]

# Share of a target quote's words that must appear in the read indicator's text for the two to match.
QUOTE_WORD_SHARE = 0.75

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
