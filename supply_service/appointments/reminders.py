"""Reminders the day before an appointment, one per revision: rebuilt on every change, sent only while current —
never a stale reminder (see `reminders_send_due`)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from supply_service.appointments import messages
from supply_service.appointments.models import CHANGEABLE_STATES, Appointment, Reminder
from supply_service.appointments.slots import local_dt
from supply_service.core.services.policy import policy_int


def reminders_rebuild(*, appointment: Appointment, at: datetime) -> None:
    """Supersede every pending reminder of an older revision; one reminder for the current revision, due at the
    policy's hour of the day before (none when that moment has passed or the appointment holds no place)."""
    pending = Reminder.objects.filter(appointment=appointment, state=Reminder.State.PENDING)
    if appointment.state not in CHANGEABLE_STATES:
        pending.update(state=Reminder.State.SUPERSEDED)
        return
    pending.exclude(revision=appointment.revision).update(state=Reminder.State.SUPERSEDED)
    day_before = timezone.localtime(appointment.starts_at).date() - timedelta(days=1)
    due = local_dt(day_before, time(hour=min(max(policy_int("appointment_reminder_hour"), 0), 23)))
    if due > at:
        Reminder.objects.get_or_create(appointment=appointment, revision=appointment.revision,
                                       defaults={"due_at": due})


def reminders_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the reminders that are due — only a reminder of the appointment's current revision while it still
    holds its place; any other is superseded. Idempotent (the outbox key names the revision)."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = list(Reminder.objects.select_for_update(skip_locked=True, of=("self",)).select_related(
            "appointment__kind", "appointment__office").filter(state=Reminder.State.PENDING, due_at__lte=now)
            .order_by("due_at")[:limit])
        for reminder in due:
            appointment = reminder.appointment
            if reminder.revision != appointment.revision or appointment.state not in CHANGEABLE_STATES:
                reminder.state = Reminder.State.SUPERSEDED
            else:
                messages.send_reminder(appointment)
                reminder.state, reminder.sent_at = Reminder.State.SENT, now
                sent += 1
            reminder.save(update_fields=["state", "sent_at"])
    return sent
