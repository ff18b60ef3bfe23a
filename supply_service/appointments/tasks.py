"""django-q2 tasks of the appointments app (the schedule is declared in `core.schedules`)."""

from supply_service.appointments.reminders import reminders_send_due


def reminders_send_due_task() -> int:
    return reminders_send_due()
