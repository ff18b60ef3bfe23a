from datetime import date, timedelta

import pytest
import time_machine

from supply_service.appointments import seed

NOW = "2026-09-29 09:00:00+08:00"  # a Tuesday before the National Day holidays (Oct 1–7; Sat Oct 10 is worked)
TODAY = date(2026, 9, 29)
DAYS = [TODAY + timedelta(days=n) for n in range(14)]


@pytest.fixture(autouse=True)
def appointment_reference(reference_data):
    """The kinds and policies of the app's data migration (put back after a transactional test flushed them); the
    services' messages in English (the tests match their words)."""
    from django.utils import translation

    from supply_service.appointments.models import AppointmentKind
    from supply_service.core.models import Policy

    seed.seed_kinds(AppointmentKind)
    seed.seed_policies(Policy)
    with translation.override("en"):
        yield


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
