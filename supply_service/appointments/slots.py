"""Slot arithmetic: the free places of a day, computed from the templates, the calendar (holidays and make-up days),
the exceptions, the duty rota and the bookings — never stored. A constant number of queries per day and kind.

- A template gives slots of the kind's duration from its first slot until its end, `capacity` in parallel, on the
  days its rule allows (every day; working days, make-up days included; rest days and holidays only).
- An exception for the office and day (for the kind or every kind) lowers the places per slot; 0 closes.
- Capacity never exceeds the people on duty for the kind over the whole slot (the rota).
- A visit (an on-site kind, or home service) needs a person on duty who has no other visit within the travel time
  (policy `appointment_travel_minutes`) before or after it.
- `priority_reserve` places of each slot are held for home service (S10.3.5), never the last place of a slot.
- A freed place held for the first customer on the waiting list counts as taken until the hold expires."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from supply_service.appointments.models import (
    BOOKED_STATES,
    Appointment,
    AppointmentKind,
    DayRule,
    DutyShift,
    Place,
    SlotException,
    SlotTemplate,
    WaitingEntry,
)
from supply_service.core.services.calendar import is_working_day
from supply_service.core.services.policy import policy_int


@dataclass
class Slot:
    kind: AppointmentKind
    starts_at: datetime
    ends_at: datetime
    capacity: int
    reserve: int = 0
    booked: int = 0
    booked_priority: int = 0
    visit: bool = False
    free_people: list[int] = field(default_factory=list)
    on_duty: list[int] = field(default_factory=list)

    def free(self, *, priority: bool = False) -> int:
        left = self.capacity - self.booked
        if not priority:  # the places held never take the last place of a slot (the rota may leave only one)
            reserve = min(self.reserve, max(self.capacity - 1, 0))
            left = min(left, self.capacity - reserve - (self.booked - self.booked_priority))
        if self.visit:
            left = min(left, len(self.free_people))
        return max(left, 0)

    @property
    def key(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


def local_dt(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = local_dt(day, time(0, 0))
    return start, local_dt(day + timedelta(days=1), time(0, 0))


def _day_allowed(rule: str, working: bool) -> bool:
    return rule == DayRule.EVERY_DAY or (rule == DayRule.WORKING_DAYS) == working


def _exception_cap(exceptions: list[SlotException], kind_id: int) -> int | None:
    caps = [e.capacity for e in exceptions if e.kind_id in (None, kind_id)]
    return min(caps) if caps else None


@dataclass(frozen=True)
class Taken:
    """A place taken in a slot: a booked appointment, or a place held for the first on the waiting list."""

    kind_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    assignee_id: int | None
    home_service: bool


TAKEN_FIELDS = ("kind_id", "starts_at", "ends_at", "place", "assignee_id", "home_service")
HOLD_FIELDS = ("kind_id", "offered_slot", "hold_ends_at", "hold_place", "hold_assignee_id", "hold_home_service")


def _bookings(office_id: int, day: date, exclude_pk: int | None, *, now: datetime,
              exclude_hold: int | None = None) -> list[Taken]:
    """The bookings and the live holds around the day, in one query (UNION ALL)."""
    start, end = day_bounds(day)
    # Visits just across midnight still keep a person busy for the travel time (policy), so reach that far.
    margin = timedelta(minutes=policy_int("appointment_travel_minutes"))
    booked = Appointment.objects.filter(office_id=office_id, state__in=BOOKED_STATES, starts_at__lt=end + margin,
                                        ends_at__gt=start - margin)
    if exclude_pk is not None:
        booked = booked.exclude(pk=exclude_pk)
    held = WaitingEntry.objects.filter(office_id=office_id, state=WaitingEntry.State.HELD, hold_until__gt=now,
                                       offered_slot__lt=end + margin, hold_ends_at__gt=start - margin)
    if exclude_hold is not None:
        held = held.exclude(pk=exclude_hold)
    rows = booked.order_by().values_list(*TAKEN_FIELDS).union(held.order_by().values_list(*HOLD_FIELDS), all=True)
    return [Taken(*row) for row in rows]


def _shifts(office_id: int, day: date) -> list[tuple[DutyShift, set[int]]]:
    shifts = list(DutyShift.objects.filter(office_id=office_id, date=day).prefetch_related("kinds"))
    return [(s, {k.pk for k in s.kinds.all()}) for s in shifts]


def day_slots(*, office, kind: AppointmentKind, day: date, home: bool = False, exclude_pk: int | None = None,
              now: datetime | None = None, exclude_hold: int | None = None) -> list[Slot]:
    """Every slot of `kind` at `office` on `day` with its places (future slots only). `home`: a home visit of an
    office kind (a visit, with the travel time, and the places held for home service). A place held for the first
    on the waiting list counts as taken until the hold expires (`exclude_hold`: the hold being confirmed)."""
    now = now or timezone.now()
    office_id = getattr(office, "pk", office)
    templates = list(SlotTemplate.objects.filter(office_id=office_id, kind=kind, weekday=day.weekday())
                 .order_by("starts_at"))
    if not templates or not kind.is_active:
        return []
    working = is_working_day(day)
    templates = [t for t in templates if _day_allowed(t.days, working)]
    if not templates:
        return []
    exception_cap = _exception_cap(list(SlotException.objects.filter(office_id=office_id, date=day)), kind.pk)
    if exception_cap == 0:
        return []
    visit = kind.on_site or home
    travel = timedelta(minutes=policy_int("appointment_travel_minutes")) if visit else timedelta(0)
    shifts, bookings = _shifts(office_id, day), _bookings(office_id, day, exclude_pk, now=now,
                                                              exclude_hold=exclude_hold)
    slots = []
    for template in templates:
        for start, end in _times(day, template, kind.duration_minutes):
            if start <= now:
                continue
            slots.append(_slot(kind, template, start, end, exception_cap, shifts, bookings, visit, travel))
    return slots


def _times(day: date, template: SlotTemplate, minutes: int):
    step = timedelta(minutes=minutes)
    start, last = local_dt(day, template.starts_at), local_dt(day, template.ends_at)
    while start + step <= last:
        yield start, start + step
        start += step


def _slot(kind, template, start, end, exception_cap, shifts, bookings, visit, travel) -> Slot:
    local_start, local_end = timezone.localtime(start).time(), timezone.localtime(end).time()
    on_duty = {s.person_id for s, kinds in shifts if kind.pk in kinds and s.starts_at <= local_start
               and s.ends_at >= local_end}
    capacity = min(template.capacity, len(on_duty))
    if exception_cap is not None:
        capacity = min(capacity, exception_cap)
    same = [b for b in bookings if b.kind_id == kind.pk and b.starts_at < end and b.ends_at > start
            and (b.place == Place.ON_SITE) == visit]
    busy = {b.assignee_id for b in bookings if b.place == Place.ON_SITE and b.assignee_id
            and b.starts_at < end + travel and b.ends_at > start - travel}
    return Slot(kind=kind, starts_at=start, ends_at=end, capacity=capacity, reserve=template.priority_reserve,
                booked=len(same), booked_priority=sum(1 for b in same if b.home_service), visit=visit,
                free_people=sorted(on_duty - busy), on_duty=sorted(on_duty))


def find_slot(*, office, kind, starts_at: datetime, home: bool = False, exclude_pk: int | None = None,
              now: datetime | None = None, exclude_hold: int | None = None) -> Slot | None:
    day = timezone.localtime(starts_at).date()
    for slot in day_slots(office=office, kind=kind, day=day, home=home, exclude_pk=exclude_pk, now=now,
                          exclude_hold=exclude_hold):
        if slot.starts_at == starts_at:
            return slot
    return None


def bookable_days(*, today: date | None = None) -> list[date]:
    """Today and the following days up to the booking horizon (policy `appointment_booking_days`)."""
    today = today or timezone.localdate()
    return [today + timedelta(days=n) for n in range(policy_int("appointment_booking_days") + 1)]
