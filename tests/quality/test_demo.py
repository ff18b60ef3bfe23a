"""The quality demo seeder gives the figures something to show, and running it again adds nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from supply_service.core.demo import seed_demo_base
from supply_service.customers import demo as customers_demo
from supply_service.outages.models import OutageNotice
from supply_service.quality.demo import seed_demo_quality
from supply_service.quality.models import MonitoringPoint, VoltageMonth
from supply_service.quality.selectors import quality_figures

NOW = datetime(2026, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
def test_demo_gives_voltage_and_reliability_figures_and_is_idempotent(reference_data):
    with time_machine.travel(NOW, tick=False):
        seed_demo_base()
        customers_demo.seed_reference_content()
        customers_demo.seed_customers(count=30, months=3, now=NOW)
        seed_demo_quality(options={"months": 3})
        counts = (MonitoringPoint.objects.count(), VoltageMonth.objects.count(), OutageNotice.objects.count())
        seed_demo_quality(options={"months": 3})
        assert (MonitoringPoint.objects.count(), VoltageMonth.objects.count(), OutageNotice.objects.count()) == counts
    assert set(MonitoringPoint.objects.values_list("category", flat=True)) == {"A", "B", "C", "D"}
    # the demo's outages are numbered like every outage: each opens on the staff pages (a made-up number broke them)
    for number in OutageNotice.objects.values_list("number", flat=True):
        assert reverse("outages:detail", args=[number])
    figures = quality_figures(office_id=None, start=datetime(2026, 1, 1, tzinfo=NOW.tzinfo),
                              end=datetime(2026, 3, 1, tzinfo=NOW.tzinfo))
    assert figures.voltage["integrated"] is not None
    assert figures.reliability.customer_hours > 0 and figures.reliability.rs1 is not None
