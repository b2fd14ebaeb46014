"""Reads about units, agencies and people, and the scope of what a user may see or change.

Permission scoping lives here so that no view can forget it (see docs/permissions.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from .models import AdministrativeUnit, AdvancementCommittee, Agency, Profile

UserLike = Any  # an authenticated user or AnonymousUser


def user_is_admin(user: UserLike) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def user_agency(user: UserLike) -> Agency | None:
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return None
    profile = Profile.objects.select_related("agency__unit").filter(user=user).first()
    return profile.agency if profile is not None else None


def unit_descendant_ids(unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them, one query per level."""
    seen = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        frontier = set(AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - seen
        seen |= frontier
    return seen


def unit_predecessor_ids(unit_ids: set[int]) -> set[int]:
    """Units that were merged or renamed into the given ones, transitively (for history across 2025)."""
    seen: set[int] = set()
    frontier = set(unit_ids)
    through = AdministrativeUnit.successors.through
    while frontier:
        frontier = (
            set(
                through.objects.filter(to_administrativeunit_id__in=frontier).values_list(
                    "from_administrativeunit_id", flat=True
                )
            )
            - seen
            - unit_ids
        )
        seen |= frontier
    return seen


def unit_ancestor_ids(unit: AdministrativeUnit) -> set[int]:
    ids: set[int] = set()
    current = unit.parent
    while current is not None:
        ids.add(current.pk)
        current = current.parent
    return ids


def units_in_scope_ids(user: UserLike) -> set[int] | None:
    """Units whose data the user may see: its unit, the units below, and their predecessors.

    None means everything (administrators); an empty set means nothing.
    """
    if user_is_admin(user):
        return None
    agency = user_agency(user)
    if agency is None:
        return set()
    own = {agency.unit_id}
    below = unit_descendant_ids(own)
    history = unit_predecessor_ids(below)
    return below | unit_descendant_ids(history)


def standing_agency_of(unit: AdministrativeUnit) -> Agency | None:
    committee = (
        AdvancementCommittee.objects.select_related("standing_agency").filter(unit=unit, valid_to__isnull=True).first()
    )
    return committee.standing_agency if committee is not None else None


def user_is_standing_officer(user: UserLike) -> bool:
    agency = user_agency(user)
    return (
        agency is not None
        and AdvancementCommittee.objects.filter(standing_agency=agency, valid_to__isnull=True).exists()
    )
