"""Budget consistency checks of a plan: the rule lives in `binhdang.lib.budget`, where the reader
(`binhdang.docparse`, which does not import Django) uses the same function; this name is kept for importers."""

from binhdang.lib.budget import BudgetCheck, budget_checks

__all__ = ["BudgetCheck", "budget_checks"]
