"""The `binhdang.plan/1` interchange format (docs/plan-format.md): validate, load and export whole plans.

Loading is all-or-nothing: every field is checked first (`validate`) and all errors are reported together with
their JSON Pointer; only a document without errors is written (`load`), in one transaction. `export` writes a
plan back as a tree that loads into an identical plan.
"""

from .export import plan_export, plans_export
from .fields import SCHEMA
from .load import plan_load, reference_links_refresh
from .validate import CleanPlan, plan_validate

__all__ = [
    "SCHEMA",
    "CleanPlan",
    "plan_export",
    "plan_load",
    "plan_validate",
    "plans_export",
    "reference_links_refresh",
]
