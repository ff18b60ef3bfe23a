"""Windows calling "next" at the same moment (PostgreSQL, threads): the chosen row is locked (skip locked), so no
number is ever called to two windows, and every waiting number is called once."""

import threading

import pytest
from django.db import connection

from supply_service.counter import services
from supply_service.counter.models import BoardCall, QueueTicket
from tests.factories.core import UserFactory
from tests.factories.counter import counter_setup

WINDOWS = 6


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_windows_calling_at_once_never_get_the_same_number_on_postgresql(office):
    hall = counter_setup(office, windows=WINDOWS)
    fee = hall["services"]["fee"]
    for _ in range(WINDOWS):
        services.ticket_take(service=fee)
    clerks = [UserFactory(username=f"c{i}", office=office, roles=["counter_clerk"]) for i in range(WINDOWS)]
    for window, clerk in zip(hall["windows"], clerks, strict=True):
        services.window_open(window=window, by=clerk)
    barrier = threading.Barrier(WINDOWS, timeout=30)
    called: list = [None] * WINDOWS

    def call(index: int) -> None:
        try:
            barrier.wait()
            ticket = services.ticket_call_next(window=hall["windows"][index], by=clerks[index])
            called[index] = ticket.number if ticket else None
        except Exception as exc:  # noqa: BLE001 — shown by the assertion
            called[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(i,)) for i in range(WINDOWS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    numbers = [n for n in called if isinstance(n, str)]
    assert len(numbers) == len(set(numbers)) == WINDOWS, called
    assert QueueTicket.objects.filter(state="called").count() == WINDOWS
    assert BoardCall.objects.count() == WINDOWS
