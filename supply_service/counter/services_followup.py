"""The follow-up case (回访) of a "not satisfied" press on the rating pad: opened with the rating, owned by the
office's first customer manager (the others are told too), due by the `counter_rating_followup` commitment (a kernel
SLA clock from the press). The manager records the callback — reached or not, satisfied after all or not, a note —
which stops the clock (met or breached) and is a kernel `Callback` (the S13.5 callback rate counts it); then closes
the case. The clerk who was rated never sees nor handles it."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import has_transition_perm

from supply_service.core.access import require_same_office
from supply_service.core.models import Callback, Channel
from supply_service.core.services.notifications import notify_staff
from supply_service.core.services.sla import sla_start, sla_stop
from supply_service.core.services.workitems import callback_record, workitem_prepare, workitem_url
from supply_service.counter.models import QueueTicket, Rating, RatingFollowUp, Window

COMMITMENT = "counter_rating_followup"


def followup_open(*, rating: Rating, ticket: QueueTicket, window: Window) -> RatingFollowUp | None:
    """Open the case of a "not satisfied" rating (inside the rating's transaction) and alert the office's customer
    managers through the outbox. None when the office has no customer manager (the alert has nobody to go to)."""
    managers = list(window.office.customer_managers.filter(is_active=True).order_by("pk"))
    if not managers:
        return None
    owner = managers[0]
    customer = ticket.transaction.customer if ticket.transaction_id and ticket.transaction.customer_id else None
    case = RatingFollowUp(office_id=rating.office_id, channel=Channel.COUNTER, rating=rating, owner=owner,
                          concerned_clerk_id=rating.clerk_id, customer_phone=ticket.phone,
                          customer_name=getattr(customer, "name", "")[:120],
                          account_number=getattr(customer, "account_number", ""))
    workitem_prepare(item=case, by=owner, at=rating.rated_at)
    case.owner = owner
    case._change_reason = "counter.open_followup"
    case.save()
    clock = sla_start(subject=case, commitment=COMMITMENT, at=rating.rated_at, owner=owner)
    text = _("Not satisfied at window %(window)s (number %(number)s): %(reason)s. Call back by %(due)s (%(case)s).")
    for manager in managers:
        notify_staff(user=manager, key=f"counter-rating-{rating.pk}", item_number=case.number, url=workitem_url(case),
                     at=rating.rated_at, text=lambda: text % {
                         "window": window.number, "number": ticket.number, "reason": rating.get_reason_display(),
                         "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"), "case": case.number})
    return case


def _require_handler(case: RatingFollowUp, by) -> None:
    require_same_office(by, case)
    if by.pk == case.concerned_clerk_id:
        raise PermissionDenied(_("The clerk who was rated does not handle the follow-up."))


def _outcome(reached: bool, satisfied: bool | None) -> str:
    if not reached:
        return Callback.Outcome.UNREACHABLE
    return Callback.Outcome.SATISFIED if satisfied else Callback.Outcome.UNSATISFIED


def followup_record_callback(*, case: RatingFollowUp, by, reached: bool, satisfied: bool | None, note: str = "",
                             at: datetime | None = None) -> RatingFollowUp:
    """The manager's callback: the clock stops at it (a later attempt replaces the outcome, the clock stays)."""
    note = (note or "").strip()
    if reached and satisfied is None:
        raise ValidationError({"satisfied": _("Say whether the customer is satisfied now.")})
    if not (reached and satisfied) and not note:
        raise ValidationError({"note": _("Write down what happened on the call.")})
    if not has_transition_perm(case.record_callback, by):
        raise PermissionDenied
    _require_handler(case, by)
    at = at or timezone.now()
    satisfied = satisfied if reached else None
    with transaction.atomic():
        case.record_callback(at=at, by=by, reached=reached, satisfied=satisfied, note=note)
        case._change_reason = "counter.record_callback"
        case.save()
        callback_record(item=case, by=by, outcome=_outcome(reached, satisfied), note=note, at=at)
        sla_stop(subject=case, commitment=COMMITMENT, at=at)
    return case


def followup_close(*, case: RatingFollowUp, by, at: datetime | None = None) -> RatingFollowUp:
    """Close the case — only after a recorded callback."""
    if not case.has_callback():
        raise ValidationError(_("Record the callback before closing the case."))
    if not has_transition_perm(case.close, by):
        raise PermissionDenied
    _require_handler(case, by)
    with transaction.atomic():
        case.close(at=at or timezone.now())
        case._change_reason = "counter.close_followup"
        case.save()
    return case
