"""A page's hot reads sent to PostgreSQL through libpq directly, not through a psycopg cursor each (issue 12).

psycopg spends its Python on every statement a cursor runs: a cursor and its adapters map, a new `Transformer`
(whose dumpers and loaders are then looked up again through the adapters map), the query object, the pipeline's
queue and a wait on the socket per statement. For a page's small hot reads that was most of their cost: the kiosk
account's ten pipelined statements took 0.85 ms of the web process's CPU through cursors and 0.18 ms here
(measured in one process, alternating), for the same rows.

`send(connection, reads)` sends the reads in one pipeline on the connection's libpq object (psycopg's `pgconn`,
its C implementation with psycopg-binary): each statement prepared on the server once per connection, named and
remembered by psycopg's own manager of the connection's prepared statements exactly as its cursors do (one cache for
both ways: psycopg clears it where it must — a ROLLBACK, a DROP or ALTER, a DEALLOCATE ALL — and deallocates the
least used past its `prepared_max`); the values dumped and the rows loaded by one `Transformer` kept on each connection
(its dumpers and loaders found once); the socket written and read through psycopg's own non-blocking generators
(`pipeline_communicate`, `fetch_many`), as psycopg's pipeline does. The rows are what a cursor's `fetchall()` gives,
loaded by the connection's adapters (Django's and `core.postgresql`'s); each statement passes Django's execute
wrappers (the context's cursor is None: there is none) and, where the connection logs queries, is logged with its
values.

It declines (returns None: the caller uses psycopg's cursors, as before) when psycopg's parts it uses are not there,
when psycopg itself is in a pipeline, and in a transaction whose state it cannot tell. A transaction's first
statement is preceded by psycopg's own BEGIN (its isolation level, read-only, deferrable), as psycopg does. An error
is raised as psycopg raises it (Django's wrapper makes it Django's) after every answer of the pipeline was read: the
connection stays usable.
"""

from __future__ import annotations

import functools
import time
from collections import deque

_TRANSFORMER = "_supply_service_transformer"  # the connection's attribute holding its Transformer
_CONVERTED: dict[tuple[bytes, str], tuple] = {}
_CONVERTED_LIMIT = 1024
_NEVER = 2**62  # executions of one statement before psycopg would prepare it by itself


def pipelining(connection) -> bool:
    """Whether hot reads on `connection` are prepared on the server and sent together (PostgreSQL,
    `PREPARE_HOT_STATEMENTS`, `PIPELINE_READS`; off behind a pooler in transaction mode)."""
    settings = connection.settings_dict
    return (connection.vendor == "postgresql" and bool(settings.get("PREPARE_HOT_STATEMENTS"))
            and bool(settings.get("PIPELINE_READS", True)))


def converted_query(query: bytes, encoding: str, convert) -> tuple:
    """psycopg's conversion of a statement (`convert`: its `_query2pg_nocache`) — $n placeholders, the parameters'
    formats, order and parts — remembered per statement text (bounded): psycopg remembers only statements up to
    4 kB and 64 parameters and parses the others on every execution (a home's counts, 10 kB: 0.1 ms a time)."""
    key = (query, encoding)
    found = _CONVERTED.get(key)
    if found is None:
        found = convert(query, encoding)
        if len(_CONVERTED) >= _CONVERTED_LIMIT:
            _CONVERTED.clear()
        _CONVERTED[key] = found
    return found


def rows(connection, reads) -> list | None:
    """`send` on a Django connection made ready as Django's cursors do (reconnected if its health check failed,
    connected, not in a broken transaction)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    prepare_raw_connection(connection.connection)
    return send(connection, reads)


def prepare_raw_connection(raw) -> None:
    """Django connects with prepare_threshold=None, which makes psycopg ignore `prepare=True` too; a threshold no
    statement reaches keeps automatic preparation off for every other cursor."""
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _NEVER


class _Query:
    """What psycopg's prepared-statement manager reads of a statement: its text ($n) and its parameters' types."""

    __slots__ = ("query", "types")

    def __init__(self, query: bytes, types: tuple) -> None:
        self.query = query
        self.types = types


@functools.cache
def _psycopg():
    """psycopg's parts used here, or None where its internals differ (the cursors then, as before)."""
    try:
        from psycopg import adapt, errors, pq  # noqa: PLC0415  (PostgreSQL only)
        from psycopg._preparing import Prepare  # noqa: PLC0415
        from psycopg._queries import PostgresQuery, _query2pg_nocache  # noqa: PLC0415
        from psycopg.generators import fetch_many, pipeline_communicate  # noqa: PLC0415

        parts = {
            "Transformer": adapt.Transformer, "error_from_result": errors.error_from_result,
            "reorder": PostgresQuery.validate_and_reorder_params, "convert": _query2pg_nocache,
            "fetch_many": fetch_many, "pipeline_communicate": pipeline_communicate,
            "NO": Prepare.NO, "SHOULD": Prepare.SHOULD,
            "IDLE": pq.TransactionStatus.IDLE, "INTRANS": pq.TransactionStatus.INTRANS,
            "TUPLES": frozenset((pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE)),
            "FATAL": pq.ExecStatus.FATAL_ERROR, "SYNC": pq.ExecStatus.PIPELINE_SYNC,
            "ABORTED": pq.ExecStatus.PIPELINE_ABORTED,
        }
    except (ImportError, AttributeError):
        return None
    return parts


def send(connection, reads) -> list | None:
    """The reads' raw rows in order (a list of tuples; None for a statement without rows), sent in one pipeline —
    or None when this way declines (see the module); `connection` is Django's, connected and usable."""
    parts = _psycopg()
    raw = connection.connection
    manager = getattr(raw, "_prepared", None)
    if (parts is None or manager is None or getattr(raw, "_pipeline", True) is not None
            or not hasattr(raw, "wait") or manager.prepare_threshold is None):
        return None
    begin = None
    if not raw.autocommit:
        status = raw.pgconn.transaction_status
        if status == parts["IDLE"]:  # the transaction's first statement: psycopg would begin it; so do we
            begin = getattr(raw, "_get_tx_start_command", None)
            if begin is None:
                return None
            begin = begin()
        elif status != parts["INTRANS"]:
            return None
    tx = getattr(raw, _TRANSFORMER, None)
    if tx is None:  # kept on the connection itself: it refers to the connection, so a weak map would keep both alive
        tx = parts["Transformer"](raw)
        setattr(raw, _TRANSFORMER, tx)
    started = time.monotonic()
    results, error = _round_trip(connection, raw, tx, parts, reads, begin)
    if manager._to_flush:  # noqa: SLF001  (psycopg's maintenance: statements past its prepared_max, a DEALLOCATE ALL)
        with raw.lock, connection.wrap_database_errors:
            raw.wait(manager.maintain_gen(raw))
    if error is not None:
        with connection.wrap_database_errors:
            raise error
    if connection.queries_logged:
        _log(connection, reads, time.monotonic() - started)
    return results


def _round_trip(connection, raw, tx, parts, reads, begin: bytes | None) -> tuple[list, Exception | None]:
    """Send the reads (after `begin`, the transaction's BEGIN, if given) and read every answer: (each read's rows,
    the first error or None). Statements are named, prepared and remembered by psycopg's own manager of the
    connection, as its cursors do — one cache for both ways, cleared by psycopg where it must be (a ROLLBACK, a DROP
    or ALTER, a DEALLOCATE ALL), the least used deallocated past its `prepared_max`."""
    pgconn, manager = raw.pgconn, raw._prepared  # noqa: SLF001
    commands: deque = deque()
    answers: list = []  # per answer expected: None (BEGIN, a PREPARE), or (key, prepare, name) of a read
    if begin is not None:
        commands.append(functools.partial(pgconn.send_query_params, begin, None))
        answers.append(None)

    def enqueue(sql, params, many=False, context=None):
        query, formats, order, query_parts = converted_query(sql.encode(tx.encoding), tx.encoding, parts["convert"])
        values = tx.dump_sequence(parts["reorder"](query_parts, params, order), formats)
        statement = _Query(query, tx.types or ())
        value_formats = tx.formats
        prepare, name = manager.get(statement, True)
        if prepare == parts["NO"]:
            commands.append(functools.partial(pgconn.send_query_params, query, values, param_types=statement.types,
                                              param_formats=value_formats))
        else:
            if prepare == parts["SHOULD"]:
                commands.append(functools.partial(pgconn.send_prepare, name, query, param_types=statement.types))
                answers.append(None)
                preparing.append((query, statement.types, name))
            commands.append(functools.partial(pgconn.send_query_prepared, name, values, param_formats=value_formats))
        key = manager.maybe_add_to_cache(statement, prepare, name)
        answers.append((key, prepare, name))

    preparing: list[tuple] = []  # the statements this round prepares, remembered by the manager before they are sent
    wrappers = connection.execute_wrappers
    try:
        for read in reads:
            if wrappers:
                executor = enqueue
                for wrapper in reversed(wrappers):
                    executor = functools.partial(wrapper, executor)
                executor(read.sql, read.params, False, {"connection": connection, "cursor": None})
            else:
                enqueue(read.sql, read.params)
        commands.append(pgconn.pipeline_sync)
        with raw.lock, connection.wrap_database_errors:
            pgconn.enter_pipeline_mode()
            try:
                fetched = raw.wait(parts["pipeline_communicate"](pgconn, commands))
                while not fetched or fetched[-1][0].status != parts["SYNC"]:
                    fetched.append(raw.wait(parts["fetch_many"](pgconn)))
            except BaseException:
                _leave_or_close(raw, pgconn)
                raise
            pgconn.exit_pipeline_mode()
    except BaseException:  # nothing (or not everything) was sent: the manager forgets what it was told is prepared
        for query, types, name in preparing:
            manager.validate((query, types), parts["SHOULD"], name, ())
        raise

    results, error = [], None
    for answer, found in zip(answers, fetched, strict=False):
        result = found[-1]
        status = result.status
        if status == parts["FATAL"] and error is None:
            error = parts["error_from_result"](result, encoding=tx.encoding)
        if answer is None:
            continue
        if answer[0] is not None:
            manager.validate(answer[0], answer[1], answer[2], found)
        if status in parts["TUPLES"] or (result.nfields and status != parts["FATAL"]):
            tx.set_pgresult(result)
            results.append(tx.load_rows(0, result.ntuples, tuple))
        elif status != parts["ABORTED"] and status != parts["FATAL"]:
            results.append(None)
    tx.set_pgresult(None)
    return results, error


def _leave_or_close(raw, pgconn) -> None:
    """After an interrupted round trip: out of pipeline mode if libpq allows, else the connection closed (Django
    connects anew) — never left in pipeline mode for the next statement."""
    try:
        pgconn.exit_pipeline_mode()
    except Exception:  # noqa: BLE001  (answers still pending: the connection cannot be used as it is)
        raw.close()


def _log(connection, reads, elapsed: float) -> None:
    """Django's query log (DEBUG, the tests' counts): each statement with its values, the round trip shared."""
    share = f"{elapsed / len(reads):.3f}"
    for read in reads:
        try:
            sql = connection.ops.compose_sql(read.sql, read.params)
        except Exception:  # noqa: BLE001  (the log's text only; never fail a page over it)
            sql = read.sql
        connection.queries_log.append({"sql": sql, "time": share})
