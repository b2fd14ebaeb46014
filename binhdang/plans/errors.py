"""Named rule violations of the plans app, mapped to clear messages at the edges (CLI, forms, API)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The plan format's field errors, by code: the English sentence for the command line, the API and the logs.
# The pages say the same in Vietnamese from the same code and parameters (web/messages.py); a new code needs a
# line in both tables (tests/plans/test_field_error_codes.py checks it).
FIELD_ERRORS: dict[str, str] = {
    "plan_not_object": "a plan must be a JSON object, got {got}",
    "schema": "expected {expected}, got {got}",
    "not_object": "must be an object, got {got}",
    "not_list": "must be a list, got {got}",
    "not_string_list": "must be a list of strings, got {got}",
    "not_string": "must be a string, got {got}",
    "not_number": "must be a number, got {got}",
    "not_year": "must be a year, got {got}",
    "not_iso_date": "must be an ISO date string, got {got}",
    "not_day": "must be '--MM-DD' or an ISO date, got {got}",
    "required": "is required",
    "required_id": "is required (a string unique in its list)",
    "required_object": "is required and must be an object",
    "empty": "must not be empty",
    "too_long": "is longer than {max} characters",
    "unknown_choice": "unknown value {value}; expected one of {allowed}",
    "year_range": "year {year} is out of range {first}–{last}",
    "date_invalid": "invalid date {value}; expected YYYY-MM-DD",
    "date_range": "date {value} is out of range {first}–{last}",
    "day_invalid": "invalid day {value}",
    "day_invalid_form": "invalid day {value}; expected '--MM-DD' or YYYY-MM-DD",
    "not_a_number": "not a number: {value}",
    "not_a_vn_number": "not a number: {value} (Vietnamese numbers read '1.040' = 1040, '1,7' = 1.7)",
    "not_finite": "not a finite number: {value}",
    "negative": "must not be negative, got {value}",
    "too_large": "too large: {value}",
    "years_order": "last year {last} is before first year {first}",
    "years_pair": "must be [first year, last year]",
    "code_number": "code {written} does not start with the number {number}",
    "parent_twice": "more than one reference is marked as the parent plan",
    "target_before_baseline": "target year {year} is before the baseline year {baseline}",
    "unknown_disaggregation": "unknown disaggregation {value}",
    "disaggregation_twice": "disaggregation {value} is listed twice",
    "age_group_invalid": "not an age group: {value}; write '15-24' or '60+'",
    "age_groups_overlap": "age groups {first} and {second} overlap: a person would count in both",
    "positive_int": "must be a positive whole number, got {got}",
    "unknown_link": "unknown {what} id {value}",
    "budget_unit": "unsupported unit {value}; amounts are in 'million VND'",
    "duplicate_id": "duplicate id {value}",
    "own_parent": "an item cannot be its own parent",
    "lead_and_partner": "{agency} cannot be both lead and partner",
    "agency_twice": "the same agency is listed twice",
    "no_unit": "no administrative unit matches {value}; give document.unit as 'xã ..., huyện ..., tỉnh ...' or "
    "document.unit_code",
}
# Parameters named "got" carry a JSON type as a code (or a value as written); "what" names a kind of part.
TYPE_NAMES = {
    "object": "an object",
    "list": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "null": "null",
    "number": "a number",
}
PART_NAMES = {"objective": "objective", "indicator": "indicator", "project": "project", "task": "task"}


@dataclass(frozen=True)
class FieldError:
    """One refused field: where (a JSON Pointer such as /indicators/2/targets/0/value), and why as a code with its
    parameters; ``message`` is the English sentence, the pages translate the code."""

    path: str
    code: str
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code not in FIELD_ERRORS:
            raise ValueError(f"unknown field error code {self.code!r}")

    @property
    def message(self) -> str:
        params = dict(self.params)
        if "got" in params:
            params["got"] = TYPE_NAMES.get(params["got"], params["got"])
        if "what" in params:
            params["what"] = PART_NAMES.get(params["what"], params["what"])
        return FIELD_ERRORS[self.code].format(**params)

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class PlanError(Exception):
    """Base class of the plans app's rule violations."""

    code = "plan_error"


class PlanFormatError(PlanError):
    """A plan/1 document was refused; carries every field error found, not just the first."""

    code = "plan_format"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"plan refused, {len(errors)} error(s):\n{lines}{more}")


class PlanAlreadyExists(PlanError):
    code = "plan_already_exists"

    def __init__(self, plan_id: int, code: str) -> None:
        self.plan_id = plan_id
        super().__init__(f"a plan {code!r} of this unit and date already exists (id {plan_id})")


class UnknownUnit(PlanError):
    """The administrative unit of a plan could not be matched to a real unit."""

    code = "unknown_unit"


class PlanNotEditable(PlanError):
    """The user may not change this plan."""

    code = "plan_not_editable"
