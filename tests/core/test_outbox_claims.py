"""Outbox claims (issue 10, fault 10): each claim is stamped when it is taken and is stale only by its own age, so a
second sweep never takes a message a slow gateway is still sending; a claim older than the timeout (a dead worker)
is taken again, and every attempt carries the message's idempotency key to the gateway."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from supply_service.core.models import Outbox
from supply_service.core.services.outbox import outbox_deliver, outbox_deliver_due, outbox_enqueue
from supply_service.core.sms import BaseSmsBackend, LocmemSmsBackend

TIMEOUT = 60


class SlowGateway(BaseSmsBackend):
    """A gateway that takes `delay` seconds per message (moving a travelling clock) and, while it is sending the
    message to `nested_for`, lets another worker run a sweep — as a second qcluster would."""

    sent: list[dict] = []
    traveller = None
    delay = 0
    nested_for = ""
    nested_result: list[int] = []

    def send(self, *, to: str, body: str, reference: str) -> str:
        cls = SlowGateway
        if to == cls.nested_for:
            cls.nested_for = ""
            cls.nested_result.append(outbox_deliver_due())
        if cls.traveller is not None:
            cls.traveller.shift(cls.delay)
        cls.sent.append({"to": to, "reference": reference})
        return reference


class FailsAfterTakeOver(BaseSmsBackend):
    """Slower than the claim timeout: meanwhile another worker takes the stale claim and sends; then it fails."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        from django.conf import settings

        with time_machine.travel(timezone.now() + timedelta(seconds=TIMEOUT + 5)):
            settings.SMS_BACKEND = "supply_service.core.sms.LocmemSmsBackend"
            assert outbox_deliver_due() == 1
        raise RuntimeError("gateway timed out")


@pytest.fixture
def slow_gateway(settings):
    settings.SMS_BACKEND = "tests.core.test_outbox_claims.SlowGateway"
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = TIMEOUT
    SlowGateway.sent, SlowGateway.nested_result = [], []
    SlowGateway.traveller, SlowGateway.delay, SlowGateway.nested_for = None, 0, ""
    yield SlowGateway
    SlowGateway.traveller = None


def enqueue_sms(count: int, *, at) -> list[Outbox]:
    """Messages due since `at` (written directly: no delivery task is queued)."""
    return [Outbox.objects.create(idempotency_key=f"claim-{n}", channel="sms", recipient=f"1380000000{n}",
                                  body="停电通知", next_attempt_at=at, created_at=at) for n in range(count)]


@pytest.mark.django_db
def test_a_second_sweep_does_not_take_what_a_slow_gateway_is_still_sending(slow_gateway):
    start = timezone.now()
    messages = enqueue_sms(3, at=start - timedelta(minutes=1))
    with time_machine.travel(start, tick=False) as traveller:
        slow_gateway.traveller = traveller
        slow_gateway.delay = TIMEOUT + 5  # each message takes longer than the claim timeout after the batch began
        slow_gateway.nested_for = messages[2].recipient  # while the third is in the gateway, another sweep runs
        sent_by_first = outbox_deliver_due()
    assert slow_gateway.nested_result == [0]  # the second sweep found nothing to take
    assert sent_by_first == 3
    assert sorted(m["to"] for m in slow_gateway.sent) == sorted(m.recipient for m in messages)
    assert set(Outbox.objects.values_list("state", flat=True)) == {"sent"}
    assert list(Outbox.objects.values_list("attempts", flat=True)) == [1, 1, 1]


@pytest.mark.django_db
def test_a_claim_is_stale_only_by_its_own_age(slow_gateway):
    now = timezone.now()
    young, old = enqueue_sms(2, at=now - timedelta(hours=1))
    Outbox.objects.filter(pk=young.pk).update(state="sending", claimed_at=now - timedelta(seconds=TIMEOUT - 5),
                                              claim_token="alive", attempts=1)
    Outbox.objects.filter(pk=old.pk).update(state="sending", claimed_at=now - timedelta(seconds=TIMEOUT + 5),
                                            claim_token="dead", attempts=1)
    with time_machine.travel(now, tick=False):
        assert outbox_deliver(pk=young.pk) is False
        assert outbox_deliver_due() == 1
    assert [m["to"] for m in slow_gateway.sent] == [old.recipient]
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.state == "sent" and old.attempts == 2  # the dead worker's try counts as an attempt
    assert young.state == "sending" and young.claim_token == "alive"


@pytest.mark.django_db
def test_a_worker_whose_claim_was_taken_over_does_not_undo_the_delivery(slow_gateway, settings):
    """The slow worker's gateway finally fails after another worker sent the message: it stays sent."""
    message = enqueue_sms(1, at=timezone.now() - timedelta(minutes=1))[0]
    LocmemSmsBackend.outbox.clear()
    settings.SMS_BACKEND = "tests.core.test_outbox_claims.FailsAfterTakeOver"
    assert outbox_deliver(pk=message.pk) is False
    message.refresh_from_db()
    assert message.state == "sent" and len(LocmemSmsBackend.outbox) == 1
    LocmemSmsBackend.outbox.clear()


@pytest.mark.django_db
def test_every_attempt_carries_the_idempotency_key_to_the_gateway(slow_gateway):
    sms = outbox_enqueue(key="notice:42:sms", channel="sms", recipient="13800000000", body="x")
    email = outbox_enqueue(key="notice:42:email", channel="email", recipient="a@example.cn", subject="S", body="x")
    assert outbox_deliver(pk=sms.pk) and outbox_deliver(pk=email.pk)
    assert slow_gateway.sent == [{"to": "13800000000", "reference": "notice:42:sms"}]
    sent = mail.outbox[-1].message()
    assert sent["X-Idempotency-Key"] == "notice:42:email"
    assert sent["Message-ID"].startswith("<outbox.") and sent["Message-ID"].endswith("@supply.example.cn>")
    # A repeat (after a crash) carries the same Message-ID, so a mail server or a reader can drop it.
    Outbox.objects.filter(pk=email.pk).update(state="pending")
    assert outbox_deliver(pk=email.pk)
    assert mail.outbox[-1].message()["Message-ID"] == sent["Message-ID"]


def run_threads(count: int, work) -> None:
    barrier = threading.Barrier(count, timeout=20)

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


class BlockingGateway(BaseSmsBackend):
    """Holds every send until `release` is set; `started` tells the test that a send is in the gateway."""

    sent: list[str] = []
    started = threading.Event()
    release = threading.Event()
    lock = threading.Lock()

    def send(self, *, to, body, reference):
        BlockingGateway.started.set()
        assert BlockingGateway.release.wait(30)
        with BlockingGateway.lock:
            BlockingGateway.sent.append(to)
        return reference


@pytest.fixture
def blocking_gateway(settings):
    settings.SMS_BACKEND = "tests.core.test_outbox_claims.BlockingGateway"
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 2
    BlockingGateway.sent = []
    BlockingGateway.started.clear()
    BlockingGateway.release.clear()
    yield BlockingGateway
    BlockingGateway.release.set()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_claims_from_threads_send_each_message_once_on_postgresql(blocking_gateway):
    messages = enqueue_sms(5, at=timezone.now() - timedelta(minutes=1))
    blocking_gateway.release.set()
    run_threads(8, lambda i: [outbox_deliver(pk=m.pk) for m in messages[i % 5:] + messages[: i % 5]])
    assert sorted(blocking_gateway.sent) == sorted(m.recipient for m in messages)
    assert set(Outbox.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_sweep_while_a_slow_worker_sends_leaves_its_message_alone_on_postgresql(blocking_gateway):
    message = enqueue_sms(1, at=timezone.now() - timedelta(minutes=1))[0]
    worker = threading.Thread(target=lambda: (outbox_deliver_due(), connection.close()))
    worker.start()
    assert blocking_gateway.started.wait(20)
    assert outbox_deliver_due() == 0  # the live claim is young: the second sweep leaves it
    blocking_gateway.release.set()
    worker.join(timeout=30)
    assert blocking_gateway.sent == [message.recipient]
    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 1
