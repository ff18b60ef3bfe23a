"""The notifications outbox: enqueue in the event's transaction, deliver once from workers.

Claims. A worker takes a message with one conditional UPDATE (pending and due, or claimed by someone else longer
ago than OUTBOX_CLAIM_TIMEOUT_SECONDS) that stamps the claim with the time it is taken and a fresh token, and counts
the attempt. A claim is stale only by its own age: a sweep that takes a long time (a slow gateway) never makes the
claims it takes later look old to another worker. Set the timeout well above the gateway's longest send (the SMTP
and SMS timeouts).

Delivery guarantee. While workers live, a message is handed to the gateway once. A worker killed hard between
handing a message to the gateway and recording it as sent leaves a claim that is taken again after the timeout: after
a crash delivery is **at-least-once**. So every message carries its idempotency key to the gateway, which can drop a
repeat: SMS backends get it as `reference` (a gateway adapter passes it as the gateway's client message id); e-mails
carry it in `X-Idempotency-Key` and a `Message-ID` derived from it, the same on every attempt.
"""

import hashlib
import logging
import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.utils import timezone

from supply_service.core.models import Outbox
from supply_service.core.sms import get_sms_backend

logger = logging.getLogger(__name__)

DELIVER_TASK = "supply_service.core.tasks.outbox_deliver_task"
DELIVER_MANY_TASK = "supply_service.core.tasks.outbox_deliver_many_task"


def _schedule_delivery(pk: int) -> None:
    from django_q.tasks import async_task

    async_task(DELIVER_TASK, pk, task_name=f"outbox-{pk}", group="outbox")


def outbox_enqueue(
    *, key: str, channel: str, recipient: str, body: str, subject: str = "", language: str = "",
    attachment: tuple[str, str, str] | None = None,
) -> Outbox:
    """Write a message to send (once per `key`); delivery is queued when the surrounding transaction commits.
    `attachment`: (file name, MIME type, text content) that an e-mail carries as an attached file (SMS ignores it)."""
    name, mimetype, content = attachment or ("", "", "")
    message, created = Outbox.objects.get_or_create(
        idempotency_key=key[:200],
        defaults={
            "channel": channel, "recipient": recipient, "subject": subject[:200], "body": body, "language": language,
            "attachment_name": name[:120], "attachment_type": mimetype[:100], "attachment_content": content,
        },
    )
    if created:
        transaction.on_commit(lambda: _schedule_delivery(message.pk))
    return message


def outbox_bulk_enqueue(messages: list[Outbox], *, batch_size: int = 1000) -> int:
    """Write many messages at once; those whose key exists already are skipped. Delivered by the sweep, or sooner
    when the caller queues `outbox_deliver_later` with their keys."""
    created = Outbox.objects.bulk_create(messages, batch_size=batch_size, ignore_conflicts=True)
    return len(created)


def outbox_insert_select(*, rows: QuerySet, channel: str, key, recipient, body, subject=None, language=None) -> int:
    """Write one message per row of `rows` with a single INSERT … SELECT (nothing passes through Python, whatever
    the number of rows); `key`, `recipient`, `subject`, `body` and `language` are expressions over those rows. A key
    that exists already is skipped. Returns the number of rows written."""
    now = timezone.now()
    columns = {
        "idempotency_key": key, "channel": Value(channel), "recipient": recipient, "subject": subject or Value(""),
        "body": body, "language": language or Value(""), "state": Value(Outbox.State.PENDING), "attempts": Value(0),
        "next_attempt_at": Value(now, output_field=DateTimeField()), "claim_token": Value(""),
        "last_error": Value(""), "created_at": Value(now, output_field=DateTimeField()),
        "attachment_name": Value(""), "attachment_type": Value(""), "attachment_content": Value(""),
    }
    aliases = {name: f"outbox_{name}" for name in columns}
    query = rows.order_by().values(**{aliases[name]: expression for name, expression in columns.items()})
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        return 0
    quote = connection.ops.quote_name
    names = ", ".join(quote(Outbox._meta.get_field(name).column) for name in columns)
    chosen = ", ".join(f"chosen.{quote(alias)}" for alias in aliases.values())
    # Names come from the model; the rows' query is Django's own and every value is a parameter. (WHERE true: SQLite
    # needs a WHERE before ON CONFLICT in an INSERT … SELECT.)
    statement = (f"INSERT INTO {quote(Outbox._meta.db_table)} ({names}) "  # noqa: S608
                 f"SELECT {chosen} FROM ({sql}) chosen WHERE true ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


DELIVERY_SLICE = 250  # messages one delivery task takes: well inside the task timeout even at 50 ms a message


def outbox_deliver_later(*, keys: list[str], per_task: int = DELIVERY_SLICE) -> int:
    """When the transaction commits, queue the delivery of these messages (by idempotency key) in tasks of
    `per_task` keys, so that every worker shares a big fan-out and no task runs into the task timeout. Queueing per
    batch, not per message, also spares the ORM broker a new database connection per message. Returns the number
    of tasks."""
    from django_q.tasks import async_task

    if not keys:
        return 0
    size = max(per_task, 1)
    parts = [keys[start:start + size] for start in range(0, len(keys), size)]

    def queue():
        for part in parts:
            async_task(DELIVER_MANY_TASK, part, group="outbox", task_name=f"outbox-many-{uuid.uuid4().hex[:12]}")

    transaction.on_commit(queue)
    return len(parts)


def outbox_deliver_many(*, keys: list[str], now: datetime | None = None, chunk: int = 500) -> int:
    """Deliver the messages with these keys that are due (each claimed on its own). Returns how many were sent."""
    sent = 0
    for start in range(0, len(keys), chunk):
        pks = Outbox.objects.filter(idempotency_key__in=keys[start:start + chunk]).order_by("pk")
        sent += sum(outbox_deliver(pk=pk, now=now) for pk in list(pks.values_list("pk", flat=True)))
    return sent


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def email_headers(key: str) -> dict[str, str]:
    """The headers that let a mail server or a reader recognise a repeat of one outbox message."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    shown = key if key.isascii() and key.isprintable() else digest
    return {"Message-ID": f"<outbox.{digest}@{domain}>", "X-Idempotency-Key": shown}


def _send(message: Outbox) -> None:
    if message.channel == Outbox.Channel.EMAIL:
        email = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.recipient],
            headers=email_headers(message.idempotency_key),
        )
        if message.attachment_name:
            email.attach(message.attachment_name, message.attachment_content,
                         message.attachment_type or "application/octet-stream")
        email.send(fail_silently=False)
    else:
        get_sms_backend().send(to=message.recipient, body=message.body, reference=message.idempotency_key)


def _claimable(now: datetime, claim_time: datetime) -> Q:
    """Due and pending, or claimed by a worker that has not finished in the claim timeout (it died)."""
    stale = claim_time - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    return Q(state=Outbox.State.PENDING, next_attempt_at__lte=now) | Q(
        state=Outbox.State.SENDING, claimed_at__lt=stale
    )


def _claim(*, pk: int, now: datetime) -> str | None:
    """Take the message for this worker, stamped with this moment; the token proves the claim later."""
    token = uuid.uuid4().hex
    claim_time = timezone.now()
    claimed = Outbox.objects.filter(_claimable(now, claim_time), pk=pk).update(
        state=Outbox.State.SENDING, claimed_at=claim_time, claim_token=token, attempts=F("attempts") + 1
    )
    return token if claimed else None


def _finish(*, pk: int, token: str, error: str = "", now: datetime) -> None:
    """Record the outcome of one send. A worker whose claim was taken over records a success (the message went
    out) but not a failure (the new owner decides)."""
    with transaction.atomic():
        message = Outbox.objects.select_for_update().get(pk=pk)
        if message.claim_token != token and (error or message.state == Outbox.State.SENT):
            return
        if error:
            message.last_error = error
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.state = Outbox.State.FAILED
            else:
                message.state = Outbox.State.PENDING
                message.next_attempt_at = now + backoff(message.attempts)
            message._change_reason = "core.outbox_failed"
        else:
            message.state = Outbox.State.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message._change_reason = "core.outbox_sent"
        message.claim_token = ""
        message.save()


def outbox_deliver(*, pk: int, now: datetime | None = None) -> bool:
    """Send one message if it is due and nobody else holds a live claim on it. Returns True when this call sent it.
    `now` decides what is due; the claim is stamped with the moment it is taken."""
    now = now or timezone.now()
    token = _claim(pk=pk, now=now)
    if token is None:
        return False
    message = Outbox.objects.get(pk=pk)
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 - any failure of a backend is retried later and shown in the admin
        error = f"{type(exc).__name__}: {exc}"[:2000]
        _finish(pk=pk, token=token, error=error, now=now)
        logger.warning("Outbox %s failed (attempt %s): %s", pk, message.attempts, error)
        return False
    _finish(pk=pk, token=token, now=now)
    return True


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Deliver what is due, and messages whose claim went stale (a worker died mid-send). Returns how many were
    sent. Each message is claimed on its own when its turn comes, so a slow batch holds no old claims."""
    now = now or timezone.now()
    due = Outbox.objects.filter(_claimable(now, timezone.now())).order_by("next_attempt_at")
    return sum(outbox_deliver(pk=pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))


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
