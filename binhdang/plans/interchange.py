"""The `binhdang.plan/1` interchange format (docs/plan-format.md): validate, load and export whole plans.

Loading is all-or-nothing: every field is checked first and all errors are reported together with their
JSON Pointer; only a document without errors is written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from binhdang.lib.dates import parse_yearly_day
from binhdang.lib.numbers import parse_vn_number
from binhdang.lib.text import clean_text
from binhdang.places.models import AdministrativeUnit, Agency, Level
from binhdang.places.services import agency_get_or_create

from .budget import budget_checks
from .errors import FieldError, PlanAlreadyExists, PlanFormatError
from .locks import assert_free
from .models import (
    YEAR_MAX,
    YEAR_MIN,
    Assignment,
    BudgetLine,
    BudgetTotal,
    Comparator,
    Direction,
    Disaggregation,
    FundingSource,
    Indicator,
    Measure,
    Objective,
    Plan,
    PlanStatus,
    Project,
    ProjectKind,
    ProjectPlace,
    Reference,
    ReferenceRelation,
    ReportingRule,
    ReportKind,
    Role,
    Target,
    Task,
)
from .selectors import unit_is_below
from .units import plan_unit_resolve

SCHEMA = "binhdang.plan/1"
_YEARLY_DAY = re.compile(r"^--\d{2}-\d{2}$")
_CODE_SPACE = re.compile(r"\s+")


class _Reader:
    """Typed access to an untrusted JSON tree that records every problem with its path instead of raising."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, data: Any, path: str, *, required: bool = True) -> dict[str, Any]:
        if data is None and not required:
            return {}
        if not isinstance(data, dict):
            self.error(path, f"must be an object, got {_type_name(data)}")
            return {}
        return data

    def items(self, data: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}/{key}", f"must be a list, got {_type_name(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            item_path = f"{path}/{key}/{index}"
            if isinstance(item, dict):
                result.append((item_path, item))
            else:
                self.error(item_path, f"must be an object, got {_type_name(item)}")
        return result

    def strings(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}/{key}", f"must be a list of strings, got {_type_name(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                cleaned = clean_text(item)
                if cleaned:
                    result.append(cleaned)
            else:
                self.error(f"{path}/{key}/{index}", f"must be a string, got {_type_name(item)}")
        return result

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int = 0) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(f"{path}/{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.error(f"{path}/{key}", f"must be a string, got {_type_name(value)}")
            return ""
        cleaned = clean_text(value)
        if required and not cleaned:
            self.error(f"{path}/{key}", "must not be empty")
        if max_length and len(cleaned) > max_length:
            self.error(f"{path}/{key}", f"is longer than {max_length} characters")
        return cleaned

    def choice(
        self, data: dict[str, Any], key: str, path: str, choices: Iterable[str], *, required: bool = False
    ) -> str:
        value = self.text(data, key, path, required=required)
        allowed = list(choices)
        if value and value not in allowed:
            self.error(f"{path}/{key}", f"unknown value {value!r}; expected one of {', '.join(allowed)}")
            return ""
        return value

    def year(self, value: Any, path: str, *, required: bool = False) -> int | None:
        if value is None:
            if required:
                self.error(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.error(path, f"must be a year, got {_type_name(value)}")
            return None
        try:
            year = int(value)
        except ValueError:
            self.error(path, f"must be a year, got {value!r}")
            return None
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.error(path, f"year {year} is out of range {YEAR_MIN}–{YEAR_MAX}")
            return None
        return year

    def date(self, data: dict[str, Any], key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(f"{path}/{key}", f"must be an ISO date string, got {_type_name(value)}")
            return None
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            self.error(f"{path}/{key}", f"invalid date {value!r}; expected YYYY-MM-DD")
            return None
        if not YEAR_MIN <= parsed.year <= YEAR_MAX:
            self.error(f"{path}/{key}", f"date {value} is out of range {YEAR_MIN}–{YEAR_MAX}")
            return None
        return parsed

    def day(self, data: dict[str, Any], key: str, path: str) -> str:
        """A yearly day "--MM-DD" or an ISO date, kept as text."""
        value = data.get(key)
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.error(f"{path}/{key}", f"must be '--MM-DD' or an ISO date, got {_type_name(value)}")
            return ""
        if _YEARLY_DAY.match(value):
            try:
                parse_yearly_day(value)
            except ValueError:
                self.error(f"{path}/{key}", f"invalid day {value!r}")
                return ""
            return value
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            self.error(f"{path}/{key}", f"invalid day {value!r}; expected '--MM-DD' or YYYY-MM-DD")
            return ""
        return value

    def number(self, value: Any, path: str, *, non_negative: bool = False) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return Decimal(int(value))
        number: Decimal
        if isinstance(value, int | float):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                self.error(path, f"not a number: {value!r}")
                return None
        elif isinstance(value, str):
            try:
                number = parse_vn_number(value)
            except ValueError:
                self.error(path, f"not a number: {value!r} (Vietnamese numbers read '1.040' = 1040, '1,7' = 1.7)")
                return None
        else:
            self.error(path, f"must be a number, got {_type_name(value)}")
            return None
        if not number.is_finite():
            self.error(path, f"not a finite number: {value!r}")
            return None
        if non_negative and number < 0:
            self.error(path, f"must not be negative, got {value}")
            return None
        if abs(number) >= Decimal(10) ** 13:
            self.error(path, f"too large: {value}")
            return None
        return number


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


# --- validated, not yet written --------------------------------------------------------------------------


@dataclass
class _Named:
    written_as: str
    path: str


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
    r = _Reader()
    if not isinstance(data, dict):
        raise PlanFormatError([FieldError("", f"a plan must be a JSON object, got {_type_name(data)}")])
    schema = data.get("schema")
    if schema != SCHEMA:
        raise PlanFormatError([FieldError("/schema", f"expected {SCHEMA!r}, got {schema!r}")])

    doc = r.obj(data.get("document"), "/document")
    p = "/document"
    years_raw = doc.get("years")
    year_start = year_end = None
    if isinstance(years_raw, list) and len(years_raw) == 2:
        year_start = r.year(years_raw[0], f"{p}/years/0", required=True)
        year_end = r.year(years_raw[1], f"{p}/years/1", required=True)
        if year_start and year_end and year_end < year_start:
            r.error(f"{p}/years", f"last year {year_end} is before first year {year_start}")
    else:
        r.error(f"{p}/years", "must be [first year, last year]")
    number = r.text(doc, "number", p, max_length=20)
    symbol = r.text(doc, "symbol", p, max_length=60)
    code = _CODE_SPACE.sub("", r.text(doc, "code", p, max_length=80))
    if code and number and not code.startswith(f"{number}/"):
        r.error(f"{p}/code", f"code {code!r} does not start with the number {number!r}")
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
                "code": _CODE_SPACE.sub("", r.text(ref, "code", path, max_length=80)),
                "number": r.text(ref, "number", path, max_length=20),
                "issued_on": r.date(ref, "date", path),
                "issuer": r.text(ref, "issuer", path, max_length=255),
                "title": r.text(ref, "title", path),
                "relation": r.choice(ref, "relation", path, ReferenceRelation.values) or ReferenceRelation.CITED,
            }
        )
    if sum(1 for ref in clean.references if ref["relation"] == ReferenceRelation.PARENT) > 1:
        r.error("/references", "more than one reference is marked as the parent plan")

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
                r.error(f"{path}/targets", f"target year {target['year']} is before the baseline year {baseline_year}")
        disaggregations = r.strings(ind, "disaggregations", path)
        for index, item in enumerate(disaggregations):
            if item not in Disaggregation.values:
                r.error(f"{path}/disaggregations/{index}", f"unknown disaggregation {item!r}")
        measure = r.choice(ind, "measure", path, Measure.values) or Measure.PERCENTAGE
        rate_per = ind.get("rate_per")
        if rate_per is not None and (isinstance(rate_per, bool) or not isinstance(rate_per, int) or rate_per <= 0):
            r.error(f"{path}/rate_per", f"must be a positive whole number, got {rate_per!r}")
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
                r.error(f"{task['path']}/objectives", f"unknown objective id {link!r}")
        for link in task["indicators"]:
            if link not in indicator_ids:
                r.error(f"{task['path']}/indicators", f"unknown indicator id {link!r}")

    budget = r.obj(data.get("budget"), "/budget", required=False)
    if budget:
        unit = budget.get("unit")
        if unit not in (None, "million VND"):
            r.error("/budget/unit", f"unsupported unit {unit!r}; amounts are in 'million VND'")
        for target_list, key in ((clean.budget_lines, "lines"), (clean.budget_totals, "totals")):
            for path, line in r.items(budget, key, "/budget"):
                amount = r.number(line.get("amount"), f"{path}/amount", non_negative=True)
                if amount is None and "amount" not in line:
                    r.error(f"{path}/amount", "is required")
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


def _key(r: _Reader, item: dict[str, Any], path: str, seen: set[str]) -> str:
    key = item.get("id")
    if not isinstance(key, str) or not key.strip():
        r.error(f"{path}/id", "is required (a string unique in its list)")
        return ""
    key = key.strip()
    if key in seen:
        r.error(f"{path}/id", f"duplicate id {key!r}")
    seen.add(key)
    return key


def _check_links(r: _Reader, items: list[dict[str, Any]], key: str, known: set[str], what: str) -> None:
    for item in items:
        link = item.get(key)
        if link and link not in known:
            r.error(f"{item['path']}/{key}", f"unknown {what} id {link!r}")
        if link and link == item.get("key") and key == "parent":
            r.error(f"{item['path']}/{key}", "an item cannot be its own parent")


def _check_roles(r: _Reader, items: list[dict[str, Any]]) -> None:
    from binhdang.lib.agency_names import agency_key

    for item in items:
        lead = item.get("lead")
        if lead and any(agency_key(lead) == agency_key(partner) for partner in item["partners"]):
            r.error(f"{item['path']}/partners", f"{lead!r} cannot be both lead and partner")
        keys = [agency_key(partner) for partner in item["partners"]]
        if len(set(keys)) != len(keys):
            r.error(f"{item['path']}/partners", "the same agency is listed twice")


# --- writing ---------------------------------------------------------------------------------------------


@transaction.atomic
def plan_load(
    data: Any,
    *,
    user: Any = None,
    unit: AdministrativeUnit | None = None,
    replace: bool = False,
    source_sha256: str = "",
    source_filename: str = "",
    agency_map: Mapping[str, Agency] | None = None,
) -> Plan:
    """Create one plan from a plan/1 tree. Refuses the whole plan on any error; nothing is half-written.

    `agency_map` gives agencies a person matched by hand to names as written; other names are matched
    through the alias key, or created in the plan's unit.
    """
    clean = plan_validate(data)
    doc = clean.document
    if unit is None:
        unit = plan_unit_resolve(
            unit_code=doc["unit_code"],
            unit_path=doc["unit"],
            issuer=doc["issuer"],
            level=doc["level"],
            on=doc["date"] or dt.date(doc["year_start"], 1, 1),
        )
        if unit is None:
            raise PlanFormatError(
                [
                    FieldError(
                        "/document/unit",
                        f"no administrative unit matches {doc['unit'] or doc['issuer']!r}; give document.unit as "
                        "'xã ..., huyện ..., tỉnh ...' or document.unit_code",
                    )
                ]
            )
    existing = _existing(doc, unit)
    if existing is not None:
        if not replace:
            raise PlanAlreadyExists(existing.pk, existing.code or existing.title[:60])
        # Replacing deletes the plan's reports with it: refused once any report hangs on it (plans/locks.py).
        assert_free(code="reimport", kind="plan", ids={existing.pk}, label=existing.code or existing.title[:60])
        existing.delete()

    plan = Plan.objects.create(
        kind=doc["kind"],
        number=doc["number"],
        symbol=doc["symbol"],
        code=doc["code"],
        issuer=doc["issuer"],
        unit=unit,
        unit_written_as=doc["unit"],
        place=doc["place"],
        issued_on=doc["date"],
        title=doc["title"],
        level=doc["level"],
        year_start=doc["year_start"],
        year_end=doc["year_end"],
        status=doc["status"],
        aims=clean.aims,
        signer_name=clean.signer["name"],
        signer_title=clean.signer["title"],
        signer_authority=clean.signer["authority"],
        recipients=clean.recipients,
        source_sha256=source_sha256,
        source_filename=source_filename,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    agencies = _AgencyCache(unit, agency_map)

    references = [
        Reference(
            plan=plan,
            order=i,
            kind=ref["kind"],
            code=ref["code"],
            number=ref["number"],
            issued_on=ref["issued_on"],
            issuer=ref["issuer"],
            title=ref["title"],
            relation=ref["relation"],
        )
        for i, ref in enumerate(clean.references)
    ]
    Reference.objects.bulk_create(references)
    reference_links_refresh(plan)

    objectives = {
        obj["key"]: Objective.objects.create(
            plan=plan, key=obj["key"], order=i, number=obj["number"], title=obj["title"], text=obj["text"]
        )
        for i, obj in enumerate(clean.objectives)
    }
    projects: dict[str, Project] = {}
    for i, proj in enumerate(clean.projects):
        projects[proj["key"]] = Project.objects.create(
            plan=plan,
            key=proj["key"],
            order=i,
            kind=proj["kind"],
            number=proj["number"],
            name=proj["name"],
            scope=proj["scope"],
        )
    for proj in clean.projects:
        obj = projects[proj["key"]]
        if proj["parent"]:
            obj.parent = projects[proj["parent"]]
            obj.save(update_fields=["parent"])
        _assign(agencies, proj["lead"], proj["partners"], project=obj)
        ProjectPlace.objects.bulk_create(
            [
                ProjectPlace(project=obj, order=j, written_as=name, unit=_place_unit(name, unit))
                for j, name in enumerate(proj["units"])
            ]
        )

    indicators: dict[str, Indicator] = {}
    for i, ind in enumerate(clean.indicators):
        indicator = Indicator.objects.create(
            plan=plan,
            key=ind["key"],
            order=i,
            objective=objectives.get(ind["objective"]) if ind["objective"] else None,
            project=projects.get(ind["project"]) if ind["project"] else None,
            number=ind["number"],
            text=ind["text"],
            measure=ind["measure"],
            unit=ind["unit"],
            direction=ind["direction"],
            rate_per=ind["rate_per"],
            numerator=ind["numerator"],
            denominator=ind["denominator"],
            disaggregations=ind["disaggregations"],
            baseline_year=ind["baseline_year"],
            baseline_value=ind["baseline_value"],
        )
        indicators[ind["key"]] = indicator
        Target.objects.bulk_create(
            [
                Target(
                    indicator=indicator,
                    order=j,
                    year=t["year"],
                    value=t["value"],
                    comparator=t["comparator"],
                    text=t["text"],
                )
                for j, t in enumerate(ind["targets"])
            ]
        )
        _assign(agencies, "", ind["responsible"], indicator=indicator, partner_role=Role.RESPONSIBLE)

    tasks: dict[str, Task] = {}
    for i, task in enumerate(clean.tasks):
        tasks[task["key"]] = Task.objects.create(
            plan=plan,
            key=task["key"],
            order=i,
            section=task["section"],
            number=task["number"],
            text=task["text"],
            window_start=task["window_start"],
            window_end=task["window_end"],
        )
    for task in clean.tasks:
        task_obj = tasks[task["key"]]
        if task["parent"]:
            task_obj.parent = tasks[task["parent"]]
            task_obj.save(update_fields=["parent"])
        _assign(agencies, task["lead"], task["partners"], task=task_obj)
        task_obj.objectives.set([objectives[key] for key in task["objectives"]])
        task_obj.indicators.set([indicators[key] for key in task["indicators"]])

    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                plan=plan, order=i, item=line["item"], year=line["year"], source=line["source"], amount=line["amount"]
            )
            for i, line in enumerate(clean.budget_lines)
        ]
    )
    BudgetTotal.objects.bulk_create(
        [
            BudgetTotal(
                plan=plan, order=i, item=line["item"], year=line["year"], source=line["source"], amount=line["amount"]
            )
            for i, line in enumerate(clean.budget_totals)
        ]
    )
    ReportingRule.objects.bulk_create(
        [
            ReportingRule(
                plan=plan,
                order=i,
                kind=rule["kind"],
                due=rule["due"],
                to_written_as=rule["to"],
                to_agency=agencies.get(rule["to"]) if rule["to"] else None,
                through_written_as=rule["through"],
                through_agency=agencies.get(rule["through"]) if rule["through"] else None,
                text=rule["text"],
            )
            for i, rule in enumerate(clean.reporting)
        ]
    )
    return plan


def _existing(doc: dict[str, Any], unit: AdministrativeUnit) -> Plan | None:
    plans = Plan.objects.filter(unit=unit, code=doc["code"], issued_on=doc["date"], title=doc["title"])
    return plans.first()


class _AgencyCache:
    """Resolves names to the plan unit's agencies once per name, creating agencies that are not known yet."""

    def __init__(self, unit: AdministrativeUnit, preset: Mapping[str, Agency] | None = None) -> None:
        self.unit = unit
        self._cache: dict[str, Agency] = dict(preset or {})

    def get(self, name: str) -> Agency:
        if name not in self._cache:
            self._cache[name] = agency_get_or_create(name=name, unit=self.unit)
        return self._cache[name]


def _assign(
    agencies: _AgencyCache,
    lead: str,
    partners: list[str],
    *,
    partner_role: str = Role.PARTNER,
    **owner: Any,
) -> None:
    rows: list[Assignment] = []
    used: set[int] = set()
    named = ([(lead, Role.LEAD)] if lead else []) + [(name, partner_role) for name in partners]
    for order, (name, role) in enumerate(named):
        agency = agencies.get(name)
        if agency.pk in used:
            # Two written names matched one agency ("Sở LĐTBXH" and "Sở Lao động - TB&XH"): the first wins.
            continue
        used.add(agency.pk)
        rows.append(Assignment(agency=agency, role=role, written_as=name, order=order, **owner))
    Assignment.objects.bulk_create(rows)


def _place_unit(name: str, plan_unit: AdministrativeUnit) -> AdministrativeUnit | None:
    from binhdang.places.resolve import unit_find

    on = plan_unit.valid_to or dt.date.today()  # noqa: DTZ011 - a calendar date, not a moment
    return unit_find(name, at=on, within=plan_unit)


def reference_links_refresh(plan: Plan) -> None:
    """Link the plan's references to plans in the system, and other plans' references to this one.

    A "parent" reference makes the plan a child of the plan it names only when that plan belongs to a unit
    above this plan's unit (same hierarchy, higher level): a commune of another province naming a province's
    plan as its parent must not join that province's reporting (issue 13, finding 1).
    """
    for ref in plan.references.filter(linked_plan__isnull=True).exclude(code=""):
        candidates = list(
            Plan.objects.filter(code=ref.code, issued_on=ref.issued_on).exclude(pk=plan.pk).select_related("unit")
        )
        if ref.relation == ReferenceRelation.PARENT:
            candidates = [c for c in candidates if unit_is_below(plan.unit, c.unit)]
        target = candidates[0] if candidates else None
        if target is not None:
            ref.linked_plan = target
            ref.save(update_fields=["linked_plan"])
            if ref.relation == ReferenceRelation.PARENT and plan.parent_id is None:
                plan.parent = target
                plan.save(update_fields=["parent"])
    if plan.code:
        citing = Reference.objects.filter(code=plan.code, issued_on=plan.issued_on, linked_plan__isnull=True)
        for ref in citing.exclude(plan=plan).select_related("plan__unit"):
            if ref.relation == ReferenceRelation.PARENT and not unit_is_below(ref.plan.unit, plan.unit):
                continue
            ref.linked_plan = plan
            ref.save(update_fields=["linked_plan"])
            if ref.relation == ReferenceRelation.PARENT and ref.plan.parent_id is None:
                ref.plan.parent = plan
                ref.plan.save(update_fields=["parent"])


# --- export ----------------------------------------------------------------------------------------------


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def _or_none(value: str) -> str | None:
    return value or None


def plan_export(plan: Plan) -> dict[str, Any]:
    """The plan as a plan/1 tree; loading it back gives a plan that exports identically."""
    plan = (
        Plan.objects.select_related("unit")
        .prefetch_related(
            "references",
            "objectives",
            "tasks__assignments",
            "tasks__objectives",
            "tasks__indicators",
            "projects__assignments",
            "projects__places",
            "indicators__targets",
            "indicators__assignments",
            "budgetlines",
            "budgettotals",
            "reporting_rules",
        )
        .get(pk=plan.pk)
    )
    objective_keys = {obj.pk: obj.key for obj in plan.objectives.all()}
    project_keys = {proj.pk: proj.key for proj in plan.projects.all()}
    task_keys = {task.pk: task.key for task in plan.tasks.all()}

    def lead_of(assignments: Iterable[Assignment]) -> str | None:
        return next((a.written_as for a in assignments if a.role == Role.LEAD), None)

    def others(assignments: Iterable[Assignment], role: str) -> list[str]:
        return [a.written_as for a in sorted(assignments, key=lambda a: a.order) if a.role == role]

    lines = [_budget_dict(line) for line in plan.budgetlines.all()]
    totals = [_budget_dict(line) for line in plan.budgettotals.all()]
    result: dict[str, Any] = {
        "schema": SCHEMA,
        "document": {
            "kind": plan.kind,
            "code": _or_none(plan.code),
            "number": _or_none(plan.number),
            "symbol": _or_none(plan.symbol),
            "date": plan.issued_on.isoformat() if plan.issued_on else None,
            "place": _or_none(plan.place),
            "issuer": _or_none(plan.issuer),
            "unit": _or_none(plan.unit_written_as),
            "unit_code": f"{plan.unit.generation}:{plan.unit.code}",
            "title": plan.title,
            "level": plan.level,
            "years": [plan.year_start, plan.year_end],
            "status": plan.status,
        },
        "references": [
            {
                "kind": _or_none(ref.kind),
                "code": _or_none(ref.code),
                "number": _or_none(ref.number),
                "date": ref.issued_on.isoformat() if ref.issued_on else None,
                "issuer": _or_none(ref.issuer),
                "title": _or_none(ref.title),
                "relation": ref.relation,
            }
            for ref in plan.references.all()
        ],
        "aims": list(plan.aims),
        "objectives": [
            {"id": obj.key, "number": _or_none(obj.number), "title": _or_none(obj.title), "text": _or_none(obj.text)}
            for obj in plan.objectives.all()
        ],
        "indicators": [
            {
                "id": ind.key,
                "objective": objective_keys.get(ind.objective_id) if ind.objective_id else None,
                "project": project_keys.get(ind.project_id) if ind.project_id else None,
                "number": _or_none(ind.number),
                "text": ind.text,
                "measure": ind.measure,
                "unit": _or_none(ind.unit),
                "direction": _or_none(ind.direction),
                "baseline": (
                    {"year": ind.baseline_year, "value": _num(ind.baseline_value)}
                    if ind.baseline_year or ind.baseline_value is not None
                    else None
                ),
                "targets": [
                    {
                        "year": t.year,
                        "value": _target_value(ind.measure, t.value),
                        "comparator": _or_none(t.comparator),
                        "text": _or_none(t.text),
                    }
                    for t in ind.targets.all()
                ],
                "disaggregations": list(ind.disaggregations),
                "responsible": others(ind.assignments.all(), Role.RESPONSIBLE),
                **_rate_fields(ind),
            }
            for ind in plan.indicators.all()
        ],
        "tasks": [
            {
                "id": task.key,
                "parent": task_keys.get(task.parent_id) if task.parent_id else None,
                "section": _or_none(task.section),
                "number": _or_none(task.number),
                "text": task.text,
                "lead": lead_of(task.assignments.all()),
                "partners": others(task.assignments.all(), Role.PARTNER),
                "window": (
                    {"start": task.window_start or None, "end": task.window_end or None}
                    if task.window_start or task.window_end
                    else None
                ),
                "objectives": [objective_keys[o.pk] for o in task.objectives.all()],
                "indicators": [ind.key for ind in task.indicators.all()],
            }
            for task in plan.tasks.all()
        ],
        "projects": [
            {
                "id": proj.key,
                "parent": project_keys.get(proj.parent_id) if proj.parent_id else None,
                "kind": proj.kind,
                "number": _or_none(proj.number),
                "name": proj.name,
                "lead": lead_of(proj.assignments.all()),
                "partners": others(proj.assignments.all(), Role.PARTNER),
                "units": [place.written_as for place in proj.places.all()],
                "scope": _or_none(proj.scope),
            }
            for proj in plan.projects.all()
        ],
        "budget": {
            "unit": "million VND" if lines or totals else None,
            "lines": lines,
            "totals": totals,
            "checks": [check.as_dict() for check in budget_checks(lines, totals)],
        },
        "reporting": [
            {
                "kind": rule.kind,
                "due": _or_none(rule.due),
                "to": _or_none(rule.to_written_as),
                "through": _or_none(rule.through_written_as),
                "text": _or_none(rule.text),
            }
            for rule in plan.reporting_rules.all()
        ],
        "signer": (
            {
                "name": _or_none(plan.signer_name),
                "title": _or_none(plan.signer_title),
                "authority": _or_none(plan.signer_authority),
            }
            if plan.has_signature
            else None
        ),
        "recipients": list(plan.recipients),
    }
    return result


def _rate_fields(ind: Indicator) -> dict[str, Any]:
    # Only rates carry these; other measures keep the export to the documented keys.
    if ind.measure != Measure.RATE and not (ind.numerator or ind.denominator or ind.rate_per):
        return {}
    return {"rate_per": ind.rate_per, "numerator": _or_none(ind.numerator), "denominator": _or_none(ind.denominator)}


def _target_value(measure: str, value: Decimal | None) -> int | float | bool | None:
    if measure == Measure.BOOLEAN and value is not None:
        return bool(value)
    return _num(value)


def _budget_dict(line: BudgetLine | BudgetTotal) -> dict[str, Any]:
    return {
        "item": _or_none(line.item),
        "year": line.year,
        "source": _or_none(line.source),
        "amount": _num(line.amount),
    }


def plans_export(plans: Iterable[Plan], export: Callable[[Plan], dict[str, Any]] = plan_export) -> list[dict[str, Any]]:
    return [export(plan) for plan in plans]
