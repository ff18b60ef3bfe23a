"""Recompute the deadlines of running clocks when the working-day calendar changes (e.g. a holiday notice).

Which clocks: running (not paused, not stopped, not breached) clocks of a working-day or calendar-day commitment
whose span — the start day to the due day — touches a changed day. A clock's deadline is recomputed the way it was
first computed (`calendar.due_at`, then every finished pause through `calendar.extend_for_pause`, as `sla._resume`
does), and only when its stored deadline is the one the old calendar gave: a deadline set another way (counted back
from an event, e.g. an outage notice) is left alone. Paused clocks get their deadline from the calendar when they
resume; clocks already breached stay breached (a manager may waive them).

Usage, in the transaction that changes the calendar::

    plan = sla_recompute_plan(days=changed_days)   # before the rows change: locks and remembers old deadlines
    ... write the CalendarDay rows ...
    sla_recompute_apply(plan=plan, by=user)         # new deadlines, history "core.sla_recompute", breaches

Queries: a constant number per batch of clocks and per commitment (deadlines in bulk with `due_at_many`), plus
a few per clock that has been paused before.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from supply_service.core.models import Commitment, SlaClock, SlaPause
from supply_service.core.services.calendar import due_at, due_at_many, extend_for_pause
from supply_service.core.services.sla import _alert_breach, _save

REASON = "core.sla_recompute"


@dataclass
class RecomputePlan:
    clocks: list[SlaClock] = field(default_factory=list)
    old: dict[int, datetime] = field(default_factory=dict)


@dataclass
class RecomputeResult:
    moved: list[SlaClock] = field(default_factory=list)
    breached: list[SlaClock] = field(default_factory=list)


def _deadlines(clocks: list[SlaClock]) -> dict[int, datetime]:
    """What the calendar as it stands now gives each clock (pauses included)."""
    result = {}
    groups = defaultdict(list)
    for clock in clocks:
        groups[(clock.commitment.limit, clock.commitment.unit)].append(clock)
    for (limit, unit), members in groups.items():
        for clock, due in zip(members, due_at_many(starts=[c.started_at for c in members], limit=limit, unit=unit),
                              strict=True):
            result[clock.pk] = due
    for clock in clocks:
        pauses = clock.finished_pauses
        if not pauses:
            continue
        due = due_at(start=clock.started_at, limit=clock.commitment.limit, unit=clock.commitment.unit)
        for pause in pauses:
            due = extend_for_pause(due=due, paused_from=pause.started_at, resumed_at=pause.ended_at,
                                   unit=clock.commitment.unit)
        result[clock.pk] = due
    return result


def _affected(days: set[date]):
    first, last = min(days), max(days)
    after_last = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    from_first = timezone.make_aware(datetime.combine(first, time.min))
    return (
        SlaClock.objects.select_for_update(of=("self",))
        .select_related("commitment", "owner", "office")
        .prefetch_related(Prefetch("pauses", queryset=SlaPause.objects.filter(ended_at__isnull=False)
                                   .order_by("started_at"), to_attr="finished_pauses"))
        .filter(state=SlaClock.State.RUNNING, stopped_at__isnull=True, due_at__isnull=False,
                commitment__unit__in=Commitment.DAY_UNITS, started_at__lt=after_last, due_at__gt=from_first)
        .order_by("pk")
    )


def sla_recompute_plan(*, days: set[date]) -> RecomputePlan:
    """Lock the running clocks the changed `days` may move and remember their deadlines under today's calendar.
    Call inside the transaction, before the calendar rows change."""
    if not days:
        return RecomputePlan()
    clocks = list(_affected(days))
    old = _deadlines(clocks)
    return RecomputePlan(clocks=[c for c in clocks if old[c.pk] == c.due_at], old=old)


def sla_recompute_apply(*, plan: RecomputePlan, by=None, now: datetime | None = None,
                        batch_size: int = 500) -> RecomputeResult:
    """After the calendar rows changed: move the planned clocks' deadlines (history "core.sla_recompute"); breach
    and alert, like the sweep, the ones that are now overdue."""
    now = now or timezone.now()
    result = RecomputeResult()
    if not plan.clocks:
        return result
    new = _deadlines(plan.clocks)
    for clock in plan.clocks:
        if new[clock.pk] != clock.due_at:
            clock.due_at = new[clock.pk]
            result.moved.append(clock)
    with transaction.atomic():
        bulk_update_with_history(result.moved, SlaClock, ["due_at"], batch_size=batch_size,
                                 default_user=by, default_change_reason=REASON)
        _refresh_open_work(result.moved)
        for clock in result.moved:
            if clock.due_at < now:
                clock.breach(at=now)
                _save(clock, "core.sla_breach")
                _alert_breach(clock)
                result.breached.append(clock)
    return result


def _refresh_open_work(clocks: list[SlaClock]) -> None:
    """The moved deadlines show on the work lists: refresh the items' open-work rows (per kind of item)."""
    from supply_service.core.services.openwork import openwork_refresh_clocks

    by_type: dict[int, list[int]] = {}
    for clock in clocks:
        by_type.setdefault(clock.content_type_id, []).append(clock.object_id)
    for content_type_id, object_ids in by_type.items():
        openwork_refresh_clocks(content_type_id=content_type_id, object_ids=sorted(set(object_ids)))

