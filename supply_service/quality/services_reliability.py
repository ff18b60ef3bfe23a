"""The stored per-outage, per-month sums of reliability (`OutageMonth`), kept in the transaction of the outage's
change and rebuilt from scratch on demand.

- `outage_months_refresh(notice_id=)`: the handler of the kernel hook `outage_changed` (the outages services emit it
  when a notice's actual times, state or affected customers change): the notice's rows are rewritten — one count of
  its affected customers per office, whatever their number.
- `outage_months_rebuild()`: every row again (`manage.py quality_rebuild`; after bulk loads that bypass the outage
  services, e.g. the benchmark and the demo data), a batch of notices at a time.

Only restored, not cancelled outages are stored; one still off is counted live by the selectors, up to now. An
affected customer counts for the office it belongs to when the rows are written (a customer moved to another office
afterwards keeps its past interruptions where they happened until a rebuild).
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count

from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.quality.models import OutageMonth
from supply_service.quality.periods import local_month, split_by_month
from supply_service.quality.selectors_reliability import category_of

NOTICE_FIELDS = ("id", "kind", "state", "started_at", "restored_at")
REBUILD_BATCH = 500


def _stored(notice: dict) -> bool:
    """Restored and not cancelled: its figures no longer change with time."""
    return (notice["state"] != OutageNotice.State.CANCELLED and notice["started_at"] is not None
            and notice["restored_at"] is not None)


def _rows(notice: dict, counts: Iterable[tuple[int, int]], model=OutageMonth) -> list[OutageMonth]:
    """The month pieces of one outage for each office's affected customers ((office id, customers) pairs)."""
    started: datetime = notice["started_at"]
    pieces = list(split_by_month(started, notice["restored_at"]))
    began, category = local_month(started), category_of(notice["kind"])
    return [model(notice_id=notice["id"], office_id=office, month=month, category=category, customers=n,
                        customer_hours=hours * n, interruptions=n if month == began else 0)
            for office, n in counts if office is not None for month, hours in pieces]


def outage_months_refresh(*, notice_id: int) -> int:
    """Rewrite the stored months of one notice (in the caller's transaction); the number of rows written."""
    with transaction.atomic():
        OutageMonth.objects.filter(notice_id=notice_id).delete()
        notice = OutageNotice.objects.filter(pk=notice_id).values(*NOTICE_FIELDS).first()
        if notice is None or not _stored(notice):
            return 0
        counts = (AffectedCustomer.objects.filter(notice_id=notice_id)
                  .values_list("customer__office_id").annotate(n=Count("id")).order_by())
        return len(OutageMonth.objects.bulk_create(_rows(notice, counts)))


def outage_months_rebuild(*, batch: int = REBUILD_BATCH, models=None) -> int:
    """Every stored month again from the outage records, in one transaction; the number of rows written.
    `models`: (OutageMonth, OutageNotice, AffectedCustomer) of a migration's state (default: the live ones)."""
    month_model, notice_model, affected_model = models or (OutageMonth, OutageNotice, AffectedCustomer)
    written = 0
    with transaction.atomic():
        month_model.objects.all().delete()
        notices = (notice_model.objects.exclude(state=OutageNotice.State.CANCELLED)
                   .filter(started_at__isnull=False, restored_at__isnull=False).order_by("pk"))
        last = 0
        while True:
            chunk = {row["id"]: row for row in notices.filter(pk__gt=last).values(*NOTICE_FIELDS)[:batch]}
            if not chunk:
                return written
            last = max(chunk)
            counts: dict[int, list[tuple[int, int]]] = {}
            for notice_id, office, n in (affected_model.objects.filter(notice_id__in=list(chunk))
                                         .values_list("notice_id", "customer__office_id")
                                         .annotate(n=Count("id")).order_by()):
                counts.setdefault(notice_id, []).append((office, n))
            rows = [row for pk, notice in chunk.items() for row in _rows(notice, counts.get(pk, []), month_model)]
            written += len(month_model.objects.bulk_create(rows, batch_size=1000))
