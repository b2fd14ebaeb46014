"""Administrative units, agencies, the Committees for the Advancement of Women and user profiles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from binhdang.lib.agency_names import agency_key
from binhdang.lib.text import fold

# The two-level local government (Resolution 202/2025/QH15) took effect on this day: units of the
# pre-reform generation end the day before, units of the current generation start on it.
REFORM_DATE = dt.date(2025, 7, 1)


class Generation(models.TextChoices):
    LEGACY = "legacy", _("Trước 01/7/2025")
    CURRENT = "2025", _("Từ 01/7/2025")


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitKind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    HUYEN_DAO = "huyen_dao", _("Huyện đảo")


class AdministrativeUnit(models.Model):
    """One unit of one generation. Official codes are reused across generations, hence the pair key."""

    generation = models.CharField(_("thế hệ"), max_length=8, choices=Generation.choices)
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("cấp trên")
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("đơn vị kế thừa")
    )
    name_key = models.CharField(max_length=120, db_index=True, editable=False)
    source = models.CharField(_("nguồn dữ liệu"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["generation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "code"], name="unit_generation_code_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["level", "generation"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def full_name(self) -> str:
        """Name with its parents, most specific first: "Xã An Hòa Thịnh, Huyện Hương Sơn, Tỉnh Hà Tĩnh"."""
        parts: list[str] = []
        unit: AdministrativeUnit | None = self
        while unit is not None:
            parts.append(unit.name)
            unit = unit.parent
        return ", ".join(parts)


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "committee", _("Ủy ban nhân dân")
    COUNCIL = "council", _("Hội đồng nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành, phòng")
    MASS_ORGANISATION = "mass_org", _("Tổ chức chính trị - xã hội, đoàn thể")
    MEDIA = "media", _("Cơ quan báo chí, truyền thông")
    SCHOOL = "school", _("Trường học")
    HEALTH = "health", _("Cơ sở y tế")
    POLICE = "police", _("Công an")
    LOWER_COMMITTEES = "lower", _("Ủy ban nhân dân cấp dưới (chung)")
    GROUP = "group", _("Nhóm cơ quan (chung)")
    OTHER = "other", _("Khác")


class Agency(models.Model):
    """An agency or unit of work (cơ quan, đơn vị) that can lead or partner a task or report."""

    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT)
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("địa bàn")
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["unit__code", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name_key"], name="agency_unit_name_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = agency_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        # The unique constraint is on the folded name, which no form shows: check it here, so a form says so
        # instead of the database refusing the row.
        super().clean()
        key = agency_key(self.name or "")
        if self.unit_id and Agency.objects.filter(unit_id=self.unit_id, name_key=key).exclude(pk=self.pk).exists():
            raise ValidationError({"name": _("Địa bàn này đã có cơ quan, đơn vị cùng tên.")})


class AgencyAlias(models.Model):
    """Another way a document writes an agency's name ("Sở LĐTĐ&XH"), matched by its folded key."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("tên khác"), max_length=255)
    alias_key = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tên gọi khác")
        verbose_name_plural = _("tên gọi khác")
        constraints = [models.UniqueConstraint(fields=["agency", "alias_key"], name="alias_agency_key_unique")]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args: object, **kwargs: object) -> None:
        self.alias_key = agency_key(self.alias)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        super().clean()
        key = agency_key(self.alias or "")
        if (
            self.agency_id
            and AgencyAlias.objects.filter(agency_id=self.agency_id, alias_key=key).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"alias": _("Cơ quan, đơn vị này đã có tên gọi khác này.")})


class AdvancementCommittee(models.Model):
    """A unit's Ban Vì sự tiến bộ của phụ nữ and its standing agency, which compiles and reports upward.

    The standing agency is data, never code: it moved from LĐTBXH to Nội vụ / Văn hóa - Xã hội in 2025.
    """

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("tên"), max_length=255, default="Ban Vì sự tiến bộ của phụ nữ")
    standing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="standing_for", verbose_name=_("cơ quan thường trực")
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ban Vì sự tiến bộ của phụ nữ")
        verbose_name_plural = _("Ban Vì sự tiến bộ của phụ nữ")

    def __str__(self) -> str:
        return f"{self.name} – {self.unit}"


class Profile(models.Model):
    """Every user belongs to one agency; what the user may see and change follows from it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="members")
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"
