"""Closed-loop work items: numbers, hand-overs and callbacks (the kernel part of every workflow)."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.models import Callback, Chase, DailySequence, HandOver
from supply_service.core.services.notifications import notify_staff
from supply_service.core.services.openwork import openwork_chases_refresh
from supply_service.core.services.sla import sla_reassign


def workitem_number_next(*, prefix: str, at: datetime | None = None) -> str:
    """The next number of the day, e.g. GD-20261127-0042; safe against concurrent callers."""
    day = timezone.localtime(at or timezone.now()).date()
    with transaction.atomic():
        try:
            with transaction.atomic():
                DailySequence.objects.get_or_create(prefix=prefix, day=day)
        except IntegrityError:
            pass  # created by a concurrent caller in the meantime
        DailySequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
        last = DailySequence.objects.filter(prefix=prefix, day=day).values_list("last", flat=True).get()
    return f"{prefix}-{day:%Y%m%d}-{last:04d}"


def workitem_prepare(*, item, by, at: datetime | None = None) -> None:
    """Fill the kernel fields of a new item: number, first responder and owner (S10.3.3)."""
    at = at or timezone.now()
    item.created_at = at
    item.number = workitem_number_next(prefix=item.NUMBER_PREFIX, at=at)
    item.first_responder = by
    if getattr(item, "owner_id", None) is None:
        item.owner = by


def _link(item: models.Model) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(item),
        "object_id": item.pk,
        "item_number": item.number,
    }


def workitem_hand_over(*, item, to_user, by, reason: str, at: datetime | None = None) -> HandOver:
    """Hand the item to another owner with a recorded reason; its open clocks follow."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the hand-over."))
    if to_user.pk == item.owner_id:
        raise ValidationError(_("The item already belongs to this person."))
    if not to_user.is_active:
        raise ValidationError(_("The item cannot be handed to an inactive account."))
    at = at or timezone.now()
    with transaction.atomic():
        hand_over = HandOver.objects.create(
            **_link(item), at=at, from_user_id=item.owner_id, to_user=to_user, reason=reason.strip()
        )
        item.owner = to_user
        item._change_reason = "core.hand_over"
        item.save(update_fields=["owner", "updated_at"])
        sla_reassign(subject=item, owner=to_user)
        notify_staff(
            user=to_user, key=f"hand-over:{hand_over.pk}", at=at, item_number=item.number, url=workitem_url(item),
            text=lambda: _("%(number)s was handed to you by %(person)s: %(reason)s") % {
                "number": item.number, "person": by, "reason": hand_over.reason},
        )
    return hand_over


def workitem_url(item) -> str:
    """The staff page of any registered work item (from the kernel's registry), or "" when it has none."""
    from django.urls import NoReverseMatch, reverse

    from supply_service.core.registry import kind_for_model

    kind = kind_for_model(type(item))
    if kind is None:
        return ""
    try:
        return reverse(kind.url_name, kwargs={"number": item.number})
    except NoReverseMatch:
        return ""


def callback_record(*, item, by, outcome: str, note: str = "", at: datetime | None = None) -> Callback:
    """Record one callback attempt; the workflow closes or reopens the item from its outcome."""
    if outcome not in Callback.Outcome.values:
        raise ValidationError(_("Choose the outcome of the callback."))
    if outcome == Callback.Outcome.UNSATISFIED and not note.strip():
        raise ValidationError(_("Write down why the customer is not satisfied."))
    return Callback.objects.create(**_link(item), at=at or timezone.now(), by=by, outcome=outcome, note=note.strip())


def callback_attempts(*, item, since: datetime | None = None) -> int:
    qs = Callback.objects.for_item(item)
    if since is not None:
        qs = qs.filter(at__gte=since)
    return qs.count()


def workitem_record_no_callback(*, item, reason: str, due: bool = True) -> None:
    """Record why there is no callback; the loop may then close (S13.5). `due=False` when none was needed (settled
    in the first contact, declined, no way to reach the customer): the item leaves the callback rate's denominator;
    otherwise (unreachable, impossible) it stays there as a missed callback."""
    if not reason.strip():
        raise ValidationError(_("Give the reason there was no callback."))
    item.no_callback_reason = reason.strip()[:255]
    item.callback_due = due
    item._change_reason = "core.no_callback"
    item.save(update_fields=["no_callback_reason", "callback_due", "updated_at"])


def workitem_chase(*, item, by, note: str, at: datetime | None = None) -> Chase:
    """A manager chases (督办) an item: recorded, and the owner is told through the outbox (S13.4)."""
    from supply_service.core.services.outbox import outbox_enqueue

    if not note.strip():
        raise ValidationError(_("Write what you ask of the owner."))
    at = at or timezone.now()
    with transaction.atomic():
        chase = Chase.objects.create(**_link(item), at=at, by=by, note=note.strip()[:255])
        openwork_chases_refresh(item)  # the manager's "chases outstanding" counts it
        owner = item.owner
        body = _("%(number)s is chased by %(manager)s: %(note)s") % {
            "number": item.number, "manager": by, "note": chase.note,
        }
        if owner.email:
            outbox_enqueue(key=f"chase:{chase.pk}:email", channel="email", recipient=owner.email,
                           subject=_("Chased: %(number)s") % {"number": item.number}, body=body)
        if owner.phone:
            outbox_enqueue(key=f"chase:{chase.pk}:sms", channel="sms", recipient=owner.phone, body=body)
        notify_staff(user=owner, key=f"chase:{chase.pk}", text=body, at=at, item_number=item.number,
                     url=workitem_url(item), sms=False)
    return chase
