"""Measures of the complaints app for the kernel's registry (read by the audit checklist and the dashboard):

- complaints and reports answered in time (S13.5): reply clocks (complaint_reply, report_reply) settled in the
  period, met / (met + breached). "Answered" = the final reply was sent (state "replied"), not the first contact.
  Target: the commitment-fulfilment rate of the Commitment table.
- suggestion-box entries (S13.1): items that came in through the kiosk's suggestion box or the public web form.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from supply_service.complaints.models import REPLY_COMMITMENT, Complaint, Kind
from supply_service.core.measures import MeasureResult
from supply_service.core.models import Channel, SlaClock
from supply_service.core.selectors import Fulfilment, commitment_target

SUGGESTION_BOX_CHANNELS = (Channel.KIOSK, Channel.WEB)
ANSWER_CODES = (REPLY_COMMITMENT[Kind.COMPLAINT], REPLY_COMMITMENT[Kind.REPORT])


def answered_in_time(*, office, start, end) -> MeasureResult:
    qs = SlaClock.objects.filter(commitment__code__in=ANSWER_CODES, settled_at__gte=start, settled_at__lt=end)
    if office is not None:
        qs = qs.filter(office=office)
    counts = qs.aggregate(met=Count("pk", filter=Q(state=SlaClock.State.MET)),
                          breached=Count("pk", filter=Q(state=SlaClock.State.BREACHED)))
    result = Fulfilment(met=counts["met"], breached=counts["breached"])
    target = commitment_target(code="commitment_fulfilment")
    passed = None if result.rate is None or target is None else result.rate >= target
    note = "" if result.settled else _("No complaint or report was answered in the period.")
    return MeasureResult(value=result.rate, unit="%", numerator=result.met, denominator=result.settled,
                         target=target, passed=passed, note=note)


def suggestion_box_entries(*, office, start, end) -> MeasureResult:
    qs = Complaint.objects.filter(channel__in=SUGGESTION_BOX_CHANNELS, created_at__gte=start, created_at__lt=end)
    if office is not None:
        qs = qs.filter(office=office)
    counts = qs.aggregate(total=Count("pk"), suggestions=Count("pk", filter=Q(kind=Kind.SUGGESTION)))
    note = _("%(total)s entries through the kiosk's suggestion box and the public feedback form, %(suggestions)s "
             "of them suggestions.") % counts
    # The box is there for every office (public page and kiosk tile): the requirement is kept; the count shows use.
    return MeasureResult(value=counts["total"], unit="count", passed=True, note=note)
