from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from supply_service.tickets.selectors import (
    WorkFilters,
    row_signal,
    ticket_actions_for,
    ticket_get,
    tickets_for_customer,
)
from supply_service.tickets.services import ticket_cancel, ticket_transition
from tests.factories import tickets as make
from tests.factories.customers import CustomerFactory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def ticket_work_list(*, filters, viewer, waiting_for=None, now=None) -> list[dict]:
    """The work list's rows as the list page reads them (every kind the viewer may view)."""
    from supply_service.tickets.selectors_views import kinds_user_may, work_list_for

    rows = work_list_for(filters=filters, kinds=kinds_user_may(user=viewer, verb="view"), viewer=viewer, now=now,
                         waiting_for=waiting_for)
    return list(rows[0:1000])


def test_work_list_unions_every_kind_soonest_due_first(agent, clerk, django_assert_max_num_queries):
    now = timezone.now()
    late = make.repair(agent, at=now - timedelta(minutes=50))
    soon = make.repair(agent, at=now - timedelta(minutes=40))
    query = make.bill_query(agent, at=now)
    consult = make.consultation(agent, at=now)  # no clock
    make.repair(clerk, at=now)  # someone else's
    with django_assert_max_num_queries(2):
        rows = ticket_work_list(filters=WorkFilters(owner=agent), viewer=agent, now=now)
    assert [r["number"] for r in rows] == [late.number, soon.number, query.number, consult.number]
    assert [row_signal(r, now=now) for r in rows] == ["red", "amber", "green", "grey"]
    assert {r["kind"] for r in rows} == {"repair", "bill_query", "consultation"}


def test_work_list_filters(agent, clerk):
    now = timezone.now()
    repair = make.repair(agent, at=now - timedelta(hours=2))
    query = make.bill_query(agent, channel="fax", at=now)
    cancelled = make.consultation(agent)
    ticket_cancel(ticket=cancelled, by=agent, reason="重复")
    mine = WorkFilters(owner=agent)
    def listed(**filters) -> list[str]:
        return [r["number"] for r in ticket_work_list(filters=WorkFilters(owner=agent, **filters), viewer=agent)]

    assert listed(kind="bill_query") == [query.number]
    assert listed(channel="fax") == [query.number]
    assert listed(overdue=True) == [repair.number]
    assert cancelled.number not in [r["number"] for r in ticket_work_list(filters=mine, viewer=agent)]
    everything = WorkFilters(owner=agent, include_closed=True, query=cancelled.number)
    assert cancelled.number in [r["number"] for r in ticket_work_list(filters=everything, viewer=agent)]
    by_number = WorkFilters(office=agent.office, query=query.number.lower())
    assert [r["number"] for r in ticket_work_list(filters=by_number, viewer=agent)] == [query.number]


def test_ticket_get_by_number(agent):
    t = make.repair(agent)
    assert ticket_get(number=t.number.lower()) == t
    with pytest.raises(LookupError):
        ticket_get(number="XX-1")
    with pytest.raises(type(t).DoesNotExist):
        ticket_get(number="QX-20000101-0001")


def test_actions_follow_state_and_role(agent, dispatcher, crew):
    t = make.repair(agent, at=datetime(2026, 11, 27, 20, tzinfo=SH))
    assert [a.name for a in ticket_actions_for(ticket=t, user=dispatcher)] == ["dispatch", "cancel"]
    assert [a.name for a in ticket_actions_for(ticket=t, user=crew)] == []
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    assert [a.name for a in ticket_actions_for(ticket=t, user=crew)] == ["arrive"]


def test_tickets_for_customer(agent, office):
    customer = CustomerFactory(office=office)
    t = make.repair(agent, customer=customer)
    make.repair(agent)
    assert [r["number"] for r in tickets_for_customer(customer=customer)] == [t.number]


def test_callback_rate_over_every_kind_per_office_and_period_S13_5(agent, dispatcher, crew, outsider):
    from supply_service.tickets.selectors import ticket_callback_rate
    from supply_service.tickets.services import ticket_callback

    start = datetime(2026, 11, 2, 9, tzinfo=SH)
    reached = []
    for n in range(3):
        t = make.repair(agent, at=start + timedelta(hours=n))
        for action, who, data in [("dispatch", dispatcher, {"crew": crew}), ("arrive", crew, {}),
                                  ("remove_cause", crew, {"cause": "x"}), ("repair", crew, {})]:
            ticket_transition(ticket=t, action=action, by=who, at=start + timedelta(hours=n, minutes=10), **data)
        reached.append(t)
    ticket_callback(ticket=type(reached[0]).objects.get(pk=reached[0].pk), by=agent, outcome="satisfied",
                    at=start + timedelta(days=1))
    ticket_callback(ticket=type(reached[1]).objects.get(pk=reached[1].pk), by=agent, outcome="unreachable",
                    at=start + timedelta(days=1))
    query = make.bill_query(agent, at=start)
    ticket_transition(ticket=query, action="reply", by=agent, at=start + timedelta(hours=2), text="答复")
    ticket_callback(ticket=type(query).objects.get(pk=query.pk), by=agent, outcome="unsatisfied", note="不满意",
                    at=start + timedelta(days=1))
    rate = ticket_callback_rate(office=agent.office, start=datetime(2026, 11, 1, tzinfo=SH),
                                end=datetime(2026, 12, 1, tzinfo=SH))
    # resolved in November: 3 repairs (1 reached) + the bill query (reached, then reopened: no longer resolved)
    assert (rate.met, rate.missed) == (1, 2)
    assert ticket_callback_rate(office=outsider.office).total == 0


def test_waiting_for_my_role_queue(agent, dispatcher, crew, clerk):
    from supply_service.tickets.selectors import actionable_states

    assert actionable_states(user=dispatcher)["repair"] == ["dispatched", "received"]
    assert "repair" in actionable_states(user=crew) and "bill_query" not in actionable_states(user=crew)
    t = make.repair(agent)
    other = make.bill_query(agent)
    queue = WorkFilters(office=dispatcher.office)
    assert [r["number"] for r in ticket_work_list(filters=queue, viewer=dispatcher, waiting_for=dispatcher)] == \
           [t.number]
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    crew_queue = WorkFilters(office=crew.office)
    assert [r["number"] for r in ticket_work_list(filters=crew_queue, viewer=crew, waiting_for=crew)] == [t.number]
    assert other.number not in [r["number"] for r in ticket_work_list(filters=crew_queue, viewer=crew,
                                                                      waiting_for=crew)]
