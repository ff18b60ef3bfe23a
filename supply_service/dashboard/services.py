"""Publication of a month's fulfilment figures (S13.6): frozen in a `PublishedMonth` row that never changes; a
correction is a new revision with its reason, shown beside the earlier one."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.services.calendar import add_working_days
from supply_service.core.services.policy import policy_int
from supply_service.dashboard import seed
from supply_service.dashboard.models import PublishedMonth
from supply_service.dashboard.periods import Month, month_of, months_ending
from supply_service.dashboard.selectors import callback_trend, fulfilment_by_commitment, min_sample
from supply_service.dashboard.selectors import commitment_target as _target

PERMISSION = "dashboard.publish_publishedmonth"


def month_figures(*, month: Month) -> dict:
    """The figures that are frozen: per commitment met/breached, callbacks reached/needed, targets (city-wide)."""
    rows = fulfilment_by_commitment(month=month)
    callback = callback_trend(months=months_ending(month, 1))[-1].rate
    fulfilment_target, callback_target = _target(code="commitment_fulfilment"), _target(code="callback_rate")
    return {
        "commitments": [{"code": r.commitment.code, "title": r.commitment.title, "article": r.commitment.article,
                         "limit": f"{r.commitment.limit.normalize():f}", "unit": r.commitment.unit,
                         "met": r.rate.met, "breached": r.rate.missed} for r in rows],
        "callback": {"reached": callback.met, "needed": callback.total},
        "fulfilment_target": None if fulfilment_target is None else f"{fulfilment_target.normalize():f}",
        "callback_target": None if callback_target is None else f"{callback_target.normalize():f}",
        "minimum_sample": min_sample(),
    }


def month_publish(*, month: Month, by=None, reason: str = "", at=None) -> PublishedMonth:
    """Publish `month` (a finished month). `by` None: the schedule. A month published before gets a new revision,
    which needs a reason; the earlier revision stays as it was."""
    if by is not None and not by.has_perm(PERMISSION):
        raise PermissionDenied
    at = at or timezone.now()
    if month.end > at:
        raise ValidationError(_("Only a finished month can be published."))
    reason = (reason or "").strip()
    with transaction.atomic():
        latest = (PublishedMonth.objects.select_for_update().filter(month=month.first_day)
                  .order_by("-revision").first())
        if latest is not None and not reason:
            raise ValidationError(_("This month is already published: give the reason for a revision."))
        try:
            with transaction.atomic():
                return PublishedMonth.objects.create(
                    month=month.first_day, revision=(latest.revision + 1) if latest else 1, published_at=at,
                    published_by=by, reason=reason, figures=month_figures(month=month))
        except IntegrityError as exc:  # another publication of the same month won the race
            raise ValidationError(_("This month was published at the same moment; reload the page.")) from exc


def publication_day(*, month: Month) -> date:
    """The working day of `month` on which the previous month is published automatically (policy)."""
    return add_working_days(month.first_day - timedelta(days=1), policy_int(seed.PUBLISH_WORKING_DAY))


def publish_due(*, now=None) -> PublishedMonth | None:
    """Publish last month when its publication day has come and nobody has published it yet (idempotent)."""
    now = now or timezone.now()
    this_month = month_of(now)
    last = this_month.shifted(-1)
    if timezone.localdate(now) < publication_day(month=this_month):
        return None
    if PublishedMonth.objects.filter(month=last.first_day).exists():
        return None
    try:
        return month_publish(month=last, at=now)
    except ValidationError:
        return None  # published meanwhile
