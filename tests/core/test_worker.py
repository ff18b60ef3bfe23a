"""A real django-q2 cluster (ORM broker, SQLite file database) delivers a queued outbox message."""

import json
import signal
import subprocess
import sys
import time

from tests.core.test_settings import ROOT, manage

ENQUEUE = (
    "from django.db import transaction\n"
    "from supply_service.core.services.outbox import outbox_enqueue\n"
    "with transaction.atomic():\n"
    "    outbox_enqueue(key='worker-1', channel='sms', recipient='13800000000', body='停电通知')\n"
    "    outbox_enqueue(key='worker-1', channel='sms', recipient='13800000000', body='停电通知')\n"
)
STATE = "from supply_service.core.models import Outbox; print(Outbox.objects.get(idempotency_key='worker-1').state)"


def test_qcluster_delivers_the_outbox_once(tmp_path):
    env = {"DJANGO_DEBUG": "1", "SMS_BACKEND": "supply_service.core.sms.FileSmsBackend",
           "SMS_FILE_PATH": str(tmp_path / "sms")}
    assert manage("migrate", "-v0", env=env, tmp_path=tmp_path).returncode == 0
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
