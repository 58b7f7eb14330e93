"""What a database does to answer a query: the plan it would follow, for tests that an index serves the query,
and, on SQLite, how much work it did, for tests that the work does not grow with rows it need not read."""

import re

from django.db import connection


def query_plan(sql, params=(), *, allow_sort=True):
    """SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN lines. PostgreSQL is told not to read whole
    tables (and, unless allow_sort, not to sort), which with a test's handful of rows it rightly would; it still
    does when no index serves, so the plan shows whether one does. Run inside the test's transaction.

    PostgreSQL first reads the statistics of the rows the test made. Else it plans from whatever autovacuum last
    saw of earlier tests, which differs from run to run, and so may the plan: a plan test failed in CI only."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[-1] for row in cursor.fetchall()]
        tables = ", ".join(sorted(set(re.findall(r'(?:FROM|JOIN) ("\w+")', sql))))
        cursor.execute(f"ANALYZE {tables}")  # It samples the test's own rows, uncommitted as they are.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not allow_sort:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def sqlite_instructions(read):
    """How many virtual machine instructions SQLite runs to answer what read() asks: its work, the same from run
    to run, which a test compares as rows are added."""
    instructions = 0

    def count():
        nonlocal instructions
        instructions += 1
        return 0  # go on

    connection.ensure_connection()
    connection.connection.set_progress_handler(count, 1)
    try:
        read()
    finally:
        connection.connection.set_progress_handler(None, 1)
    return instructions
