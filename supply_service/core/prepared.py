"""Statements the ORM writes once per process; each request only binds its values.

A hot page's reads are ordinary querysets, but building and compiling one costs thousands of Python calls — more
than the database spends answering it. `prepared(build)` calls `build()` once per (database, language), with
`Bind("name", Field())` where a request's value goes, keeps the compiled SQL and the compiler's row converters, and
from then on only binds the values, executes and turns rows into what the queryset would have returned: model
instances (with `select_related`), dicts (`values()`), tuples or flat values (`values_list()`).

    _OPEN = prepared(lambda: Ticket.objects.filter(customer_id=Bind("customer", IntegerField())).values("number"))
    rows = _OPEN(customer=customer.pk)

Values read from the database (a content type's id, a policy) are bound, never built into the statement: a
test database may number them differently after a flush. The ORM stays the one author of the SQL (no statement
written by hand to drift from it); `tests/core/test_prepared.py` checks every shape against the queryset itself
on SQLite and PostgreSQL. What it does not take:
`prefetch_related` (a second query) and querysets of a related manager — refused when the statement is first built;
a bound list for `__in` is not a thing (the number of `%s` is part of the SQL): bind a subquery's value instead.
The statement is kept per database alias and language (a translated literal in a queryset is compiled in).

On PostgreSQL the server also plans each such statement once per connection (`hot_cursor`: a server-side prepared
statement), not on every request: planning a page's statements cost as much as running them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import Expression, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.utils import translation

from supply_service.core import wire
from supply_service.core.wire import converted_query, prepare_raw_connection

_PREPARING_CURSORS: dict[bool, type] = {}


def preparing_cursor_class(*, logged: bool = True):
    """Django's server-side-binding psycopg cursor, preparing every statement it runs (psycopg keeps the prepared
    statements of a connection, the least used dropped past `prepared_max`). `logged`: the connection logs its
    queries (`connection.queries_logged`: DEBUG, the tests' query counts) — then the cursor keeps the statement's text
    with its values for the log; otherwise it does not (that was a second conversion of every statement)."""
    found = _PREPARING_CURSORS.get(logged)
    if found is None:
        from django.db.backends.postgresql.base import ServerBindingCursor  # noqa: PLC0415  (PostgreSQL only)

        class PreparingCursor(ServerBindingCursor):
            _query_cls = _hot_query_class() or ServerBindingCursor._query_cls

            def execute(self, query, params=None, *, prepare=None, binary=None):
                result = super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)
                if logged and self._query is None:  # psycopg does not keep the statement it ran prepared: Django's
                    self._query = self._convert_query(query, params)  # query log reads it (connection.queries)
                return result

        found = _PREPARING_CURSORS[logged] = PreparingCursor
    return found


def _hot_query_class():
    """psycopg's query converter (placeholders to $n), remembering the conversion of long statements too: psycopg
    remembers it only for statements up to 4 kB and 64 parameters and parses the others on every execution (a
    home's counts, 10 kB: 0.1 ms a time). The hot statements are few per process (written once per permission set);
    the memory is bounded. psycopg's own converter where its internals differ."""
    try:
        from psycopg._queries import PostgresQuery, _query2pg_nocache  # noqa: PLC0415  (PostgreSQL only)
    except ImportError:  # pragma: no cover  (another psycopg: its own converter)
        return None

    class HotQuery(PostgresQuery):
        def convert(self, query, vars):  # noqa: A002  (psycopg's signature)
            if vars is None or not isinstance(query, str | bytes) or not _CONVERTING[0]:
                return super().convert(query, vars)
            try:
                converted = converted_query(self._ensure_bytes(query), self._tx.encoding, _query2pg_nocache)
                self.query, self._want_formats, self._order, self._parts = converted
            except (AttributeError, TypeError, ValueError):  # psycopg's internals moved: its own converter from now on
                _CONVERTING[0] = False
                return super().convert(query, vars)
            self.dump(vars)
            return None

    return HotQuery


_CONVERTING = [True]  # off for good if psycopg's internals no longer fit (then psycopg converts, as it does itself)


def hot_cursor(connection):
    """A cursor for the statements a process runs on every request (those of `prepared`, the open-work lists and
    homes): on PostgreSQL with `PREPARE_HOT_STATEMENTS` (settings: DATABASE_PREPARED_STATEMENTS, on by default; off
    behind pgbouncer in transaction mode) the statement is prepared on the server once per connection and then only
    executed — its values bound by the server, so it must be text PostgreSQL can type (every parameter compared with
    a column); elsewhere Django's ordinary cursor. Either way Django's cursor wrapper: queries are counted and logged
    as usual."""
    if connection.vendor != "postgresql" or not connection.settings_dict.get("PREPARE_HOT_STATEMENTS"):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    prepare_raw_connection(raw)
    with connection.wrap_database_errors:
        cursor_class = preparing_cursor_class(logged=connection.queries_logged)
        return connection._prepare_cursor(cursor_class(raw))  # noqa: SLF001


def has_rows(cursor) -> bool:
    """Whether the cursor's last statement gave rows (a SELECT; not an UPDATE): what `cursor.description is not None`
    says, without psycopg building a `Column` for every column on each reading of `description` (61 for a customer's
    row, ≈ 190 objects for the kiosk account's statements)."""
    raw = getattr(cursor, "cursor", cursor)  # Django's wrapper -> the driver's cursor
    result = getattr(raw, "pgresult", _NO_RESULT)
    if result is _NO_RESULT:  # not psycopg
        return raw.description is not None
    return result is not None and (bool(result.nfields) or result.status in _rows_statuses())


@functools.cache
def _rows_statuses() -> frozenset:
    """The result statuses psycopg's `description` counts as rows."""
    from psycopg import pq  # noqa: PLC0415  (PostgreSQL only)

    names = ("TUPLES_OK", "SINGLE_TUPLE", "TUPLES_CHUNK")
    return frozenset(getattr(pq.ExecStatus, name) for name in names if hasattr(pq.ExecStatus, name))


_NO_RESULT = object()


class Read(NamedTuple):
    """One statement to run and what to make of its rows (a list of tuples; None for a statement without rows) —
    run now by `fetch`, or with others in one round trip by `core.together`."""

    sql: str
    params: list | tuple
    finish: Callable[[list | None], Any] | None = None  # rows -> result; None: the rows themselves
    using: str = "default"

    def then(self, make: Callable[[Any], Any]) -> Read:
        """The same statement, its result passed on through `make`."""
        finish = self.finish
        return self._replace(finish=make if finish is None else lambda rows: make(finish(rows)))


def fetch(read: Read):
    """Run one read now (on PostgreSQL prepared on the server: through libpq directly, `core.wire`, else a hot
    cursor)."""
    connection = connections[read.using]
    found = wire.rows(connection, [read]) if wire.pipelining(connection) else None
    if found is not None:
        rows = found[0]
    else:
        with hot_cursor(connection) as cursor:
            cursor.execute(read.sql, read.params)
            rows = cursor.fetchall() if has_rows(cursor) else None
    return rows if read.finish is None else read.finish(rows)


class _Slot:
    """Where a bound value goes in the compiled parameters."""

    __slots__ = ("field", "name")

    def __init__(self, name: str, field) -> None:
        self.name = name
        self.field = field

    def __repr__(self) -> str:  # shown if a slot ever reaches a database driver unbound
        return f"<unbound {self.name}>"


class Bind(Expression):
    """A request's value in a prepared statement: `Bind("customer", IntegerField())`. The field prepares the value
    for the database at each call exactly as a literal in the queryset would be prepared."""

    def __init__(self, name: str, output_field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"Bind({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field)]

    def get_group_by_cols(self):
        return []


class UnionAll(Expression):
    """`field__in=UnionAll(qs1, qs2)`: the rows of several querysets of one column, each ordered and sliced as it is
    (`SELECT * FROM (…) UNION ALL SELECT * FROM (…)`) — what `qs1.union(qs2, all=True)` would be if Django allowed
    sliced members on SQLite. Each member keeps its own `Bind`s."""

    def __init__(self, *querysets: QuerySet) -> None:
        super().__init__()
        self.querysets = querysets

    def as_sql(self, compiler, connection):
        parts, params = [], []
        for queryset in self.querysets:
            sql, member_params = queryset.query.get_compiler(connection=connection).as_sql()
            parts.append(f"SELECT * FROM ({sql}) AS {connection.ops.quote_name(f'member_{len(parts)}')}")  # noqa: S608  (compiled by the ORM)
            params.extend(member_params)
        return f"({' UNION ALL '.join(parts)})", params

    def get_group_by_cols(self):
        return []


@dataclass
class _Compiled:
    sql: str
    params: tuple
    names: frozenset
    shape: str  # "model", "values", "values_list", "flat"
    compiler: object
    converters: dict
    col_count: int
    trim: bool
    # model shape
    model: object = None
    init_list: list | None = None
    start: int = 0
    end: int = 0
    populators: list | None = None
    annotation_col_map: dict | None = None
    # values shape
    value_names: list | None = None


class Prepared:
    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build()
        if queryset._prefetch_related_lookups:
            raise ValueError("prepared(): prefetch_related needs a second query; prefetch by hand")
        if queryset._known_related_objects:
            raise ValueError("prepared(): build from the model's manager, not a related manager")
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = frozenset(p.name for p in params if isinstance(p, _Slot))
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        iterable = queryset._iterable_class
        compiled = _Compiled(sql=sql, params=tuple(params), names=slots, shape="", compiler=compiler,
                             converters=compiler.get_converters(fields), col_count=compiler.col_count,
                             trim=compiler.has_extra_select)
        if iterable is ModelIterable:
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            compiled.shape = "model"
            compiled.model = klass_info["model"]
            compiled.start, compiled.end = select_fields[0], select_fields[-1] + 1
            compiled.init_list = [f[0].target.attname for f in compiler.select[compiled.start : compiled.end]]
            compiled.populators = get_related_populators(klass_info, compiler.select, alias)
            compiled.annotation_col_map = compiler.annotation_col_map
        elif iterable is ValuesIterable:
            compiled.shape = "values"
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            compiled.value_names = names
        elif iterable is FlatValuesListIterable:
            compiled.shape = "flat"
        elif iterable is ValuesListIterable:
            compiled.shape = "values_list"
        else:
            raise ValueError(f"prepared(): {iterable.__name__} rows are not supported")
        return compiled

    def compiled(self, alias: str) -> _Compiled:
        key = (alias, translation.get_language())
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key)
                if found is None:
                    found = self._compile(alias)
                    self._compiled[key] = found
        return found

    def sql(self, using: str = "default") -> str:
        """The compiled statement (for tests)."""
        return self.compiled(using).sql

    def __call__(self, *, using: str = "default", **values) -> list:
        return fetch(self.read(using=using, **values))

    def read(self, *, using: str = "default", **values):
        """The statement with these values as a `core.together.Read` (to be run with others in one round trip);
        its result is what calling the statement returns."""
        alias = using
        compiled = self.compiled(alias)
        if set(values) != compiled.names:
            raise TypeError(f"prepared(): values {sorted(values)} given, {sorted(compiled.names)} expected")
        connection = connections[alias]
        params = [
            p.field.get_db_prep_value(values[p.name], connection, prepared=False) if isinstance(p, _Slot) else p
            for p in compiled.params
        ]
        return Read(compiled.sql, params, functools.partial(self._rows, compiled, alias), alias)

    def _rows(self, compiled: _Compiled, alias: str, rows: list) -> list:
        if compiled.trim:
            rows = [row[: compiled.col_count] for row in rows]
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        shape = compiled.shape
        if shape == "values":
            names = compiled.value_names
            return [dict(zip(names, row, strict=True)) for row in rows]
        if shape == "flat":
            return [row[0] for row in rows]
        if shape == "values_list":
            return [tuple(row) for row in rows]
        return self._instances(compiled, rows, alias)

    @staticmethod
    def _instances(compiled: _Compiled, rows, alias: str) -> list:
        model, init_list, start, end = compiled.model, compiled.init_list, compiled.start, compiled.end
        populators, annotations = compiled.populators, compiled.annotation_col_map
        objects = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            if annotations:
                for attr_name, col_pos in annotations.items():
                    setattr(obj, attr_name, row[col_pos])
            objects.append(obj)
        return objects


def prepared(build: Callable[[], QuerySet]) -> Prepared:
    """A statement built by `build()` once per process, database and language; call it with the bound values."""
    return Prepared(build)


class PagedStatement:
    """One page of a queryset (Django's `Page`, as `Paginator.get_page` gives it) in one prepared statement: the
    rows of the page carry the total of all rows (`COUNT(*) OVER ()`), so no separate COUNT is run — except when the
    page asked for is past the end (then the first page's statement finds the total and the last page is read).

    `build()` returns the ordered, unsliced queryset with its `Bind`s; a statement is kept per page offset (bounded).
    `page_of(offset, per_page)`, when given, builds the page's sliced queryset itself (it must annotate
    `_page_total`): for a page an index can serve without reading every row (`core.selectors._my_clocks`).
    Rows are what the queryset gives — instances, `values()` dicts or `values_list()` tuples — without the total."""

    LIMIT = 64

    def __init__(self, build: Callable[[], QuerySet] | None, *, per_page: int,
                 page_of: Callable[[int, int], QuerySet] | None = None) -> None:
        self.build = build
        self.per_page = per_page
        self.page_of = page_of or self._window_page
        self._by_offset: dict[int, Prepared] = {}

    def _window_page(self, offset: int, per_page: int) -> QuerySet:
        from django.db.models import Count, Window  # noqa: PLC0415

        return self.build().annotate(_page_total=Window(Count("pk")))[offset:offset + per_page]

    def _statement(self, offset: int) -> Prepared:
        found = self._by_offset.get(offset)
        if found is None:
            if len(self._by_offset) >= self.LIMIT:
                self._by_offset.clear()
            found = self._by_offset[offset] = prepared(lambda: self.page_of(offset, self.per_page))
        return found

    def page(self, number, *, using: str = "default", **values):
        from supply_service.core.together import run  # noqa: PLC0415  (together builds on this module)

        return run(self.page_reads(number, using=using, **values))

    def page_reads(self, number, *, using: str = "default", **values):
        """`page` as a generator of reads (`core.together`): the page's statement, sent with a view's other reads;
        a page past the end then reads the total and the last page."""
        from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator  # noqa: PLC0415

        paginator = Paginator((), self.per_page)
        try:
            asked = _page_number(number or 1)
        except PageNotAnInteger:
            asked = 1
        rows = (yield self._statement((asked - 1) * self.per_page).read(using=using, **values)) if asked >= 1 else []
        if rows:
            rows, total = _with_total(rows)
        elif asked == 1:  # no rows at all
            total = 0
        else:  # past the end (or below 1): the total from the first page, then the last page
            rows, total = _with_total((yield self._statement(0).read(using=using, **values)))
            paginator.__dict__["count"] = total
            asked = paginator.num_pages
            if asked > 1:
                rows, _total = _with_total((yield self._statement((asked - 1) * self.per_page).read(using=using,
                                                                                                    **values)))
        paginator.__dict__["count"] = total  # the cached property, from SQL
        try:
            number = paginator.validate_number(asked)
        except EmptyPage:
            number = paginator.num_pages
        return Page(rows, number, paginator)


def _with_total(rows: list) -> tuple[list, int]:
    """(the page's rows, the total they carry): a model row has `_page_total` as an attribute, a `values()` row as a
    key and a `values_list()` row as its last column (the annotation comes after the listed ones) — taken off both."""
    if not rows:
        return rows, 0
    first = rows[0]
    if isinstance(first, tuple):
        return [row[:-1] for row in rows], first[-1]
    if isinstance(first, dict):
        total = first["_page_total"]
        for row in rows:
            del row["_page_total"]
        return rows, total
    return rows, first._page_total


def _page_number(number) -> int:
    """Paginator.validate_number's reading of a page number, without the range check."""
    from django.core.paginator import PageNotAnInteger  # noqa: PLC0415

    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        raise PageNotAnInteger("That page number is not an integer") from None
