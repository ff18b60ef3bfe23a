"""The query planner's statistics (core.dbstats): an index without statistics after a migration is analysed — on
SQLite, where the plan of the open-work lists depends on them; PostgreSQL keeps its own."""

import pytest
from django.core.management import call_command
from django.db import connection

from supply_service.core import dbstats
from supply_service.core.models import OpenWork
from supply_service.core.schedules import SCHEDULES

pytestmark = pytest.mark.django_db


def _open_work(office, n):
    OpenWork.objects.bulk_create(OpenWork(
        kind="repair", object_id=i, number=f"ZZ-20261202-{i}", state="received", office=office,
        created_at="2026-12-02T08:00:00+08:00") for i in range(n))


def _forget_statistics(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():  # (no statistics at all yet: nothing to forget)
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])


def test_a_table_whose_indexes_lack_statistics_is_analysed(office):
    _open_work(office, 30)
    if connection.vendor != "sqlite":  # PostgreSQL keeps its own (autovacuum): nothing is ever missing or analysed
        assert dbstats.tables_missing_statistics() == [] and dbstats.refresh_planner_statistics() == []
        return
    _forget_statistics("core_openwork")
    assert "core_openwork" in dbstats.tables_missing_statistics()
    assert "core_openwork" in dbstats.refresh_planner_statistics()
    assert "core_openwork" not in dbstats.tables_missing_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'core_openwork'")
        described = {row[0] for row in cursor.fetchall()}
    assert {"openwork_office_due_order", "openwork_owner_kind", "openwork_office_figures"} <= described
    assert dbstats.refresh_planner_statistics() == []  # nothing left to analyse: the daily run costs nothing


def test_migrate_leaves_no_index_without_statistics(office):
    _open_work(office, 30)
    if connection.vendor == "sqlite":
        _forget_statistics("core_openwork")
        assert "core_openwork" in dbstats.tables_missing_statistics()
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    assert dbstats.tables_missing_statistics() == []


def test_a_fresh_database_misses_nothing():
    assert dbstats.tables_missing_statistics() == []  # after migrate every table with rows is described


def test_a_daily_schedule_keeps_them():
    spec = next(s for s in SCHEDULES if s["name"] == "database-statistics")
    assert spec["func"] == "supply_service.core.tasks.planner_statistics_task"
    from supply_service.core.tasks import planner_statistics_task  # noqa: PLC0415

    assert isinstance(planner_statistics_task(), list)


def test_statistics_are_exact_not_capped_at_a_sample(db):
    """Approximate statistics (`analysis_limit`) capped the rows per key at the sample's size — 50 000 customers an
    office read as 1 001 and SQLite began the customer search at the offices (2 → 60 ms at 100 000 customers)."""
    if connection.vendor != "sqlite":
        assert dbstats.refresh_planner_statistics() == []
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE dbstats_probe (id INTEGER PRIMARY KEY, office INTEGER NOT NULL)")
        cursor.execute("CREATE INDEX dbstats_probe_office ON dbstats_probe (office)")
        cursor.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                       "INSERT INTO dbstats_probe (office) SELECT i % 2 FROM n")
        assert "dbstats_probe" in dbstats.refresh_planner_statistics()
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'dbstats_probe_office'")
        assert cursor.fetchone()[0] == "3000 1500"  # 3 000 rows, 1 500 a key: counted, not sampled
        cursor.execute("DROP TABLE dbstats_probe")


def test_a_partial_index_no_row_falls_in_is_not_missing_and_one_with_rows_is(office):
    """ANALYZE writes nothing for a partial index that holds no row (the open-work rows with a visibility rule of
    their own, usually none): not "missing" — else every migrate and every day would analyse the table again. On
    PostgreSQL nothing is ever missing (autovacuum keeps the statistics)."""
    sqlite = connection.vendor == "sqlite"
    _open_work(office, 30)
    dbstats.refresh_planner_statistics()
    assert dbstats.tables_missing_statistics() == []
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = 'openwork_office_restricted'")
            assert cursor.fetchone()[0] == 0  # empty: no statistics, and none missing
    OpenWork.objects.filter(object_id__lt=3).update(view_permission="complaints.view_report_identity")
    # now it holds rows and, on SQLite, lacks statistics
    assert dbstats.tables_missing_statistics() == (["core_openwork"] if sqlite else [])
    assert dbstats.refresh_planner_statistics() == (["core_openwork"] if sqlite else [])
    assert dbstats.tables_missing_statistics() == []
