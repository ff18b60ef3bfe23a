import json
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from supply_service.core.models import Outbox
from supply_service.core.services.outbox import (
    backoff,
    outbox_bulk_enqueue,
    outbox_deliver,
    outbox_deliver_due,
    outbox_enqueue,
    outbox_retry,
)
from supply_service.core.sms import FileSmsBackend, LocmemSmsBackend, get_sms_backend


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemSmsBackend.outbox.clear()
    LocmemSmsBackend.fail_next = 0
    yield
    LocmemSmsBackend.fail_next = 0


@pytest.mark.django_db
def test_enqueue_is_idempotent_per_key():
    first = outbox_enqueue(key="k1", channel="email", recipient="a@example.cn", subject="S", body="B")
    again = outbox_enqueue(key="k1", channel="email", recipient="other@example.cn", subject="S2", body="B2")
    assert first.pk == again.pk and Outbox.objects.count() == 1
    assert Outbox.objects.get().recipient == "a@example.cn"


@pytest.mark.django_db
def test_delivery_is_queued_after_commit_and_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbox_enqueue(key="k2", channel="email", recipient="a@example.cn", subject="停电通知", body="明天停电")
    assert len(callbacks) == 1  # the django-q2 task (run inline in tests)
    assert [m.subject for m in mail.outbox] == ["停电通知"]
    message = Outbox.objects.get()
    assert message.state == Outbox.State.SENT and message.attempts == 1 and message.sent_at
    assert outbox_deliver(pk=message.pk) is False
    assert outbox_deliver_due() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sms_goes_through_the_configured_backend():
    message = outbox_enqueue(key="k3", channel="sms", recipient="13800000000", body="您好")
    assert outbox_deliver(pk=message.pk)
    assert LocmemSmsBackend.outbox == [{"to": "13800000000", "body": "您好", "reference": "k3"}]


@pytest.mark.django_db
def test_failure_is_retried_with_back_off_then_marked_failed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = outbox_enqueue(key="k4", channel="sms", recipient="13800000000", body="x")
    LocmemSmsBackend.fail_next = 5
    now = timezone.now()
    assert outbox_deliver(pk=message.pk, now=now) is False
    message = Outbox.objects.get()
    assert message.state == Outbox.State.PENDING and message.attempts == 1
    assert message.next_attempt_at == now + backoff(1)
    assert "gateway unavailable" in message.last_error
    assert outbox_deliver_due(now=now) == 0  # not due yet
    assert outbox_deliver(pk=message.pk, now=now + timedelta(minutes=5)) is False
    message = Outbox.objects.get()
    assert message.state == Outbox.State.FAILED and message.attempts == 2


def test_backoff_doubles_and_is_capped():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(hours=6)


@pytest.mark.django_db
def test_retry_of_failed_message_needs_permission(clerk, manager, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    message = outbox_enqueue(key="k5", channel="sms", recipient="13800000000", body="x")
    LocmemSmsBackend.fail_next = 1
    outbox_deliver(pk=message.pk)
    with pytest.raises(PermissionDenied):
        outbox_retry(message=message, by=clerk)
    retried = outbox_retry(message=message, by=manager)
    assert retried.state == Outbox.State.PENDING and retried.attempts == 0
    assert outbox_deliver(pk=message.pk)
    assert Outbox.objects.get().state == Outbox.State.SENT


@pytest.mark.django_db
def test_stale_claim_of_a_dead_worker_is_given_back(settings):
    message = outbox_enqueue(key="k6", channel="sms", recipient="13800000000", body="x")
    Outbox.objects.filter(pk=message.pk).update(
        state=Outbox.State.SENDING, claimed_at=timezone.now() - timedelta(hours=1), claim_token="dead"
    )
    assert outbox_deliver_due() == 1
    assert len(LocmemSmsBackend.outbox) == 1


@pytest.mark.django_db
def test_bulk_enqueue_skips_existing_keys():
    outbox_enqueue(key="b1", channel="sms", recipient="1", body="x")
    created = outbox_bulk_enqueue(
        [Outbox(idempotency_key=f"b{n}", channel="sms", recipient=str(n), body="x") for n in range(1, 4)]
    )
    assert Outbox.objects.count() == 3
    assert created >= 2


def test_file_backend_writes_json_lines(tmp_path):
    with override_settings(SMS_FILE_PATH=tmp_path, SMS_BACKEND="supply_service.core.sms.FileSmsBackend"):
        backend = get_sms_backend()
        assert isinstance(backend, FileSmsBackend)
        backend.send(to="13800000000", body="停电通知", reference="r1")
    lines = next(tmp_path.glob("sms-*.jsonl")).read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["body"] == "停电通知"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_delivery_sends_once_on_postgresql():
    messages = [Outbox(idempotency_key=f"c{n}", channel="email", recipient=f"u{n}@example.cn", body="x")
                for n in range(20)]
    outbox_bulk_enqueue(messages)
    barrier = threading.Barrier(4)

    def work():
        try:
            barrier.wait()
            outbox_deliver_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.recipient for m in messages)
    assert set(Outbox.objects.values_list("state", flat=True)) == {"sent"}
