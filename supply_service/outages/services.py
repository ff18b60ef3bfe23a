"""Outage notice use-cases: draft, approve, publish (7-day and frequency rules), reschedule, cancel, operate,
and the notification fan-out to affected customers through the kernel outbox."""


from datetime import datetime

from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from supply_service.core import hooks
from supply_service.core.access import require_office, require_same_office
from supply_service.core.models import Outbox
from supply_service.core.queue import queue_after_commit
from supply_service.core.services.calendar import deadline_before, local_year
from supply_service.core.services.outbox import outbox_deliver_later, outbox_insert_select
from supply_service.core.services.policy import policy_int
from supply_service.core.services.sla import commitment_resolve, sla_start, sla_stop
from supply_service.core.services.workitems import workitem_number_next
from supply_service.customers.models import Customer
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.outages.selectors import notice_affected_preview, planned_outage_counts

NOTIFY_TASK = "supply_service.outages.tasks.outage_notify_task"
DEFAULT_LANGUAGE = "zh-hans"  # a customer without a preferred language is written to in Chinese
VOLTAGE_POLICY = {
    Customer.Voltage.KV35: "planned_outages_35kv",
    Customer.Voltage.KV110: "planned_outages_35kv",
    Customer.Voltage.KV10: "planned_outages_10kv",
}


class OutageRuleBroken(ValidationError):
    """Publishing would break the 7-day rule or the yearly planned-outage limit; a manager may override."""

    def __init__(self, message: str, *, late: bool = False, over_limit: list | None = None):
        super().__init__(message)
        self.late = late
        self.over_limit = over_limit or []


def _save(notice: OutageNotice, reason: str) -> None:
    notice._change_reason = reason
    notice.save()


def _check(notice: OutageNotice, method, by) -> None:
    require_same_office(by, notice)
    if not can_proceed(method):
        raise TransitionNotAllowed(_("This step is not possible in the notice's present state."))
    if not has_transition_perm(method, by):
        raise PermissionDenied


def outage_create(*, by, kind: str, planned_start: datetime, planned_end: datetime, reason: str, office=None,
                  feeders=(), areas=(), **texts) -> OutageNotice:
    if not by.has_perm("outages.add_outagenotice"):
        raise PermissionDenied
    if planned_end <= planned_start:
        raise ValidationError(_("The outage must end after it starts."))
    office = office or by.office
    require_office(by, office)
    with transaction.atomic():
        notice = OutageNotice(
            number=workitem_number_next(prefix=OutageNotice.NUMBER_PREFIX), office=office, kind=kind,
            planned_start=planned_start, planned_end=planned_end, reason=reason, created_by=by, **texts,
        )
        notice.full_clean(exclude=["state", "number"])
        _save(notice, "outages.create")
        notice.feeders.set(feeders)
        notice.areas.set(areas)
    return notice


EDITABLE_STATES = (OutageNotice.State.DRAFT, OutageNotice.State.APPROVED)


def outage_update(*, notice: OutageNotice, by, kind: str, planned_start: datetime, planned_end: datetime,
                  reason: str, feeders=(), areas=(), **texts) -> OutageNotice:
    """Edit a draft or approved notice (history reason "outages.edit"); refused once it is published. The state is
    checked under a row lock, so a step taken meanwhile (publication) wins and nothing of the edit is kept."""
    if not by.has_perm("outages.change_outagenotice"):
        raise PermissionDenied
    require_same_office(by, notice)
    if planned_end <= planned_start:
        raise ValidationError(_("The outage must end after it starts."))
    editable = {f.name for f in OutageNotice._meta.concrete_fields} - {"id", "state", "number", "office", "created_by"}
    if not set(texts) <= editable:
        raise ValidationError(_("That is not a field of the notice."))
    with transaction.atomic():
        locked = OutageNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.state not in EDITABLE_STATES:
            raise TransitionNotAllowed(_("A published notice is not edited any more: reschedule or cancel it."))
        values = {"kind": kind, "planned_start": planned_start, "planned_end": planned_end, "reason": reason, **texts}
        for name, value in values.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["state", "number"])
        _save(locked, "outages.edit")
        locked.feeders.set(feeders)
        locked.areas.set(areas)
    return locked


ADVANCE = "outage_notice_advance"  # a family: planned notices (S10.2.10) and temporary ones (important customers)


def _advance_commitment(notice: OutageNotice, *, kind: str | None = None):
    """The advance-notice commitment that applies to this notice (by its kind), or None when none does."""
    try:
        return commitment_resolve(code=ADVANCE, subject=notice, facts={"kind": kind} if kind else None)
    except ValidationError:
        return None


def outage_advance_deadline(notice: OutageNotice, *, start: datetime | None = None) -> datetime | None:
    """The latest publication time that still gives the notice's advance (limit and unit from the commitment)."""
    commitment = _advance_commitment(notice)
    if commitment is None:
        return None
    return deadline_before(event=start or notice.planned_start, limit=commitment.limit, unit=commitment.unit)


def _late_message(notice: OutageNotice) -> str:
    commitment = _advance_commitment(notice)
    return _("A planned outage must be announced at least %(limit)s before it starts.") % {
        "limit": commitment.display_limit if commitment else ""}


def _over_limit(notice: OutageNotice, customers: list[Customer]) -> list[tuple[Customer, int, int]]:
    """Customers this planned notice would give more planned outages this year than their voltage allows (S6.5)."""
    limited = [c for c in customers if c.voltage in VOLTAGE_POLICY]
    if not limited:
        return []
    counts = planned_outage_counts(customer_ids=[c.pk for c in limited], year=local_year(notice.planned_start),
                                   exclude_notice=notice)
    limits = {code: policy_int(code) for code in set(VOLTAGE_POLICY.values())}
    result = []
    for customer in limited:
        total = counts.get(customer.pk, 0) + 1
        allowed = limits[VOLTAGE_POLICY[customer.voltage]]
        if total > allowed:
            result.append((customer, total, allowed))
    return result


def outage_approve(*, notice: OutageNotice, by, at: datetime | None = None) -> OutageNotice:
    _check(notice, notice.approve, by)
    with transaction.atomic():
        notice.approve(at=at or timezone.now(), by=by)
        _save(notice, "outages.approve")
    return notice


def outage_publish(*, notice: OutageNotice, by, override_reason: str = "", at: datetime | None = None) -> OutageNotice:
    """Publish: planned notices ≥ 7 days ahead (S10.2.10) and within the yearly limits (S6.5), else only with a
    manager's override and reason (a late one breaks the notice clock). Emergency and temporary notices may be
    published from the draft at once. Affected customers are fixed and notified."""
    at = at or timezone.now()
    method = notice.publish if notice.state == OutageNotice.State.APPROVED else notice.publish_emergency
    if method == notice.publish_emergency and notice.kind not in (OutageNotice.Kind.EMERGENCY,
                                                                    OutageNotice.Kind.TEMPORARY):
        raise TransitionNotAllowed(_("A planned notice or a restriction is approved before it is published."))
    _check(notice, method, by)
    override_reason = override_reason.strip()
    if notice.kind == OutageNotice.Kind.PLANNED:
        deadline = outage_advance_deadline(notice)
        late = deadline is not None and at > deadline
        over = _over_limit(notice, list(notice_affected_preview(notice=notice).filter(voltage__in=VOLTAGE_POLICY)))
        if (late or over) and not override_reason:
            messages = []
            if late:
                messages.append(_late_message(notice))
            if over:
                messages.append(ngettext(
                    "%(count)s customer would have more planned outages this year than allowed.",
                    "%(count)s customers would have more planned outages this year than allowed.", len(over),
                ) % {"count": len(over)})
            raise OutageRuleBroken(" ".join(messages), late=late, over_limit=over)
        if (late or over) and not by.has_perm("outages.override_outagenotice"):
            raise PermissionDenied
    with transaction.atomic():
        method(at=at)
        notice.override_reason = override_reason[:255]
        _save(notice, "outages.publish")
        _snapshot_affected(notice)
        hooks.emit("outage_changed", notice_id=notice.pk)  # stored reliability sums (quality)
        if _advance_commitment(notice) is not None:
            # planned: the public notice ≥ the advance; temporary: important customers told ≥ theirs (both data)
            sla_start(subject=notice, commitment=ADVANCE, at=min(notice.created_at, at), office=notice.office,
                      owner=notice.created_by, before=notice.planned_start)
            sla_stop(subject=notice, commitment=ADVANCE, at=at)
        outage_notify_later(notice=notice, event="publish")
    return notice


def _snapshot_affected(notice: OutageNotice) -> int:
    """Fix who the notice cuts off with one INSERT … SELECT from the customers query: no customer passes through
    Python, whatever their number. A row already there is kept."""
    customers = notice_affected_preview(notice=notice).order_by().values(affected_id=F("pk"))
    try:
        sql, params = customers.query.sql_with_params()
    except EmptyResultSet:  # no feeder and no area: nobody
        return 0
    quote = connection.ops.quote_name
    meta = AffectedCustomer._meta
    columns = f"{quote(meta.get_field('notice').column)}, {quote(meta.get_field('customer').column)}"
    # Names come from the models and the customers query is Django's own; every value is a parameter. (WHERE true:
    # SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT.)
    statement = (f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
                 f"SELECT %s, chosen.affected_id FROM ({sql}) chosen WHERE true "
                 "ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(statement, [notice.pk, *params])
        return cursor.rowcount


def outage_reschedule(*, notice: OutageNotice, by, start: datetime, end: datetime, override_reason: str = "",
                      at: datetime | None = None) -> OutageNotice:
    """Move a published notice (customers are told again). The new start must not be past, and a planned outage
    moved to less than the advance notice (S10.2.10) needs a manager's override with a reason, as at publication."""
    at = at or timezone.now()
    if end <= start:
        raise ValidationError(_("The outage must end after it starts."))
    if start < at:
        raise ValidationError(_("The new start is in the past."))
    _check(notice, notice.reschedule, by)
    override_reason = override_reason.strip()
    if notice.kind == OutageNotice.Kind.PLANNED:
        deadline = outage_advance_deadline(notice, start=start)
        if deadline is not None and at > deadline:
            if not override_reason:
                raise OutageRuleBroken(_late_message(notice), late=True)
            if not by.has_perm("outages.override_outagenotice"):
                raise PermissionDenied
    with transaction.atomic():
        notice.reschedule(at=at, start=start, end=end)
        if override_reason:
            notice.override_reason = override_reason[:255]
        _save(notice, "outages.reschedule")
        outage_notify_later(notice=notice, event="reschedule")
    return notice


def outage_cancel(*, notice: OutageNotice, by, reason: str, at: datetime | None = None) -> OutageNotice:
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    _check(notice, notice.cancel, by)
    was_public = notice.is_public
    with transaction.atomic():
        notice.cancel(at=at or timezone.now(), reason=reason.strip()[:255])
        _save(notice, "outages.cancel")
        hooks.emit("outage_changed", notice_id=notice.pk)
        if was_public:
            outage_notify_later(notice=notice, event="cancel")
    return notice


def outage_operate(*, notice: OutageNotice, action: str, by, at: datetime | None = None) -> OutageNotice:
    """Power off, cause removed (restoration clock starts, S10.2.9), restored (clock stops, customers told,
    the linked repair calls move on to their callback), closed."""
    if action not in ("start", "remove_cause", "restore", "close"):
        raise ValidationError(_("That is not a step of this notice."))
    method = getattr(notice, action)
    _check(notice, method, by)
    at = at or timezone.now()
    with transaction.atomic():
        method(at=at)
        _save(notice, f"outages.{action}")
        if action in ("start", "restore"):
            hooks.emit("outage_changed", notice_id=notice.pk)  # actual times: stored reliability sums (quality)
        if action == "remove_cause":
            sla_start(subject=notice, commitment="supply_restoration", at=at, office=notice.office,
                      owner=notice.created_by)
        elif action == "restore":
            sla_stop(subject=notice, commitment="supply_restoration", at=at)
            outage_notify_later(notice=notice, event="restore")
            hooks.emit("outage_restored", notice_number=notice.number, at=at)  # repair calls move on (tickets)
    return notice




def _message(notice: OutageNotice, event: str, language: str) -> tuple[str, str]:
    with translation.override(language):
        start = timezone.localtime(notice.planned_start).strftime("%Y-%m-%d %H:%M")
        end = timezone.localtime(notice.planned_end).strftime("%Y-%m-%d %H:%M")
        values = {"number": notice.number, "area": notice.area, "start": start, "end": end,
                  "kind": notice.get_kind_display(), "reason": notice.reason}
        subject = {
            "publish": _("Power outage notice %(number)s"),
            "reschedule": _("Outage %(number)s rescheduled"),
            "cancel": _("Outage %(number)s cancelled"),
            "restore": _("Supply restored: %(number)s"),
        }[event] % values
        body = {
            "publish": _("%(kind)s in %(area)s from %(start)s to %(end)s. Reason: %(reason)s. Hotline 95598."),
            "reschedule": _("The outage in %(area)s now runs from %(start)s to %(end)s. Hotline 95598."),
            "cancel": _("The outage in %(area)s planned from %(start)s is cancelled. Hotline 95598."),
            "restore": _("Power is back in %(area)s. If you still have no power, call 95598."),
        }[event] % values
    return subject, body


def outage_notify_later(*, notice: OutageNotice, event: str) -> None:
    """The fan-out runs as a task once the event is committed: the staff member's request does not wait for it."""
    queue_after_commit(NOTIFY_TASK, notice.pk, event)


def outage_notify(*, notice: OutageNotice, event: str) -> int:
    """Queue one message per affected customer and channel for this event, in the customer's language:
    important customers always, others when they opted in. Two INSERT … SELECT statements (SMS, e-mail) whatever
    the number of customers; a repeated call adds nothing (idempotency keys). Delivery is queued on commit in
    slices that every worker can take. Returns the number of the event's messages."""
    targets = Customer.objects.filter(outages_affecting__notice=notice, is_active=True).exclude(
        importance=Customer.Importance.NONE, notify_outages=False)
    present = {language or DEFAULT_LANGUAGE for language in
               targets.order_by().values_list("preferred_language", flat=True).distinct()}
    texts = {language: _message(notice, event, language) for language in sorted(present | {DEFAULT_LANGUAGE})}
    language = Coalesce(NullIf("preferred_language", Value("")), Value(DEFAULT_LANGUAGE))

    def in_language(part: int) -> Case:
        return Case(*[When(preferred_language=code, then=Value(text[part])) for code, text in texts.items()],
                    default=Value(texts[DEFAULT_LANGUAGE][part]), output_field=CharField())

    prefix = f"outage:{notice.pk}:{event}:{notice.revision}"
    for channel, address, subject in (("sms", "phone", None), ("email", "email", in_language(0))):
        outbox_insert_select(
            rows=targets.exclude(**{address: ""}), channel=channel, recipient=F(address), subject=subject,
            body=in_language(1), language=language,
            key=Concat(Value(f"{prefix}:"), Cast("pk", CharField()), Value(f":{channel}"), output_field=CharField()),
        )
    keys = list(Outbox.objects.filter(idempotency_key__startswith=f"{prefix}:").values_list("idempotency_key", "state"))
    outbox_deliver_later(keys=[key for key, state in keys if state == Outbox.State.PENDING])
    return len(keys)


def outage_retry_failed(*, notice: OutageNotice, by) -> int:
    """Put this notice's failed messages back in the queue."""
    from supply_service.core.services.outbox import outbox_retry

    require_same_office(by, notice)
    failed = Outbox.objects.filter(idempotency_key__startswith=f"outage:{notice.pk}:", state=Outbox.State.FAILED)
    count = 0
    for message in failed:
        outbox_retry(message=message, by=by)
        count += 1
    return count
