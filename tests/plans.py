"""The query plan a database would follow, as a list of its steps, for tests that an index serves a query."""

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
        cursor.execute("ANALYZE")  # It samples the test's own rows, uncommitted as they are.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not allow_sort:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def sqlite_steps(read):
    """How many steps (in hundreds of virtual machine instructions) SQLite takes to answer what read() asks: its
    work, counted the same on any machine, for tests that it does not grow with rows a query need not read."""
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0  # go on

    connection.ensure_connection()
    connection.connection.set_progress_handler(count, 100)
    try:
        read()
    finally:
        connection.connection.set_progress_handler(None, 100)
    return steps
