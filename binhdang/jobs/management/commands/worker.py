"""`binhdang worker`: run background jobs. Start any number, on any server; they share the queue in the database.

Each worker runs django-tasks' database worker loop and, beside it, a sweep every few seconds that queues again
the jobs of workers that died (binhdang.jobs.services.jobs_recover) and enqueues the day's scheduled jobs
(reminders) once for the whole cluster."""

from __future__ import annotations

import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from binhdang.jobs import services


class Command(BaseCommand):
    help = "Run background jobs (document reading, PDF files, imports, reminders) until stopped."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--worker-id", default=None, help="a name unique in the cluster (default: host:pid:random)")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit (tests, scripts)")

    def handle(self, *args: Any, interval: float, worker_id: str | None, batch: bool, **options: Any) -> None:
        name = services.set_worker(worker_id)
        self.stdout.write(f"worker {name}: lease {services.lease_seconds():g} s")
        self.stdout.flush()
        stop = threading.Event()

        def sweep() -> None:
            while not stop.is_set():
                services.jobs_sweep()
                stop.wait(min(10.0, services.lease_seconds() / 2))

        sweeper = threading.Thread(target=sweep, name="job-sweep", daemon=True)
        if not batch:
            sweeper.start()
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=name[:64],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
