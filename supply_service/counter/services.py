"""Writes of the counter: take a number, open/close windows, call next (row-locked), recall, no-show, transfer,
serve and finish (the number becomes the transaction), the SMS reminder, the green channel.

Every function checks its permission and office, changes what it locks inside one transaction, and leaves side
effects to the outbox (sent on commit). Numbers and limits come from the Policy / Commitment tables.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from supply_service.core import hooks
from supply_service.core.access import require_office
from supply_service.core.services.outbox import outbox_enqueue
from supply_service.core.services.policy import policy_int
from supply_service.core.services.workitems import workitem_number_next
from supply_service.counter.models import BoardCall, QueueTicket, Service, Window
from supply_service.customers.models import Customer
from supply_service.tickets.models import CounterTransaction
from supply_service.tickets.services import counter_finish, counter_start

CALL_PERMISSION = "counter.call_queueticket"
GREEN_PERMISSION = "counter.green_channel_window"
APPOINTMENT_EVENT = "appointment_code_check"
HEAD_START_POLICY = {
    QueueTicket.Priority.ASSISTED: "counter_assisted_head_start_minutes",
    QueueTicket.Priority.APPOINTMENT: "counter_appointment_head_start_minutes",
}
IN_PROGRESS = (QueueTicket.State.CALLED, QueueTicket.State.SERVING)


def _local_day(at: datetime):
    return timezone.localtime(at).date()


def _require_clerk(by, office) -> None:
    if not by.has_perm(CALL_PERMISSION):
        raise PermissionDenied
    require_office(by, office)


# --- taking a number -----------------------------------------------------------------------------------------------


def appointment_code_check(*, code: str, office) -> bool | None:
    """Ask the appointments app (through the kernel's events; no import): True = a valid appointment today at this
    office, False = not, None = nobody can check (the appointments app is not installed yet)."""
    if APPOINTMENT_EVENT not in hooks.EVENTS or not hooks.handlers(APPOINTMENT_EVENT):
        return None
    results = [r for r in hooks.emit(APPOINTMENT_EVENT, code=code, office=office) if r is not None]
    return bool(results) and all(results)


def _sort_at(priority: str, at: datetime) -> datetime:
    policy = HEAD_START_POLICY.get(priority)
    return at - timedelta(minutes=policy_int(policy)) if policy else at


def ticket_take(*, service: Service, priority: str = QueueTicket.Priority.ORDINARY, appointment_code: str = "",
                phone: str = "", language: str = "", at: datetime | None = None) -> QueueTicket:
    """A customer takes a number (kiosk or ticket printer: no login). Priority numbers wait less, never forever
    ahead of everyone: their head start is a bounded time (policy), so an ordinary number is never starved."""
    if not service.is_active or not service.office.is_active:
        raise ValidationError(_("This service is not offered here now."))
    if priority not in QueueTicket.Priority.values:
        raise ValidationError(_("Choose a valid priority."))
    checked = None
    code = appointment_code.strip()
    if priority == QueueTicket.Priority.APPOINTMENT:
        if not code:
            raise ValidationError({"appointment_code": _("Enter the code of your appointment.")})
        checked = appointment_code_check(code=code, office=service.office)
        if checked is False:
            raise ValidationError({"appointment_code": _("No appointment today has this code.")})
    at = at or timezone.now()
    day = _local_day(at)
    with transaction.atomic():
        sequence = workitem_number_next(prefix=f"Q{service.office_id}{service.letter}"[:8], at=at)
        number = f"{service.letter}{int(sequence.rsplit('-', 1)[1]):03d}"
        ticket = QueueTicket(
            office=service.office, service=service, number=number, day=day, priority=priority,
            appointment_code=code if priority == QueueTicket.Priority.APPOINTMENT else "",
            appointment_checked=checked, phone=phone.strip(), language=language[:8], taken_at=at,
            sort_at=_sort_at(priority, at),
        )
        ticket._change_reason = "counter.take"
        ticket.save()
    return ticket


# --- windows -------------------------------------------------------------------------------------------------------


def window_open(*, window: Window, by) -> Window:
    """The clerk signs in at the window and opens it (a clerk works at one window at a time)."""
    _require_clerk(by, window.office)
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=window.pk)
        if window.is_open and window.clerk_id not in (None, by.pk):
            raise ValidationError(_("Another clerk is signed in at this window."))
        if Window.objects.filter(clerk=by, is_open=True).exclude(pk=window.pk).exists():
            raise ValidationError(_("Close your other window first."))
        window.is_open, window.clerk = True, by
        window._change_reason = "counter.window_open"
        window.save(update_fields=["is_open", "clerk"])
    return window


def window_close(*, window: Window, by) -> Window:
    _require_clerk(by, window.office)
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=window.pk)
        if window.clerk_id not in (None, by.pk) and not by.has_perm("counter.change_window"):
            raise PermissionDenied
        if QueueTicket.objects.filter(window=window, state__in=IN_PROGRESS).exists():
            raise ValidationError(_("Finish the customer at this window first."))
        window.is_open, window.clerk = False, None
        window._change_reason = "counter.window_close"
        window.save(update_fields=["is_open", "clerk"])
    return window


def window_green_channel(*, window: Window, by, on: bool) -> Window:
    """A manager opens (or closes) the green channel: the window calls priority numbers first."""
    if not by.has_perm(GREEN_PERMISSION):
        raise PermissionDenied
    require_office(by, window.office)
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=window.pk)
        window.green_channel = on
        window._change_reason = "counter.green_channel"
        window.save(update_fields=["green_channel"])
    return window


# --- calling -------------------------------------------------------------------------------------------------------


def _candidates(window: Window, day):
    qs = QueueTicket.objects.filter(office_id=window.office_id, day=day, state=QueueTicket.State.WAITING,
                                    service__in=window.services.all())
    return qs


def _pick(window: Window, day) -> QueueTicket | None:
    """The next number for `window`, locked (PostgreSQL: rows another window is taking are skipped)."""
    ordered = []
    if window.green_channel:
        ordered.append(_candidates(window, day).exclude(priority=QueueTicket.Priority.ORDINARY))
    ordered.append(_candidates(window, day))
    for qs in ordered:
        qs = qs.order_by("sort_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ticket = qs.first()
        if ticket is not None:
            return ticket
    return None


def _window_for_call(window: Window, by) -> Window:
    window = Window.objects.select_for_update().get(pk=window.pk)
    if not window.is_open:
        raise ValidationError(_("Open the window first."))
    if window.clerk_id != by.pk:
        raise ValidationError(_("Another clerk is signed in at this window."))
    if QueueTicket.objects.filter(window=window, state__in=IN_PROGRESS).exists():
        raise ValidationError(_("Finish the customer at this window first."))
    return window


def ticket_call_next(*, window: Window, by, at: datetime | None = None) -> QueueTicket | None:
    """Call the next number to `window` (None: nobody waits). Two windows calling at once never get the same
    number: the chosen row is locked, and the state change is conditional on it still waiting."""
    _require_clerk(by, window.office)
    at = at or timezone.now()
    with transaction.atomic():
        window = _window_for_call(window, by)
        ticket = _pick(window, _local_day(at))
        if ticket is None:
            return None
        ticket.call(window=window, clerk=by, at=at)
        ticket._change_reason = "counter.call"
        try:  # the save is conditional on the row still waiting (SQLite has no row locks)
            ticket.save()
        except ConcurrentTransition:
            raise ValidationError(_("This number was just called by another window: call again.")) from None
        BoardCall.objects.create(office_id=window.office_id, ticket=ticket, window=window, called_at=at)
        _heads_up(ticket=ticket, at=at)
    return ticket


def ticket_call_again(*, ticket: QueueTicket, by, at: datetime | None = None) -> QueueTicket:
    """Call the same number again (the board announces it again), up to the recall limit (policy)."""
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked_at_window(ticket, by, states=(QueueTicket.State.CALLED,))
        limit = policy_int("counter_recall_limit")
        if ticket.recalls >= limit:
            raise ValidationError(_("Called %(count)s times already: mark the number as not come.") % {
                "count": ticket.recalls + 1})
        ticket.recall()
        ticket._change_reason = "counter.recall"
        ticket.save()
        BoardCall.objects.create(office_id=ticket.office_id, ticket=ticket, window=ticket.window, called_at=at)
    return ticket


def _locked_at_window(ticket: QueueTicket, by, *, states) -> QueueTicket:
    _require_clerk(by, ticket.office)
    ticket = (QueueTicket.objects.select_for_update(of=("self",)).select_related("window", "service", "office")
              .get(pk=ticket.pk))  # of=self: PostgreSQL cannot lock the nullable side of the window's outer join
    if ticket.state not in states:
        raise ValidationError(_("Number %(number)s is %(state)s now.") % {
            "number": ticket.number, "state": ticket.get_state_display()})
    if ticket.clerk_id != by.pk and not by.has_perm("counter.change_window"):
        raise PermissionDenied
    return ticket


def ticket_no_show(*, ticket: QueueTicket, by, at: datetime | None = None) -> QueueTicket:
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked_at_window(ticket, by, states=(QueueTicket.State.CALLED,))
        ticket.miss(at=at)
        ticket._change_reason = "counter.no_show"
        ticket.save()
    return ticket


def _transaction_kind(ticket: QueueTicket, customer: Customer | None) -> str:
    residential = customer is None or customer.category == Customer.Category.RESIDENTIAL
    if ticket.service.kind == Service.Kind.FEE and residential:
        return CounterTransaction.Kind.FEE_RESIDENTIAL
    return CounterTransaction.Kind.OTHER


def ticket_serve(*, ticket: QueueTicket, by, customer: Customer | None = None) -> QueueTicket:
    """The customer has come: the number becomes the transaction, whose S10.2.1 clock runs from the call."""
    with transaction.atomic():
        ticket = _locked_at_window(ticket, by, states=(QueueTicket.State.CALLED,))
        record = counter_start(clerk=by, kind=_transaction_kind(ticket, customer), customer=customer,
                               at=ticket.called_at)
        ticket.serve(at=timezone.now())
        ticket.transaction = record
        ticket._change_reason = "counter.serve"
        ticket.save()
    return ticket


def ticket_finish(*, ticket: QueueTicket, by, note: str = "", at: datetime | None = None) -> QueueTicket:
    """The transaction ends: its clock stops (met or breached); the rating pad asks the customer."""
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked_at_window(ticket, by, states=(QueueTicket.State.SERVING,))
        if ticket.transaction_id:
            counter_finish(record=CounterTransaction.objects.get(pk=ticket.transaction_id), by=by, note=note, at=at)
        ticket.finish(at=at)
        ticket._change_reason = "counter.finish"
        ticket.save()
    return ticket


def ticket_transfer(*, ticket: QueueTicket, by, service: Service, at: datetime | None = None) -> QueueTicket:
    """Send the customer to another service: the number waits again there, keeping its place in time."""
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked_at_window(ticket, by, states=IN_PROGRESS)
        if service.office_id != ticket.office_id or not service.is_active or service.pk == ticket.service_id:
            raise ValidationError(_("Choose another service of this office."))
        if ticket.transaction_id:
            counter_finish(record=CounterTransaction.objects.get(pk=ticket.transaction_id), by=by,
                           note=_("Transferred to %(service)s") % {"service": service.get_kind_display()}, at=at)
        ticket.transfer(service=service)
        ticket._change_reason = "counter.transfer"
        ticket.save()
    return ticket


# --- the SMS reminder ----------------------------------------------------------------------------------------------


def _heads_up(*, ticket: QueueTicket, at: datetime) -> int:
    """Waiting customers of the called number's service who left a phone and now have at most the policy's count
    of numbers ahead get one SMS (outbox, sent on commit; the idempotency key makes it once)."""
    ahead = policy_int("counter_heads_up_ahead")
    near = list(
        QueueTicket.objects.filter(office_id=ticket.office_id, day=ticket.day, service_id=ticket.service_id,
                                   state=QueueTicket.State.WAITING).order_by("sort_at", "pk")[: ahead + 1]
    )
    due = [t for t in near if t.phone and not t.heads_up_sent]
    for position, waiting in enumerate(near):
        if waiting not in due:
            continue
        with translation.override(waiting.language or None):
            body = _("Power supply office: your number %(number)s will be called soon (%(ahead)s ahead). "
                     "Please come to the waiting hall.") % {"number": waiting.number, "ahead": position}
        outbox_enqueue(key=f"counter-heads-up-{waiting.pk}", channel="sms", recipient=waiting.phone, body=body,
                       language=waiting.language)
    if due:
        QueueTicket.objects.filter(pk__in=[t.pk for t in due]).update(heads_up_sent=True)
    return len(due)
