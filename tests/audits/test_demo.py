"""The audits demo seeder (`make run`): idempotent, and the pages it feeds show data."""

import pytest

from supply_service.audits.demo import seed_demo_audits
from supply_service.audits.models import Audit, CorrectiveAction, DutyShift, EngagementRecord
from supply_service.core.demo import seed_demo_base

pytestmark = pytest.mark.django_db


def test_demo_seeder_is_idempotent_and_raises_corrective_actions(reference_data, client):
    seed_demo_base()
    seed_demo_audits()
    counts = (Audit.objects.count(), CorrectiveAction.objects.count(), EngagementRecord.objects.count(),
              DutyShift.objects.count())
    seed_demo_audits()
    assert counts == (Audit.objects.count(), CorrectiveAction.objects.count(), EngagementRecord.objects.count(),
                      DutyShift.objects.count())
    assert Audit.objects.filter(state="submitted").exists() and CorrectiveAction.objects.exists()
    from supply_service.core.models import User

    client.force_login(User.objects.get(username="auditor"))
    assert client.get("/audits/").status_code == 200
    assert client.get("/audits/verdict/").status_code == 200
