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


# The permission selectors ask for the same user's agency and scope many times per page (a report page asked
# ten times for the profile and rebuilt the unit scope twice: about a third of its time). Within one web
# request they are remembered on the request's user object (binhdang.places.middleware gives it an empty memo
# at the start of each request); elsewhere (services, commands, the API's token users, tests calling selectors
# directly) nothing is remembered, so a change made between two calls is always seen.
_MEMO = "_binhdang_scope_memo"


def user_memo(user: UserLike) -> dict[Any, Any] | None:
    """The current request's memo of the scope selectors for this user, or None outside a web request."""
    memo: dict[Any, Any] | None = getattr(user, _MEMO, None)
    return memo


def user_memo_start(user: UserLike) -> None:
    """Give the request's user an empty memo (binhdang.places.middleware.ScopeMemoMiddleware)."""
    setattr(user, _MEMO, {})


def remembered(user: UserLike, key: Any, compute: Any) -> Any:
    """``compute()``, remembered for the rest of the request under ``key`` when there is a request memo."""
    memo = user_memo(user)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def user_agency(user: UserLike) -> Agency | None:
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return None

    def load() -> Agency | None:
        profile = Profile.objects.select_related("agency__unit").filter(user=user).first()
        return profile.agency if profile is not None else None

    agency: Agency | None = remembered(user, "agency", load)
    return agency


def unit_descendant_ids(unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them, one query per level."""
    seen = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        frontier = set(AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - seen
        seen |= frontier
    return seen


def _linked_ids(unit_ids: set[int], *, forward: bool) -> set[int]:
    """Units reached through the 2025 reform's successor links, transitively: forward to the units the given
    ones were merged or renamed into, backward to the units merged or renamed into them."""
    through = AdministrativeUnit.successors.through
    source, target = (
        ("from_administrativeunit_id", "to_administrativeunit_id")
        if forward
        else ("to_administrativeunit_id", "from_administrativeunit_id")
    )
    seen: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        reached = set(through.objects.filter(**{f"{source}__in": frontier}).values_list(target, flat=True))
        frontier = reached - seen - unit_ids
        seen |= frontier
    return seen


def unit_predecessor_ids(unit_ids: set[int]) -> set[int]:
    """Units that were merged or renamed into the given ones, transitively (for history across 2025)."""
    return _linked_ids(unit_ids, forward=False)


def unit_successor_ids(unit_ids: set[int]) -> set[int]:
    """Units the given ones were merged or renamed into, transitively (the 2025 reform's "after" side)."""
    return _linked_ids(unit_ids, forward=True)


def unit_tree_ids(unit_ids: set[int]) -> set[int]:
    """The units, every unit below them, and the historic units (and their units below) merged into those."""
    below = unit_descendant_ids(unit_ids)
    return below | unit_descendant_ids(unit_predecessor_ids(below))


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

    def load() -> frozenset[int]:
        return frozenset(unit_tree_ids({agency.unit_id}))

    return set(remembered(user, "scope", load))  # a copy: callers may change it


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
