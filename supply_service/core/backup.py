"""Back up the database while the site runs, and restore a backup into an empty database.

    path = database_backup()                      # BACKUP_DIR/supply_service-<vendor>-<UTC time>.<sqlite3|dump>
    database_restore(source=path)                 # into the configured, empty database

Both take a consistent snapshot — every committed transaction up to one moment, none after it — without stopping
the site:

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the whole file in one step under a read
  transaction; with WAL, writers go on meanwhile. Restore copies the other way into an empty file.
- PostgreSQL: `pg_dump --format=custom` (one repeatable-read transaction) with the connection of DATABASE_URL;
  restore is `pg_restore --single-transaction --exit-on-error` into an empty database. The client programs are taken
  from PG_BIN_DIR, else from the server's version under /usr/lib/postgresql/<major>/bin (a pg_dump older than the
  server refuses to run), else from PATH. The password goes through the environment, never the command line.

Restore refuses a database that has any table: restoring never overwrites data. Stop the site and the workers,
create an empty database (PostgreSQL: `createdb`; SQLite: move the old file away), restore, then start again.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_MEMORY = re.compile(r"(^:memory:$|mode=memory)")


class BackupError(Exception):
    """The backup or restore could not be made; the message says why and what to do."""


def _database(using: str) -> dict:
    return connections[using].settings_dict


def _vendor(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"No backup method for the database engine {engine}.")


def default_backup_path(*, vendor: str, now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    suffix = "sqlite3" if vendor == "sqlite" else "dump"
    return Path(settings.BACKUP_DIR) / f"supply_service-{vendor}-{now:%Y%m%d-%H%M%S}.{suffix}"


def database_backup(*, output: Path | None = None, using: str = "default", database: dict | None = None) -> Path:
    """Write a consistent backup of the running database to `output` (written whole, then renamed into place)."""
    database = database or _database(using)
    vendor = _vendor(database)
    output = Path(output or default_backup_path(vendor=vendor))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        if vendor == "sqlite":
            _sqlite_backup(database, partial)
        else:
            _pg_run("pg_dump", database, ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"])
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def database_restore(*, source: Path, using: str = "default", database: dict | None = None) -> None:
    """Restore a backup made by `database_backup` into the (empty) database."""
    database = database or _database(using)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file.")
    if _vendor(database) == "sqlite":
        _sqlite_restore(source, database)
    else:
        _pg_require_empty(database)
        _pg_run("pg_restore", database, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                                         f"--dbname={database['NAME']}", str(source)])


# --- SQLite ----------------------------------------------------------------------------------------------------------

def _sqlite_connect(name: str, *, read_only: bool = False) -> sqlite3.Connection:
    name = str(name)
    if name.startswith("file:"):
        return sqlite3.connect(name, uri=True)
    if read_only:
        return sqlite3.connect(f"{Path(name).resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(name)


def _tables(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def _sqlite_backup(database: dict, target: Path) -> None:
    source = _sqlite_connect(database["NAME"], read_only=True)
    try:
        source.execute(f"PRAGMA busy_timeout = {int(database.get('OPTIONS', {}).get('timeout', 20)) * 1000}")
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)  # pages=-1: the whole database in one step, one snapshot
            destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            if destination.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError("The backup failed its integrity check; nothing was written.")
        finally:
            destination.close()
    finally:
        source.close()


def _sqlite_restore(source: Path, database: dict) -> None:
    name = str(database["NAME"])
    backup = _sqlite_connect(str(source), read_only=True)
    try:
        try:
            tables = _tables(backup)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite backup ({exc}).") from exc
        if "django_migrations" not in tables:
            raise BackupError(f"{source} is not a backup of this site (it has no django_migrations table).")
        if not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        target = _sqlite_connect(name)
        try:
            if _tables(target):
                raise BackupError(f"The database {name} is not empty: restore only into an empty database "
                                  "(move the old file away first).")
            backup.backup(target)
            target.execute("PRAGMA journal_mode = WAL" if not SQLITE_MEMORY.search(name) else "SELECT 1")
        finally:
            target.close()
    finally:
        backup.close()


# --- PostgreSQL ------------------------------------------------------------------------------------------------------

def _pg_connect(database: dict):
    import psycopg

    return psycopg.connect(dbname=database["NAME"], user=database.get("USER") or None,
                           password=database.get("PASSWORD") or None, host=database.get("HOST") or None,
                           port=database.get("PORT") or None, autocommit=True)


def _pg_require_empty(database: dict) -> None:
    with _pg_connect(database) as connection:
        count = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', "
            "'information_schema')"
        ).fetchone()[0]
    if count:
        raise BackupError(f"The database {database['NAME']} is not empty ({count} tables): restore only into an "
                          "empty database (createdb a new one).")


def _pg_server_major(database: dict) -> int:
    with _pg_connect(database) as connection:
        return int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000


def pg_program(name: str, database: dict) -> str:
    """The client program for this server: PG_BIN_DIR, else the oldest installed version not older than the
    server's (/usr/lib/postgresql/<major>/bin, the way scripts/with-postgres.sh finds the server), else PATH."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    major = _pg_server_major(database)
    installed = sorted((int(path.parent.parent.name), path) for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
                       if path.parent.parent.name.isdigit())
    for version, path in installed:
        if version >= major:
            return str(path)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client of version {major} or newer, or set "
                          "PG_BIN_DIR.")
    return found


def _pg_run(program: str, database: dict, arguments: list[str]) -> None:
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                          ("PGDATABASE", "NAME")):
        if database.get(key):
            env[variable] = str(database[key])
    with tempfile.TemporaryFile() as errors:
        done = subprocess.run(  # noqa: S603 - a fixed program; arguments from the settings and the operator
            [pg_program(program, database), *arguments], env=env, stdout=subprocess.DEVNULL,
            stderr=errors, check=False)
        if done.returncode != 0:
            errors.seek(0)
            raise BackupError(f"{program} failed: {errors.read().decode('utf-8', 'replace').strip()[-2000:]}")
