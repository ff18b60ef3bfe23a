"""SLA clocks: the only functions that start, pause, resume, stop, waive and breach them."""

import logging
import time
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supply_service.core.access import require_same_office
from supply_service.core.bulk import wide_batches
from supply_service.core.models import Commitment, Outbox, SlaClock, SlaPause
from supply_service.core.roles import MANAGER
from supply_service.core.services.calendar import deadline_before, due_at, due_at_many, extend_for_pause
from supply_service.core.services.outbox import outbox_bulk_enqueue, outbox_deliver_later

logger = logging.getLogger(__name__)


def commitment_get(*, code: str) -> Commitment:
    try:
        return Commitment.objects.get(code=code, is_active=True)
    except Commitment.DoesNotExist as exc:
        raise ValidationError(_("Unknown or inactive service commitment: %(code)s") % {"code": code}) from exc


def commitment_facts(subject: models.Model | None) -> dict[str, str]:
    """What the item says about itself for choosing a commitment's variant (its `commitment_facts()`)."""
    facts = getattr(subject, "commitment_facts", None)
    return {key: str(value) for key, value in (facts() if callable(facts) else {}).items()}


def commitment_resolve(*, code: str, subject: models.Model | None = None, facts: dict | None = None) -> Commitment:
    """THE one way to know which limit applies to an item: `code` is a commitment's code or a family's name.

    A code names one commitment. A family (repair arrival, connection, outage notice …) holds variants whose
    `applies_when` conditions are matched against the item's facts (area class, applicant class, kind …); the
    variant with the most matching conditions wins, one without conditions is the family's default. One query.
    """
    rows = list(Commitment.objects.filter(models.Q(code=code) | models.Q(family=code), is_active=True))
    family = [row for row in rows if row.family == code]
    if not family:
        exact = [row for row in rows if row.code == code]
        if exact:
            return exact[0]
        raise ValidationError(_("Unknown or inactive service commitment: %(code)s") % {"code": code})
    known = {**commitment_facts(subject), **{k: str(v) for k, v in (facts or {}).items()}}
    matching = [row for row in family if all(known.get(k) == v for k, v in row.conditions.items())]
    if not matching:
        raise ValidationError(_("No service commitment of “%(code)s” applies to this item.") % {"code": code})
    return max(matching, key=lambda row: (len(row.conditions), -row.pk))


def _open_clock(*, subject: models.Model, commitment: str, lock: bool = True) -> SlaClock | None:
    """The open clock of a commitment — by its code or its family — on the subject."""
    qs = SlaClock.objects.select_related("commitment").filter(
        models.Q(commitment__code=commitment) | models.Q(commitment__family=commitment),
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        stopped_at__isnull=True,
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.first()


def _save(clock: SlaClock, reason: str) -> None:
    """Save with the history reason, and keep the item's open-work row (due time, breached, paused) in step."""
    from supply_service.core.services.openwork import openwork_refresh_clocks

    clock._change_reason = reason
    clock.save()
    openwork_refresh_clocks(content_type_id=clock.content_type_id, object_ids=[clock.object_id])


def sla_start(
    *,
    subject: models.Model,
    commitment: str,
    at: datetime | None = None,
    owner=None,
    office=None,
    before: datetime | None = None,
) -> SlaClock:
    """Start the clock of `commitment` on `subject`; its due time comes from the commitment and the calendar.

    `commitment` is a code or a family: the variant that applies to the subject is resolved here
    (`commitment_resolve`). `deadline` is for "at least N ahead" commitments (a planned outage announced days before
    it starts): give the event's time as `before` and the due time is counted back from it with the commitment's unit.
    """
    at = at or timezone.now()
    found = commitment_resolve(code=commitment, subject=subject)
    if not found.is_time_limit:
        raise ValidationError(_("%(code)s is not a time limit.") % {"code": commitment})
    with transaction.atomic():
        if _open_clock(subject=subject, commitment=commitment) is not None:
            raise ValidationError(_("This item already has a running clock for %(code)s.") % {"code": commitment})
        clock = SlaClock(
            commitment=found,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            subject_label=str(getattr(subject, "number", subject))[:60],
            office=office if office is not None else getattr(subject, "office", None),
            owner=owner if owner is not None else getattr(subject, "owner", None),
            started_at=at,
            due_at=(deadline_before(event=before, limit=found.limit, unit=found.unit) if before is not None
                    else due_at(start=at, limit=found.limit, unit=found.unit)),
        )
        _save(clock, "core.sla_start")
    return clock


def sla_record_many(*, commitment: str, items: list[tuple], batch_size: int = 1000) -> int:
    """Start (and, where a stop time is given, stop) the clocks of many new items at once — for imports.

    `items` are (subject, started_at, stopped_at or None, office). Due times come from the commitment and one
    calendar look-up; clocks are written with `bulk_create_with_history`. Items that already have an open clock
    for the commitment are skipped. Returns the number of clocks written.
    """
    from simple_history.utils import bulk_create_with_history

    if not items:
        return 0
    found = commitment_resolve(code=commitment, subject=items[0][0])
    if not found.is_time_limit:
        raise ValidationError(_("%(code)s is not a time limit.") % {"code": commitment})
    content_type = ContentType.objects.get_for_model(items[0][0])
    pks = [subject.pk for subject, *_rest in items]
    open_ids = set()
    for chunk in range(0, len(pks), 900):
        open_ids |= set(
            SlaClock.objects.filter(commitment=found, content_type=content_type, object_id__in=pks[chunk:chunk + 900],
                                    stopped_at__isnull=True).values_list("object_id", flat=True)
        )
    todo = [item for item in items if item[0].pk not in open_ids]
    dues = due_at_many(starts=[start for _subject, start, _stop, _office in todo], limit=found.limit, unit=found.unit)
    clocks = []
    for (subject, start, stop, office), due in zip(todo, dues, strict=True):
        values = {"commitment": found, "content_type": content_type, "object_id": subject.pk,
                  "subject_label": str(getattr(subject, "number", subject))[:60], "office": office,
                  "owner": getattr(subject, "owner", None), "started_at": start, "due_at": due}
        if stop is None:
            clocks.append(SlaClock(**values))
        else:
            late = stop > due
            clocks.append(SlaClock(**values, state=SlaClock.State.BREACHED if late else SlaClock.State.MET,
                                   stopped_at=stop, settled_at=stop, breached_at=stop if late else None))
    bulk_create_with_history(clocks, SlaClock, batch_size=batch_size, default_change_reason="core.sla_record_many")
    from supply_service.core.services.openwork import openwork_refresh_clocks

    openwork_refresh_clocks(content_type_id=content_type.pk, object_ids=[c.object_id for c in clocks])
    return len(clocks)


def sla_stop(*, subject: models.Model, commitment: str, at: datetime | None = None) -> SlaClock | None:
    """Stop the open clock (met when on time, breached when late). Returns None when no clock is open.

    A clock found late at the moment of the step (a call answered after its limit, a notice published late) is
    alerted like the sweep alerts (owner and the office's managers); one the sweep already breached is not again.
    """
    at = at or timezone.now()
    with transaction.atomic():
        clock = _open_clock(subject=subject, commitment=commitment)
        if clock is None:
            return None
        if clock.state == SlaClock.State.PAUSED:
            _resume(clock, at=at)
        already_breached = clock.state == SlaClock.State.BREACHED
        clock.stop(at=at)
        _save(clock, "core.sla_stop")
        if clock.state == SlaClock.State.BREACHED and not already_breached:
            _alert_breach(clock)
    return clock


def sla_pause(*, subject: models.Model, commitment: str, reason: str, by=None, at: datetime | None = None) -> SlaClock:
    """Pause a running clock with a recorded reason (e.g. waiting for the customer's documents)."""
    at = at or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Give the reason the clock is paused."))
    with transaction.atomic():
        clock = _open_clock(subject=subject, commitment=commitment)
        if clock is None or clock.state != SlaClock.State.RUNNING:
            raise ValidationError(_("Only a running clock can be paused."))
        clock.pause(at=at)
        _save(clock, "core.sla_pause")
        SlaPause.objects.create(clock=clock, started_at=at, reason=reason.strip(), paused_by=by)
    return clock


def _resume(clock: SlaClock, *, at: datetime, by=None) -> None:
    pause = clock.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    paused_from = clock.paused_at
    base_due = due_at(start=clock.started_at, limit=clock.commitment.limit, unit=clock.commitment.unit)
    previous = list(clock.pauses.filter(ended_at__isnull=False).values_list("started_at", "ended_at"))
    for started, ended in previous + [(paused_from, at)]:
        base_due = extend_for_pause(due=base_due, paused_from=started, resumed_at=ended, unit=clock.commitment.unit)
    clock.resume(due_at=base_due, paused_seconds=max(0, int((at - paused_from).total_seconds())))
    if pause is not None:
        pause.ended_at = at
        pause.resumed_by = by
        pause.save(update_fields=["ended_at", "resumed_by"])


def sla_resume(*, subject: models.Model, commitment: str, by=None, at: datetime | None = None) -> SlaClock:
    at = at or timezone.now()
    with transaction.atomic():
        clock = _open_clock(subject=subject, commitment=commitment)
        if clock is None or clock.state != SlaClock.State.PAUSED:
            raise ValidationError(_("Only a paused clock can be resumed."))
        _resume(clock, at=at, by=by)
        _save(clock, "core.sla_resume")
    return clock


def sla_waive(*, clock: SlaClock, reason: str, by, at: datetime | None = None) -> SlaClock:
    """Take a clock out of the fulfilment rate with a recorded reason (manager's decision, own office only)."""
    if not by.has_perm("core.waive_slaclock"):
        raise PermissionDenied
    require_same_office(by, clock)
    if not reason.strip():
        raise ValidationError(_("Give the reason the clock is waived."))
    at = at or timezone.now()
    with transaction.atomic():
        clock = SlaClock.objects.select_for_update().get(pk=clock.pk)
        clock.waive(at=at, reason=reason.strip())
        clock.pauses.filter(ended_at__isnull=True).update(ended_at=at, resumed_by=by)
        _save(clock, "core.sla_waive")
    return clock


def sla_close_for_cancelled(*, subject: models.Model, reason: str, at: datetime | None = None) -> int:
    """The item was cancelled: its open clocks are waived with the reason (system action, no permission)."""
    at = at or timezone.now()
    clocks = list(
        SlaClock.objects.select_for_update(of=("self",)).filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, stopped_at__isnull=True
        )
    )
    for clock in clocks:
        clock.waive(at=at, reason=reason)
        clock.pauses.filter(ended_at__isnull=True).update(ended_at=at)
        _save(clock, "core.sla_waive_cancelled")
    return len(clocks)


def sla_reassign(*, subject: models.Model, owner) -> int:
    """Move the open clocks of `subject` to a new owner (after a hand-over)."""
    clocks = list(
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, stopped_at__isnull=True
        )
    )
    for clock in clocks:
        clock.owner = owner
        _save(clock, "core.sla_reassign")
    return len(clocks)


def _alert_text(clock: SlaClock) -> tuple[str, str]:
    subject = _("Service commitment breached: %(item)s") % {"item": clock.subject_label}
    body = _(
        "%(item)s: the commitment “%(commitment)s” (%(limit)s, %(article)s) was due at %(due)s and is overdue."
    ) % {
        "item": clock.subject_label,
        "commitment": clock.commitment.display_title,
        "limit": clock.commitment.display_limit,
        "article": clock.commitment.article,
        "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"),
    }
    return subject[:200], body


def _alert_messages(clocks: list[SlaClock]) -> list[Outbox]:
    """The alerts of breached clocks (owner and the office's managers, by e-mail and SMS): one query for the
    managers of every office involved; the clocks come with `commitment` and `owner` loaded."""
    offices = {clock.office_id for clock in clocks if clock.office_id}
    managers: dict[int, list] = defaultdict(list)
    if offices:
        users = get_user_model().objects.filter(is_active=True, groups__name=MANAGER, office_id__in=offices)
        for user in users.distinct().order_by("pk"):
            managers[user.office_id].append(user)
    messages = []
    with translation.override(translation.get_language() or "zh-hans"):
        for clock in clocks:
            recipients = {user.pk: user for user in managers.get(clock.office_id, [])}
            if clock.owner_id and clock.owner.is_active:
                recipients[clock.owner_id] = clock.owner
            subject, body = _alert_text(clock)
            for user in recipients.values():
                key = f"sla-breach:{clock.pk}:{user.pk}"
                if user.email:
                    messages.append(Outbox(idempotency_key=f"{key}:email", channel="email", recipient=user.email,
                                           subject=subject, body=body))
                if user.phone:
                    messages.append(Outbox(idempotency_key=f"{key}:sms", channel="sms", recipient=user.phone,
                                           body=body))
    return messages


def _alert_many(clocks: list[SlaClock]) -> int:
    """Write the alerts of these breached clocks (a key once only) and queue one delivery task for them all."""
    messages = _alert_messages(clocks)
    if not messages:
        return 0
    with wide_batches():
        outbox_bulk_enqueue(messages, batch_size=10_000)
    outbox_deliver_later(keys=[message.idempotency_key for message in messages])
    return len(messages)


def _alert_breach(clock: SlaClock) -> int:
    return _alert_many([clock])


def _breach_batch(*, now: datetime, size: int) -> tuple[int, int]:
    """Breach up to `size` overdue running clocks in one transaction: (candidates seen, clocks breached).

    The candidates are locked (rows another sweep holds are skipped), then one UPDATE re-checks `running` and the
    due time in SQL, so a clock stopped meanwhile keeps its stop. History, alerts and open-work rows in bulk."""
    with transaction.atomic():
        candidates = list(
            SlaClock.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("commitment", "owner")
            .filter(state=SlaClock.State.RUNNING, due_at__lt=now)
            .order_by("due_at", "pk")[:size]
        )
        if not candidates:
            return 0, 0
        ids = [clock.pk for clock in candidates]
        updated = SlaClock.objects.filter(pk__in=ids, state=SlaClock.State.RUNNING, due_at__lt=now).update(
            state=SlaClock.State.BREACHED, breached_at=now, settled_at=now
        )
        if updated != len(candidates):  # not expected while the rows are locked; stay exact anyway
            won = set(SlaClock.objects.filter(pk__in=ids, state=SlaClock.State.BREACHED, breached_at=now)
                      .values_list("pk", flat=True))
            candidates = [clock for clock in candidates if clock.pk in won]
        for clock in candidates:
            clock.breach(at=now)  # the same change in memory, for the history rows and the alerts
        with wide_batches():
            SlaClock.history.bulk_history_create(candidates, update=True, default_change_reason="core.sla_breach",
                                                 batch_size=10_000)
        _alert_many(candidates)
        _refresh_open_work(candidates)
    return len(ids), len(candidates)


def _refresh_open_work(clocks: list[SlaClock]) -> None:
    from supply_service.core.services.openwork import openwork_refresh_clocks

    by_type: dict[int, set[int]] = defaultdict(set)
    for clock in clocks:
        by_type[clock.content_type_id].add(clock.object_id)
    for content_type_id, object_ids in by_type.items():
        openwork_refresh_clocks(content_type_id=content_type_id, object_ids=sorted(object_ids))


def sla_sweep(*, now: datetime | None = None, batch: int = 1000, budget_seconds: float | None = None) -> int:
    """Mark overdue running clocks breached and alert their owner and the office's managers. Idempotent.

    Works in batches of `batch` clocks (a constant number of queries each) until none is left, or until
    `budget_seconds` (default SLA_SWEEP_BUDGET_SECONDS) have passed — the next run goes on from there."""
    now = now or timezone.now()
    budget = budget_seconds if budget_seconds is not None else settings.SLA_SWEEP_BUDGET_SECONDS
    started = time.monotonic()
    breached = 0
    while True:
        seen, done = _breach_batch(now=now, size=batch)
        breached += done
        if seen < batch or time.monotonic() - started > budget:
            break
    if breached:
        logger.info("SLA sweep: %s clock(s) breached", breached)
    return breached
