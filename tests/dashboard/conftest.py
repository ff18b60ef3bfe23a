from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from supply_service.core.models import Policy
from supply_service.core.services.sla import sla_pause, sla_start, sla_stop, sla_sweep, sla_waive
from supply_service.dashboard import seed
from tests.factories.core import SampleItemFactory

SH = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def small_sample(reference_data):
    """A minimum sample of 2 (the policy), so that hand-built data is ranked and judged."""
    Policy.objects.filter(code=seed.MIN_SAMPLE).update(value=Decimal(2))


class Clocks:
    """Hand-built settled clocks on sample items (through the kernel's clock service, as the workflows do)."""

    def __init__(self, office, owner):
        self.office, self.owner = office, owner

    def item(self, office=None):
        office = office or self.office
        return SampleItemFactory(office=office, first_responder=self.owner, owner=self.owner)

    def met(self, start, stop, code="repair_arrival", office=None):
        item = self.item(office)
        sla_start(subject=item, commitment=code, at=start)
        return sla_stop(subject=item, commitment=code, at=stop)

    def late(self, start, stop, code="repair_arrival", office=None):
        """Stopped after its due time: breached at the stop."""
        return self.met(start, stop, code, office)

    def swept(self, start, now, code="repair_arrival", office=None):
        """Still running when the sweep passes after its due time: breached at the sweep."""
        item = self.item(office)
        sla_start(subject=item, commitment=code, at=start)
        sla_sweep(now=now)
        return item

    def waived(self, start, at, by, code="repair_arrival"):
        item = self.item()
        clock = sla_start(subject=item, commitment=code, at=start)
        return sla_waive(clock=clock, reason="客户取消", by=by, at=at)

    def paused(self, start, at, code="repair_arrival"):
        item = self.item()
        sla_start(subject=item, commitment=code, at=start)
        return sla_pause(subject=item, commitment=code, reason="等客户", at=at)


@pytest.fixture
def clocks(manager):
    return Clocks(manager.office, manager)
