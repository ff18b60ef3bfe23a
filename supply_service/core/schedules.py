"""Every django-q2 schedule of the project, in one place; `manage.py sync_schedules` applies them."""

from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "sla-sweep",
        "func": "supply_service.core.tasks.sla_sweep_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "outbox-deliver-due",
        "func": "supply_service.core.tasks.outbox_deliver_due_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "appointment-reminders",
        "func": "supply_service.appointments.tasks.reminders_send_due_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        "name": "appointment-holds",
        "func": "supply_service.appointments.tasks.holds_expire_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "dashboard-publish-due",
        "func": "supply_service.dashboard.tasks.publish_due_task",
        "schedule_type": Schedule.HOURLY,
    },
    {
        "name": "calendar-check",
        "func": "supply_service.core.tasks.calendar_check_task",
        "schedule_type": Schedule.DAILY,
    },
    {
        "name": "database-statistics",
        "func": "supply_service.core.tasks.planner_statistics_task",
        "schedule_type": Schedule.DAILY,
    },
    {
        "name": "complaints-identity-erase",
        "func": "supply_service.complaints.tasks.identity_erase_task",
        "schedule_type": Schedule.DAILY,
    },
]


def sync_schedules() -> list[str]:
    """Create or update the declared schedules; remove schedules of ours that are no longer declared."""
    names = []
    for spec in SCHEDULES:
        values = {k: v for k, v in spec.items() if k != "name"}
        schedule, created = Schedule.objects.get_or_create(name=spec["name"], defaults={**values, "repeats": -1})
        if not created:
            for field, value in values.items():
                setattr(schedule, field, value)
            schedule.repeats = -1
            schedule.save()
        names.append(spec["name"])
    Schedule.objects.filter(func__startswith="supply_service.").exclude(name__in=names).delete()
    return names
