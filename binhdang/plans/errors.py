"""Named rule violations of the plans app, mapped to clear messages at the edges (CLI, forms, API)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One refused field: where (a JSON Pointer such as /indicators/2/targets/0/value) and why, in English."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class PlanError(Exception):
    """Base class of the plans app's rule violations."""


class PlanFormatError(PlanError):
    """A plan/1 document was refused; carries every field error found, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"plan refused, {len(errors)} error(s):\n{lines}{more}")


class PlanAlreadyExists(PlanError):
    def __init__(self, plan_id: int, code: str) -> None:
        self.plan_id = plan_id
        super().__init__(f"a plan {code!r} of this unit and date already exists (id {plan_id})")


class UnknownUnit(PlanError):
    """The administrative unit of a plan could not be matched to a real unit."""


class PlanNotEditable(PlanError):
    """The user may not change this plan."""
