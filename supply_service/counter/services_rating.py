"""The customer's rating of a window (服务评价器): one per served number, only within the policy's seconds after the
transaction, no login; "not satisfied" opens a follow-up case with its own callback clock and alerts the office's
customer managers (notification + SMS via the outbox): services_followup."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.core.services.policy import policy_int
from supply_service.counter.models import QueueTicket, Rating, Window
from supply_service.counter.services_followup import followup_open


def ratable_ticket(*, window: Window, now: datetime | None = None) -> QueueTicket | None:
    """The number last finished at `window` if it is still within the rating window and not rated yet."""
    now = now or timezone.now()
    since = now - timedelta(seconds=policy_int("counter_rating_seconds"))
    return (QueueTicket.objects.filter(window=window, state=QueueTicket.State.DONE, finished_at__gte=since,
                                       finished_at__lte=now, rating__isnull=True)
            .select_related("service").order_by("-finished_at").first())


def rating_record(*, window: Window, ticket_id: int, score: str, reason: str = "",
                  at: datetime | None = None) -> Rating:
    at = at or timezone.now()
    if score not in Rating.Score.values or (reason and reason not in Rating.Reason.values):
        raise ValidationError(_("Choose one of the answers."))
    if score == Rating.Score.NOT_SATISFIED and not reason:
        raise ValidationError(_("Pick a reason."))
    with transaction.atomic():
        ticket = ratable_ticket(window=window, now=at)
        if ticket is None or ticket.pk != ticket_id:
            raise ValidationError(_("This transaction can no longer be rated."))
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    ticket=ticket, office_id=window.office_id, window=window, clerk_id=ticket.clerk_id,
                    service_id=ticket.service_id, score=score,
                    reason=reason if score == Rating.Score.NOT_SATISFIED else "", rated_at=at)
        except IntegrityError:
            raise ValidationError(_("This transaction was rated already.")) from None
        if score == Rating.Score.NOT_SATISFIED:
            followup_open(rating=rating, ticket=ticket, window=window)
    return rating
