"""What the outage views share beyond the kernel's view helpers (`core.web`): finding a notice and the office
rule for changing it."""

from django.http import Http404

from supply_service.core.access import may_act_on
from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import notice_get_by_number
from supply_service.outages.services import EDITABLE_STATES  # noqa: F401  (the views' import)


def notice_get(number: str, *, related: tuple[str, ...] = ()) -> OutageNotice:
    notice = notice_get_by_number(number=number, related=related)
    if notice is None:
        raise Http404
    return notice


def may_change(user, notice: OutageNotice) -> bool:
    """Staff change the notices of their own office; others read them (the kernel's office rule, which the
    services enforce)."""
    return may_act_on(user, notice)
