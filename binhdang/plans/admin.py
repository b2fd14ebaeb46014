"""Django admin for plans: the strategy catalogue is edited here; plans are only viewed.

Plans change through binhdang.plans.services (the web forms, the loader), never through the admin, so that
permission checks and the rules on assignments always apply.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from binhdang.lib.admin import ProductModelAdmin, ProductTabularInline

from .models import (
    BudgetLine,
    BudgetTotal,
    CatalogueIndicator,
    Indicator,
    Objective,
    Plan,
    Reference,
    ReportingRule,
    Task,
)


@admin.register(CatalogueIndicator)
class CatalogueIndicatorAdmin(ProductModelAdmin):
    """Administrators add the strategy indicators whose wording is not yet confirmed, and confirm them."""

    list_display = ("objective_number", "number", "text", "measure", "unit", "direction", "confirmed")
    list_display_links = ("number", "text")
    list_filter = ("confirmed", "objective_number", "measure", "direction")
    search_fields = ("text", "objective_title", "number")
    ordering = ("objective_number", "number")
    fieldsets = (
        (None, {"fields": ("objective_number", "objective_title", "number", "text", "confirmed", "source")}),
        (
            "Số đo",
            {"fields": ("measure", "unit", "direction", "rate_per", "numerator", "denominator", "disaggregations")},
        ),
        ("Chỉ tiêu theo năm", {"fields": ("targets",)}),
    )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # An indicator added by hand is unconfirmed until someone checks it against Resolution 28/NQ-CP.
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        initial.setdefault("confirmed", False)
        initial.setdefault("source", "Nghị quyết 28/NQ-CP ngày 03/3/2021 (chưa xác nhận)")
        return initial


class _ReadOnlyInline(ProductTabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReferenceInline(_ReadOnlyInline):
    model = Reference
    fk_name = "plan"
    fields = ("relation", "code", "issued_on", "issuer", "title", "linked_plan")


class ObjectiveInline(_ReadOnlyInline):
    model = Objective
    fields = ("key", "number", "title")


class IndicatorInline(_ReadOnlyInline):
    model = Indicator
    fields = ("key", "number", "text", "measure", "unit", "catalogue")


class TaskInline(_ReadOnlyInline):
    model = Task
    fields = ("key", "section", "number", "text", "window_start", "window_end")


class BudgetLineInline(_ReadOnlyInline):
    model = BudgetLine
    fields = ("item", "year", "source", "amount")


class BudgetTotalInline(_ReadOnlyInline):
    model = BudgetTotal
    fields = ("item", "year", "source", "amount")


class ReportingRuleInline(_ReadOnlyInline):
    model = ReportingRule
    fields = ("kind", "due", "to_written_as", "through_written_as", "text")


@admin.register(Plan)
class PlanAdmin(ProductModelAdmin):
    list_display = ("code", "title", "unit", "level", "year_start", "year_end", "status", "updated_at")
    list_filter = ("level", "status", "year_start", "unit__generation")
    search_fields = ("code", "title", "issuer", "unit__name")
    list_select_related = ("unit",)
    date_hierarchy = "issued_on"
    inlines = (
        ReferenceInline,
        ObjectiveInline,
        IndicatorInline,
        TaskInline,
        BudgetLineInline,
        BudgetTotalInline,
        ReportingRuleInline,
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False
