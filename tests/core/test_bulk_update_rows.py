"""`core.bulk.update_rows` writes what Django's `bulk_update` writes (datetimes to the microsecond, NULLs, booleans
both ways), in batches, on both databases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supply_service.core.bulk import update_rows
from supply_service.core.models import OpenWork
from supply_service.core.services.openwork import CLOCK_FIELDS
from tests.factories import tickets as make

pytestmark = pytest.mark.django_db


def _values(n: int) -> dict:
    at = timezone.now().replace(microsecond=123456) + timedelta(minutes=7 * n)
    return {"due_at": None if n % 3 == 0 else at, "due_sort": at + timedelta(days=1),
            "clock_started_at": None if n % 2 else at - timedelta(hours=1), "amber_at": at - timedelta(minutes=5),
            "breached": n % 2 == 0, "paused": n % 2 == 1}


def _read(pks):
    return list(OpenWork.objects.filter(pk__in=pks).order_by("pk").values_list("pk", *CLOCK_FIELDS))


def test_update_rows_writes_what_bulk_update_writes(agent):
    for _ in range(10):
        make.repair(agent)
    pks = list(OpenWork.objects.order_by("pk").values_list("pk", flat=True))
    ours, django_s = pks[:5], pks[5:]
    assert update_rows(OpenWork, [(pk, _values(n)) for n, pk in enumerate(ours)], CLOCK_FIELDS, batch_size=2) == 5
    OpenWork.objects.bulk_update([OpenWork(pk=pk, **_values(n)) for n, pk in enumerate(django_s)], CLOCK_FIELDS)
    assert [row[1:] for row in _read(ours)] == [row[1:] for row in _read(django_s)]
    assert _read(ours)[0][1] is None and _read(ours)[1][1].microsecond == 123456  # NULL kept, microseconds kept
    untouched = OpenWork.objects.filter(pk__in=ours).values_list("number", flat=True)
    assert all(untouched)  # the other columns are left alone
    assert update_rows(OpenWork, [], CLOCK_FIELDS) == 0
