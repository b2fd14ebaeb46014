from __future__ import annotations

from django.contrib import admin

from binhdang.lib.admin import ProductModelAdmin

from .models import Dhis2Attribute, Dhis2CategoryOption, Dhis2CategoryOptionCombo, Dhis2Mapping, Dhis2OrgUnit


@admin.register(Dhis2Mapping)
class Dhis2MappingAdmin(ProductModelAdmin):
    list_display = (
        "indicator",
        "value_element",
        "numerator_element",
        "denominator_element",
        "data_set",
        "export_parts",
    )
    raw_id_fields = ("indicator",)


@admin.register(Dhis2OrgUnit)
class Dhis2OrgUnitAdmin(ProductModelAdmin):
    list_display = ("unit", "org_unit")
    raw_id_fields = ("unit",)
    search_fields = ("unit__name", "org_unit")


@admin.register(Dhis2CategoryOptionCombo)
class Dhis2CategoryOptionComboAdmin(ProductModelAdmin):
    list_display = ("mapping", "coc", "sex", "combo")
    raw_id_fields = ("mapping",)
    search_fields = ("coc", "combo")


@admin.register(Dhis2Attribute)
class Dhis2AttributeAdmin(ProductModelAdmin):
    list_display = ("name", "category")


@admin.register(Dhis2CategoryOption)
class Dhis2CategoryOptionAdmin(ProductModelAdmin):
    list_display = ("category", "code", "member")
    search_fields = ("code", "member")
