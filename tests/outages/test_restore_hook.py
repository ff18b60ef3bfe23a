"""Outages tell the layers above that supply is back through the kernel's hook, in the restore's own transaction
(issue 11: outages import no higher app)."""

import pytest
from django.utils import timezone

from supply_service.core import hooks
from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_operate, outage_publish
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_notice(dispatcher, crew, office):
    area = TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-101"), code="TA-101-01")
    notice = make_notice(dispatcher, kind="emergency", areas=[area], start=timezone.now())
    outage_publish(notice=notice, by=dispatcher)
    for step in ("start", "remove_cause"):
        outage_operate(notice=OutageNotice.objects.get(pk=notice.pk), action=step, by=crew)
    return OutageNotice.objects.get(pk=notice.pk)


def test_restore_emits_outage_restored_with_the_number_and_time(live_notice, crew, monkeypatch):
    seen = []
    monkeypatch.setattr(hooks, "_HANDLERS", {"outage_restored": [lambda **kw: seen.append(kw)]})
    outage_operate(notice=live_notice, action="restore", by=crew)
    assert len(seen) == 1 and seen[0]["notice_number"] == live_notice.number and seen[0]["at"] is not None


def test_a_failing_handler_rolls_the_restore_back(live_notice, crew, monkeypatch):
    def broken(**kw):
        raise RuntimeError("the repairs could not move on")

    monkeypatch.setattr(hooks, "_HANDLERS", {"outage_restored": [broken]})
    with pytest.raises(RuntimeError):
        outage_operate(notice=live_notice, action="restore", by=crew)
    assert OutageNotice.objects.get(pk=live_notice.pk).state == "cause_removed"
