"""A real django-q2 cluster (ORM broker, SQLite file database: `make run`'s default) delivers a queued outbox message.

The cluster's database is a copy of the migrated test database (SQLite's backup API: milliseconds) — a `migrate` from
nothing in a subprocess took 90 s on a quiet machine and over 250 s in a loaded `make test`. In the PostgreSQL pass
there is no SQLite test database to copy, so the cluster's file is a copy of one migrated from nothing once a session
(about a minute; the SQLite restore drill uses it too).
The scale-out cluster (tests/cluster: Redis broker, two qclusters, PostgreSQL) runs in that pass too."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.core.test_settings import ROOT, manage

ENQUEUE = (
    "from django.db import transaction\n"
    "from supply_service.core.services.outbox import outbox_enqueue\n"
    "with transaction.atomic():\n"
    "    outbox_enqueue(key='worker-1', channel='sms', recipient='13800000000', body='停电通知')\n"
    "    outbox_enqueue(key='worker-1', channel='sms', recipient='13800000000', body='停电通知')\n"
)
STATE = "from supply_service.core.models import Outbox; print(Outbox.objects.get(idempotency_key='worker-1').state)"


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_qcluster_delivers_the_outbox_once(tmp_path, reference_data):
    """`make run`'s worker on its SQLite file (the SQLite pass; on PostgreSQL the scale-out run in tests/cluster
    runs two qclusters with Redis)."""
    env = {"DJANGO_DEBUG": "1", "SMS_BACKEND": "supply_service.core.sms.FileSmsBackend",
           "SMS_FILE_PATH": str(tmp_path / "sms")}
    connection.ensure_connection()
    copy = sqlite3.connect(tmp_path / "supply_service.sqlite3")  # the default database file under SUPPLY_VAR_DIR
    connection.connection.backup(copy)
    copy.close()
    assert manage("migrate", "--check", "-v0", env=env, tmp_path=tmp_path).returncode == 0  # nothing to apply
    queued = manage("shell", "--no-imports", "-c", ENQUEUE, env=env, tmp_path=tmp_path)
    assert queued.returncode == 0, queued.stderr

    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT,
        env={**base, **env, "SUPPLY_VAR_DIR": str(tmp_path)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        files = []
        while time.monotonic() < deadline and not files:
            time.sleep(0.5)
            files = list((tmp_path / "sms").glob("sms-*.jsonl"))
        assert files, "the cluster did not deliver the message within 60 s"
        time.sleep(2)  # a second delivery, if there were one, would have happened by now
    finally:
        cluster.send_signal(signal.SIGTERM)
        output, _ = cluster.communicate(timeout=30)
    lines = files[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1, output
    assert json.loads(lines[0])["body"] == "停电通知"
    state = manage("shell", "--no-imports", "-c", STATE, env=env, tmp_path=tmp_path)
    assert state.stdout.strip() == "sent", state.stderr
