"""The background jobs at city scale, timed on the benchmark database and then rolled back (the seeded database stays
as it was): the SLA sweep (issue 12: 1 000 overdue clocks among 100 000 running, all breached in one run, < 2 s) and
publishing an outage to one office's customers (the request < 1 s; the fan-out task that writes the outbox < 3 s).

Each job runs inside one transaction that is rolled back at the end; the services' own transactions become savepoints
in it, and the fan-out task (queued on commit in production) is called directly. Query counts come from Django's
capture of the same run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

GOALS = {"sweep": 2.0, "publish": 1.0, "fan-out": 3.0}  # seconds (issue 12)


@dataclass
class JobResult:
    name: str
    seconds: float
    queries: int
    detail: str
    goal: float

    @property
    def ok(self) -> bool:
        return self.seconds <= self.goal


class _RolledBack(Exception):  # noqa: N818  (the way out of the job's transaction, not an error)
    pass


def _rolled_back(work, *, touched: tuple = ()):
    """Run `work()` in a transaction that is rolled back; its result. Then, on PostgreSQL, vacuum the tables in
    `touched` (models): the rolled-back rows stay behind as dead versions until a vacuum, and 200 000 of them in the
    clocks' table made the pages timed after the job (my clocks, the homes) 1.4x -> 3x slower."""
    try:
        with transaction.atomic():
            found = work()
            raise _RolledBack(found)
    except _RolledBack as done:
        found = done.args[0]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # VACUUM runs outside a transaction
        with connection.cursor() as cursor:
            for model in touched:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return found


def _timed(name: str, goal: float, call, detail) -> JobResult:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        found = call()
        seconds = time.perf_counter() - started
    return JobResult(name, seconds, len(captured), detail(found), goal)


def sweep_job(*, running: int = 100_000, overdue: int = 1_000) -> JobResult:
    """`running` clocks running (those already running, then settled ones put back to running — one per item and
    commitment without an open clock), all due in a week but `overdue` of them due an hour ago; one `sla_sweep`."""
    from supply_service.core.models import OpenWork, Outbox, SlaClock
    from supply_service.core.services.sla import sla_sweep

    now = timezone.now()
    week, hour_ago = now + timedelta(days=7), now - timedelta(hours=1)

    def work() -> JobResult:
        running_now = SlaClock.objects.filter(state=SlaClock.State.RUNNING, stopped_at__isnull=True)
        running_now.update(due_at=week)
        ids = list(running_now.order_by("pk").values_list("pk", flat=True)[:running])
        if len(ids) < running:
            open_subjects = set(SlaClock.objects.filter(stopped_at__isnull=True)
                                .values_list("commitment_id", "content_type_id", "object_id"))
            settled = (SlaClock.objects.filter(stopped_at__isnull=False).values("commitment_id", "content_type_id",
                                                                               "object_id")
                       .annotate(first=Min("pk")).values_list("commitment_id", "content_type_id", "object_id", "first"))
            more = [pk for *subject, pk in settled.iterator(chunk_size=10_000) if tuple(subject) not in open_subjects]
            more = more[: running - len(ids)]
            for start in range(0, len(more), 900):
                SlaClock.objects.filter(pk__in=more[start:start + 900]).update(
                    state=SlaClock.State.RUNNING, stopped_at=None, settled_at=None, breached_at=None, paused_at=None,
                    due_at=week)
            ids += more
        late = ids[:overdue]
        for start in range(0, len(late), 900):
            SlaClock.objects.filter(pk__in=late[start:start + 900]).update(due_at=hour_ago)
        return _timed("SLA sweep", GOALS["sweep"], lambda: sla_sweep(now=now, budget_seconds=600),
                      lambda breached: f"{breached} of {len(late)} overdue breached in one run, {len(ids)} running")

    return _rolled_back(work, touched=(SlaClock, SlaClock.history.model, OpenWork, Outbox))


def outage_jobs(*, dispatcher, manager, office) -> list[JobResult]:
    """A planned outage on every feeder of `office`: publishing it (the request's work: the affected customers fixed
    in SQL, the fan-out queued) and the fan-out task (the outbox rows of every affected customer)."""
    from supply_service.core.models import Outbox, SlaClock
    from supply_service.customers.models import Feeder
    from supply_service.outages.models import AffectedCustomer, OutageNotice
    from supply_service.outages.services import outage_approve, outage_create, outage_publish
    from supply_service.outages.tasks import outage_notify_task

    def work() -> list[JobResult]:
        start = timezone.now() + timedelta(days=10)
        notice = outage_create(by=dispatcher, kind=OutageNotice.Kind.PLANNED, planned_start=start,
                               planned_end=start + timedelta(hours=4), reason="bench", office=office,
                               feeders=list(Feeder.objects.filter(office=office)), area_zh_hans="全部线路",
                               text_zh_hans="检修")
        outage_approve(notice=notice, by=manager)
        notice = OutageNotice.objects.get(pk=notice.pk)
        publish = _timed("outage published (request)", GOALS["publish"],
                         lambda: outage_publish(notice=notice, by=manager),
                         lambda _found: f"{AffectedCustomer.objects.filter(notice=notice).count()} customers affected")
        fan_out = _timed("outage fan-out (task)", GOALS["fan-out"], lambda: outage_notify_task(notice.pk, "publish"),
                         lambda written: f"{written} messages written to the outbox")
        return [publish, fan_out]

    return _rolled_back(work, touched=(OutageNotice, AffectedCustomer, Outbox, SlaClock, SlaClock.history.model))


def jobs_table(results: list[JobResult]) -> str:
    lines = ["| job | seconds | queries | goal | ok | what |", "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.name} | {r.seconds:.2f} | {r.queries} | < {r.goal:.0f} s | {'ok' if r.ok else 'NO'} | "
                     f"{r.detail} |")
    return "\n".join(lines)
