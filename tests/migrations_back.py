"""Migrating a PostgreSQL test database back to before issue 16's combinations and forward again, inside a test."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_back_before_combos_and_forward() -> None:
    """To reporting/0003 (values keyed by sex only) and back to the latest migrations; checks the column is really
    gone in between. Needs transactional DDL: PostgreSQL."""
    with connection.cursor() as cursor:  # deferred foreign-key checks would block ALTER TABLE in this transaction
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("reporting", "0003_accepted_sum"), ("plans", "0005_plan_is_national")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'reporting_value'")
        assert "combo" not in {r[0] for r in cursor.fetchall()}  # really migrated back
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
