"""django-q2 tasks of the outage notices."""

from django.db import transaction

from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_notify


def outage_notify_task(notice_pk: int, event: str) -> int:
    """The fan-out of one event of a notice to its affected customers (queued by the services on commit)."""
    notice = OutageNotice.objects.get(pk=notice_pk)
    with transaction.atomic():
        return outage_notify(notice=notice, event=event)
