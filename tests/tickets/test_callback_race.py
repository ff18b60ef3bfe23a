"""Callbacks at once on one ticket (issue 10, fault 9): the ticket row is locked for the step, so the attempts
recorded never exceed the policy and nothing is recorded after the loop closed."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from supply_service.core.models import Callback
from supply_service.core.services.policy import policy_int
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import ticket_callback, ticket_transition
from tests.factories import tickets as make


def resolved_repair(agent, dispatcher, crew):
    start = timezone.now() - timedelta(hours=2)
    ticket = make.repair(agent, at=start)
    for minutes, action, by, data in [(5, "dispatch", dispatcher, {"crew": crew}), (30, "arrive", crew, {}),
                                      (40, "remove_cause", crew, {"cause": "x"}), (50, "repair", crew, {})]:
        ticket_transition(ticket=ticket, action=action, by=by, at=start + timedelta(minutes=minutes), **data)
    return RepairTicket.objects.get(pk=ticket.pk)


def callbacks_of(ticket) -> int:
    return Callback.objects.filter(object_id=ticket.pk, content_type__model="repairticket").count()


@pytest.mark.django_db
def test_a_copy_loaded_before_the_loop_closed_records_nothing_and_is_told(agent, dispatcher, crew):
    ticket = resolved_repair(agent, dispatcher, crew)
    limit = policy_int("callback_max_attempts")
    copies = [RepairTicket.objects.get(pk=ticket.pk) for _ in range(limit + 2)]  # all loaded while resolved
    for copy in copies[:limit]:
        ticket_callback(ticket=copy, by=agent, outcome="unreachable")
    assert copies[limit - 1].state == "closed"  # the caller's copy follows the stored ticket
    for late in copies[limit:]:
        with pytest.raises(ValidationError):
            ticket_callback(ticket=late, by=agent, outcome="unreachable")
    assert callbacks_of(ticket) == limit
    assert RepairTicket.objects.get(pk=ticket.pk).state == "closed"


def run_at_once(count: int, work) -> list:
    barrier = threading.Barrier(count, timeout=20)
    outcomes: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
            outcomes[index] = "ok"
        except Exception as exc:  # noqa: BLE001 — the test says which exceptions are allowed
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_unreachable_callbacks_at_once_never_exceed_the_policy_on_postgresql(agent, dispatcher, crew):
    ticket = resolved_repair(agent, dispatcher, crew)
    limit = policy_int("callback_max_attempts")
    copies = [RepairTicket.objects.get(pk=ticket.pk) for _ in range(8)]
    outcomes = run_at_once(8, lambda i: ticket_callback(ticket=copies[i], by=agent, outcome="unreachable"))
    assert outcomes.count("ok") == limit, outcomes
    assert all(isinstance(o, ValidationError) for o in outcomes if o != "ok"), outcomes
    assert callbacks_of(ticket) == limit
    fresh = RepairTicket.objects.get(pk=ticket.pk)
    assert fresh.state == "closed" and str(limit) in fresh.no_callback_reason
    assert fresh.history.filter(history_change_reason="tickets.close").count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_mixed_callbacks_at_once_record_one_decision_on_postgresql(agent, dispatcher, crew):
    ticket = resolved_repair(agent, dispatcher, crew)
    copies = [RepairTicket.objects.get(pk=ticket.pk) for _ in range(6)]
    outcome_of = ["satisfied", "unsatisfied"] * 3
    outcomes = run_at_once(6, lambda i: ticket_callback(ticket=copies[i], by=agent, outcome=outcome_of[i],
                                                        note="又停电了"))
    assert outcomes.count("ok") == 1, outcomes
    assert callbacks_of(ticket) == 1
    assert RepairTicket.objects.get(pk=ticket.pk).state in {"called_back", "received", "dispatched"}
