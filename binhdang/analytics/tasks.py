"""Task status by lead agency: each task of a plan with its latest progress from an accepted report.

- A task belongs to its lead agency (``Assignment`` with role "lead"); tasks without one are grouped apart.
- Latest progress: among the ``Progress`` rows of the plan's **accepted** reports for the task, the one of the
  latest period (by end of data, then deadline); within one period the lead agency's own report wins over a
  partner's, then the report decided last. Drafts, sent and returned reports are not counted.
- A task no accepted report speaks of has the status ``no_report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from binhdang.plans.models import Assignment, Plan, Role, Task
from binhdang.plans.numbering import label_tasks
from binhdang.reporting.models import Progress, ReportStatus, TaskStatus

NO_REPORT = "no_report"
STATUS_ORDER = [TaskStatus.DONE.value, TaskStatus.IN_PROGRESS.value, TaskStatus.NOT_STARTED.value]
STATUS_ORDER += [TaskStatus.DROPPED.value, NO_REPORT]


@dataclass
class TaskLine:
    task: Task
    status: str  # a TaskStatus value or NO_REPORT
    progress: Progress | None = None

    @property
    def label(self) -> str:
        number = f"{self.task.label}. " if self.task.label else ""
        return f"{number}{self.task.text}"


@dataclass
class AgencyTasks:
    agency_id: int | None  # None: tasks with no lead agency
    name: str
    tasks: list[TaskLine] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(STATUS_ORDER, 0)
        for line in self.tasks:
            result[line.status] += 1
        return result


def _rank(progress: Progress, lead_id: int | None) -> tuple[object, ...]:
    report = progress.report
    period = report.period
    return (
        period.data_to,
        period.due,
        report.reporter_id == lead_id,
        report.decided_at is not None,
        report.decided_at or period.due,
        report.pk,
    )


def task_status(plan: Plan, no_lead_name: str) -> list[AgencyTasks]:
    """The plan's tasks grouped by lead agency (by name, tasks without a lead last), three queries."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk"))
    label_tasks(tasks)
    leads: dict[int, tuple[int, str]] = {
        a.task_id: (a.agency_id, a.agency.name)
        for a in Assignment.objects.filter(task__plan=plan, role=Role.LEAD).select_related("agency")
        if a.task_id is not None
    }
    latest: dict[int, Progress] = {}
    accepted = Progress.objects.filter(task__plan=plan, report__status=ReportStatus.ACCEPTED).select_related(
        "report__period", "report__reporter"
    )
    for progress in accepted:
        lead_id = leads.get(progress.task_id, (None, ""))[0]
        current = latest.get(progress.task_id)
        if current is None or _rank(progress, lead_id) > _rank(current, lead_id):
            latest[progress.task_id] = progress
    groups: dict[int | None, AgencyTasks] = {}
    for task in tasks:
        agency_id, name = leads.get(task.pk, (None, no_lead_name))
        group = groups.setdefault(agency_id, AgencyTasks(agency_id, name))
        last = latest.get(task.pk)
        group.tasks.append(TaskLine(task, last.status if last else NO_REPORT, last))
    return sorted(groups.values(), key=lambda g: (g.agency_id is None, g.name.casefold()))


def status_totals(groups: list[AgencyTasks]) -> dict[str, int]:
    totals = dict.fromkeys(STATUS_ORDER, 0)
    for group in groups:
        for status, n in group.counts().items():
            totals[status] += n
    return totals
