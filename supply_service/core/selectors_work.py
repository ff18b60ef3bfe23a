"""Reads of the open-work table: the work lists and home pages of every role, over every registered kind.

A constant number of queries whatever the number of items, kinds or closed items: the table holds open work only,
indexed by office/owner/assignee and due time."""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from supply_service.core.models import Office, OpenWork
from supply_service.core.models.openwork import AMBER_FRACTION
from supply_service.core.prepared import Read, fetch, hot_cursor
from supply_service.core.registry import granted_view_permissions, kind_for_key, kinds
from supply_service.core.together import run


@dataclass(frozen=True)
class WorkQuery:
    """What a work list shows. `kinds`: the kinds the user may view (None: all); `waiting_for`: a user — items in a
    state where that user's role may act (the "waiting for my role" queue), limited to `office`."""

    office: object = None
    owner: object = None
    kinds: tuple[str, ...] | None = None
    kind: str = ""
    state: str = ""
    channel: str = ""
    overdue: bool = False
    query: str = ""
    customer_id: int | None = None
    waiting_for: object = None
    viewer: object = None  # the user reading the list: rows the item's kind hides from them are left out


def visible_q(user) -> Q:
    """The rows of the open-work table `user` may see beyond the kinds' view permissions: not hidden from them (the
    staff member a complaint is about) and, where an item needs an extra permission (a whistleblowing report), only
    with it. Built from the user's permission cache: no query."""
    if user is None:
        return Q()
    granted = granted_view_permissions(user)
    return ~Q(hidden_from_id=user.pk) & (Q(view_permission="") | Q(view_permission__in=granted))


def actionable_states_by_kind(*, user, keys=None) -> dict[str, list[str]]:
    """For each registered kind (of `keys`), the states where `user` may act — from the machines and permissions."""
    from supply_service.core.templatetags.once import user_key  # noqa: PLC0415  (a tag module; no import cycle)

    # The machines and the permission set decide it: remembered per user and permission set (a changed permission
    # is a new key), per process, bounded.
    memo_key = (user_key(user), None if keys is None else tuple(keys), tuple(kind.key for kind in kinds()))
    found = _ACTIONABLE.get(memo_key)
    if found is not None:
        return found
    result = {}
    for kind in kinds():
        if keys is not None and kind.key not in keys:
            continue
        states = kind.actionable_states(user)
        if states:
            result[kind.key] = states
    if len(_ACTIONABLE) >= 4096:
        _ACTIONABLE.clear()
    _ACTIONABLE[memo_key] = result
    return result


_ACTIONABLE: dict[tuple, dict[str, list[str]]] = {}


def _waiting_q(user, keys) -> Q:
    """Items in a state where the user's role may act; an item assigned to someone else (a crew) is theirs."""
    states = actionable_states_by_kind(user=user, keys=keys)
    if not states:
        return Q(pk__in=[])
    by_state = Q()
    for key, wanted in states.items():
        by_state |= Q(kind=key, state__in=wanted)
    return by_state & (Q(assignee__isnull=True) | Q(assignee=user))


def openwork_list(*, query: WorkQuery, now: datetime | None = None) -> "OpenWorkRows | OpenWorkSqlRows":
    """Open work as list rows (values of `ROW_VALUES`; `openwork_row` names them), soonest due first, then newest.
    One query (plus the paginator's count). Without a text search the statement is written directly (the same
    conditions as the ORM's, tested equal): building it through the ORM was most of the list's time (issue 12)."""
    now = now or timezone.now()
    if not query.query:
        return OpenWorkSqlRows(*_where_sql(query, now), now=now, cap=LIST_COUNT_CAP)
    return _as_list(openwork_filtered(query, now), now)


def openwork_filtered(query: WorkQuery, now: datetime) -> QuerySet:
    """`openwork_list`'s conditions through the ORM (a text search; and the reference `_where_sql` is tested against)."""
    qs = OpenWork.objects.filter(visible_q(query.viewer))
    if query.kinds is not None and set(query.kinds) != {kind.key for kind in kinds()}:
        qs = qs.filter(kind__in=list(query.kinds))  # only when some kind is hidden: keeps the due-order index usable
    if query.office is not None:
        qs = qs.filter(office=query.office)
    if query.owner is not None:
        qs = qs.filter(Q(owner=query.owner) | Q(assignee=query.owner))
    if query.waiting_for is not None:
        qs = qs.filter(_waiting_q(query.waiting_for, query.kinds))
    if query.customer_id is not None:
        qs = qs.filter(customer_id=query.customer_id)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    if query.overdue:
        qs = qs.filter(Q(breached=True) | Q(due_at__lt=now))
    if query.query:
        text = query.query.strip()
        qs = qs.filter(Q(number__iexact=text) | Q(account_number=text) | Q(customer_phone__contains=text)
                       | Q(customer_name__icontains=text))
    return qs


DUE_ORDER = ("due_sort", "-created_at", "pk")  # soonest due, then newest: the open-work indexes' order

# The row as the list templates read it: key in the row -> field of `_as_list`'s values.
ROW_VALUES = {
    "kind": "kind", "pk": "object_id", "number": "number", "state": "state", "channel": "channel",
    "office__name": "office_name", "customer_name": "customer_name", "account_number": "account_number",
    "customer_phone": "customer_phone", "created_at": "created_at", "owner__username": "owner__username",
    "owner__first_name": "owner__first_name", "owner__last_name": "owner__last_name", "due": "due_at",
    "clock_started": "clock_started_at", "amber_at": "amber_at", "breached": "breached", "paused": "paused",
}


class OpenWorkRows:
    """`openwork_list`'s answer: sliced, the rows (plain values, no model built, as `openwork_row` names them);
    `count()` counts the filtered table alone, without the joins of the rows (the paginator's COUNT stays an index
    count). Soonest due first, then newest: the order of the (office|owner|assignee, due_sort, -created_at, id)
    indexes, so a page is an index walk, not a sort of the office's open work."""

    ordered = True

    def __init__(self, filtered: QuerySet, now: datetime):
        self._filtered = filtered
        self._now = now
        # The office's name by a scalar subquery, not a join: joined, SQLite scans the offices first and sorts every
        # open row of the office instead of walking the office's or the owner's index.
        office_name = Subquery(Office.objects.filter(pk=OuterRef("office_id")).values("name")[:1])
        self._rows = (filtered.annotate(office_name=office_name).order_by(*DUE_ORDER)
                      .values(*ROW_VALUES.values()))

    def count(self) -> int:
        return self._filtered.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [openwork_row(values, now=self._now) for values in self._rows[key]]
        return openwork_row(self._rows[key], now=self._now)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return (openwork_row(values, now=self._now) for values in self._rows)


_T = OpenWork._meta.db_table


_COLUMNS: dict[str, str] = {}


def _col(name: str) -> str:
    """The quoted, table-qualified column of an open-work field (written once per process)."""
    column = _COLUMNS.get(name)
    if column is None:
        quote = connection.ops.quote_name
        column = _COLUMNS[name] = f"{quote(_T)}.{quote(OpenWork._meta.get_field(name).column)}"
    return column


def _in(column: str, values, params: list) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _where_sql(query: WorkQuery, now: datetime) -> tuple[str, list]:
    """The WHERE clause of `openwork_list` (no text search) and its parameters: the same conditions as the ORM path."""
    where, params = [], []
    if query.viewer is not None:
        where.append(_visible_sql(query.viewer, params))
    if query.kinds is not None and set(query.kinds) != {kind.key for kind in kinds()}:
        where.append(_in(_col("kind"), list(query.kinds), params) if query.kinds else "1 = 0")
    if query.office is not None:
        where.append(f"{_col('office')} = %s")
        params.append(getattr(query.office, "pk", query.office))
    if query.owner is not None:
        where.append(f"({_col('owner')} = %s OR {_col('assignee')} = %s)")
        params.extend([query.owner.pk, query.owner.pk])
    if query.waiting_for is not None:
        where.append(_waiting_sql(query.waiting_for, query.kinds, params))
    for name, value in (("customer_id", query.customer_id), ("kind", query.kind), ("state", query.state),
                        ("channel", query.channel)):
        if value is not None and value != "":
            where.append(f"{_col(name)} = %s")
            params.append(value)
    if query.overdue:
        where.append(f"({_col('breached')} = %s OR {_col('due_at')} < %s)")
        params.extend([True, connection.ops.adapt_datetimefield_value(now)])
    return " AND ".join(where) or "1 = 1", params


def _visible_sql(user, params: list) -> str:
    """`visible_q` written out: not hidden from the user; an extra view permission only with it."""
    params.append(user.pk)
    hidden = f"({_col('hidden_from_id')} IS NULL OR {_col('hidden_from_id')} <> %s)"
    granted = granted_view_permissions(user)
    if not granted:
        return f"{hidden} AND {_col('view_permission')} = ''"
    return f"{hidden} AND ({_col('view_permission')} = '' OR {_in(_col('view_permission'), granted, params)})"


_NOTHING = "1 = 0"


def _waiting_sql(user, keys, params: list, *, unassigned_only: bool = False) -> str:
    """`_waiting_q` written out: a state where the user's role may act, not assigned to someone else — or, for the
    home (whose "assigned to me" stream holds the rest), assigned to no one, as the partial index
    `openwork_unassigned` states it."""
    states = actionable_states_by_kind(user=user, keys=keys)
    if not states:
        return _NOTHING
    parts = []
    for key, wanted in states.items():
        params.append(key)
        parts.append(f"({_col('kind')} = %s AND {_in(_col('state'), wanted, params)})")
    if unassigned_only:
        return f"({' OR '.join(parts)}) AND {_col('assignee')} IS NULL"
    params.append(user.pk)
    return f"({' OR '.join(parts)}) AND ({_col('assignee')} IS NULL OR {_col('assignee')} = %s)"


def _kinds_sql(keys, params: list) -> str:
    return _in(_col("kind"), list(keys), params) if keys else "1 = 0"


_STREAM_INDEX = {"owner": "openwork_owner_due_order", "assignee": "openwork_assignee_due_order",
                 "waiting": "openwork_office_due_order"}


def _home_streams(user, keys) -> list[tuple[str, str, list]]:
    """The home's three streams (mine, assigned to me, waiting for my role in my office), each with its params and
    the common part (the kinds the user may view, what the user may see)."""
    streams = []
    for name in ("owner", "assignee", "waiting"):
        if name == "waiting" and user.office_id is None:
            continue
        params: list = []
        where = [_kinds_sql(keys, params), _visible_sql(user, params)]
        if name == "waiting":
            waiting_params: list = []
            waiting = _waiting_sql(user, keys, waiting_params, unassigned_only=True)  # assigned to me: next stream
            if waiting == _NOTHING:  # no state of these kinds where the role may act: no stream
                continue
            where += [f"{_col('office')} = %s", waiting]
            params += [user.office_id, *waiting_params]
        else:
            where.append(f"{_col(name)} = %s")
            params.append(user.pk)
        streams.append((name, " AND ".join(where), params))
    return streams


_ROW_KEYS = tuple(ROW_VALUES)  # the row's names, in the order of the statement's columns (ROW_VALUES' fields)
_ROW_TIMES = tuple(i for i, field in enumerate(ROW_VALUES.values()) if field in ("created_at", "due_at",
                                                                                  "clock_started_at", "amber_at"))
_ROW_FLAGS = tuple(i for i, field in enumerate(ROW_VALUES.values()) if field in ("breached", "paused"))


def _fetch_rows(sql: str, params: list, now: datetime) -> list[dict]:
    """The statement's rows as the list templates read them (`openwork_row`'s names; tested equal to the ORM's rows):
    written directly, converting only the columns that need it (a call per value made 450 calls a page)."""
    return fetch(_rows_read(sql, params, now))


def _rows_read(sql: str, params: list, now: datetime) -> Read:
    return Read(sql, params, functools.partial(_rows_of, now=now))


def _rows_of(raw: list, *, now: datetime) -> list[dict]:
    rows = []
    for values in raw:
        values = list(values)
        for i in _ROW_TIMES:
            value = values[i]
            if value is not None:
                if isinstance(value, str):  # SQLite: naive UTC, as text or parsed by its converter
                    value = parse_datetime(value)
                values[i] = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        for i in _ROW_FLAGS:
            if values[i] is not None:
                values[i] = bool(values[i])
        rows.append(_finish_row(dict(zip(_ROW_KEYS, values, strict=True)), now))
    return rows


_SELECT = None


def _select_sql() -> str:
    """The row's columns (ROW_VALUES' fields, in order), the office's name by a scalar subquery, the owner joined."""
    global _SELECT  # noqa: PLW0603  (written once per process)
    if _SELECT is None:
        q = connection.ops.quote_name
        user = OpenWork._meta.get_field("owner").related_model._meta.db_table
        office = Office._meta.db_table
        owner = {"owner__username": "username", "owner__first_name": "first_name", "owner__last_name": "last_name"}
        columns = []
        for field in ROW_VALUES.values():
            if field == "office_name":
                columns.append(f"(SELECT o.{q('name')} FROM {q(office)} o "  # noqa: S608  (quoted names only)
                               f"WHERE o.{q('id')} = {_col('office')})")
            elif field in owner:
                columns.append(f"u.{q(owner[field])}")
            else:
                columns.append(_col(field))
        _SELECT = (f"SELECT {', '.join(columns)} FROM"  # noqa: S608  (quoted names only)
                   f" {q(_T)} LEFT OUTER JOIN {q(user)} u "
                   f"ON u.{q('id')} = {_col('owner')}")
    return _SELECT


_ORDER_SQL = None


def _order_sql() -> str:
    global _ORDER_SQL  # noqa: PLW0603
    if _ORDER_SQL is None:
        _ORDER_SQL = f"ORDER BY {_col('due_sort')} ASC, {_col('created_at')} DESC, {_col('id')} ASC"
    return _ORDER_SQL


LIST_COUNT_CAP = 500  # a work list counts (and pages through) this many soonest due; past it: "more than", filter


class OpenWorkSqlRows:
    """`OpenWorkRows` from a statement written directly: the same rows, order, slicing and count — the count up to
    `cap` when given (then `more` tells that there are more: a list of the soonest due never counts an office's whole
    open work, issue 12; the rest is reached by the filters)."""

    ordered = True

    def __init__(self, where: str, params: list, *, now: datetime, cap: int | None = None):
        self._where, self._params, self._now, self._cap = where, params, now, cap
        self.more = False

    def count(self) -> int:
        table = connection.ops.quote_name(_T)
        with hot_cursor(connection) as cursor:
            # the WHERE holds quoted names and placeholders only; every value is a parameter
            if self._cap is None:
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {self._where}", self._params)  # noqa: S608
                return cursor.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 AS {connection.ops.quote_name('one')} "  # noqa: S608
                           f"FROM {table} WHERE {self._where} LIMIT {int(self._cap) + 1}) "
                           f"{connection.ops.quote_name('capped')}", self._params)
            found = cursor.fetchone()[0]
        self.more = found > self._cap
        return min(found, self._cap)

    def _fetch(self, offset: int, limit: int | None) -> list[dict]:
        # LIMIT and OFFSET are written in, not bound: PostgreSQL's generic plan of a prepared statement guesses a
        # bound LIMIT at a tenth of the table and chose a sequential scan of all open work (0.6 → 3.8 ms).
        page = f"SELECT {_page_keys_sql()} FROM {connection.ops.quote_name(_T)} WHERE {self._where} {_order_sql()}"  # noqa: S608
        if limit is not None:
            page += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        elif offset:
            page += f" LIMIT -1 OFFSET {int(offset)}" if connection.vendor == "sqlite" else f" OFFSET {int(offset)}"
        return _fetch_rows(_rows_of_page_sql(page), list(self._params), self._now)

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step not in (None, 1) or (key.start or 0) < 0 or (key.stop is not None and key.stop < 0):
                raise ValueError("Only plain, non-negative slices.")
            start = key.start or 0
            limit = None if key.stop is None else max(key.stop - start, 0)
            return self._fetch(start, limit)
        rows = self._fetch(key, 1)
        if not rows:
            raise IndexError(key)
        return rows[0]

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self._fetch(0, None))


def _as_list(qs: QuerySet, now: datetime) -> OpenWorkRows:
    return OpenWorkRows(qs, now)


def openwork_row(values: dict, *, now: datetime) -> dict:
    """A row of `openwork_list` (its values) as the list templates read it; late: breached or past due."""
    return _finish_row({key: values[field] for key, field in ROW_VALUES.items()}, now)


def _finish_row(row: dict, now: datetime) -> dict:
    """What both ways of reading a row (the written statements, the ORM) derive: no owner names as empty ones, and
    late as breached or past due."""
    row["owner__username"] = row["owner__username"] or ""
    row["owner__first_name"] = row["owner__first_name"] or ""
    row["owner__last_name"] = row["owner__last_name"] or ""
    due = row["due"]
    row["breached"] = row["breached"] or (due is not None and due < now)
    return row


def row_signal(row: dict, *, now: datetime | None = None) -> str:
    """green / amber (a quarter of the time left) / red (overdue) / grey (no running clock) for a list row."""
    now = now or timezone.now()
    if row["breached"]:
        return "red"
    due, started = row["due"], row["clock_started"]
    if due is None or started is None:
        return "grey"
    total = (due - started).total_seconds()
    if total > 0 and (due - now).total_seconds() < total * AMBER_FRACTION:
        return "amber"
    return "green"


def openwork_home(*, user, now: datetime | None = None, limit: int = 25) -> dict:
    """What waits for `user` now — owned by or assigned to them, or in a state where their role may act in their
    office — soonest due first, with counts per kind; for managers (who chase) the office's overdue and amber items
    and the chases outstanding. A constant number of queries."""
    return run(openwork_home_reads(user=user, now=now, limit=limit))


def openwork_home_reads(*, user, now: datetime | None = None, limit: int = 25):
    """`openwork_home` as a generator of its reads, sent together with the home's others (`core.together`)."""
    now = now or timezone.now()
    return (yield from _home_sql(now=now, statements=_home_statements(user, limit)))


_HOME_STATEMENTS: dict[tuple, dict] = {}


def _home_statements(user, limit: int) -> dict:
    """The home's statements and their parameters for `user` — the kinds they may view, the streams' page, the counts:
    written once per user and permission set (and database), then only executed (issue 12: writing them was a
    quarter of the home). Everything in them follows from what the memo key holds: the user's id, office and
    permission set (`once.user_key`), the registered kinds, the caps."""
    from supply_service.core.templatetags.once import user_key  # noqa: PLC0415  (a tag module; no import cycle)

    memo_key = (user_key(user), limit, HOME_COUNT_CAP, connection.alias, connection.vendor,
                tuple(kind.key for kind in kinds()))
    found = _HOME_STATEMENTS.get(memo_key)
    if found is None:
        keys = [kind.key for kind in kinds() if user.has_perm(
            f"{kind.model._meta.app_label}.view_{kind.model._meta.model_name}")]
        found = {"keys": keys, "rows": _home_rows_statement(user, keys, limit),
                 "counts": _home_counts_statement(user, keys),
                 "office": (_office_summary_statement(user, keys)
                            if user.office_id is not None and _may_chase(user) else None)}
        if len(_HOME_STATEMENTS) >= 4096:
            _HOME_STATEMENTS.clear()
        _HOME_STATEMENTS[memo_key] = found
    return found


def _home_sql(*, now: datetime, statements: dict) -> dict:
    """`openwork_home` with its statements written directly (building them through the ORM was most of the home's
    time, issue 12): the first `limit` of each stream by its own due-order index, the page the first `limit` of
    those; counts per kind up to a cap (`_home_counts`)."""
    keys = statements["keys"]
    office = statements["office"]
    rows, counts, figures = yield (_rows_read(*statements["rows"], now), _home_counts_read(keys, *statements["counts"]),
                                   None if office is None else _office_summary_read(now=now, statement=office))
    counts = counts or {}  # None: no kind to count
    result = {
        "rows": rows,
        "total": sum(min(n, HOME_COUNT_CAP) for n in counts.values()),
        "more": any(n > HOME_COUNT_CAP for n in counts.values()),
        "counts": [{"kind": key, "label": kind_for_key(key).display_label, "count": min(counts[key], HOME_COUNT_CAP),
                    "more": counts[key] > HOME_COUNT_CAP} for key in keys if counts.get(key)],
        "office": figures,
    }
    return result


def _home_rows_statement(user, keys, limit: int) -> tuple[str, list]:
    q = connection.ops.quote_name
    streams = _home_streams(user, keys)
    # Each stream walks its due-order index to its first `limit` (id and sort keys); the page is the first `limit`
    # of their UNION (an item in two streams is one), read whole (`_rows_of_page_sql`). SQLite's planner, offered an
    # index on the stream's column and kind (the counts' indexes), would rather read all of the stream's rows and
    # sort them: told which index here. The limits are written in (see OpenWorkSqlRows._fetch).
    firsts, params = [], []
    for name, where, stream_params in streams:
        hint = f" INDEXED BY {q(_STREAM_INDEX[name])}" if connection.vendor == "sqlite" else ""
        firsts.append(f"SELECT * FROM (SELECT {_page_keys_sql()} FROM {q(_T)}{hint} "  # noqa: S608  (names only)
                      f"WHERE {where} {_order_sql()} LIMIT {int(limit)}) {q(f'first_{name}')}")
        params += stream_params
    page = f"SELECT * FROM ({' UNION '.join(firsts)}) p {_PAGE_ORDER} LIMIT {int(limit)}"  # noqa: S608  (names only)
    return _rows_of_page_sql(page), params


def _page_keys_sql() -> str:
    """What a page is chosen by: the row's id and its sort keys (the rows are read whole only for the page)."""
    return f"{_col('id')}, {_col('due_sort')}, {_col('created_at')}"


_PAGE_ORDER = 'ORDER BY p."due_sort" ASC, p."created_at" DESC, p."id" ASC'  # both databases quote names so


def _rows_of_page_sql(page: str) -> str:
    """The rows (`_select_sql`) of a page chosen by `page` (a statement of `_page_keys_sql`), in its order: the owner
    and the office joined to the page's rows alone, read by primary key. Joined before the LIMIT, PostgreSQL joined
    the users to every match and sorted them all (a dispatcher's 390 received repairs: 3 ms); chosen by
    `id IN (…)`, its generic plan of the prepared statement hash-joined the whole open-work table (issue 12)."""
    return f'{_select_sql()} INNER JOIN ({page}) p ON p."id" = {_col("id")} {_PAGE_ORDER}'  # noqa: S608  (names only)


HOME_COUNT_CAP = 99  # a home counts what waits per kind up to this, then shows "99+" (a badge, not a report)


def _home_counts(keys, sql: str, params: list) -> dict[str, int]:
    return fetch(_home_counts_read(keys, sql, params)) if sql else {}


def _home_counts_read(keys, sql: str, params: list) -> Read | None:
    """None when the user may view no kind (nothing to count)."""
    if not sql:
        return None
    return Read(sql, params, lambda rows: {keys[position]: n for position, n in rows})


def _home_counts_statement(user, keys) -> tuple[str, list]:
    """What waits for `user` per kind — owned by them, assigned to them, or in a state where their role may act in
    their office — counted up to `HOME_COUNT_CAP` + 1 (more is "99+"), so that the count costs the same in an office
    with ten open items and one with ten thousand (issue 12: counting them all was linear in the office's open work).
    One statement: per kind the union (no item twice) of each stream's first cap + 1 ids by its own index."""
    q = connection.ops.quote_name
    parts, params = [], []
    for position, key in enumerate(keys):
        members, union_params, waiting = [], [], None
        for name, where, stream_params in _home_streams(user, [key]):  # the home's streams, of this kind alone
            union_params += stream_params
            # SQLite's planner, seeing the same (office, kind, state) prefix in two indexes, takes the wider one and
            # walks the assigned items too: told to use the partial index of the unassigned
            hint = (f" INDEXED BY {q('openwork_unassigned')}"
                    if name == "waiting" and connection.vendor == "sqlite" else "")
            first = f"SELECT {_col('id')} FROM {q(_T)}{hint} WHERE {where} LIMIT {HOME_COUNT_CAP + 1}"  # noqa: S608  (names only)
            members.append(f"SELECT {q('id')} FROM ({first}) {q(f'{name}_{position}')}")  # noqa: S608  (names only)
            if name == "waiting":
                waiting = (first, stream_params)
        union = f"SELECT COUNT(*) FROM ({' UNION '.join(members)}) {q(f'kind_{position}')}"  # noqa: S608  (names only)
        if waiting is None:
            parts.append(f"SELECT {position}, ({union})")
            params += union_params
        else:  # past the cap in the role's stream alone: "99+" without the union (both databases evaluate CASE lazily)
            parts.append(f"SELECT {position}, CASE WHEN (SELECT COUNT(*) FROM ({waiting[0]}) {q(f'w_{position}')}) "  # noqa: S608  (names only)
                         f"> {HOME_COUNT_CAP} THEN {HOME_COUNT_CAP + 1} ELSE ({union}) END")
            params += waiting[1] + union_params
    return " UNION ALL ".join(parts), params


def _office_summary_read(*, now: datetime, statement: tuple) -> Read:
    """`_office_summary` written out: the office's figures (range counts on the figures index, less what the user may
    not see) and the count of its chases, in one statement."""
    sql, params = statement
    at = connection.ops.adapt_datetimefield_value(now)
    return Read(sql, [at if value is _NOW else value for value in params], _office_figures)


def _office_figures(rows) -> dict:
    total, overdue, running_n, amber_n, chases = rows[0]
    return {"open": total, "overdue": overdue, "running": running_n, "amber": amber_n, "chases": chases}


_NOW = object()  # in a memoized statement's parameters: the time of the request


# `core.models.openwork.RESTRICTED` written as the partial index `openwork_office_restricted` has it (literal for
# literal: both databases use a partial index only for a query that states its condition).
def _restricted_sql() -> str:
    return f"({_col('hidden_from_id')} IS NOT NULL OR NOT ({_col('view_permission')} = ''))"


def _office_figures_sql(where: str, where_params: list, *, index_only: bool) -> tuple[str, list]:
    """The four figures (open, overdue, running, amber) of the rows matching `where`. `index_only`: as range counts,
    each on its own stretch of the figures index (office, breached, due_at, amber_at): what an office's figures cost
    then is the rows in each stretch with no condition to test per row (issue 12: one aggregate testing every
    row's case was 1.7 ms over 5 000 open items); otherwise one aggregate over the rows (a small set)."""
    q = connection.ops.quote_name
    late = f"({_col('breached')} = %s OR {_col('due_at')} < %s)"
    running = f"({_col('due_at')} >= %s AND {_col('breached')} = %s)"
    amber = f"{running} AND {_col('amber_at')} <= %s"
    if not index_only:
        sql = (f"SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN {late} THEN 1 ELSE 0 END), 0) AS late, "  # noqa: S608
               f"COALESCE(SUM(CASE WHEN {running} THEN 1 ELSE 0 END), 0) AS running, "
               f"COALESCE(SUM(CASE WHEN {amber} THEN 1 ELSE 0 END), 0) AS amber FROM {q(_T)} WHERE {where}")
        return sql, [True, _NOW, _NOW, False, _NOW, False, _NOW, *where_params]
    params: list = []

    def count(condition: str, *values) -> str:
        params.extend(where_params)
        params.extend(values)
        return f"(SELECT COUNT(*) FROM {q(_T)} WHERE {where} AND {condition})"  # noqa: S608  (names only)

    # disjoint stretches — breached; not breached and past due, running, without a clock — whose sum is the open
    # items: no stretch read twice but the running items' for amber (counting all open items first read every one)
    breached, due, amber_at = _col("breached"), _col("due_at"), _col("amber_at")
    stretches = (f"SELECT {count(f'{breached} = %s', True)} AS b, "
                 f"{count(f'{breached} = %s AND {due} < %s', False, _NOW)} AS l, "
                 f"{count(f'{breached} = %s AND {due} >= %s', False, _NOW)} AS r, "
                 f"{count(f'{breached} = %s AND {due} IS NULL', False)} AS z, "
                 f"{count(f'{breached} = %s AND {due} >= %s AND {amber_at} <= %s', False, _NOW, _NOW)} AS a")
    # PostgreSQL would pull the stretches up into the sums and count each once per use: OFFSET 0 keeps them apart
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sql = (f"SELECT b + l + r + z AS n, b + l AS late, r AS running, a AS amber "  # noqa: S608  (names only)
           f"FROM ({stretches}{fence}) {q('stretches')}")
    return sql, params


def _office_summary_statement(user, keys) -> tuple[str, list]:
    """The office's figures for `user`: the figures of all its open work, less those of the kinds the user may not
    view and of the rows with a visibility rule (an extra permission, a person it is hidden from) that hides them from
    the user — those are few and read from their own partial index."""
    q = connection.ops.quote_name
    office = f"{_col('office')} = %s"
    all_keys = [kind.key for kind in kinds()]
    parts = [_office_figures_sql(office, [user.office_id], index_only=True)]
    hidden_kinds = [key for key in all_keys if key not in keys]
    if hidden_kinds:
        kind_params: list = [user.office_id]
        parts.append(_office_figures_sql(f"{office} AND {_kinds_sql(hidden_kinds, kind_params)}", kind_params,
                                         index_only=False))
    seen_params: list = [user.office_id]
    restricted = (f"{office} AND {_restricted_sql()} AND {_kinds_sql(keys, seen_params)} "
                  f"AND NOT ({_visible_sql(user, seen_params)})")
    parts.append(_office_figures_sql(restricted, seen_params, index_only=False))
    names = [f"part_{n}" for n in range(len(parts))]
    figures = ", ".join(" - ".join(f"{q(name)}.{q(figure)}" for name in names)
                        for figure in ("n", "late", "running", "amber"))
    tables = ", ".join(f"({part}) {q(name)}" for (part, _), name in zip(parts, names, strict=True))
    # the chases of the office's open items the user may see: the chased items alone, from their partial index
    # (`openwork_chased`: its condition written as it is) — not every chase ever made
    chase_params: list = [user.office_id]
    where = (f"{office} AND {_col('chases')} > 0 AND {_kinds_sql(keys, chase_params)} "
             f"AND {_visible_sql(user, chase_params)}")
    chases = f"(SELECT COALESCE(SUM({_col('chases')}), 0) FROM {q(_T)} WHERE {where})"  # noqa: S608  (names only)
    # placeholders in the order of the text: the chases' (in the select list), then the parts' (in FROM)
    params = chase_params + [value for _, part_params in parts for value in part_params]
    return f"SELECT {figures}, {chases} AS chases FROM {tables}", params  # noqa: S608  (names and placeholders)


def _may_chase(user) -> bool:
    return user.has_perm("core.view_chase") and any(
        user.has_perm(f"{k.model._meta.app_label}.chase_{k.model._meta.model_name}") for k in kinds())
