"""Validating a plan/1 tree completely, before anything is written (docs/plan-format.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from binhdang.places.models import Level

from ..categories import AgeGroup, CategoryError, parse_age_group
from ..errors import FieldError, PlanFormatError
from ..models import (
    Comparator,
    Direction,
    Disaggregation,
    FundingSource,
    Measure,
    PlanStatus,
    ProjectKind,
    ReferenceRelation,
    ReportKind,
)
from .fields import CODE_SPACE, SCHEMA, Reader, type_name


@dataclass
class CleanPlan:
    document: dict[str, Any]
    references: list[dict[str, Any]] = field(default_factory=list)
    aims: list[str] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    budget_lines: list[dict[str, Any]] = field(default_factory=list)
    budget_totals: list[dict[str, Any]] = field(default_factory=list)
    reporting: list[dict[str, Any]] = field(default_factory=list)
    signer: dict[str, str] = field(default_factory=dict)
    recipients: list[str] = field(default_factory=list)


def plan_validate(data: Any) -> CleanPlan:
    """Check a plan/1 tree completely; raise PlanFormatError listing every problem."""
    r = Reader()
    if not isinstance(data, dict):
        raise PlanFormatError([FieldError("", "plan_not_object", {"got": type_name(data)})])
    schema = data.get("schema")
    if schema != SCHEMA:
        raise PlanFormatError([FieldError("/schema", "schema", {"expected": repr(SCHEMA), "got": repr(schema)})])

    doc = r.obj(data.get("document"), "/document")
    p = "/document"
    years_raw = doc.get("years")
    year_start = year_end = None
    if isinstance(years_raw, list) and len(years_raw) == 2:
        year_start = r.year(years_raw[0], f"{p}/years/0", required=True)
        year_end = r.year(years_raw[1], f"{p}/years/1", required=True)
        if year_start and year_end and year_end < year_start:
            r.error(f"{p}/years", "years_order", last=year_end, first=year_start)
    else:
        r.error(f"{p}/years", "years_pair")
    number = r.text(doc, "number", p, max_length=20)
    symbol = r.text(doc, "symbol", p, max_length=60)
    code = CODE_SPACE.sub("", r.text(doc, "code", p, max_length=80))
    if code and number and not code.startswith(f"{number}/"):
        r.error(f"{p}/code", "code_number", written=repr(code), number=repr(number))
    document = {
        "kind": r.text(doc, "kind", p, max_length=8) or "KH",
        "code": code,
        "number": number,
        "symbol": symbol,
        "date": r.date(doc, "date", p),
        "place": r.text(doc, "place", p, max_length=120),
        "issuer": r.text(doc, "issuer", p, max_length=255),
        "unit": r.text(doc, "unit", p, max_length=255),
        "unit_code": r.text(doc, "unit_code", p, max_length=20),
        "title": r.text(doc, "title", p, required=True),
        "level": r.choice(doc, "level", p, Level.values, required=True),
        "year_start": year_start,
        "year_end": year_end,
        "status": r.choice(doc, "status", p, PlanStatus.values) or PlanStatus.DRAFT,
    }
    clean = CleanPlan(document=document)

    for path, ref in r.items(data, "references", ""):
        clean.references.append(
            {
                "kind": r.text(ref, "kind", path, max_length=8),
                "code": CODE_SPACE.sub("", r.text(ref, "code", path, max_length=80)),
                "number": r.text(ref, "number", path, max_length=20),
                "issued_on": r.date(ref, "date", path),
                "issuer": r.text(ref, "issuer", path, max_length=255),
                "title": r.text(ref, "title", path),
                "relation": r.choice(ref, "relation", path, ReferenceRelation.values) or ReferenceRelation.CITED,
            }
        )
    if sum(1 for ref in clean.references if ref["relation"] == ReferenceRelation.PARENT) > 1:
        r.error("/references", "parent_twice")

    clean.aims = r.strings(data, "aims", "")

    objective_ids: set[str] = set()
    for path, obj in r.items(data, "objectives", ""):
        key = _key(r, obj, path, objective_ids)
        clean.objectives.append(
            {
                "key": key,
                "number": r.text(obj, "number", path, max_length=20),
                "title": r.text(obj, "title", path),
                "text": r.text(obj, "text", path),
            }
        )

    project_ids: set[str] = set()
    for path, proj in r.items(data, "projects", ""):
        key = _key(r, proj, path, project_ids)
        clean.projects.append(
            {
                "key": key,
                "path": path,
                "parent": r.text(proj, "parent", path),
                "kind": r.choice(proj, "kind", path, ProjectKind.values, required=True),
                "number": r.text(proj, "number", path, max_length=20),
                "name": r.text(proj, "name", path, required=True),
                "scope": r.text(proj, "scope", path),
                "lead": r.text(proj, "lead", path, max_length=255),
                "partners": r.strings(proj, "partners", path),
                "units": r.strings(proj, "units", path),
            }
        )
    _check_links(r, clean.projects, "parent", project_ids, "project")
    _check_roles(r, clean.projects)

    indicator_ids: set[str] = set()
    for path, ind in r.items(data, "indicators", ""):
        key = _key(r, ind, path, indicator_ids)
        targets = []
        for tpath, target in r.items(ind, "targets", path):
            value = r.number(target.get("value"), f"{tpath}/value")
            comparator = r.choice(target, "comparator", tpath, Comparator.values)
            if target.get("value") is not None and not comparator:
                comparator = Comparator.EQ if not target.get("comparator") else ""
            targets.append(
                {
                    "year": r.year(target.get("year"), f"{tpath}/year"),
                    "value": value,
                    "comparator": comparator,
                    "text": r.text(target, "text", tpath),
                }
            )
        baseline = r.obj(ind.get("baseline"), f"{path}/baseline", required=False)
        baseline_year = r.year(baseline.get("year"), f"{path}/baseline/year") if baseline else None
        baseline_value = r.number(baseline.get("value"), f"{path}/baseline/value") if baseline else None
        for target in targets:
            target_year = target["year"]
            if baseline_year and isinstance(target_year, int) and target_year < baseline_year:
                r.error(f"{path}/targets", "target_before_baseline", year=target["year"], baseline=baseline_year)
        disaggregations = _disaggregations(r, ind, path)
        age_groups = _age_groups(r, ind, path)
        measure = r.choice(ind, "measure", path, Measure.values) or Measure.PERCENTAGE
        rate_per = ind.get("rate_per")
        if rate_per is not None and (isinstance(rate_per, bool) or not isinstance(rate_per, int) or rate_per <= 0):
            r.error(f"{path}/rate_per", "positive_int", got=repr(rate_per))
            rate_per = None
        clean.indicators.append(
            {
                "key": key,
                "path": path,
                "objective": r.text(ind, "objective", path),
                "project": r.text(ind, "project", path),
                "number": r.text(ind, "number", path, max_length=20),
                "text": r.text(ind, "text", path, required=True),
                "measure": measure,
                "unit": r.text(ind, "unit", path, max_length=60),
                "direction": r.choice(ind, "direction", path, Direction.values),
                "rate_per": rate_per,
                "numerator": r.text(ind, "numerator", path),
                "denominator": r.text(ind, "denominator", path),
                "disaggregations": disaggregations,
                "age_groups": age_groups,
                "baseline_year": baseline_year,
                "baseline_value": baseline_value,
                "targets": targets,
                "responsible": r.strings(ind, "responsible", path),
            }
        )
    _check_links(r, clean.indicators, "objective", objective_ids, "objective")
    _check_links(r, clean.indicators, "project", project_ids, "project")

    task_ids: set[str] = set()
    for path, task in r.items(data, "tasks", ""):
        key = _key(r, task, path, task_ids)
        window = r.obj(task.get("window"), f"{path}/window", required=False)
        clean.tasks.append(
            {
                "key": key,
                "path": path,
                "parent": r.text(task, "parent", path),
                "section": r.text(task, "section", path, max_length=10),
                "number": r.text(task, "number", path, max_length=20),
                "text": r.text(task, "text", path, required=True),
                "lead": r.text(task, "lead", path, max_length=255),
                "partners": r.strings(task, "partners", path),
                "window_start": r.day(window, "start", f"{path}/window") if window else "",
                "window_end": r.day(window, "end", f"{path}/window") if window else "",
                "objectives": r.strings(task, "objectives", path),
                "indicators": r.strings(task, "indicators", path),
            }
        )
    _check_links(r, clean.tasks, "parent", task_ids, "task")
    _check_roles(r, clean.tasks)
    for task in clean.tasks:
        for link in task["objectives"]:
            if link not in objective_ids:
                r.error(f"{task['path']}/objectives", "unknown_link", what="objective", value=repr(link))
        for link in task["indicators"]:
            if link not in indicator_ids:
                r.error(f"{task['path']}/indicators", "unknown_link", what="indicator", value=repr(link))

    budget = r.obj(data.get("budget"), "/budget", required=False)
    if budget:
        unit = budget.get("unit")
        if unit not in (None, "million VND"):
            r.error("/budget/unit", "budget_unit", value=repr(unit))
        for target_list, key in ((clean.budget_lines, "lines"), (clean.budget_totals, "totals")):
            for path, line in r.items(budget, key, "/budget"):
                amount = r.number(line.get("amount"), f"{path}/amount", non_negative=True)
                if amount is None and "amount" not in line:
                    r.error(f"{path}/amount", "required")
                target_list.append(
                    {
                        "item": r.text(line, "item", path),
                        "year": r.year(line.get("year"), f"{path}/year"),
                        "source": r.choice(line, "source", path, FundingSource.values),
                        "amount": amount,
                    }
                )

    for path, rule in r.items(data, "reporting", ""):
        clean.reporting.append(
            {
                "kind": r.choice(rule, "kind", path, ReportKind.values, required=True),
                "due": r.day(rule, "due", path),
                "to": r.text(rule, "to", path, max_length=255),
                "through": r.text(rule, "through", path, max_length=255),
                "text": r.text(rule, "text", path),
            }
        )

    signer = r.obj(data.get("signer"), "/signer", required=False)
    clean.signer = {
        "name": r.text(signer, "name", "/signer", max_length=120),
        "title": r.text(signer, "title", "/signer", max_length=120),
        "authority": r.text(signer, "authority", "/signer", max_length=120),
    }
    clean.recipients = r.strings(data, "recipients", "")

    if r.errors:
        raise PlanFormatError(r.errors)
    return clean


def _key(r: Reader, item: dict[str, Any], path: str, seen: set[str]) -> str:
    key = item.get("id")
    if not isinstance(key, str) or not key.strip():
        r.error(f"{path}/id", "required_id")
        return ""
    key = key.strip()
    if key in seen:
        r.error(f"{path}/id", "duplicate_id", value=repr(key))
    seen.add(key)
    return key


def _check_links(r: Reader, items: list[dict[str, Any]], key: str, known: set[str], what: str) -> None:
    for item in items:
        link = item.get(key)
        if link and link not in known:
            r.error(f"{item['path']}/{key}", "unknown_link", what=what, value=repr(link))
        if link and link == item.get("key") and key == "parent":
            r.error(f"{item['path']}/{key}", "own_parent")


def _check_roles(r: Reader, items: list[dict[str, Any]]) -> None:
    from binhdang.lib.agency_names import agency_key

    for item in items:
        lead = item.get("lead")
        if lead and any(agency_key(lead) == agency_key(partner) for partner in item["partners"]):
            r.error(f"{item['path']}/partners", "lead_and_partner", agency=repr(lead))
        keys = [agency_key(partner) for partner in item["partners"]]
        if len(set(keys)) != len(keys):
            r.error(f"{item['path']}/partners", "agency_twice")


def _disaggregations(r: Reader, ind: dict[str, Any], path: str) -> list[str]:
    """sex, age, ethnicity, area (plans.Disaggregation), each once: an unknown one or a repeat is refused with its
    place in the file."""
    found: list[str] = []
    for index, item in r.indexed_strings(ind, "disaggregations", path):
        if item not in Disaggregation.values:
            r.error(f"{path}/disaggregations/{index}", "unknown_disaggregation", value=repr(item))
        elif item in found:
            r.error(f"{path}/disaggregations/{index}", "disaggregation_twice", value=repr(item))
        else:
            found.append(item)
    return found


def _age_groups(r: Reader, ind: dict[str, Any], path: str) -> list[str]:
    """An indicator's age groups ("0-4", "15-24", "60+"), written the canonical way; a code that is not an age
    group, and two groups that overlap (a person counted twice), are refused by name."""
    groups: list[AgeGroup] = []
    for index, code in r.indexed_strings(ind, "age_groups", path):
        try:
            group = parse_age_group(code)
        except CategoryError:
            r.error(f"{path}/age_groups/{index}", "age_group_invalid", value=repr(code))
            continue
        for earlier in groups:
            if earlier.overlaps(group):
                r.error(f"{path}/age_groups/{index}", "age_groups_overlap", first=earlier.code, second=group.code)
        groups.append(group)
    return [group.code for group in groups]
