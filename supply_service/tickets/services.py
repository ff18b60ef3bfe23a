"""Ticket use-cases: create, move through the machine (with the SLA clocks of each step), call back, chase."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from supply_service.core import hooks
from supply_service.core.access import require_office, require_same_office
from supply_service.core.models import Callback, SlaClock
from supply_service.core.selectors import sla_clocks_for_subject
from supply_service.core.services.notifications import notify_staff
from supply_service.core.services.policy import policy_int
from supply_service.core.services.sla import sla_close_for_cancelled, sla_pause, sla_resume, sla_start, sla_stop
from supply_service.core.services.workitems import (
    callback_attempts,
    callback_record,
    workitem_chase,
    workitem_hand_over,
    workitem_number_next,
    workitem_prepare,
    workitem_record_no_callback,
)
from supply_service.outages.selectors import active_notice_for
from supply_service.tickets.models import (
    BillQuery,
    BusinessExpansion,
    CallRecord,
    Consultation,
    CounterTransaction,
    MeterFaultTicket,
    RepairTicket,
    Ticket,
)
from supply_service.tickets.models.expansion import is_high_voltage, is_low_voltage_non_residential, is_residential


def _always(ticket) -> bool:
    return True


def _not_residential(ticket) -> bool:
    return not is_residential(ticket)


def _not_outage_linked(ticket) -> bool:
    """A repair call that belongs to a known outage does not start its own arrival clock (README, kernel rules)."""
    return not ticket.outage_ref


def _lv_non_residential(ticket) -> bool:
    return is_low_voltage_non_residential(ticket)


# What each step does to the service-commitment clocks: (start|stop, commitment code, condition).
CLOCKS: dict[type, dict[str, list[tuple[str, str, object]]]] = {
    RepairTicket: {
        "create": [("start", "repair_arrival", _not_outage_linked)],
        "arrive": [("stop", "repair_arrival", _always)],
        "remove_cause": [("start", "supply_restoration", _always)],
        "repair": [("stop", "supply_restoration", _always)],
        "reopen": [("start", "repair_arrival", _always)],
    },
    MeterFaultTicket: {
        "create": [("start", "meter_fault", _always)],
        "handle": [("stop", "meter_fault", _always)],
        "reopen": [("start", "meter_fault", _always)],
    },
    BillQuery: {
        "create": [("start", "bill_query_reply", _always)],
        "reply": [("stop", "bill_query_reply", _always)],
        "reopen": [("start", "bill_query_reply", _always)],
    },
    # Families (connection_total, connection_plan_reply …) resolve to the variant of the applicant's class.
    BusinessExpansion: {
        "accept": [("start", "connection_total", _always),
                   ("start", "connection_plan_reply", _not_residential)],
        "reply_plan": [("stop", "connection_plan_reply", _always),
                       ("start", "connection_design_review", is_high_voltage),
                       ("start", "connection_completion_inspection", _lv_non_residential)],
        "review_design": [("stop", "connection_design_review", _always),
                          ("start", "connection_mid_inspection", _always)],
        "inspect_mid": [("stop", "connection_mid_inspection", _always),
                        ("start", "connection_completion_inspection", _always)],
        "inspect": [("stop", "connection_completion_inspection", _always)],
        "sign_contract": [("start", "nonresident_connection", _not_residential)],
        "energize": [("stop", "connection_total", _always),
                     ("stop", "nonresident_connection", _not_residential)],
        "reopen": [("start", "connection_total", is_residential),
                   ("start", "nonresident_connection", _not_residential)],
    },
    Consultation: {},
}


def _apply_clocks(ticket: Ticket, step: str, at: datetime) -> None:
    for action, commitment, condition in CLOCKS[type(ticket)].get(step, []):
        if not condition(ticket):
            continue
        if action == "start":
            sla_start(subject=ticket, commitment=commitment, at=at)
        else:
            sla_stop(subject=ticket, commitment=commitment, at=at)


def _save(ticket: Ticket, reason: str, **kwargs) -> None:
    ticket._change_reason = reason
    ticket.save(**kwargs)


def ticket_create(*, model: type[Ticket], by, channel: str, request: str, office=None, customer=None,
                  at: datetime | None = None, **fields) -> Ticket:
    """Accept a request from any channel as an e-ticket; the receiver is its first responder (S10.3.3)."""
    if not by.has_perm(f"tickets.add_{model._meta.model_name}"):
        raise PermissionDenied
    office = office or by.office
    if office is None:
        raise ValidationError(_("Your account has no office: ask a manager to set it."))
    require_office(by, office)
    if not request.strip():
        raise ValidationError(_("Write down what the customer asks for."))
    at = at or timezone.now()
    ticket = model(office=office, channel=channel, request=request.strip(), customer=customer, **fields)
    if customer is not None:
        ticket.customer_name = ticket.customer_name or customer.name
        ticket.customer_phone = ticket.customer_phone or customer.phone
        ticket.account_number = customer.account_number
    with transaction.atomic():
        workitem_prepare(item=ticket, by=by, at=at)
        ticket.full_clean(exclude=["state", "number", "first_responder", "owner", "office", "customer"])
        _save(ticket, "tickets.create")
        _apply_clocks(ticket, "create", at)
    return ticket


def ticket_create_from_intake(*, model: type[Ticket], by, answer: str = "", **fields) -> Ticket:
    """A ticket taken in on the intake form, in one transaction: a repair call of a customer whom a known outage
    covers is linked to it (one mass incident, many callers: no arrival clock of its own); a consultation with an
    `answer` is answered and closed at once. Permissions, office and input are checked by `ticket_create`."""
    customer = fields.get("customer")
    if model is RepairTicket and customer is not None and not fields.get("outage_ref"):
        known = active_notice_for(customer=customer)
        if known is not None:
            fields["outage_ref"] = known.number
    with transaction.atomic():
        ticket = ticket_create(model=model, by=by, **fields)
        if answer.strip():
            if model is not Consultation:
                raise ValidationError(_("Only a consultation is answered at once."))
            ticket_answer_at_once(ticket=ticket, by=by, text=answer.strip())
    return ticket


TRANSITIONS_WITH_STEP = {
    # transition method -> the clock step it counts as (several methods are one step of the standard)
    "inspect_low_voltage": "inspect",
    "inspect_high_voltage": "inspect",
    "sign_residential_contract": "sign_contract",
}


# Steps with their own service (they need records): ticket_callback, ticket_cancel, repairs_resolve_by_outage.
DEDICATED = {"call_back", "reopen", "cancel", "restore_by_outage"}


def ticket_transition(*, ticket: Ticket, action: str, by, at: datetime | None = None, **data) -> Ticket:
    """Take one transition of the ticket's machine, as `by`, with the clocks it starts and stops."""
    require_same_office(by, ticket)
    if action in DEDICATED or action not in {t.name for t in ticket.get_all_state_transitions()}:
        raise ValidationError(_("That is not a step of this ticket."))
    method = getattr(ticket, action)
    if not can_proceed(method):
        raise TransitionNotAllowed(_("This step is not possible in the ticket's present state."))
    if not has_transition_perm(method, by):
        raise PermissionDenied
    waits = [message for message in hooks.emit("ticket_step_check", ticket=ticket, action=action) if message]
    if waits:  # a higher app holds the step (appointments: the visit is booked but not served yet)
        raise ValidationError(waits)
    at = at or timezone.now()
    with transaction.atomic():
        method(at=at, **data)
        _save(ticket, f"tickets.{action}")
        _apply_clocks(ticket, TRANSITIONS_WITH_STEP.get(action, action), at)
        _notify_arrival(ticket, action, by, at)
    return ticket


def _ticket_url(ticket: Ticket) -> str:
    from django.urls import reverse

    return reverse("tickets:detail", kwargs={"number": ticket.number})


def _notify_arrival(ticket: Ticket, action: str, by, at: datetime) -> None:
    """Work arrived for someone: a dispatched crew is told (home + SMS to the crew's phone)."""
    if action == "dispatch" and getattr(ticket, "crew_id", None) and ticket.crew_id != by.pk:
        notify_staff(
            user=ticket.crew, key=f"dispatch:{ticket.number}:{int(at.timestamp())}", at=at, item_number=ticket.number,
            url=_ticket_url(ticket),
            text=lambda: _("New job %(number)s: %(address)s — %(request)s") % {
                "number": ticket.number, "address": getattr(ticket, "fault_address", ""),
                "request": ticket.request[:80]},
        )


def ticket_cancel(*, ticket: Ticket, by, reason: str, at: datetime | None = None) -> Ticket:
    require_same_office(by, ticket)
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    if not can_proceed(ticket.cancel):
        raise TransitionNotAllowed(_("This ticket is already closed."))
    if not has_transition_perm(ticket.cancel, by):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        ticket.cancel(at=at, reason=reason.strip()[:255])
        _save(ticket, "tickets.cancel")
        sla_close_for_cancelled(subject=ticket, reason=_("Ticket cancelled: %(reason)s") % {"reason": reason}, at=at)
    return ticket


def ticket_close(*, ticket: Ticket, by, at: datetime | None = None) -> Ticket:
    return ticket_transition(ticket=ticket, action="close", by=by, at=at)


def ticket_callback(*, ticket: Ticket, by, outcome: str, note: str = "", at: datetime | None = None) -> Ticket:
    """Record a callback after resolution (S13.5): satisfied → called back; not satisfied → reopened;
    unreachable → after the policy's number of attempts the loop closes with that reason.

    The ticket row is locked for the whole step and its state re-checked inside the lock, so concurrent callbacks
    queue: none is recorded after the loop closed, and the attempts never exceed the policy."""
    require_same_office(by, ticket)
    if not by.has_perm(f"tickets.callback_{ticket._meta.model_name}"):
        raise PermissionDenied
    if ticket.state != "resolved":
        raise ValidationError(_("Call back only after the request was resolved."))
    at = at or timezone.now()
    with transaction.atomic():
        locked = type(ticket).objects.select_for_update().get(pk=ticket.pk)
        if locked.state != "resolved":
            raise ValidationError(_("Call back only after the request was resolved."))
        _callback_in_lock(ticket=locked, by=by, outcome=outcome, note=note, at=at)
    ticket.refresh_from_db()
    return ticket


def _callback_in_lock(*, ticket: Ticket, by, outcome: str, note: str, at: datetime) -> None:
    callback_record(item=ticket, by=by, outcome=outcome, note=note, at=at)
    if outcome == Callback.Outcome.SATISFIED:
        ticket.call_back(at=at)
        _save(ticket, "tickets.call_back")
    elif outcome == Callback.Outcome.UNSATISFIED:
        ticket.reopen(at=at)
        _save(ticket, "tickets.reopen")
        _apply_clocks(ticket, "reopen", at)
    else:
        attempts = callback_attempts(item=ticket, since=ticket.resolved_at)
        limit = policy_int("callback_max_attempts")
        if attempts >= limit:
            reason = ngettext("Customer unreachable after %(count)s callback attempt",
                              "Customer unreachable after %(count)s callback attempts", attempts) % {"count": attempts}
            workitem_record_no_callback(item=ticket, reason=reason)
            ticket.close(at=at)
            _save(ticket, "tickets.close")


def ticket_close_without_callback(*, ticket: Ticket, by, reason: str, due: bool = True,
                                  at: datetime | None = None) -> Ticket:
    """Close with a recorded reason why there is no callback. `due=False` when none was needed (answered at once,
    declined by the customer, no contact details): it then leaves the callback rate (S13.5); otherwise it counts
    there as missed."""
    require_same_office(by, ticket)
    if not by.has_perm(f"tickets.close_{ticket._meta.model_name}"):
        raise PermissionDenied
    with transaction.atomic():
        workitem_record_no_callback(item=ticket, reason=reason, due=due)
        return ticket_transition(ticket=ticket, action="close", by=by, at=at)


def ticket_answer_at_once(*, ticket: Consultation, by, text: str, at: datetime | None = None) -> Consultation:
    """A consultation answered at the counter or on the phone: answered and closed in one step (no callback due:
    the customer had the answer in the same contact)."""
    with transaction.atomic():
        ticket_transition(ticket=ticket, action="answer_it", by=by, at=at, text=text)
        return ticket_close_without_callback(ticket=ticket, by=by, reason=_("Answered at once"), due=False, at=at)


PAUSABLE = {BusinessExpansion, MeterFaultTicket}  # kinds whose work can wait on the customer


def _pause_permission(ticket: Ticket) -> str:
    return f"tickets.pause_{ticket._meta.model_name}"


def ticket_pause_clocks(*, ticket: Ticket, by, reason: str, at: datetime | None = None) -> int:
    """The work waits on the customer (documents missing, the customer's own construction, no access to the meter):
    every running clock of the ticket pauses with the reason; the customer sees "waiting for you: …" at the kiosk."""
    require_same_office(by, ticket)
    if type(ticket) not in PAUSABLE or not by.has_perm(_pause_permission(ticket)):
        raise PermissionDenied
    if not ticket.is_open or ticket.state == "resolved":
        raise ValidationError(_("Only open work can wait for the customer."))
    running = [c for c in sla_clocks_for_subject(subject=ticket) if c.state == SlaClock.State.RUNNING]
    if not running:
        raise ValidationError(_("No clock of this ticket is running."))
    at = at or timezone.now()
    with transaction.atomic():
        for clock in running:
            sla_pause(subject=ticket, commitment=clock.commitment.code, reason=reason, by=by, at=at)
        _save(ticket, "tickets.pause", update_fields=["updated_at"])
    return len(running)


def ticket_resume_clocks(*, ticket: Ticket, by, at: datetime | None = None) -> int:
    """The customer has done their part: the paused clocks run again, their deadlines moved by the pause."""
    require_same_office(by, ticket)
    if type(ticket) not in PAUSABLE or not by.has_perm(_pause_permission(ticket)):
        raise PermissionDenied
    paused = [c for c in sla_clocks_for_subject(subject=ticket) if c.state == SlaClock.State.PAUSED]
    if not paused:
        raise ValidationError(_("No clock of this ticket is paused."))
    at = at or timezone.now()
    with transaction.atomic():
        for clock in paused:
            sla_resume(subject=ticket, commitment=clock.commitment.code, by=by, at=at)
        _save(ticket, "tickets.resume", update_fields=["updated_at"])
    return len(paused)


def ticket_hand_over(*, ticket: Ticket, to_user, by, reason: str) -> Ticket:
    """Only the owner or a manager hands a ticket over (first-responder rule, S10.3.3)."""
    require_same_office(by, ticket)
    if by.pk != ticket.owner_id and not by.has_perm(f"tickets.chase_{ticket._meta.model_name}"):
        raise PermissionDenied
    if not ticket.is_open:
        raise ValidationError(_("A closed ticket cannot be handed over."))
    workitem_hand_over(item=ticket, to_user=to_user, by=by, reason=reason)
    return ticket


def ticket_chase(*, ticket: Ticket, by, note: str):
    require_same_office(by, ticket)
    if not by.has_perm(f"tickets.chase_{ticket._meta.model_name}"):
        raise PermissionDenied
    if not ticket.is_open:
        raise ValidationError(_("A closed ticket cannot be chased."))
    return workitem_chase(item=ticket, by=by, note=note)


def counter_start(*, clerk, kind: str, customer=None, at: datetime | None = None) -> CounterTransaction:
    """The clerk starts serving a customer at the counter (S10.2.1 clock starts)."""
    if not clerk.has_perm("tickets.serve_countertransaction"):
        raise PermissionDenied
    if clerk.office is None:
        raise ValidationError(_("Your account has no office: ask a manager to set it."))
    if kind not in CounterTransaction.Kind.values:
        raise ValidationError(_("Choose the kind of business."))
    at = at or timezone.now()
    with transaction.atomic():
        if CounterTransaction.objects.select_for_update().filter(clerk=clerk, finished_at__isnull=True).exists():
            raise ValidationError(_("Finish serving the present customer first."))
        record = CounterTransaction.objects.create(
            number=workitem_number_next(prefix=CounterTransaction.NUMBER_PREFIX, at=at),
            office=clerk.office, clerk=clerk, kind=kind, customer=customer, started_at=at,
        )
        sla_start(subject=record, commitment=record.commitment_code, at=at)
    return record


def counter_finish(*, record: CounterTransaction, by, note: str = "", at: datetime | None = None):
    """The customer is served: the clock stops (met or breached). The clerk's own, or with the change permission in
    the same office; the row is locked, so a double click finishes it once."""
    if by.pk != record.clerk_id and not by.has_perm("tickets.change_countertransaction"):
        raise PermissionDenied
    if by.pk != record.clerk_id:
        require_same_office(by, record)
    at = at or timezone.now()
    with transaction.atomic():
        record.finished_at = CounterTransaction.objects.select_for_update().values_list(
            "finished_at", flat=True).get(pk=record.pk)
        if record.finished_at is not None:
            raise ValidationError(_("This customer was already served."))
        record.finished_at = at
        record.note = note[:255]
        record._change_reason = "tickets.counter_finish"
        record.save(update_fields=["finished_at", "note"])
        sla_stop(subject=record, commitment=record.commitment_code, at=at)
    return record


def call_record_create(*, agent, rang_at: datetime, ring_seconds: int, caller_phone: str = "", customer=None,
                       office=None, external_id: str | None = None, note: str = "") -> CallRecord:
    """Record a 95598 call and settle its answering clock (S10.2.6) from the ring time."""
    if not agent.has_perm("tickets.take_callrecord"):
        raise PermissionDenied
    if ring_seconds < 0:
        raise ValidationError(_("The ring time cannot be negative."))
    office = office or agent.office
    if office is None:
        raise ValidationError(_("Your account has no office: ask a manager to set it."))
    require_office(agent, office)
    with transaction.atomic():
        call = CallRecord.objects.create(
            number=workitem_number_next(prefix=CallRecord.NUMBER_PREFIX, at=rang_at), external_id=external_id,
            office=office, agent=agent, caller_phone=caller_phone, rang_at=rang_at, ring_seconds=ring_seconds,
            customer=customer, note=note[:255],
        )
        sla_start(subject=call, commitment="call_answer", at=rang_at)
        sla_stop(subject=call, commitment="call_answer", at=rang_at + timedelta(seconds=ring_seconds))
    return call


def call_create_ticket(*, call: CallRecord, model: type[Ticket], by, request: str, **fields) -> Ticket:
    """One step from a 95598 call to a ticket: the call's customer and phone carry over. The call is locked, so two
    agents cannot both make a ticket of it."""
    with transaction.atomic():
        call = CallRecord.objects.select_for_update(of=("self",)).select_related("customer", "office").get(pk=call.pk)
        if call.ticket_number:
            raise ValidationError(_("This call already has a ticket."))
        ticket = ticket_create(
            model=model, by=by, channel="phone", request=request, office=call.office, customer=call.customer,
            at=call.rang_at, customer_phone=fields.pop("customer_phone", "") or call.caller_phone, **fields,
        )
        call.ticket_number = ticket.number
        call._change_reason = "tickets.call_ticket"
        call.save(update_fields=["ticket_number"])
    return ticket


def repair_link_outage(*, ticket: RepairTicket, notice_number: str, by, at: datetime | None = None) -> RepairTicket:
    """Link a repair call to a known outage after intake: from then on the call waits for the outage's work, not
    for a crew of its own, so its arrival clock stops now — met if the call was recognised within the limit,
    breached (and alerted) if it waited longer. Its restoration is measured by the outage."""
    require_same_office(by, ticket)
    if not by.has_perm("tickets.dispatch_repairticket"):
        raise PermissionDenied
    if not ticket.is_open or ticket.state == "resolved":
        raise ValidationError(_("Only an open repair call can be linked to an outage."))
    if not notice_number.strip():
        raise ValidationError(_("Give the outage notice's number."))
    at = at or timezone.now()
    with transaction.atomic():
        ticket.outage_ref = notice_number.strip()[:40]
        _save(ticket, "tickets.link_outage", update_fields=["outage_ref", "updated_at"])
        sla_stop(subject=ticket, commitment="repair_arrival", at=at)
    return ticket


def repairs_resolve_by_outage(*, notice_number: str, at: datetime | None = None) -> int:
    """Supply came back after an outage: the repair calls linked to it move on to their callback (system step)."""
    at = at or timezone.now()
    moved = 0
    tickets = RepairTicket.objects.filter(outage_ref=notice_number).exclude(
        state__in=["resolved", "called_back", "closed", "cancelled"]
    )
    for ticket in tickets:
        with transaction.atomic():
            ticket.restore_by_outage(at=at, notice_number=notice_number)
            _save(ticket, "tickets.restore_by_outage")
            sla_stop(subject=ticket, commitment="repair_arrival", at=at)
            sla_stop(subject=ticket, commitment="supply_restoration", at=at)
            moved += 1
    return moved
