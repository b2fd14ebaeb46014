"""Writes on agencies and people. Each function is one transaction."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from binhdang.lib.agency_names import agency_key
from binhdang.lib.text import clean_text, fold

from .models import AdministrativeUnit, AdvancementCommittee, Agency, AgencyAlias, AgencyKind, Profile

# Ordered: the first pattern that matches the folded name decides the kind.
_KIND_PATTERNS: list[tuple[str, AgencyKind]] = [
    (r"\b(cac|nhung) (so|ban|nganh|phong|co quan|don vi|to chuc|doan the)\b", AgencyKind.GROUP),
    (r"^(uy ban nhan dan|ubnd) cac\b", AgencyKind.LOWER_COMMITTEES),
    (r"^(cac )?(thon|to dan pho|ban|khu pho)$|^cac thon\b", AgencyKind.LOWER_COMMITTEES),
    (r"^(uy ban nhan dan|ubnd)\b", AgencyKind.PEOPLES_COMMITTEE),
    (r"^(hoi dong nhan dan|hdnd)\b", AgencyKind.COUNCIL),
    (
        r"\b(mat tran|mttq|hoi lien hiep|lhpn|hoi nong dan|tinh doan|huyen doan|doan thanh nien|"
        r"lien doan lao dong|hoi cuu chien binh|cong doan|hoi phu nu)\b",
        AgencyKind.MASS_ORGANISATION,
    ),
    (r"^(bao|dai |truyen thanh|dai phat thanh|trung tam thong tin|cong thong tin)", AgencyKind.MEDIA),
    (r"\b(truong|cac truong)\b", AgencyKind.SCHOOL),
    (r"\b(tram y te|benh vien|trung tam y te)\b", AgencyKind.HEALTH),
    (r"\bcong an\b", AgencyKind.POLICE),
]


def agency_kind_guess(name: str) -> AgencyKind:
    key = fold(name)
    for pattern, kind in _KIND_PATTERNS:
        if re.search(pattern, key):
            return kind
    return AgencyKind.DEPARTMENT


def agency_find(*, name: str, unit: AdministrativeUnit) -> Agency | None:
    """The unit's agency with this name or one of its aliases, compared by the normalising key."""
    key = agency_key(name)
    if not key:
        return None
    found = Agency.objects.filter(unit=unit, name_key=key).first()
    if found is not None:
        return found
    alias = AgencyAlias.objects.select_related("agency").filter(agency__unit=unit, alias_key=key).first()
    return alias.agency if alias is not None else None


@transaction.atomic
def agency_get_or_create(*, name: str, unit: AdministrativeUnit, kind: str | None = None) -> Agency:
    name = clean_text(name)
    if not name:
        raise ValueError("an agency needs a name")
    found = agency_find(name=name, unit=unit)
    if found is not None:
        return found
    return Agency.objects.create(name=name, unit=unit, kind=kind or agency_kind_guess(name))


@transaction.atomic
def agency_alias_add(*, agency: Agency, alias: str) -> AgencyAlias:
    alias = clean_text(alias)
    obj, _created = AgencyAlias.objects.get_or_create(
        agency=agency, alias_key=agency_key(alias), defaults={"alias": alias}
    )
    return obj


@transaction.atomic
def committee_set_standing_agency(*, unit: AdministrativeUnit, agency: Agency) -> AdvancementCommittee:
    if agency.unit_id != unit.pk:
        raise ValueError(f"agency {agency} does not belong to unit {unit}")
    committee = AdvancementCommittee.objects.filter(unit=unit, valid_to__isnull=True).first()
    if committee is None:
        return AdvancementCommittee.objects.create(unit=unit, standing_agency=agency)
    committee.standing_agency = agency
    committee.save(update_fields=["standing_agency"])
    return committee


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    agency: Agency,
    full_name: str = "",
    email: str = "",
    is_admin: bool = False,
) -> User:
    user_model = get_user_model()
    first, _, last = full_name.rpartition(" ")
    user: User = user_model.objects.create_user(
        username=username, password=password, email=email, first_name=first, last_name=last or full_name
    )
    if is_admin:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    Profile.objects.create(user=user, agency=agency)
    return user
