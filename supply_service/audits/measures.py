"""Measures computed from the kernel's, the customers' and the outages' data and from this app's records, registered
in the kernel's registry (`core.measures`) by `AuditsConfig.ready`: the computed checklist items, the verdict and
the dashboard read them by key. Each reads in a constant number of queries; targets come from the Commitment and
Policy tables.

The measures of the other apps (complaints, counter, appointments, quality …) are registered by those apps; the
checklist reads them through the registry and never imports them."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.core.measures import Measure, MeasureResult, measure_for_key, register_measure
from supply_service.core.models import ServiceLanguage, SlaClock
from supply_service.core.registry import kinds
from supply_service.core.selectors import callback_rate, commitment_target
from supply_service.core.services.policy import policy_int
from supply_service.core.standard import IDS

# Commitments of the office's own housekeeping, not promises to customers: left out of the fulfilment rate (S5.2).
INTERNAL_COMMITMENTS = ("corrective_action",)
REPLY_COMMITMENTS = ("complaint_reply", "report_reply")


def _rate(met: int, total: int) -> Decimal | None:
    return (Decimal(met) * 100 / Decimal(total)).quantize(Decimal("0.1")) if total else None


def _judged(*, met: int, total: int, target: Decimal | None, empty_note) -> MeasureResult:
    rate = _rate(met, total)
    if rate is None:
        return MeasureResult(value=None, unit="%", numerator=0, denominator=0, target=target, note=str(empty_note))
    return MeasureResult(value=rate, unit="%", numerator=met, denominator=total, target=target,
                         passed=None if target is None else rate >= target)


def _clocks(*, office, start: datetime, end: datetime):
    qs = SlaClock.objects.filter(settled_at__gte=start, settled_at__lt=end)
    return qs.filter(office=office) if office is not None else qs


def _met_total(qs) -> tuple[int, int]:
    counts = qs.aggregate(met=Count("pk", filter=Q(state=SlaClock.State.MET)),
                          breached=Count("pk", filter=Q(state=SlaClock.State.BREACHED)))
    return counts["met"], counts["met"] + counts["breached"]


def commitment_fulfilment_measure(*, office, start, end) -> MeasureResult:
    """S5.2: clocks met / (met + breached) over every service commitment settled in the period."""
    met, total = _met_total(_clocks(office=office, start=start, end=end)
                            .exclude(commitment__code__in=INTERNAL_COMMITMENTS))
    return _judged(met=met, total=total, target=commitment_target(code="commitment_fulfilment"),
                   empty_note=gettext_lazy("No commitment was settled in the period."))


def article_fulfilment(article: str):
    """The fulfilment of the commitments of one article (S10.2.5 …), for a computed checklist item."""

    def compute(*, office, start, end) -> MeasureResult:
        met, total = _met_total(_clocks(office=office, start=start, end=end).filter(commitment__article=article))
        return _judged(met=met, total=total, target=commitment_target(code="commitment_fulfilment"),
                       empty_note=gettext_lazy("No commitment was settled in the period."))

    return compute


def complaints_in_time_measure(*, office, start, end) -> MeasureResult:
    """S13.5: complaints and whistleblowing reports answered within their commitments."""
    met, total = _met_total(_clocks(office=office, start=start, end=end)
                            .filter(commitment__code__in=REPLY_COMMITMENTS))
    return _judged(met=met, total=total, target=commitment_target(code="commitment_fulfilment"),
                   empty_note=gettext_lazy("No complaint or report was answered in the period."))


def callback_rate_measure(*, office, start, end) -> MeasureResult:
    """S13.5: callback rate over every registered kind of work resolved in the period (one query per kind)."""
    met = total = 0
    for kind in kinds():
        if not getattr(kind.model, "CALLBACK_COUNTED", True):
            continue
        items = kind.model.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
        if office is not None:
            items = items.filter(office=office)
        rate = callback_rate(items=items)
        met, total = met + rate.met, total + rate.settled
    return _judged(met=met, total=total, target=commitment_target(code="callback_rate"),
                   empty_note=gettext_lazy("Nothing needed a callback in the period."))


def languages_on_duty_measure(*, office, start, end) -> MeasureResult:
    """S7.4: on duty in the period (the duty roster), how many serve in English and in sign language."""
    from supply_service.audits.models import DutyShift

    shifts = DutyShift.objects.filter(starts_at__lt=end, ends_at__gt=start)
    if office is not None:
        shifts = shifts.filter(office=office)
    counts = shifts.aggregate(
        shifts=Count("pk"),
        english=Count("staff", distinct=True, filter=Q(staff__languages_served__code=ServiceLanguage.ENGLISH)),
        sign=Count("staff", distinct=True, filter=Q(staff__languages_served__code=ServiceLanguage.SIGN)),
    )
    needed = policy_int("languages_on_duty_min")
    if not counts["shifts"]:
        return MeasureResult(value=None, unit="count", target=needed,
                             note=_("No duty shift is recorded for the period."))
    english, sign = counts["english"], counts["sign"]
    return MeasureResult(
        value=min(english, sign), unit="count", target=needed, passed=english >= needed and sign >= needed,
        note=_("On duty: %(english)s serving in English, %(sign)s in sign language.") % {
            "english": english, "sign": sign},
    )


def payment_methods_measure(*, office, start, end) -> MeasureResult:
    """S10.3.4: payment methods offered now (they are the same for every office)."""
    from supply_service.customers.models import PaymentMethod

    offered = PaymentMethod.objects.filter(is_active=True).count()
    needed = policy_int("payment_methods_min")
    return MeasureResult(value=offered, unit="count", target=needed, passed=offered >= needed)


def bill_history_measure(*, office, start, end) -> MeasureResult:
    """S10.3.1: months of bills a customer can query at the kiosk — the kiosk's window, as far as the office's
    bills reach back."""
    from supply_service.customers.models import Bill
    from supply_service.customers.selectors import MONTHS_OF_BILLS

    bills = Bill.objects.filter(period__lt=timezone.localtime(end).date())
    if office is not None:
        bills = bills.filter(customer__office=office)
    oldest = bills.aggregate(oldest=Min("period"))["oldest"]
    needed = policy_int("bill_history_months")
    if oldest is None:
        return MeasureResult(value=None, unit="months", target=needed, note=_("No bill is recorded yet."))
    last = timezone.localtime(end).date()
    held = (last.year - oldest.year) * 12 + last.month - oldest.month
    value = min(MONTHS_OF_BILLS, held)
    return MeasureResult(value=value, unit="months", target=needed, passed=value >= needed,
                         note=_("The kiosk shows up to %(window)s months; bills go back %(held)s months.") % {
                             "window": MONTHS_OF_BILLS, "held": held})


def planned_outage_caps_measure(*, office, start, end) -> MeasureResult:
    """S6.5: customers given more planned outages in the period than their voltage's yearly cap (policies)."""
    from supply_service.outages.models import AffectedCustomer, OutageNotice
    from supply_service.outages.selectors import COUNTED_STATES
    from supply_service.outages.services import VOLTAGE_POLICY

    caps = {code: policy_int(code) for code in set(VOLTAGE_POLICY.values())}
    rows = AffectedCustomer.objects.filter(
        notice__kind=OutageNotice.Kind.PLANNED, notice__state__in=COUNTED_STATES,
        notice__planned_start__gte=start, notice__planned_start__lt=end, customer__voltage__in=list(VOLTAGE_POLICY))
    if office is not None:
        rows = rows.filter(customer__office=office)
    over = Q()
    for voltage, code in VOLTAGE_POLICY.items():
        over |= Q(customer__voltage=voltage, n__gt=caps[code])
    per_customer = rows.values("customer", "customer__voltage").annotate(n=Count("pk"))
    counts = {"affected": per_customer.count(), "over": per_customer.filter(over).count()}
    return MeasureResult(value=counts["over"], unit="count", numerator=counts["over"], denominator=counts["affected"],
                         target=0, passed=counts["over"] == 0,
                         note=_("Customers over the yearly cap of planned outages."))


def _records(*, office, start, end, kind):
    from supply_service.audits.models import EngagementRecord

    qs = EngagementRecord.objects.filter(kind=kind, held_on__gte=timezone.localtime(start).date(),
                                         held_on__lt=timezone.localtime(end).date())
    return qs.filter(office=office) if office is not None else qs


def forums_measure(*, office, start, end) -> MeasureResult:
    """S12.2: customer forums held in the period, against the yearly minimum (policy)."""
    held = _records(office=office, start=start, end=end, kind="forum").count()
    needed = policy_int("customer_forums_a_year")
    return MeasureResult(value=held, unit="count", target=needed, passed=held >= needed)


def suggestion_box_measure(*, office, start, end) -> MeasureResult:
    """S13.1: openings of the suggestion box or book recorded in the period (at least one)."""
    opened = _records(office=office, start=start, end=end, kind="suggestion_box").count()
    return MeasureResult(value=opened, unit="count", target=1, passed=opened >= 1)


def satisfaction_measure(*, office, start, end) -> MeasureResult:
    """S12.2, S5.3: third-party satisfaction, the respondent-weighted mean of the survey results of the period."""
    from supply_service.audits.models import SurveyResult

    last_year = timezone.localtime(end - timedelta(microseconds=1)).year
    results = SurveyResult.objects.filter(year__gte=timezone.localtime(start).year, year__lte=last_year)
    if office is not None:
        results = results.filter(office=office)
    totals = results.aggregate(people=Sum("respondents"), weighted=Sum(F("satisfaction") * F("respondents")))
    if not totals["people"]:
        return MeasureResult(value=None, unit="%", note=_("No survey result is imported for the period."))
    value = (Decimal(totals["weighted"]) / totals["people"]).quantize(Decimal("0.1"))
    return MeasureResult(value=value, unit="%", denominator=totals["people"])


def time_limit_articles() -> list[str]:
    """The articles (S10.2.x) that have time-limit commitments in the seed, in the standard's order."""
    from supply_service.core import seed

    articles = {row[4] for row in [*seed.COMMITMENTS, *seed.COMMITMENT_VARIANTS] if row[3] != "percent"}
    return [i for i in IDS if i in articles]


# Keys an owning app may register itself; ours stands in only when it did not.
FALLBACKS = {"complaints_answered_in_time"}


def measured_requirements() -> dict[str, list[str]]:
    """The requirement map's "measured" column for this app: its measures and policies, from the code."""
    from supply_service.audits.seed import POLICIES

    found: dict[str, list[str]] = {}
    for key, requirements, *_rest in OWN_MEASURES:
        for requirement in requirements:
            found.setdefault(requirement, []).append(f"measure {key}")
    for article in time_limit_articles():
        found.setdefault(article, []).append(f"measure commitments_{article}")
    for code, _title, _value, article in POLICIES:
        if article:
            found.setdefault(article, []).append(f"{code} (policy)")
    return found


_article_label = lazy(lambda article: _("Time limits of %(article)s kept") % {"article": article}, str)


def register_measures() -> None:
    """Called from `AuditsConfig.ready`."""
    for key, requirements, label, compute, order in OWN_MEASURES:
        if key in FALLBACKS and measure_for_key(key) is not None:
            continue  # the owning app registered its own (complaints): keep it
        register_measure(Measure(key=key, requirements=requirements, label=label, compute=compute, order=order))
    for index, article in enumerate(time_limit_articles()):
        register_measure(Measure(
            key=f"commitments_{article}", requirements=(article,), compute=article_fulfilment(article),
            label=_article_label(article), order=70 + index))


OWN_MEASURES = [
    ("commitment_fulfilment_rate", ("S5.2",), gettext_lazy("Service-commitment fulfilment rate"),
     commitment_fulfilment_measure, 10),
    ("planned_outage_caps", ("S6.5",), gettext_lazy("Customers over the planned-outage cap"),
     planned_outage_caps_measure, 20),
    ("staff_languages_on_duty", ("S7.4",), gettext_lazy("English and sign-language servers on duty"),
     languages_on_duty_measure, 30),
    ("bill_history_months", ("S10.3.1",), gettext_lazy("Months of bills at the kiosk"), bill_history_measure, 40),
    ("payment_methods_offered", ("S10.3.4",), gettext_lazy("Payment methods offered"),
     payment_methods_measure, 41),
    ("customer_forums_held", ("S12.2",), gettext_lazy("Customer forums held"), forums_measure, 50),
    ("survey_satisfaction", ("S12.2", "S5.3"), gettext_lazy("Third-party satisfaction"),
     satisfaction_measure, 51),
    ("callback_rate_all_work", ("S13.5",), gettext_lazy("Callback rate"), callback_rate_measure, 60),
    ("complaints_answered_in_time", ("S13.5",), gettext_lazy("Complaints and reports answered in time"),
     complaints_in_time_measure, 61),
    # Others' suggestion-box measure (complaints) comes first; this one counts the recorded openings.
    ("suggestion_box_openings", ("S13.1",), gettext_lazy("Suggestion box openings recorded"),
     suggestion_box_measure, 900),
]
