"""django-q2 tasks of the appointments app (the schedules are declared in `core.schedules`)."""

from supply_service.appointments.holds import holds_expire
from supply_service.appointments.reminders import reminders_send_due


def reminders_send_due_task() -> int:
    return reminders_send_due()


def holds_expire_task() -> int:
    """Places held for the waiting list and not confirmed in time pass to the next in line."""
    return holds_expire()
