import pytest


@pytest.fixture(autouse=True)
def _fresh_once_a_day_logs():
    """The calendar's once-a-day log notes (module and cache) start empty in every kernel test."""
    from django.core.cache import cache

    from supply_service.core.services import calendar

    calendar._fallback_logged.clear()
    cache.clear()
    yield


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory):
    """A SQLite database file migrated from nothing, once per session, for the tests that need a SQLite site beside
    the PostgreSQL pass's own database (the worker and the SQLite restore drill; the SQLite pass copies its test
    database instead: milliseconds). A migrate of every app takes a minute or more: copy the file, never change it."""
    from tests.core.test_settings import manage

    folder = tmp_path_factory.mktemp("migrated-sqlite")
    result = manage("migrate", "-v0", env={"DJANGO_DEBUG": "1"}, tmp_path=folder)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "supply_service.sqlite3"
