"""Django's SQLite backend (settings.py selects it for every SQLite database), with one change: Django's cursor
rewrites each statement's `%s` placeholders into SQLite's `?` with a regular expression on every execution; the
pages run the same statements again and again (core.prepared keeps them compiled), some of them several kilobytes
long, so the rewrite is remembered per statement text (bounded). Issue 12: the rewrite was 0.3 ms of the staff home.
"""

from django.db.backends.sqlite3 import base

_QMARK: dict[str, str] = {}
_QMARK_LIMIT = 4096


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        found = _QMARK.get(query)
        if found is None:
            if len(_QMARK) >= _QMARK_LIMIT:
                _QMARK.clear()
            found = _QMARK[query] = super().convert_query(query)
        return found


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
