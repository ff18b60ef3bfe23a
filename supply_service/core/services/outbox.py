"""The notifications outbox: enqueue in the event's transaction, deliver once from workers."""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from supply_service.core.models import Outbox
from supply_service.core.sms import get_sms_backend

logger = logging.getLogger(__name__)

DELIVER_TASK = "supply_service.core.tasks.outbox_deliver_task"


def _schedule_delivery(pk: int) -> None:
    from django_q.tasks import async_task

    async_task(DELIVER_TASK, pk, task_name=f"outbox-{pk}", group="outbox")


def outbox_enqueue(
    *, key: str, channel: str, recipient: str, body: str, subject: str = "", language: str = ""
) -> Outbox:
    """Write a message to send (once per `key`); delivery is queued when the surrounding transaction commits."""
    message, created = Outbox.objects.get_or_create(
        idempotency_key=key[:200],
        defaults={
            "channel": channel, "recipient": recipient, "subject": subject[:200], "body": body, "language": language,
        },
    )
    if created:
        transaction.on_commit(lambda: _schedule_delivery(message.pk))
    return message


def outbox_bulk_enqueue(messages: list[Outbox], *, batch_size: int = 1000) -> int:
    """Write many messages at once; those whose key exists already are skipped. Delivered by the sweep."""
    created = Outbox.objects.bulk_create(messages, batch_size=batch_size, ignore_conflicts=True)
    return len(created)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _send(message: Outbox) -> None:
    if message.channel == Outbox.Channel.EMAIL:
        EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.recipient]
        ).send(fail_silently=False)
    else:
        get_sms_backend().send(to=message.recipient, body=message.body, reference=message.idempotency_key)


def outbox_deliver(*, pk: int, now: datetime | None = None) -> bool:
    """Send one message if it is due and nobody else has claimed it. Returns True when this call sent it."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = Outbox.objects.filter(pk=pk, state=Outbox.State.PENDING, next_attempt_at__lte=now).update(
        state=Outbox.State.SENDING, claimed_at=now, claim_token=token
    )
    if not claimed:
        return False
    message = Outbox.objects.get(pk=pk, claim_token=token)
    message.attempts += 1
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 - any failure of a backend is retried later and shown in the admin
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            message.state = Outbox.State.FAILED
        else:
            message.state = Outbox.State.PENDING
            message.next_attempt_at = now + backoff(message.attempts)
        message._change_reason = "core.outbox_failed"
        message.save()
        logger.warning("Outbox %s failed (attempt %s): %s", pk, message.attempts, message.last_error)
        return False
    message.state = Outbox.State.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message._change_reason = "core.outbox_sent"
    message.save()
    return True


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Deliver what is due; give back claims of workers that died mid-send. Returns how many were sent."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    Outbox.objects.filter(state=Outbox.State.SENDING, claimed_at__lt=stale).update(
        state=Outbox.State.PENDING, claim_token=""
    )
    due = Outbox.objects.filter(state=Outbox.State.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")
    return sum(outbox_deliver(pk=pk, now=now) for pk in due.values_list("pk", flat=True)[:limit])


def outbox_retry(*, message: Outbox, by, now: datetime | None = None) -> Outbox:
    """Put a failed message back in the queue (staff action)."""
    if not by.has_perm("core.retry_outbox"):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        locked = Outbox.objects.select_for_update().get(pk=message.pk)
        if locked.state == Outbox.State.FAILED:
            locked.state = Outbox.State.PENDING
            locked.next_attempt_at = now
            locked.attempts = 0
            locked._change_reason = f"core.outbox_retry by {by.get_username()}"
            locked.save()
            transaction.on_commit(lambda: _schedule_delivery(locked.pk))
    message.refresh_from_db()
    return message
