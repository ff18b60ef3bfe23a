"""The stored per-outage, per-month reliability sums (issue 18): kept by the outage services through the kernel hook,
rebuilt by `quality_rebuild`, and the figures read from them equal the figures computed from every record."""

import random
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from supply_service.core import hooks
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.outages.services import outage_cancel, outage_operate, outage_publish
from supply_service.quality.models import OutageMonth
from supply_service.quality.selectors_reliability import (
    reliability_by_month,
    reliability_by_month_live,
    reliability_total,
)
from supply_service.quality.services_reliability import outage_months_rebuild, outage_months_refresh
from tests.factories.core import OfficeFactory
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
KINDS = ["planned", "temporary", "emergency", "restriction"]
STATES = ["closed", "closed", "restored", "closed", "cancelled", "in_progress", "cause_removed"]


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SH)


def _world(manager, *, seed: int) -> tuple[list, datetime]:
    """Three offices, 40 customers, 60 outages over 2025–2026 of every kind and state, 1–40 customers each from
    any office; fixed cases across midnight and a month end, cancelled and still off; `now` in mid-2026."""
    rng = random.Random(seed)
    offices = [OfficeFactory(code=f"rnd{seed}-{n}") for n in range(3)]
    customers = [CustomerFactory(office=offices[n % 3], is_active=n % 13 != 0) for n in range(40)]
    now = at(2026, 6, 14, 9, 30)
    fixed = [  # (kind, state, start, hours)
        ("planned", "closed", at(2026, 1, 31, 22), 4),          # midnight and a month end
        ("restriction", "closed", at(2025, 12, 31, 23, 15), 2.5),  # midnight, a month and a year end
        ("emergency", "cancelled", at(2026, 3, 3, 8), 6),
        ("emergency", "in_progress", at(2026, 5, 30, 20), None),  # still off: counted up to now
    ]
    for n in range(60):
        if n < len(fixed):
            kind, state, start, hours = fixed[n]
        else:
            kind, state = rng.choice(KINDS), rng.choice(STATES)
            start = at(2025, 1, 1) + timedelta(minutes=rng.randint(0, 540 * 24 * 60))
            hours = rng.choice([0.5, 1, 3.25, 8, 30, 800])  # some cross several months
        open_ = state in ("in_progress", "cause_removed")
        end = None if open_ or hours is None else start + timedelta(hours=hours)
        notice = OutageNotice.objects.create(
            number=f"TD-R{seed}-{n}", office=rng.choice(offices), kind=kind, state=state, reason="随机",
            planned_start=start, planned_end=start + timedelta(hours=1), created_by=manager, started_at=start,
            restored_at=end)
        AffectedCustomer.objects.bulk_create([AffectedCustomer(notice=notice, customer=c)
                                              for c in rng.sample(customers, rng.randint(1, 40))])
    return offices, now


def _same(stored: dict, live: dict) -> None:
    assert stored.keys() == live.keys()
    for key, figure in stored.items():
        other = live[key]
        assert figure.customers == other.customers and figure.interruptions == other.interruptions, key
        assert figure.hours == pytest.approx(other.hours, abs=1e-6), key
        assert (figure.rs1, figure.rs3, figure.aihc1) == (other.rs1, other.rs3, other.aihc1), key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_sums_equal_the_computation_from_every_record_S6_4(office, manager, seed):
    offices, now = _world(manager, seed=seed)
    outage_months_rebuild()
    periods = [
        (at(2025, 1, 1), at(2026, 1, 1)),            # a year
        (at(2026, 1, 1), at(2027, 1, 1)),            # this year, an outage still off
        (at(2026, 1, 1), at(2026, 2, 1)),            # a month
        (at(2025, 11, 17, 10, 30), at(2026, 3, 2, 8)),  # not whole months: the edges from the records
        (at(2026, 2, 3), at(2026, 2, 20)),           # inside one month
    ]
    for start, end in periods:
        for office_id in (None, offices[0].pk, offices[2].pk):
            stored = reliability_by_month(office_id=office_id, start=start, end=end, now=now)
            live = reliability_by_month_live(office_id=office_id, start=start, end=end, now=now)
            _same(stored, live)
            total, reference = (reliability_total(f, office_id=office_id, start=start, end=end)
                                for f in (stored, live))
            assert (total.rs1, total.rs3, total.aihc1, total.interruptions_per_customer) == \
                   (reference.rs1, reference.rs3, reference.aihc1, reference.interruptions_per_customer)


def test_cancelled_and_open_outages_are_never_stored(office, manager):
    _world(manager, seed=4)
    outage_months_rebuild()
    stored = set(OutageMonth.objects.values_list("notice_id", flat=True))
    states = dict(OutageNotice.objects.values_list("pk", "state"))
    assert stored and all(states[pk] in ("closed", "restored") for pk in stored)


def test_month_end_outage_is_cut_at_the_local_month_boundary(office, manager):
    customers = [CustomerFactory(office=office) for _ in range(4)]
    notice = OutageNotice.objects.create(number="TD-M-1", office=office, kind="planned", state="closed", reason="检修",
                                         planned_start=at(2026, 1, 31, 22), planned_end=at(2026, 2, 1, 2),
                                         created_by=manager, started_at=at(2026, 1, 31, 22),
                                         restored_at=at(2026, 2, 1, 2))
    AffectedCustomer.objects.bulk_create([AffectedCustomer(notice=notice, customer=c) for c in customers])
    assert outage_months_refresh(notice_id=notice.pk) == 2
    rows = list(OutageMonth.objects.order_by("month").values_list("month", "category", "customers",
                                                                    "customer_hours", "interruptions"))
    assert rows == [(date(2026, 1, 1), "planned", 4, 8.0, 4), (date(2026, 2, 1), "planned", 4, 8.0, 0)]


@pytest.fixture
def published(dispatcher, office):
    area = TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-201"), code="TA-201-01")
    for _ in range(3):
        CustomerFactory(office=office, transformer_area=area, feeder=area.feeder)
    notice = make_notice(dispatcher, kind="emergency", areas=[area], start=timezone.now() - timedelta(hours=3))
    return outage_publish(notice=notice, by=dispatcher)


def test_outage_services_keep_the_stored_sums_in_their_transaction(published, crew):
    assert AffectedCustomer.objects.filter(notice=published).count() == 3
    started = timezone.now() - timedelta(hours=2)
    outage_operate(notice=OutageNotice.objects.get(pk=published.pk), action="start", by=crew, at=started)
    assert not OutageMonth.objects.exists()  # still off: counted live
    outage_operate(notice=OutageNotice.objects.get(pk=published.pk), action="remove_cause", by=crew,
                   at=started + timedelta(minutes=30))
    outage_operate(notice=OutageNotice.objects.get(pk=published.pk), action="restore", by=crew,
                   at=started + timedelta(hours=1))
    rows = list(OutageMonth.objects.filter(notice=published).values_list("customers", "customer_hours"))
    assert sum(hours for _n, hours in rows) == pytest.approx(3.0) and {n for n, _h in rows} == {3}


def test_a_failing_sums_handler_rolls_the_restore_back(published, crew, monkeypatch):
    outage_operate(notice=OutageNotice.objects.get(pk=published.pk), action="start", by=crew)
    outage_operate(notice=OutageNotice.objects.get(pk=published.pk), action="remove_cause", by=crew)

    def broken(**kw):
        raise RuntimeError("sums not written")

    monkeypatch.setitem(hooks._HANDLERS, "outage_changed", [broken])
    with pytest.raises(RuntimeError):
        outage_operate(notice=OutageNotice.objects.get(pk=published.pk), action="restore", by=crew)
    assert OutageNotice.objects.get(pk=published.pk).state == "cause_removed"


def test_cancelling_removes_stored_sums(published, dispatcher):
    OutageMonth.objects.create(notice_id=published.pk, office_id=published.office_id, month=date(2026, 1, 1),
                               category="unplanned", customers=1, customer_hours=1.0, interruptions=1)
    outage_cancel(notice=OutageNotice.objects.get(pk=published.pk), by=dispatcher, reason="线路已恢复")
    assert not OutageMonth.objects.filter(notice=published).exists()


def test_quality_rebuild_command_writes_what_the_services_would(office, manager):
    _world(manager, seed=5)
    for pk in OutageNotice.objects.values_list("pk", flat=True):
        outage_months_refresh(notice_id=pk)
    by_refresh = sorted(OutageMonth.objects.values_list("notice_id", "office_id", "month", "category", "customers",
                                                        "customer_hours", "interruptions"))
    OutageMonth.objects.create(notice_id=999_999, office_id=office.pk, month=date(2026, 1, 1), category="planned",
                               customers=1, customer_hours=1.0, interruptions=1)
    out = StringIO()
    call_command("quality_rebuild", stdout=out)
    assert f"{len(by_refresh)} outage-month rows" in out.getvalue()
    assert sorted(OutageMonth.objects.values_list("notice_id", "office_id", "month", "category", "customers",
                                                  "customer_hours", "interruptions")) == by_refresh
