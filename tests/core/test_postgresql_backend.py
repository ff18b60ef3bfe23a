"""`supply_service.core.postgresql`: Django's PostgreSQL backend reading `timestamptz` with `datetime.fromisoformat`
(issue 12) gives exactly what Django's own loader gives — the same instant, the same `tzinfo` object, the same error
for what neither can read — for every form PostgreSQL writes a timestamp in."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.utils import DataError

from supply_service.core.postgresql.base import UtcTimestamptzLoader

UTC = datetime.UTC

# What PostgreSQL writes for a timestamptz in a session in UTC (DateStyle ISO): fractions of 0-6 digits, the first
# and last years, and what `fromisoformat` refuses (before Christ, infinity, another offset) and Django reads or
# refuses on its own.
WRITTEN = [
    "2026-12-04 08:46:30+00", "2026-12-04 08:46:30.1+00", "2026-12-04 08:46:30.12+00", "2026-12-04 08:46:30.123+00",
    "2026-12-04 08:46:30.1234+00", "2026-12-04 08:46:30.12345+00", "2026-12-04 08:46:30.123456+00",
    "0001-01-01 00:00:00+00", "9999-12-31 23:59:59.999999+00", "2024-02-29 00:00:00+00",
    "2026-12-04 16:46:30.5+08", "2026-12-04 03:16:30+05:30", "1901-12-13 20:45:52+00:00:00",
    "0001-01-01 00:00:00+00 BC", "infinity", "-infinity",
]


class DjangoUtcLoader(BaseTzLoader):
    timezone = UTC


def _load(loader_class, text: str):
    try:
        return "value", loader_class(1184).load(text.encode())
    except Exception as error:  # noqa: BLE001  (the error is what is compared)
        return "error", type(error).__name__


@pytest.mark.parametrize("text", WRITTEN)
def test_the_loader_reads_what_djangos_reads(text):
    mine, django = _load(UtcTimestamptzLoader, text), _load(DjangoUtcLoader, text)
    assert mine == django
    if mine[0] == "value":
        assert mine[1].tzinfo is django[1].tzinfo is UTC
        assert mine[1].isoformat() == django[1].isoformat()


def test_the_loader_reads_memoryviews_as_psycopg_hands_them():
    assert UtcTimestamptzLoader(1184).load(memoryview(b"2026-12-04 08:46:30.12+00")) == datetime.datetime(
        2026, 12, 4, 8, 46, 30, 120000, tzinfo=UTC)


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_postgresql_connection_reads_timestamps_with_it_and_as_django_would():
    """The site's connections use the loader; what PostgreSQL itself writes for a range of instants reads as with
    Django's loader (registered on a second cursor of the same connection), errors included."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    assert connection.settings_dict["ENGINE"] == "supply_service.core.postgresql"
    assert connection.connection.adapters.get_loader(1184, 0) is UtcTimestamptzLoader
    instants = ["2026-12-04 08:46:30.123456+08", "2026-12-04 08:46:30+00", "0001-01-01 00:00:00+00",
                "9999-12-31 23:59:59.999999+00", "2026-03-01 00:00:00.5-03:30", "0044-03-15 12:00:00+00 BC", "infinity"]
    for text in instants:
        answers = []
        for django in (False, True):
            with connection.cursor() as cursor:
                if django:
                    register_tzloader(UTC, cursor.cursor)
                try:
                    cursor.execute("SELECT %s::timestamptz", [text])
                    answers.append(cursor.fetchone()[0])
                except DataError as error:
                    answers.append(str(error))
        assert answers[0] == answers[1], text
        if isinstance(answers[0], datetime.datetime):
            assert answers[0].tzinfo is answers[1].tzinfo is UTC


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_session_in_another_time_zone_reads_as_with_djangos_loader():
    """Should a session's time zone be other than UTC (Django sets UTC; a pooler might not), PostgreSQL writes
    offsets of +08 and the loader leaves every value to Django's."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Shanghai'")
    try:
        answers = []
        for django in (False, True):
            with connection.cursor() as cursor:
                if django:
                    register_tzloader(UTC, cursor.cursor)
                cursor.execute("SELECT '2026-12-04 08:46:30.5+00'::timestamptz")
                answers.append(cursor.fetchone()[0])
        assert answers[0] == answers[1]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
