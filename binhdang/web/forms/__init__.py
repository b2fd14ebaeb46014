"""Forms of the web interface: parse and check input, name the field and the reason, in Vietnamese.

Forms never write. Their `cleaned_data` use the model field names the services in binhdang.plans.services
expect; agencies come out as `Agency` objects or as new names, which the services resolve in the plan's unit
inside their transaction, so a refused form creates no agency either.

`fields` holds the reusable fields, `parts` the forms of a plan's parts, `plan` the whole-plan forms.
"""

from .fields import (
    IMPORT_MAX_BYTES,
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    ChoiceWithMessage,
    ComparatorField,
    VnDateField,
    VnDayField,
    VnDecimalField,
    YearField,
)
from .parts import (
    BudgetForm,
    IndicatorForm,
    ObjectiveForm,
    PartForm,
    ProjectForm,
    ReferenceForm,
    ReportingForm,
    TargetForm,
    TargetFormSet,
    TaskForm,
    formset_targets,
    target_initial,
)
from .plan import AdoptForm, DeriveForm, ImportForm, PlanForm, plan_initial, unit_by_code

__all__ = [
    "IMPORT_MAX_BYTES",
    "AdoptForm",
    "AgencyChoiceField",
    "AgencyMultipleChoiceField",
    "BudgetForm",
    "ChoiceWithMessage",
    "ComparatorField",
    "DeriveForm",
    "ImportForm",
    "IndicatorForm",
    "ObjectiveForm",
    "PartForm",
    "PlanForm",
    "ProjectForm",
    "ReferenceForm",
    "ReportingForm",
    "TargetForm",
    "TargetFormSet",
    "TaskForm",
    "VnDateField",
    "VnDayField",
    "VnDecimalField",
    "YearField",
    "formset_targets",
    "plan_initial",
    "target_initial",
    "unit_by_code",
]
