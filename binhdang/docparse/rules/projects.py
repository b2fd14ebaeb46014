"""Projects of national programmes: projects (Dự án), sub-projects (Tiểu dự án), contents (Nội dung) and pilot
models (Mô hình), with lead agency, the units they are placed in and their scope; and project targets.

Three ways plans write them:

- A content item that is a project: "1. Dự án truyền thông ... (Dự án 1)" with bullets "Mục tiêu Dự án: ...",
  "Phạm vi thực hiện Dự án: Toàn tỉnh.", "Nội dung của Dự án:" (children: "+ Nội dung 1 (name): ...",
  "+ Tiểu dự án 1: name", "+ name (Nội dung 3).", "+) Mô hình 3 (name):", a paragraph "Lựa chọn <units> ...
  Mô hình 3" placing a model) and "Cơ quan thực hiện Dự án: <lead>" or "+) <agency> chủ trì thực hiện Nội dung 1,
  2 ...". A child whose lead the text does not name takes the lead printed in its budget-table row.
- A pilot model named in a task: "triển khai mô hình <name> (mô hình 3) tại xã A, huyện B": units when the place
  is named, else the place phrase as scope ("tại 05 xã (ngoài xã Hồng Bắc) của huyện A Lưới"). Lead and
  partners from the organisation task that "chủ trì" that model by name.
- A project cited by number and quoted name: Dự án 8 “Thực hiện bình đẳng giới ...” (the first quoted name); lead
  and partners from the task that "Chủ trì triển khai ... Dự án 8".

A project's targets ("Mục tiêu Dự án: 85% ... được tuyên truyền") are indicators with ``project`` set and year
null when the objective holds a number: one indicator per ";" clause, a clause without a number being boolean.
Ids: top-level "P<n>" in order; children "P<n>.C<k>" (content), ".S<k>" (sub-project), ".M<k>" (model).
"""

from __future__ import annotations

import re

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Indicator, Project, Span, Target
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value, section_kind
from binhdang.docparse.rules.identity import cap_words

__all__ = ["ProjectsRule", "parse_units"]

_PROJECT_HEAD = re.compile(r"^(?P<name>.+?)\s*\(Dự án\s+(?P<n>\d+)\)\s*\.?$")
_CHILD_PAREN_FIRST = re.compile(r"^(?P<kind>Nội dung|Mô hình|Tiểu dự án)\s+(?P<n>\d+)\s*\((?P<name>[^)]+)\)\s*:?")
_CHILD_COLON = re.compile(r"^(?P<kind>Nội dung|Mô hình|Tiểu dự án)\s+(?P<n>\d+)\s*:\s*(?P<name>.+)$")
_CHILD_PAREN_LAST = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>Nội dung|Mô hình|Tiểu dự án)\s+(?P<n>\d+)\)\s*[.:]?")
_LEADS = re.compile(
    r"^(?P<a>.+?)\s+chủ trì thực hiện\s+(?:các\s+)?(?P<kind>nội dung|mô hình|tiểu dự án)\s+(?P<ns>[\d,\s và]+)",
    re.IGNORECASE,
)
_KINDS = {"nội dung": ("content", "C"), "mô hình": ("model", "M"), "tiểu dự án": ("subproject", "S")}
_TABLE_WORD = {"content": "Nội dung", "model": "Mô hình", "subproject": "Tiểu dự án"}
_MODEL_IN_TEXT = re.compile(r"(?P<name>mô hình\s[^()]{5,200}?)\s*\((?:mô hình|Mô hình)\s+(?P<n>\d+)\)(?P<rest>[^\n]*)")
_CITED_PROJECT = re.compile(r"Dự án\s+(?P<n>\d+)\s*[“\"](?P<name>[^”\"]{5,300})[”\"]")
_UNIT_WORD = re.compile(r"(?<![\w])(?<!thị )(?<!Thị )(?P<w>[Xx]ã|[Pp]hường|[Tt]hị trấn)\s+(?=[A-ZĐÀ-Ỹ])")
_PARENT_WORD = re.compile(r"\s*(?P<open>[,(])\s*(?P<w>huyện|thị xã|thành phố|quận)\s+(?=[A-ZĐÀ-Ỹ])")
_PERCENT = re.compile(r"(?P<v>\d+(?:,\d+)?)\s*%")


def parse_units(phrase: str) -> list[str]:
    """Communes named in a phrase, each with its district when the text gives it.

    "xã Lộc Điền, huyện Phú Lộc" → one unit; "Xã Tân Việt, thị trấn Mạo Khê (huyện Đông Triều), xã Hiệp Hòa
    (thị xã Quảng Yên)" → a parenthesised district applies to every unit named since the previous one.
    """
    units: list[str] = []
    pending: list[int] = []
    for m in _UNIT_WORD.finditer(phrase):
        name = cap_words(phrase, m.end())
        if not name:
            continue
        units.append(f"{m['w']} {name}")
        pending.append(len(units) - 1)
        after = m.end() + len(name)
        pm = _PARENT_WORD.match(phrase, after)
        if pm:
            parent_name = cap_words(phrase, pm.end())
            if parent_name:
                parent = f"{pm['w']} {parent_name}"
                targets = pending if pm["open"] == "(" else [len(units) - 1]
                for i in targets:
                    units[i] = f"{units[i]}, {parent}"
                pending = []
    return units


def _numbers(s: str) -> list[str]:
    return re.findall(r"\d+", s)


class ProjectsRule:
    name = "projects"
    priority = 65  # after tasks (leads of cited projects) and the budget (leads printed in the table)

    def test(self, ctx: Context) -> bool:
        return "Dự án" in ctx.text or "mô hình" in ctx.text.lower()

    def run(self, ctx: Context) -> None:
        projects: list[Project] = []
        indicators: list[Indicator] = []
        for sec in (b for b in ctx.blocks if b.kind == "section"):
            if section_kind(sec.text) not in {"content", "other"}:
                continue
            blocks = ctx.in_section(sec.marker)
            for k, b in enumerate(blocks):
                if b.kind != "item":
                    continue
                m = _PROJECT_HEAD.match(b.text)
                if not m:
                    continue
                children: list[Block] = []
                for c in blocks[k + 1 :]:
                    if c.kind == "item":
                        break
                    children.append(c)
                self._structured(ctx, b, m, children, projects, indicators)
        if not any(p.kind == "project" for p in projects):
            self._cited_projects(ctx, projects)
        if not projects:
            self._models_in_tasks(ctx, projects)
        ctx.plan.projects = projects
        ctx.plan.indicators.extend(indicators)

    # --- "N. <name> (Dự án N)" ----------------------------------------------------------------------------

    def _structured(
        self,
        ctx: Context,
        head: Block,
        m: re.Match[str],
        children: list[Block],
        projects: list[Project],
        indicators: list[Indicator],
    ) -> None:
        pid = f"P{sum(1 for p in projects if p.parent is None) + 1}"
        pnum = m["n"]
        project = Project(
            id=pid,
            parent=None,
            kind="project",
            number=pnum,
            name=clean_value(m["name"]),
            spans={"name": Span(head.start + m.start("name"), head.start + m.end("name"), 0.9)},
        )
        projects.append(project)
        kids: dict[tuple[str, str], Project] = {}
        mode = ""
        last_model: Project | None = None
        for c in children:
            text = clean_value(c.text)
            if c.kind == "bullet" and c.marker == "-":
                low = text.lower()
                _head_part, _colon, rest = text.partition(":")
                rest = rest.strip()
                if low.startswith("mục tiêu"):
                    mode = "aim"
                    if rest:
                        indicators.extend(self._targets(project, rest, c.start + c.text.find(rest)))
                elif low.startswith("phạm vi"):
                    mode = "scope"
                    if rest:
                        project.scope = rest.rstrip(".")
                        project.spans["scope"] = Span(c.start + c.text.find(rest), c.end, 0.85)
                elif low.startswith("nội dung"):
                    mode = "content"
                elif low.startswith("cơ quan thực hiện"):
                    mode = "agency"
                    if rest:
                        project.lead = rest.rstrip(".")
                        project.spans["lead"] = Span(c.start + c.text.find(rest), c.end, 0.85)
                else:
                    mode = ""
                continue
            if c.kind == "bullet" and mode == "content":
                kid = self._child(project, c, text)
                if kid is not None:
                    key = (kid.kind, kid.number or "")
                    if key not in kids:
                        kids[key] = kid
                        projects.append(kid)
                    last_model = kid if kid.kind == "model" else None
                continue
            if c.kind == "bullet" and mode == "agency":
                lm = _LEADS.match(text)
                if lm:
                    kind = _KINDS[lm["kind"].lower()][0]
                    for n in _numbers(lm["ns"]):
                        kid = kids.get((kind, n))
                        if kid is not None and kid.lead is None:
                            kid.lead = clean_value(lm["a"])
                            kid.spans["lead"] = Span(c.start, c.start + len(lm["a"]), 0.85)
                continue
            if c.kind == "para" and last_model is not None and re.search(r"\bLựa chọn\b", text):
                mm = re.search(rf"Mô hình\s+{re.escape(last_model.number or '')}\b", text)
                if mm:
                    phrase = text[text.find("Lựa chọn") + len("Lựa chọn") :]
                    phrase = re.split(r"\s+(?:là|để)\s+", phrase, maxsplit=1)[0]
                    if ":" in phrase:
                        phrase = phrase.split(":", 1)[1]
                    units = parse_units(phrase)
                    if units:
                        last_model.units = units
                        last_model.spans["units"] = Span(c.start, c.end, 0.8)
        for kid in kids.values():
            if kid.lead is None:
                item = f"Dự án {pnum} / {_TABLE_WORD[kid.kind]} {kid.number}"
                agency = ctx.budget_agencies.get(item)
                if agency:
                    kid.lead = agency
                    kid.spans["lead"] = Span(0, 0, 0.6)

    def _child(self, project: Project, c: Block, text: str) -> Project | None:
        for pat in (_CHILD_PAREN_FIRST, _CHILD_COLON, _CHILD_PAREN_LAST):
            m = pat.match(text)
            if m:
                kind, letter = _KINDS[m["kind"].lower()]
                name = clean_value(m["name"]).rstrip(".:")
                return Project(
                    id=f"{project.id}.{letter}{m['n']}",
                    parent=project.id,
                    kind=kind,
                    number=m["n"],
                    name=name,
                    spans={"name": Span(c.start, c.end, 0.8)},
                )
        return None

    def _targets(self, project: Project, text: str, start: int) -> list[Indicator]:
        if not _PERCENT.search(text):
            return []
        out: list[Indicator] = []
        pos = 0
        for clause in text.split(";"):
            raw = clause
            clause = clause.strip()
            off = start + pos + (len(raw) - len(raw.lstrip()))
            pos += len(raw) + 1
            if not clause:
                continue
            ind = Indicator(
                id=f"{project.id}.{len(out) + 1}",
                objective=None,
                project=project.id,
                number=None,
                text=clause,
                spans={"text": Span(off, off + len(clause), 0.8)},
            )
            pm = _PERCENT.search(clause)
            if pm:
                value = float(pm["v"].replace(",", "."))
                v: int | float = int(value) if value.is_integer() else value
                ind.measure, ind.unit = "percentage", "%"
                ind.targets = [
                    Target(
                        year=None,
                        value=v,
                        comparator="=" if v == 100 else ">=",
                        text=pm.group(0),
                        spans={"value": Span(off + pm.start(), off + pm.end(), 0.85)},
                    )
                ]
            else:
                ind.measure = "boolean"
                ind.targets = [Target(year=None, value=True, comparator="=", text=None)]
            out.append(ind)
        return out

    # --- "Dự án 8 “name”" ---------------------------------------------------------------------------------

    def _cited_projects(self, ctx: Context, projects: list[Project]) -> None:
        seen: set[str] = set()
        for m in _CITED_PROJECT.finditer(ctx.text):
            n = m["n"]
            if n in seen:
                continue
            seen.add(n)
            p = Project(
                id=f"P{sum(1 for x in projects if x.parent is None) + 1}",
                parent=None,
                kind="project",
                number=n,
                name=clean_value(m["name"]),
                spans={"name": Span(m.start("name"), m.end("name"), 0.85)},
            )
            for t in ctx.plan.tasks:
                if re.search(r"^Chủ trì\b", t.text) and re.search(rf"\bDự án\s+{n}\b", t.text) and t.lead:
                    p.lead, p.partners = t.lead, list(t.partners)
                    if "text" in t.spans:
                        p.spans["lead"] = t.spans["text"]
                    break
            projects.append(p)

    # --- "mô hình <name> (mô hình N) tại ..." -------------------------------------------------------------

    def _models_in_tasks(self, ctx: Context, projects: list[Project]) -> None:
        seen: set[str] = set()
        for m in _MODEL_IN_TEXT.finditer(ctx.text):
            n = m["n"]
            if n in seen:
                continue
            seen.add(n)
            name = clean_value(m["name"])
            p = Project(
                id=f"P{sum(1 for x in projects if x.parent is None) + 1}",
                parent=None,
                kind="model",
                number=n,
                name=name,
                spans={"name": Span(m.start("name"), m.end("name"), 0.85)},
            )
            tm = re.match(r"\s*tại\s+(?P<place>[^\n]+)", m["rest"])
            if tm:
                place = tm["place"].strip().rstrip(".;")
                pstart = m.start("rest") + tm.start("place")
                if re.match(r"^\d", place):
                    p.scope = place
                    p.spans["scope"] = Span(pstart, pstart + len(place), 0.8)
                else:
                    p.units = parse_units(place)
                    p.spans["units"] = Span(pstart, pstart + len(place), 0.8)
            core = name[len("mô hình ") :]
            for t in ctx.plan.tasks:
                if t.section is not None and t.text.startswith("Chủ trì") and core in t.text and t.lead:
                    p.lead, p.partners = t.lead, list(t.partners)
                    if "text" in t.spans:
                        p.spans["lead"] = t.spans["text"]
                    break
            projects.append(p)
