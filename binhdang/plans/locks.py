"""Accepted means locked: the one rule that keeps reported figures and what they hang on (docs/permissions.md).

A plan part that reports hang on — the plan itself, an indicator, a task — is not deleted, moved or
reinterpreted once a report carries figures for it or has been sent: the figures would vanish (the database
cascades) or change meaning while the report still says "accepted". The only way to change an accepted figure
is the acceptor's re-opening, which is audited (reporting.services.report_reopen). An indicator or task that
is no longer wanted is *retired* instead: new reports stop asking for it, history and dashboards keep it.

The plans app may not import the reporting app (STYLE.md: dependencies point one way), so the reporting app
registers the function that counts the reports holding a part (`reporting.apps.ReportingConfig.ready`);
every plans service that deletes or reshapes a part asks `holds()` here, and so does the admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import PlanError


@dataclass(frozen=True)
class Hold:
    """The reports that hang on some plan parts: how many, how many accepted, and who accepts them."""

    reports: int = 0  # reports with figures for the parts, or sent (submitted, returned or accepted) with them
    accepted: int = 0
    acceptors: tuple[str, ...] = field(default_factory=tuple)  # agency names that can re-open them

    def __bool__(self) -> bool:
        return self.reports > 0


# kind ("plan" | "indicator" | "task"), ids → the hold. Registered by the reporting app; none: nothing holds.
Probe = Callable[[str, frozenset[int]], Hold]
_probes: list[Probe] = []


def probe_register(probe: Probe) -> None:
    if probe not in _probes:
        _probes.append(probe)


def holds(kind: str, ids: set[int] | frozenset[int]) -> Hold:
    """What holds the given plans, indicators or tasks (their ids) in place."""
    reports, accepted, acceptors = 0, 0, set()
    for probe in _probes:
        hold = probe(kind, frozenset(ids))
        reports += hold.reports
        accepted += hold.accepted
        acceptors |= set(hold.acceptors)
    return Hold(reports, accepted, tuple(sorted(acceptors)))


class PartLocked(PlanError):
    """A plan part that reports hang on cannot be deleted, moved or reinterpreted; retire it instead.

    `code` names the refused action for the edges: "delete" (an indicator, task or plan with reports),
    "reimport" (replacing a plan that has reports), "move" (changing a plan's unit), "reshape" (changing how
    an indicator with figures is measured).
    """

    def __init__(self, *, code: str, kind: str, label: str, hold: Hold) -> None:
        self.code = code
        self.kind = kind
        self.label = label
        self.hold = hold
        who = ", ".join(hold.acceptors) or "the acceptor"
        super().__init__(
            f"{kind} {label!r} is locked ({code}): {hold.reports} report(s) hang on it, {hold.accepted} accepted; "
            f"retire it instead of deleting, or ask {who} to re-open the accepted reports"
        )


def assert_free(*, code: str, kind: str, ids: set[int], label: str) -> None:
    """Raise PartLocked when any report hangs on the given parts."""
    hold = holds(kind, ids)
    if hold:
        raise PartLocked(code=code, kind=kind, label=label, hold=hold)
