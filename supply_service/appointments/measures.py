"""Measures of the appointments app for the kernel's registry:

- appointment arrival within the agreed window (S10.2.7): `appointment_arrival` clocks of visits settled in the
  period, met / (met + breached). A clock starts at the agreed time and is due when the window (the commitment's
  limit) ends: an arrival before the window or in it is met, a later one (or the office missing the visit) is
  breached. Clocks of cancelled and rescheduled visits and of visits the customer missed are waived and not
  counted. Target: the commitment-fulfilment rate of the Commitment table.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from supply_service.core.measures import MeasureResult
from supply_service.core.models import SlaClock
from supply_service.core.selectors import Fulfilment, commitment_target

ARRIVAL = "appointment_arrival"


def arrival_within_window(*, office, start, end) -> MeasureResult:
    qs = SlaClock.objects.filter(commitment__code=ARRIVAL, settled_at__gte=start, settled_at__lt=end)
    if office is not None:
        qs = qs.filter(office=office)
    counts = qs.aggregate(met=Count("pk", filter=Q(state=SlaClock.State.MET)),
                          breached=Count("pk", filter=Q(state=SlaClock.State.BREACHED)))
    result = Fulfilment(met=counts["met"], breached=counts["breached"])
    target = commitment_target(code="commitment_fulfilment")
    passed = None if result.rate is None or target is None else result.rate >= target
    note = "" if result.settled else _("No appointment visit was due in the period.")
    return MeasureResult(value=result.rate, unit="%", numerator=result.met, denominator=result.settled,
                         target=target, passed=passed, note=note)
