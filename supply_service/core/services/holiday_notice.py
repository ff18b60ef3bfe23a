"""Import the State Council's holiday notice into the working-day calendar: preview (a diff against the stored
`CalendarDay` rows) and apply (one transaction: the rows, then the running clocks whose deadlines move).

Who: a user with `core.import_calendarday` (the manager role), checked here so that the admin page and
`manage.py import_holiday_notice --user` obey the same rule; `by=None` is the system (the command run without
`--user` by whoever operates the server), recorded in the history without a user.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from supply_service.core.models import CalendarDay
from supply_service.core.services.holidays import HolidayNotice, NoticeDay, holiday_notice_parse
from supply_service.core.services.sla_recompute import RecomputeResult, sla_recompute_apply, sla_recompute_plan

PERMISSION = "core.import_calendarday"
REASON = "core.calendar_notice"


@dataclass(frozen=True)
class DayChange:
    day: date
    was_working: bool | None
    """None: the table had no row (deadlines counted Monday–Friday)."""
    was_name: str
    working: bool
    name: str

    @property
    def is_new(self) -> bool:
        return self.was_working is None

    @property
    def moves_deadlines(self) -> bool:
        """Whether deadline arithmetic sees a different day (a missing row counts as Monday–Friday)."""
        before = self.day.weekday() < 5 if self.was_working is None else self.was_working
        return before != self.working

    @property
    def is_notable(self) -> bool:
        """Worth showing one by one: a change of a stored day, or a new holiday or make-up day."""
        return not self.is_new or bool(self.name)


@dataclass
class NoticeDiff:
    notice: HolidayNotice
    changes: list[DayChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def added(self) -> list[DayChange]:
        return [c for c in self.changes if c.is_new]

    @property
    def changed(self) -> list[DayChange]:
        return [c for c in self.changes if not c.is_new]

    @property
    def notable(self) -> list[DayChange]:
        return [c for c in self.changes if c.is_notable]

    @property
    def moved_days(self) -> set[date]:
        return {c.day for c in self.changes if c.moves_deadlines}

    @property
    def digest(self) -> str:
        """A fingerprint of the changes: apply refuses when the calendar changed since the preview."""
        text = ";".join(f"{c.day}:{c.was_working}:{c.was_name}:{c.working}:{c.name}" for c in self.changes)
        return hashlib.sha256(f"{self.notice.year}|{text}".encode()).hexdigest()[:32]


@dataclass
class ApplyResult:
    diff: NoticeDiff
    recompute: RecomputeResult


def _check(by) -> None:
    if by is not None and not by.has_perm(PERMISSION):
        raise PermissionDenied(_("Only a manager may import the State Council's holiday notice."))


def _same(stored: CalendarDay, new: NoticeDay) -> bool:
    if stored.is_working_day != new.is_working_day:
        return False
    # A line naming two holidays (中秋节、国庆节) cannot tell which day is which: a stored name among them stays.
    return stored.name == new.name or (not new.is_working_day and stored.name in new.alternatives)


def _diff(notice: HolidayNotice, *, lock: bool) -> NoticeDiff:
    rows = CalendarDay.objects.filter(date__range=(min(notice.days), max(notice.days)))
    if lock:
        rows = rows.select_for_update()
    stored = {row.date: row for row in rows}
    diff = NoticeDiff(notice=notice)
    for day in sorted(notice.days):
        new, old = notice.days[day], stored.get(day)
        if old is not None and _same(old, new):
            diff.unchanged += 1
            continue
        diff.changes.append(DayChange(day=day, was_working=None if old is None else old.is_working_day,
                                      was_name="" if old is None else old.name, working=new.is_working_day,
                                      name=new.name))
    return diff


def holiday_notice_preview(*, text: str, year: int | None = None, by) -> NoticeDiff:
    """Parse the notice and compare it with the stored calendar; writes nothing. Raises ValidationError on a
    notice that cannot be read (naming the line), PermissionDenied for a user who may not import."""
    _check(by)
    return _diff(holiday_notice_parse(text=text, year=year), lock=False)


def _write(diff: NoticeDiff, by) -> None:
    new_rows = [CalendarDay(date=c.day, is_working_day=c.working, name=c.name, source=CalendarDay.Source.NOTICE)
                for c in diff.added]
    bulk_create_with_history(new_rows, CalendarDay, batch_size=500, default_user=by,
                             default_change_reason=REASON)
    changed = []
    for change in diff.changed:
        changed.append(CalendarDay(date=change.day, is_working_day=change.working, name=change.name,
                                   source=CalendarDay.Source.NOTICE))
    bulk_update_with_history(changed, CalendarDay, ["is_working_day", "name", "source"], batch_size=500,
                             default_user=by, default_change_reason=REASON)


def holiday_notice_apply(*, text: str, year: int | None = None, by, digest: str = "", now=None) -> ApplyResult:
    """Write the notice's year into the calendar in one transaction and move the running clocks it affects.

    `digest` (from the preview) makes the apply refuse when the stored calendar changed in between."""
    _check(by)
    notice = holiday_notice_parse(text=text, year=year)
    with transaction.atomic():
        diff = _diff(notice, lock=True)
        if digest and digest != diff.digest:
            raise ValidationError(_("The calendar changed since the preview: look at the changes again."))
        plan = sla_recompute_plan(days=diff.moved_days)
        _write(diff, by)
        recompute = sla_recompute_apply(plan=plan, by=by, now=now or timezone.now())
    return ApplyResult(diff=diff, recompute=recompute)


def missing_year_message(year: int) -> str:
    """The warning managers see (admin, staff home) while a year has no calendar."""
    return _(
        "The calendar has no days for %(year)s: deadlines there count Monday to Friday as working days. "
        "Import the State Council's holiday notice for %(year)s."
    ) % {"year": year}
