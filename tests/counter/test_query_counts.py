"""The counter's pages read the same number of queries at two data sizes (issue 15, bench pages of make bench):
the clerk's windows list, the board's feed, the rating pad and the number printer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supply_service.counter import services
from tests.factories.counter import WindowFactory

pytestmark = pytest.mark.django_db


def _count(client, url, **params) -> int:
    client.get(url, params)  # warm the caches (content types, permissions, the session)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def _hall(office, hall, clerk, *, windows: int, calls: int):
    made = [*hall["windows"]]
    for n in range(len(made) + 1, windows + 1):
        made.append(WindowFactory(office=office, number=n, services=list(hall["services"].values())))
    services.window_open(window=made[0], by=clerk)
    for _ in range(calls):
        services.ticket_take(service=hall["services"]["fee"])
        ticket = services.ticket_call_next(window=made[0], by=clerk)
        services.ticket_no_show(ticket=ticket, by=clerk)
    for _ in range(calls):
        services.ticket_take(service=hall["services"]["business"])
    return made


def test_windows_list_and_board_feed_queries_do_not_grow_with_the_data(client, office, hall, clerk, frozen):
    client.force_login(clerk)
    windows = reverse("counter:windows")
    feed = reverse("counter:board_feed", args=[office.code])
    pad = reverse("counter:pad", args=[hall["windows"][0].pad_key])
    take = reverse("counter:take_at", args=[office.code])
    made = _hall(office, hall, clerk, windows=2, calls=1)
    small = {name: _count(client, url) for name, url in (("windows", windows), ("feed", feed), ("pad", pad),
                                                          ("take", take))}
    _hall(office, hall, clerk, windows=12, calls=9)
    assert len(made) == 2
    large = {name: _count(client, url) for name, url in (("windows", windows), ("feed", feed), ("pad", pad),
                                                          ("take", take))}
    assert large == small
    assert small["feed"] <= 3
