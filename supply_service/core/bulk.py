"""Helpers for writing many rows at once."""

import sqlite3
from contextlib import contextmanager

from django.db import connection


@contextmanager
def wide_batches():
    """Django 5.2 assumes SQLite's old limit of 999 parameters a query, which cuts a bulk write of a few thousand
    rows into dozens of statements; use the SQLite library's real limit (32 766 since 3.32) meanwhile. Other
    databases are left alone."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    features = connection.features
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    had_own = "max_query_params" in vars(features)
    previous = features.max_query_params
    features.max_query_params = max(previous, limit)
    try:
        yield
    finally:
        if had_own:
            features.max_query_params = previous
        else:
            del features.max_query_params
