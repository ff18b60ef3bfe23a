"""`make bench`'s jobs (benchmarks/jobs.py) at a small scale: the sweep breaches exactly the overdue clocks it set up,
the outage is published to every customer of the office's feeders and fanned out, and each job leaves the database
as it found it (everything in a transaction rolled back)."""

from datetime import timedelta

import pytest

from benchmarks.jobs import jobs_table, outage_jobs, sweep_job
from supply_service.core.models import Outbox, SlaClock
from supply_service.core.services.sla import sla_record_many
from supply_service.outages.models import AffectedCustomer, OutageNotice
from tests.core.test_sla_sweep_bulk import START
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.kernel_app.models import SampleItem

pytestmark = pytest.mark.django_db


def _state():
    return (sorted(SlaClock.objects.values_list("pk", "state", "due_at", "stopped_at")), Outbox.objects.count(),
            OutageNotice.objects.count(), AffectedCustomer.objects.count())


def test_the_sweep_job_breaches_the_overdue_among_running_and_rolls_back(clerk):
    items = SampleItem.objects.bulk_create([
        SampleItem(number=f"TS-20261127-{n:05d}", office=clerk.office, channel="counter", first_responder=clerk,
                   owner=clerk) for n in range(12)])
    # four running clocks and eight settled ones (met), which the job puts back to running to reach its number
    rows = [(item, START, None if n < 4 else START + timedelta(minutes=10), clerk.office)
            for n, item in enumerate(items)]
    assert sla_record_many(commitment="repair_arrival", items=rows) == 12
    before = _state()
    result = sweep_job(running=10, overdue=3)
    assert result.detail == "3 of 3 overdue breached in one run, 10 running" and result.ok
    assert result.queries > 0 and result.seconds < result.goal
    assert _state() == before


def test_the_outage_jobs_publish_to_the_office_and_fan_out_and_roll_back(office, dispatcher, manager):
    feeder = FeederFactory(office=office, code="10kV-301")
    area = TransformerAreaFactory(feeder=feeder, code="TA-301-01")
    CustomerFactory.create_batch(6, office=office, feeder=feeder, transformer_area=area, notify_outages=True)
    before = _state()
    publish, fan_out = outage_jobs(dispatcher=dispatcher, manager=manager, office=office)
    assert publish.detail == "6 customers affected" and publish.ok
    assert fan_out.detail.endswith("messages written to the outbox") and int(fan_out.detail.split()[0]) >= 6
    assert _state() == before
    table = jobs_table([publish, fan_out])
    assert "| outage published (request) |" in table and "| ok |" in table
