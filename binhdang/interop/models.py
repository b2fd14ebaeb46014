"""The mapping table between our indicators and units and DHIS2's data elements and organisation units.

Rates and percentages travel as two DHIS2 data elements, numerator and denominator, the way DHIS2 itself
builds indicators (an indicator in DHIS2 is a formula over data elements), so that they still sum correctly
on the other side. A count or a yes/no travels as one data element. The sex is the category option
combination: one uid each for total, female and male (docs/dhis2.md). A figure by age group, ethnicity or area
(issue 16) travels under a category option combination mapped in `Dhis2CategoryOptionCombo`, or under the
default code built from its members (interop/combos.py); in ADX, under per-category attributes whose names and
values other systems spell their own way are mapped in `Dhis2Attribute` and `Dhis2CategoryOption`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binhdang.places.models import AdministrativeUnit
from binhdang.plans.categories import AGE, AREA, ETHNICITY, CategoryError, combo_key, combos_for, parse_combo
from binhdang.plans.models import Indicator
from binhdang.reporting.models import Sex

from .dhis2 import DEFAULT_COC

UID = {"max_length": 11}
CODE = {"max_length": 50}  # DHIS2's codes are at most 50 characters; uids 11
CATEGORIES = [(AGE, _("Nhóm tuổi")), (ETHNICITY, _("Dân tộc")), (AREA, _("Thành thị/nông thôn"))]


class Dhis2Mapping(models.Model):
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="dhis2")
    data_set = models.CharField(_("dataSet (uid)"), blank=True, **UID)  # type: ignore[arg-type]
    value_element = models.CharField(_("dataElement: giá trị"), blank=True, **UID)  # type: ignore[arg-type]
    numerator_element = models.CharField(_("dataElement: tử số"), blank=True, **UID)  # type: ignore[arg-type]
    denominator_element = models.CharField(_("dataElement: mẫu số"), blank=True, **UID)  # type: ignore[arg-type]
    coc_total = models.CharField(_("categoryOptionCombo: tổng"), default=DEFAULT_COC, **UID)  # type: ignore[arg-type]
    coc_female = models.CharField(_("categoryOptionCombo: nữ"), blank=True, **UID)  # type: ignore[arg-type]
    coc_male = models.CharField(_("categoryOptionCombo: nam"), blank=True, **UID)  # type: ignore[arg-type]
    # Whether the figures by age group, ethnicity or area go out in exports (then instead of the totals, which
    # DHIS2 derives from them); off, the totals go out as before issue 16. docs/dhis2.md, "No total beside its split".
    export_parts = models.BooleanField(_("xuất các phân tổ (nhóm tuổi, dân tộc, khu vực)"), default=True)

    class Meta:
        verbose_name = _("ánh xạ chỉ tiêu DHIS2")
        verbose_name_plural = _("ánh xạ chỉ tiêu DHIS2")
        constraints = [
            models.CheckConstraint(
                condition=~Q(value_element="") | ~Q(numerator_element="") | ~Q(denominator_element=""),
                name="dhis2_mapping_has_element",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ↔ {self.value_element or self.numerator_element}"

    def elements(self) -> dict[str, str]:
        """Our field → DHIS2 data element, for the fields that are mapped."""
        pairs = {
            "value": self.value_element,
            "numerator": self.numerator_element,
            "denominator": self.denominator_element,
        }
        return {field: uid for field, uid in pairs.items() if uid}

    def combos(self) -> dict[str, str]:
        """Our sex → DHIS2 category option combination, for the sexes that are mapped."""
        pairs = {"total": self.coc_total, "female": self.coc_female, "male": self.coc_male}
        return {sex: uid for sex, uid in pairs.items() if uid}

    def clean(self) -> None:
        elements = list(self.elements().values())
        if len(set(elements)) != len(elements):
            raise ValidationError(_("Mỗi trường phải dùng một dataElement khác nhau."))
        combos = list(self.combos().values())
        if len(set(combos)) != len(combos):
            raise ValidationError(_("Mỗi giới tính phải dùng một categoryOptionCombo khác nhau."))


class Dhis2OrgUnit(models.Model):
    unit = models.OneToOneField(AdministrativeUnit, on_delete=models.CASCADE, related_name="dhis2")
    org_unit = models.CharField(_("orgUnit (uid)"), unique=True, **UID)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("ánh xạ địa bàn DHIS2")
        verbose_name_plural = _("ánh xạ địa bàn DHIS2")

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.org_unit}"


class Dhis2CategoryOptionCombo(models.Model):
    """One category option combination of an indicator's data elements: the sex and the combination (age group,
    ethnicity, area) it carries. Needed only where DHIS2's identifiers differ from the default codes
    (interop/combos.py, ``default_coc``); the total, female and male without a combination stay on the mapping."""

    mapping = models.ForeignKey(Dhis2Mapping, on_delete=models.CASCADE, related_name="option_combos")
    coc = models.CharField(_("categoryOptionCombo (uid hoặc mã)"), **CODE)  # type: ignore[arg-type]
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices, default=Sex.TOTAL)
    combo = models.CharField(_("tổ hợp phân tổ"), max_length=120)

    class Meta:
        verbose_name = _("ánh xạ tổ hợp phân tổ DHIS2")
        verbose_name_plural = _("ánh xạ tổ hợp phân tổ DHIS2")
        constraints = [
            models.UniqueConstraint(fields=["mapping", "coc"], name="dhis2_coc_unique"),
            models.UniqueConstraint(fields=["mapping", "sex", "combo"], name="dhis2_coc_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.coc} ↔ {self.sex} {self.combo}"

    def clean(self) -> None:
        try:
            self.combo = combo_key(parse_combo(self.combo))
        except CategoryError as error:
            raise ValidationError({"combo": str(error)}) from None
        if not self.combo:
            raise ValidationError({"combo": _("Tổng, nữ và nam (không phân tổ) ghi ở ánh xạ chỉ tiêu.")})
        mapping = Dhis2Mapping.objects.filter(pk=self.mapping_id).select_related("indicator").first()
        if mapping is not None and self.combo not in combos_for(mapping.indicator):
            raise ValidationError({"combo": _("Chỉ tiêu không báo cáo theo tổ hợp này.")})
        if mapping is not None and self.coc in mapping.combos().values():
            raise ValidationError({"coc": _("Mã này đã dùng cho tổng, nữ hoặc nam của chỉ tiêu.")})


class Dhis2Attribute(models.Model):
    """An ADX disaggregation attribute (DHIS2 writes a category's code, e.g. ``HIV_AGE``) → our category. The
    names ``ageGroup``, ``age``, ``ethnicity`` and ``area`` are known without a row (interop/combos.py)."""

    name = models.CharField(_("tên thuộc tính ADX"), unique=True, **CODE)  # type: ignore[arg-type]
    category = models.CharField(_("phân tổ"), max_length=12, choices=CATEGORIES)

    class Meta:
        verbose_name = _("ánh xạ thuộc tính ADX")
        verbose_name_plural = _("ánh xạ thuộc tính ADX")

    def __str__(self) -> str:
        return f"{self.name} ↔ {self.category}"


class Dhis2CategoryOption(models.Model):
    """An ADX attribute value (a DHIS2 category option code, e.g. ``under5``) → our member of a category (``0-4``).
    Our own codes and a few unambiguous spellings are known without a row (interop/combos.py, docs/dhis2.md)."""

    category = models.CharField(_("phân tổ"), max_length=12, choices=CATEGORIES)
    code = models.CharField(_("mã trong tệp"), **CODE)  # type: ignore[arg-type]
    member = models.CharField(_("nhóm của Bình Đẳng"), max_length=20)

    class Meta:
        verbose_name = _("ánh xạ nhóm phân tổ DHIS2")
        verbose_name_plural = _("ánh xạ nhóm phân tổ DHIS2")
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="dhis2_option_unique")]

    def __str__(self) -> str:
        return f"{self.category}: {self.code} ↔ {self.member}"

    def clean(self) -> None:
        try:
            self.member = combo_key({self.category: self.member}).partition("=")[2]
        except CategoryError as error:
            raise ValidationError({"member": str(error)}) from None
