"""Writes on plans and their parts. Each function is keyword-only, typed and one transaction (STYLE.md).

Every service first checks `plan_can_edit(user, plan)` and raises `PlanNotEditable` otherwise, so no caller
(view, command, API) can change a plan the user may not change. Rule violations are named exceptions
(subclasses of `PlanError`) that the edges map to messages; nothing of a refused call is written, because the
check that refuses runs inside the transaction that would have written.

Part data arrive as mappings of model field names (a form's `cleaned_data` does), so each service copies the
fields it knows and ignores the rest. Agencies arrive as `Agency` objects or as names; names are resolved
with `agency_get_or_create` in the plan's unit, inside the transaction, so a refused call creates none.
"""

from ..models import INDICATOR_FIELDS  # re-exported: web/forms.py reads it here
from .common import AgencyRef
from .derive import plan_derive
from .indicators import (
    TARGET_FIELDS,
    indicator_adopt,
    indicator_create,
    indicator_delete,
    indicator_retire,
    indicator_set_responsible,
    indicator_update,
    target_create,
    target_delete,
    target_update,
)
from .parts import (
    BUDGET_FIELDS,
    OBJECTIVE_FIELDS,
    PROJECT_FIELDS,
    REPORTING_FIELDS,
    TASK_FIELDS,
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    budget_total_create,
    budget_total_delete,
    budget_total_update,
    objective_create,
    objective_delete,
    objective_update,
    project_assign,
    project_create,
    project_delete,
    project_update,
    reporting_rule_create,
    reporting_rule_delete,
    reporting_rule_update,
    task_assign,
    task_create,
    task_delete,
    task_retire,
    task_update,
)
from .plan import (
    PLAN_FIELDS,
    REFERENCE_FIELDS,
    plan_create,
    plan_delete,
    plan_import,
    plan_update,
    reference_create,
    reference_delete,
    reference_update,
)
from .violations import (
    AgencyLeadAndPartner,
    CatalogueAlreadyAdopted,
    DeriveUnitNotBelow,
    NoUnit,
    ParentNotAbove,
    ParentNotVisible,
    PartOfOtherPlan,
)

__all__ = [
    "BUDGET_FIELDS",
    "INDICATOR_FIELDS",
    "OBJECTIVE_FIELDS",
    "PLAN_FIELDS",
    "PROJECT_FIELDS",
    "REFERENCE_FIELDS",
    "REPORTING_FIELDS",
    "TARGET_FIELDS",
    "TASK_FIELDS",
    "AgencyLeadAndPartner",
    "AgencyRef",
    "CatalogueAlreadyAdopted",
    "DeriveUnitNotBelow",
    "NoUnit",
    "ParentNotAbove",
    "ParentNotVisible",
    "PartOfOtherPlan",
    "budget_line_create",
    "budget_line_delete",
    "budget_line_update",
    "budget_total_create",
    "budget_total_delete",
    "budget_total_update",
    "indicator_adopt",
    "indicator_create",
    "indicator_delete",
    "indicator_retire",
    "indicator_set_responsible",
    "indicator_update",
    "objective_create",
    "objective_delete",
    "objective_update",
    "plan_create",
    "plan_delete",
    "plan_derive",
    "plan_import",
    "plan_update",
    "project_assign",
    "project_create",
    "project_delete",
    "project_update",
    "reference_create",
    "reference_delete",
    "reference_update",
    "reporting_rule_create",
    "reporting_rule_delete",
    "reporting_rule_update",
    "target_create",
    "target_delete",
    "target_update",
    "task_assign",
    "task_create",
    "task_delete",
    "task_retire",
    "task_update",
]
