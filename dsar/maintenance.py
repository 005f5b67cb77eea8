"""Database upkeep the database does not do by itself.

SQLite keeps no statistics unless asked: without them its planner picks the status index for the
team queue, and the casework counts take ~150 ms instead of ~4 ms at 100,000 requests
(bench/RESULTS.md). Beat refreshes them once a day. PostgreSQL's autovacuum analyses tables on
its own, so there is nothing to do there.
"""

from __future__ import annotations

from django.db import connections

# Rows ANALYZE looks at per index: approximate statistics in bounded time, as SQLite recommends
# for databases that grow (a full ANALYZE reads every row of every index).
ANALYSIS_LIMIT = 1000


def refresh_query_statistics(using: str = "default") -> bool:
    """Refresh the query planner's statistics where the database needs it; True if it did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
