"""The counter's measures for the audit checklist and the dashboard (core.measures): transactions within their
S10.2.1 limit, counter payment methods offered (S10.3.4). Targets come from the Policy table."""

from django.utils.translation import gettext_lazy as _

from supply_service.core.measures import Measure, MeasureResult, register_measure
from supply_service.core.services.policy import policy_int


def within_limits_measure(*, office, start, end) -> MeasureResult:
    """S10.2.1: queue numbers served within their limit (fee collection / other business), met / settled."""
    from supply_service.counter.stats import counter_times

    total = counter_times(office=office, start=start, end=end).total
    fulfilment = total.fulfilment
    if not fulfilment.settled:
        return MeasureResult(value=None, unit="%", numerator=0, denominator=0,
                             note=_("No counter transaction was finished in the period."))
    return MeasureResult(value=fulfilment.rate, unit="%", numerator=fulfilment.met, denominator=fulfilment.settled,
                         passed=fulfilment.breached == 0,
                         note=_("Mean wait %(wait)s min, mean handling %(handle)s min.") % {
                             "wait": total.wait_minutes, "handle": total.handle_minutes})


def payment_methods_measure(*, office, start, end) -> MeasureResult:
    """S10.3.4: payment methods offered at the counter now, against the payment_methods_min policy."""
    from supply_service.counter.models import Tender

    offered = Tender.objects.filter(is_active=True).count()
    needed = policy_int("payment_methods_min")
    return MeasureResult(value=offered, unit="count", target=needed, passed=offered >= needed)


def register() -> None:
    register_measure(Measure(key="counter_within_limits", requirements=("S10.2.1",),
                             label=_("Counter transactions within their time limit"),
                             compute=within_limits_measure, order=20))
    register_measure(Measure(key="counter_payment_methods", requirements=("S10.3.4",),
                             label=_("Payment methods offered at the counter"),
                             compute=payment_methods_measure, order=41))
