"""The kiosk does not save its session on every page turn (issue 12): the time of activity is written once it has
moved by a share of the idle time, so a session never outlives the policy and may end at most that share early."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supply_service.core.models import Policy
from supply_service.kiosk.access import SEEN_AT, SEEN_REFRESH_SHARE
from tests.kiosk.conftest import verify

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]


def _session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(1 for q in captured if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT"))


def test_a_page_turn_soon_after_activity_does_not_save_the_session(client, customer):
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=90)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verify(client)
    with time_machine.travel(start + timedelta(seconds=90 * SEEN_REFRESH_SHARE / 2), tick=False):
        assert _session_writes(client, "/kiosk/account/") == 0
        assert _session_writes(client, "/kiosk/tariffs/") == 0
    assert client.session[SEEN_AT] == pytest.approx(start.timestamp())


def test_activity_after_the_refresh_share_is_written_and_keeps_the_session(client, customer):
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=90)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verify(client)
    later = start + timedelta(seconds=90 * SEEN_REFRESH_SHARE + 1)
    with time_machine.travel(later, tick=False):
        assert _session_writes(client, "/kiosk/account/") == 1
    with time_machine.travel(later + timedelta(seconds=89), tick=False):
        assert client.get("/kiosk/account/").status_code == 200


def test_a_session_never_outlives_the_idle_time_after_the_written_activity(client, customer):
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=90)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verify(client)
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        client.get("/kiosk/account/")  # not written: within the refresh share
    with time_machine.travel(start + timedelta(seconds=91), tick=False):
        response = client.get("/kiosk/account/")
    assert response.status_code == 302 and response["Location"] == "/kiosk/verify/"
