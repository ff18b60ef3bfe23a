import pytest

from supply_service.complaints.demo import ITEMS, seed_demo_complaints
from supply_service.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_demo_seeder_is_idempotent(handler, manager):
    seed_demo_complaints()
    seed_demo_complaints()
    assert Complaint.objects.count() == len(ITEMS)
    assert Complaint.objects.filter(state="replied").exists()


def test_identity_erasure_is_scheduled_daily():
    from supply_service.core.schedules import SCHEDULES

    assert any(s["func"] == "supply_service.complaints.tasks.identity_erase_task" for s in SCHEDULES)
