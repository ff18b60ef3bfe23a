import pytest

from supply_service.counter.demo import seed_demo_counter
from supply_service.counter.models import BoardCall, QueueTicket, Service, Window
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_seeder_is_idempotent(office):
    UserFactory(username="clerk", office=office, roles=["counter_clerk"])
    seed_demo_counter()
    seed_demo_counter()
    assert Service.objects.filter(office=office).count() == 3 and Window.objects.filter(office=office).count() == 3
    assert QueueTicket.objects.filter(office=office).count() == 4 and BoardCall.objects.count() == 1
