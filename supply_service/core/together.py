"""A page's independent reads sent to the database together: one round trip for many statements (issue 12).

A hot page reads a dozen small things that do not depend on each other (the customer page: bills, payments, meters,
tickets, appointments, complaints, outages). Each read is quick on the server; on PostgreSQL over a network most of
its time is the round trip (0.3–0.45 ms measured here, more between two machines). psycopg's pipeline mode sends
several statements and reads their results in one round trip: ten primary-key reads took 2.8 ms one by one and
1.4 ms pipelined.

A read is a `Read` — its SQL, parameters and what turns the raw rows into the result (`Prepared.read(**values)`
gives one for a prepared statement; `Read(sql, params, finish)` for a statement written directly). A selector that
needs one or several reads is written as a generator yielding them and receiving their results:

    def meters_read(*, customer):
        rows = yield _METERS.read(customer=customer.pk)        # one Read -> its result
        return [MeterRow._make(row) for row in rows]

    def panel_read(*, customer):
        rows, count = yield (_ROWS.read(customer=customer.pk), _COUNT.read(customer=customer.pk))  # several at once
        return {"rows": rows, "count": count[0]}

`run(generator)` drives one such selector by itself (its plain function: `meters_of = lambda **kw:
run(meters_read(**kw))`); `gather({"meters": meters_read(...), "panel": panel_read(...)})` drives several, sending
each round's reads together — a generator may yield again (a read that depends on the last one's rows) and is then
in the next round. A part may also be a `Read` or a plain value (already known). Inside a generator,
`a, b = yield from parallel(part_a, part_b)` does the same for its own parts.

On PostgreSQL with the hot statements prepared (`PREPARE_HOT_STATEMENTS`, `core.prepared.hot_cursor`) and
`PIPELINE_READS` (DATABASE_PIPELINE, on by default) a round with more than one read is pipelined; otherwise — SQLite,
where there is no round trip, or behind a pooler that cannot take it — the reads run one after the other, through
the same cursor, with the same results. Either way every statement passes Django's execute wrappers and is logged
as Django logs queries (`connection.queries`, the tests' query counts, `make bench`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Generator
from typing import Any

from django.db import connections

from supply_service.core import wire
from supply_service.core.prepared import (
    Read,
    fetch,
    has_rows,
    hot_cursor,
    prepare_raw_connection,
    preparing_cursor_class,
)

pipelining = wire.pipelining

__all__ = ["Read", "fetch", "fetch_all", "gather", "parallel", "pipelining", "run"]


def fetch_all(reads: list[Read]) -> list:
    """Run the reads — together when the database can take them in one round trip — and give their results in
    order. The same SELECT asked twice in a round (two panels reading one policy) runs once; each read makes its
    own result of the rows."""
    if len(reads) <= 1:
        return [fetch(read) for read in reads]
    unique: list[Read] = []
    position: dict = {}
    places = []
    for read in reads:
        key = _same_select_key(read)
        if key is None:
            places.append(len(unique))
            unique.append(read)
        else:
            if key not in position:
                position[key] = len(unique)
                unique.append(read._replace(finish=None))
            places.append(position[key])
    using = unique[0].using
    if any(read.using != using for read in unique):
        raw = [fetch(read._replace(finish=None)) for read in unique]
    else:
        connection = connections[using]
        raw = (_pipelined if len(unique) > 1 and pipelining(connection) else _one_by_one)(connection, unique)
    return [rows if read.finish is None else read.finish(rows)
            for read, rows in zip(reads, (raw[place] for place in places), strict=True)]


def _one_by_one(connection, reads: list[Read]) -> list:
    """The reads' raw rows, one statement after the other through one hot cursor (SQLite; PostgreSQL without the
    pipeline)."""
    found = []
    with hot_cursor(connection) as cursor:
        for read in reads:
            cursor.execute(read.sql, read.params)
            found.append(cursor.fetchall() if has_rows(cursor) else None)
    return found


def _same_select_key(read: Read):
    """What makes two reads the same statement: a SELECT's database, SQL and values (None: never merged — a write,
    or values that cannot be compared). Statements are written by the ORM or by hand in capitals, never indented."""
    if not read.sql.startswith("SELECT"):
        return None
    try:
        key = (read.using, read.sql, tuple(read.params))
        hash(key)
    except TypeError:
        return None
    return key


def _pipelined(connection, reads: list[Read]) -> list:
    """The reads' raw rows, sent in one pipeline: through libpq directly (`core.wire`), or where it declines through
    preparing cursors (psycopg's pipeline mode); each statement through Django's execute wrappers and into its query
    log."""
    found = wire.rows(connection, reads)
    if found is not None:
        return found
    raw = connection.connection
    prepare_raw_connection(raw)
    logged = connection.queries_logged
    cursor_class = preparing_cursor_class(logged=logged)
    cursors = []
    started = time.monotonic()
    try:
        with connection.wrap_database_errors, raw.pipeline() as pipeline:
            for read in reads:
                cursor = cursor_class(raw)
                cursors.append(cursor)
                _execute(connection, cursor, read.sql, read.params)
            pipeline.sync()  # sent, and every answer received: one round trip
            results = [cursor.fetchall() if has_rows(cursor) else None for cursor in cursors]
        if logged:
            share = (time.monotonic() - started) / len(reads)
            for cursor, read in zip(cursors, reads, strict=True):
                connection.queries_log.append({
                    "sql": _logged_sql(connection, cursor, read), "time": f"{share:.3f}"})
    finally:
        for cursor in cursors:
            cursor.close()
    return results


def _execute(connection, cursor, sql, params) -> None:
    """`cursor.execute` through the connection's execute wrappers, as Django's cursor wrapper calls them."""
    def executor(sql, params, many, context):
        return cursor.execute(sql, params)

    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    executor(sql, params, False, {"connection": connection, "cursor": cursor})


def _logged_sql(connection, cursor, read: Read) -> str:
    try:
        return connection.ops.last_executed_query(cursor, read.sql, read.params)
    except Exception:  # noqa: BLE001  (the log's text only; never fail a page over it)
        return read.sql


def run(part):
    """Drive one part (a generator of reads, a Read, or a value) to its result, its reads one round at a time."""
    if isinstance(part, Read):
        return fetch(part)
    if not isinstance(part, Generator):
        return part
    try:
        asked = next(part)
        while True:
            found = iter(fetch_all([read for read in _as_tuple(asked) if read is not None]))
            asked = part.send(_answer(asked, found))
    except StopIteration as stop:
        return stop.value


def gather(parts: dict[str, Any]) -> dict[str, Any]:
    """Drive several parts together: each round sends every pending read of every part at once (`fetch_all`)."""
    return dict(zip(parts, run(parallel(*parts.values())), strict=True))


def parallel(*parts):
    """Several parts as one (a generator of reads itself: `a, b = yield from parallel(part_a, part_b)`): each round
    asks every pending read of every part at once; gives their results in order. A part is a generator of reads,
    a Read, or a value."""
    results: list = [None] * len(parts)
    waiting: dict[int, tuple[Generator | None, Any]] = {}  # position -> (generator or None, what it asked)
    for position, part in enumerate(parts):
        if isinstance(part, Read):
            waiting[position] = (None, part)
        elif isinstance(part, Generator):
            _advance(position, part, None, results, waiting, first=True)
        else:
            results[position] = part
    while waiting:
        reads: list[Read] = []
        for _generator, asked in waiting.values():
            reads.extend(read for read in _as_tuple(asked) if read is not None)
        found = iter((yield tuple(reads)))
        this_round, waiting = waiting, {}
        for position, (generator, asked) in this_round.items():
            answer = _answer(asked, found)
            if generator is None:
                results[position] = answer
            else:
                _advance(position, generator, answer, results, waiting)
    return results


def _as_tuple(asked) -> tuple:
    if isinstance(asked, Read):
        return (asked,)
    if isinstance(asked, tuple | list) and all(read is None or isinstance(read, Read) for read in asked):
        return tuple(asked)
    raise TypeError(f"a part yielded {asked!r}: a Read or a tuple of Reads (or None) was expected")


def _answer(asked, found):
    """What a part receives for what it asked: one Read's result, or a list for a tuple (None where it asked None),
    taken in order from the round's results."""
    if isinstance(asked, Read):
        return next(found)
    return [None if read is None else next(found) for read in asked]


def _advance(position, generator, answer, results, waiting, *, first=False) -> None:
    try:
        asked = next(generator) if first else generator.send(answer)
    except StopIteration as stop:
        results[position] = stop.value
        return
    _as_tuple(asked)
    waiting[position] = (generator, asked)
