"""Two people take the same step of one ticket at once: exactly one wins, the other is told, nothing is lost.

RepairTicket uses optimistic locking (ConcurrentTransitionMixin): the save of a stale copy finds no row in the state
it was loaded in and raises ConcurrentTransition, and its transaction rolls back (no history row, no clock).
"""

import threading

import pytest
from django.db import connection
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from supply_service.core.models import SlaClock
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import ticket_transition
from tests.factories import tickets as make


def dispatch_history(ticket) -> int:
    return ticket.history.filter(history_change_reason="tickets.dispatch").count()


def open_arrival_clocks(ticket) -> int:
    return SlaClock.objects.filter(object_id=ticket.pk, commitment__code="repair_arrival",
                                   stopped_at__isnull=True, content_type__model="repairticket").count()


@pytest.mark.django_db
def test_a_stale_copy_cannot_dispatch_again(agent, dispatcher, crew, office):
    from tests.factories.core import UserFactory

    other_crew = UserFactory(username="crew2", office=office, roles=["field_crew"])
    ticket = make.repair(agent)
    first = RepairTicket.objects.get(pk=ticket.pk)
    second = RepairTicket.objects.get(pk=ticket.pk)
    ticket_transition(ticket=first, action="dispatch", by=dispatcher, crew=crew)
    with pytest.raises(ConcurrentTransition):
        ticket_transition(ticket=second, action="dispatch", by=dispatcher, crew=other_crew)
    fresh = RepairTicket.objects.get(pk=ticket.pk)
    assert fresh.state == "dispatched" and fresh.crew == crew
    assert dispatch_history(fresh) == 1 and open_arrival_clocks(fresh) == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_one_wins_on_postgresql(agent, dispatcher, crew, office):
    from tests.factories.core import UserFactory

    crews = [crew, UserFactory(username="crew2", office=office, roles=["field_crew"])]
    ticket = make.repair(agent)
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = [None, None]

    def dispatch(index: int) -> None:
        try:
            copy = RepairTicket.objects.get(pk=ticket.pk)  # both load the ticket while it is "received"
            barrier.wait()
            ticket_transition(ticket=copy, action="dispatch", by=dispatcher, crew=crews[index])
            outcomes[index] = "ok"
        except Exception as exc:  # noqa: BLE001 — the assertions below say which exception it must be
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, ConcurrentTransition | TransitionNotAllowed), repr(loser)
    fresh = RepairTicket.objects.get(pk=ticket.pk)
    winner = crews[outcomes.index("ok")]
    assert fresh.state == "dispatched" and fresh.crew == winner
    assert dispatch_history(fresh) == 1 and open_arrival_clocks(fresh) == 1
