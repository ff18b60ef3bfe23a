"""The query planner's statistics (issue 12). The pages' statements are fast only with the plan they were written
for — the open-work lists walk a due-order index and stop at a page — and SQLite chooses its plan from
`sqlite_stat1`: an index without statistics (a new index after a migration, a fresh database) is guessed at, and the
guess can prefer an index that matches more of the WHERE and then sorts every row of an office.

- after every `migrate` (a `post_migrate` receiver) and once a day (the `database-statistics` schedule): each table
  that has an index without statistics is analysed — in full: approximate statistics (`analysis_limit`) cap the rows
  per key at the sample's size, so 50 000 customers an office read as 1 001, and SQLite then began the customer
  search at the offices and sorted 100 000 customers (2 → 60 ms), the dashboard's clock figures 1.9 → 5.8 s; a full
  ANALYZE of the 1 GB bench database takes ~2 s — then SQLite's own `PRAGMA optimize` refreshes what grew tenfold
  since;
- PostgreSQL keeps its statistics itself (autovacuum's ANALYZE; an index needs none of its own): nothing to do.
"""

from django.db import connections

ANALYSIS_LIMIT = 0  # rows SQLite samples per index; 0: all of them (exact statistics, see above)


def tables_missing_statistics(using: str = "default") -> list[str]:
    """Tables with an index that `sqlite_stat1` does not describe (SQLite); [] elsewhere. ANALYZE writes nothing for
    an empty table nor for a partial index no row falls in: those are not "missing" (nothing to guess about)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        has_stats = cursor.fetchone() is not None
        cursor.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%'"  # noqa: S608  (constant text)
            + (" AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)" if has_stats else "")
            + " ORDER BY tbl_name"
        )
        unread = cursor.fetchall()
        found = []
        for table, sql in unread:
            if table in found:
                continue
            # the rows the index holds: all of the table's, or those of a partial index's WHERE
            where = sql.split(") WHERE ", 1)[1] if sql and ") WHERE " in sql else "1 = 1"
            cursor.execute(f"SELECT 1 FROM {quote(table)} WHERE {where} LIMIT 1")  # noqa: S608  (the schema's own text)
            if cursor.fetchone() is not None:
                found.append(table)
        return found


def refresh_planner_statistics(using: str = "default") -> list[str]:
    """Analyse the tables whose indexes lack statistics, then `PRAGMA optimize`; returns the tables analysed. A no-op
    on PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    tables = tables_missing_statistics(using)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT:d}")
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        cursor.execute("PRAGMA optimize")
    return tables


def refresh_after_migrate(using="default", **kwargs) -> None:
    """`post_migrate` receiver, connected for the core app alone (the signal comes after every migration ran)."""
    refresh_planner_statistics(using)
