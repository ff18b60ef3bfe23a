"""django-q2 tasks of the kernel (schedules are declared in `core.schedules`)."""

from supply_service.core.dbstats import refresh_planner_statistics
from supply_service.core.services.calendar import calendar_warn_missing
from supply_service.core.services.outbox import outbox_deliver, outbox_deliver_due, outbox_deliver_many
from supply_service.core.services.sla import sla_sweep


def sla_sweep_task() -> int:
    return sla_sweep()


def outbox_deliver_task(pk: int) -> bool:
    return outbox_deliver(pk=pk)


def outbox_deliver_many_task(keys: list[str]) -> int:
    return outbox_deliver_many(keys=keys)


def outbox_deliver_due_task() -> int:
    return outbox_deliver_due()


def calendar_check_task() -> list[int]:
    """Daily: warn in the log when this year (or, from the policy month, next year) has no working-day calendar."""
    return calendar_warn_missing()


def planner_statistics_task() -> list[str]:
    """Daily: the query planner's statistics (SQLite; core.dbstats) — the tables analysed."""
    return refresh_planner_statistics()
