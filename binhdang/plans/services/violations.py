"""Named rule violations of the plan services: all are PlanErrors, which the edges map to messages.

They live here rather than in plans/errors.py because only these services raise them.
"""

from __future__ import annotations

from binhdang.places.models import AdministrativeUnit, Agency

from ..errors import PlanError
from ..models import (
    Indicator,
    Plan,
)


class AgencyLeadAndPartner(PlanError):
    """One agency was named as both the lead and a partner of the same task or project."""

    code = "agency_lead_and_partner"

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        super().__init__(f"{agency.name!r} cannot be both lead and partner")


class PartOfOtherPlan(PlanError):
    """A link (objective, indicator, parent task, ...) points at a part of another plan."""

    code = "part_of_other_plan"

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"{field} belongs to another plan")


class PartCycle(PlanError):
    """A task or project would sit below itself: the parent chosen is the part or one of its own sub-parts."""

    code = "part_cycle"

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"{field} would make the part its own ancestor")


class DeriveUnitNotBelow(PlanError):
    """A plan can only be derived for a unit below the unit of the plan it comes from."""

    code = "derive_unit_not_below"

    def __init__(self, unit: AdministrativeUnit, parent: Plan) -> None:
        self.unit = unit
        self.parent = parent
        super().__init__(f"{unit} is not below {parent.unit}")


class ParentNotAbove(PlanError):
    """A "parent" reference names a plan that is not of a unit above this plan's unit (same hierarchy)."""

    code = "parent_not_above"

    def __init__(self, plan_code: str) -> None:
        self.plan_code = plan_code
        super().__init__(f"no plan {plan_code!r} of a unit above this plan's unit: it cannot be the parent plan")


class ParentNotVisible(PlanError):
    """A "parent" reference names a plan the user may not see; linking would join a reporting it cannot read."""

    code = "parent_not_visible"

    def __init__(self, plan_code: str) -> None:
        self.plan_code = plan_code
        super().__init__(f"no plan {plan_code!r} visible to this user can be the parent plan")


class NoUnit(PlanError):
    """The user belongs to no agency, so there is no unit to make the plan for."""

    code = "no_unit"


class CatalogueAlreadyAdopted(PlanError):
    """The plan already carries this indicator of the national strategy."""

    code = "catalogue_already_adopted"

    def __init__(self, indicator: Indicator) -> None:
        self.indicator = indicator
        super().__init__(f"the plan already adopted this catalogue indicator as {indicator.key}")
