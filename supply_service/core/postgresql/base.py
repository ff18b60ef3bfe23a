"""Django's PostgreSQL backend (settings.py selects it for every PostgreSQL database), with one change: timestamps
are read with Python's own ISO parser. Django reads `timestamptz` with psycopg's pure-Python loader (a regular
expression, eleven groups and a `timedelta` per value) so as to set its own time zone on the result; the homes and
work lists read a hundred timestamps a page (issue 12: 0.3 ms of the manager's home on PostgreSQL).

The connection's time zone is UTC whenever Django's is (USE_TZ, no TIME_ZONE of the database's own), so PostgreSQL
writes every timestamp as `2026-12-04 08:46:30.12+00`, which `datetime.fromisoformat` reads (C, a quarter of a
microsecond) into exactly the value Django's loader makes: the same instant with `datetime.timezone.utc`. Anything
else it cannot read that way — another offset, a date before Christ, ±infinity, a year past 9999, a non-ISO
DateStyle — goes to Django's loader as before (which reads it or raises as before)."""

import datetime
from functools import lru_cache

from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, get_adapters_template, is_psycopg3

_UTC = datetime.UTC
_fromisoformat = datetime.datetime.fromisoformat


class UtcTimestamptzLoader(BaseTzLoader):
    """Django's `timestamptz` loader for a connection in UTC, reading the usual text with `fromisoformat`."""

    timezone = _UTC

    def load(self, data):
        try:
            value = _fromisoformat(str(data, "ascii"))
        except ValueError:
            return super().load(data)
        if value.tzinfo is _UTC:
            return value
        return super().load(data)  # an offset of its own: Django's loader converts it


@lru_cache
def adapters_template(use_tz: bool, timezone):
    """Django's adapters for new connections, with the faster loader where the connection's time zone is UTC."""
    template = get_adapters_template(use_tz, timezone)
    if timezone is not _UTC:
        return template
    from psycopg import adapt  # noqa: PLC0415  (psycopg 3 only)

    adapters = adapt.AdaptersMap(template)
    adapters.register_loader("timestamptz", UtcTimestamptzLoader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if is_psycopg3:
            params["context"] = adapters_template(settings.USE_TZ, self.timezone)
        return params
