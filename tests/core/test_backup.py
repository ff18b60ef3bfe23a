"""Backup and restore (issue 10, fault 15): `manage.py backup` while the site runs and `manage.py restore` into an
empty database, and a restore drill — a live database written to by another process while the backup runs,
restored into an empty database, must hold exactly what was committed at one moment: for every table, the rows up to
a point and none after it, the same in every table, and the latest history rows identical to the live ones."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from supply_service.core.backup import database_backup, database_restore
from supply_service.tickets.models import RepairTicket
from tests.factories import tickets as make

WRITER = r"""
import os, sys, time
import django
django.setup()
from django.db import transaction
from supply_service.core.models import User
from supply_service.core.services.outbox import outbox_enqueue
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import ticket_create

agent = User.objects.get(username="agent")
stop, deadline = os.environ["DRILL_STOP"], time.monotonic() + 120
n = 0
while not os.path.exists(stop) and time.monotonic() < deadline:
    n += 1
    with transaction.atomic():
        ticket = ticket_create(model=RepairTicket, by=agent, channel="phone", request=f"drill {n}",
                               fault_address="x")
        outbox_enqueue(key=f"drill:{ticket.number}", channel="sms", recipient="13800000000", body=ticket.number)
    print(n, flush=True)
"""

# Tables whose rows only ever grow, in commit order (one writer): a snapshot holds a prefix of each.
TABLES = {
    "tickets_repairticket": "id",
    "tickets_historicalrepairticket": "history_id",
    "core_outbox": "id",
    "core_historicaloutbox": "history_id",
    "core_slaclock": "id",
}
HISTORY = {"tickets_historicalrepairticket": "history_id", "core_historicaloutbox": "history_id"}


def query(database: dict, sql: str) -> list[tuple]:
    if database["ENGINE"].endswith("sqlite3"):
        with sqlite3.connect(database["NAME"]) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(dbname=database["NAME"], user=database["USER"] or None, host=database["HOST"] or None,
                         port=database["PORT"] or None, password=database["PASSWORD"] or None) as db:
        return db.execute(sql).fetchall()


def count_tickets(database: dict) -> int:
    return query(database, "SELECT count(*) FROM tickets_repairticket")[0][0]


def database_url(database: dict) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


class Writer:
    """Another process writing tickets and outbox rows (with history and clocks) to the live database."""

    def __init__(self, database: dict, folder: Path):
        self.stop_file = folder / "stop"
        env = {**os.environ, "DATABASE_URL": database_url(database), "DRILL_STOP": str(self.stop_file),
               "DJANGO_SETTINGS_MODULE": "supply_service.settings_test"}
        self.process = subprocess.Popen([sys.executable, "-c", WRITER], cwd=settings.BASE_DIR, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.written = 0

    def wait_for(self, count: int) -> None:
        while self.written < count:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the writer stopped: {self.process.stderr.read()[-3000:]}")
            self.written = int(line)

    def stop(self) -> None:
        self.stop_file.touch()
        self.process.communicate(timeout=60)
        assert self.process.returncode == 0


def run_drill(live: dict, restored: dict, folder: Path) -> None:
    writer = Writer(live, folder)
    try:
        writer.wait_for(10)
        before = count_tickets(live)
        backup = database_backup(output=folder / "drill.backup", database=live)
        after = count_tickets(live)
        # The site goes on writing after the backup: read the writer's progress until the live database holds more
        # than it did (its earlier lines may still sit in the pipe, so a count of lines read alone proves nothing).
        deadline = time.monotonic() + 60
        while count_tickets(live) <= after:
            writer.wait_for(writer.written + 1)
            assert time.monotonic() < deadline, "the writer wrote nothing after the backup"
    finally:
        writer.stop()
    database_restore(source=backup, database=restored)
    assert before <= count_tickets(restored) <= after < count_tickets(live)
    for table, key in TABLES.items():
        got = [row[0] for row in query(restored, f"SELECT {key} FROM {table} ORDER BY {key}")]  # noqa: S608
        expected = [row[0] for row in query(live, f"SELECT {key} FROM {table} WHERE {key} <= {max(got)} "  # noqa: S608
                                                  f"ORDER BY {key}")]
        assert got == expected, f"{table}: the backup is not a prefix of what was committed"
    numbers = {row[0] for row in query(restored, "SELECT number FROM tickets_repairticket WHERE request LIKE 'drill %'")}
    keys = {row[0] for row in query(restored, "SELECT idempotency_key FROM core_outbox WHERE idempotency_key "
                                              "LIKE 'drill:%'")}
    assert keys == {f"drill:{number}" for number in numbers}  # the same moment in every table
    for table, key in HISTORY.items():
        latest = query(restored, f"SELECT * FROM {table} ORDER BY {key} DESC LIMIT 5")  # noqa: S608
        ids = ", ".join(str(row[0]) for row in query(restored, f"SELECT {key} FROM {table} "  # noqa: S608
                                                               f"ORDER BY {key} DESC LIMIT 5"))
        assert latest == query(live, f"SELECT * FROM {table} WHERE {key} IN ({ids}) ORDER BY {key} DESC")  # noqa: S608


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_sqlite_under_writes(agent, tmp_path):
    """The SQLite site's drill (the SQLite pass: its migrated test database copied as the live site)."""
    make.repair(agent)
    live = {**connection.settings_dict, "NAME": str(tmp_path / "live.sqlite3")}
    database_backup(output=Path(live["NAME"]), database=connection.settings_dict)  # a migrated live site
    restored = {**live, "NAME": str(tmp_path / "restored.sqlite3")}
    run_drill(live, restored, tmp_path)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_postgresql_under_writes(agent, tmp_path):
    make.repair(agent)
    template = database_backup(output=tmp_path / "template.dump", database=connection.settings_dict)
    live = {**connection.settings_dict, "NAME": "drill_live"}
    restored = {**connection.settings_dict, "NAME": "drill_restored"}
    admin = {**connection.settings_dict, "NAME": "postgres"}
    import psycopg

    def admin_sql(sql: str) -> None:
        with psycopg.connect(dbname="postgres", user=admin["USER"] or None, host=admin["HOST"] or None,
                             port=admin["PORT"] or None, password=admin["PASSWORD"] or None, autocommit=True) as db:
            db.execute(sql)

    for name in ("drill_live", "drill_restored"):
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_sql(f"CREATE DATABASE {name}")
    try:
        database_restore(source=template, database=live)
        run_drill(live, restored, tmp_path)
    finally:
        for name in ("drill_live", "drill_restored"):
            admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.django_db(transaction=True)
def test_backup_command_writes_a_restorable_snapshot(agent, tmp_path, capsys):
    make.repair(agent)
    output = tmp_path / ("site.sqlite3" if connection.vendor == "sqlite" else "site.dump")
    call_command("backup", output=str(output))
    assert capsys.readouterr().out.strip() == str(output)
    assert output.is_file() and not list(tmp_path.glob(".*partial"))
    if connection.vendor == "sqlite":
        with sqlite3.connect(output) as db:
            assert db.execute("SELECT count(*) FROM tickets_repairticket").fetchone()[0] == RepairTicket.objects.count()


@pytest.mark.django_db(transaction=True)
def test_backup_goes_to_the_backup_folder_by_default(agent, tmp_path, settings, capsys):
    settings.BACKUP_DIR = tmp_path / "backups"
    call_command("backup")
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == tmp_path / "backups" and written.name.startswith(f"supply_service-{connection.vendor}")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(agent, tmp_path):
    make.repair(agent)
    backup = tmp_path / "site.backup"
    call_command("backup", output=str(backup))
    make.repair(agent)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))
    assert RepairTicket.objects.count() == 2


@pytest.mark.django_db
def test_restore_of_a_missing_or_foreign_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.backup"))
    foreign = tmp_path / "foreign.backup"
    foreign.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError, match="restore failed"):
        call_command("restore", str(foreign))


def test_restore_into_an_empty_sqlite_file_and_refuse_a_second_time(tmp_path):
    source = tmp_path / "source.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE django_migrations (id integer primary key, app text)")
        db.execute("INSERT INTO django_migrations (app) VALUES ('core')")
    db_settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new" / "site.sqlite3")}
    backup = database_backup(output=tmp_path / "b.sqlite3", database={**db_settings, "NAME": str(source)})
    database_restore(source=backup, database=db_settings)
    assert query(db_settings, "SELECT app FROM django_migrations") == [("core",)]
    from supply_service.core.backup import BackupError

    with pytest.raises(BackupError, match="not empty"):
        database_restore(source=backup, database=db_settings)
