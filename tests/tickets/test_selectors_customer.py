"""One customer's tickets for the customer page and the kiosk (issue 12): open ones from the open-work table, closed
ones from one small UNION, two queries whatever the number of tickets; the kiosk's list leaves out applications and
closed tickets."""

import pytest

from supply_service.kiosk.selectors import other_open_tickets
from supply_service.tickets.selectors_customer import tickets_for_customer, tickets_open_for_customer
from supply_service.tickets.services import ticket_cancel
from tests.factories import tickets as make_ticket
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


def _cancel(ticket, by):
    ticket_cancel(ticket=ticket, by=by, reason="顾客撤回")


@pytest.fixture
def customer(clerk):
    return CustomerFactory(office=clerk.office)


def test_open_tickets_come_first_then_closed_newest_first(customer, clerk):
    closed_old = make_ticket.consultation(clerk, customer=customer)
    _cancel(closed_old, clerk)
    open_repair = make_ticket.repair(clerk, customer=customer)
    closed_new = make_ticket.bill_query(clerk, customer=customer)
    _cancel(closed_new, clerk)
    make_ticket.consultation(clerk, customer=CustomerFactory(office=clerk.office))  # someone else's
    numbers = [row["number"] for row in tickets_for_customer(customer=customer)]
    assert numbers == [open_repair.number, closed_new.number, closed_old.number]


def test_the_limit_holds_when_open_ones_fill_it(customer, clerk, django_assert_num_queries):
    for _ in range(3):
        make_ticket.repair(clerk, customer=customer)
    _cancel(make_ticket.consultation(clerk, customer=customer), clerk)
    with django_assert_num_queries(1):
        rows = tickets_for_customer(customer=customer, limit=3)
    assert len(rows) == 3 and all(row["state"] != "cancelled" for row in rows)


@pytest.mark.parametrize("count", [1, 6])
def test_one_query_whatever_the_number_of_tickets(customer, clerk, count, django_assert_num_queries):
    for _ in range(count):
        make_ticket.repair(clerk, customer=customer)
        _cancel(make_ticket.meter_fault(clerk, customer=customer), clerk)
    with django_assert_num_queries(1):
        rows = tickets_for_customer(customer=customer)
    assert len(rows) == 2 * count


def test_the_rows_are_what_the_two_reads_give(customer, clerk):
    """The one statement gives the open-work read's rows, then the closed tickets of every kind newest first (as the
    models hold them) — values and types, both databases."""
    from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS

    for _ in range(3):
        make_ticket.repair(clerk, customer=customer)
        _cancel(make_ticket.bill_query(clerk, customer=customer), clerk)
    make_ticket.expansion(clerk, customer=customer)
    closed = sorted(({"kind": key, "pk": t.pk, "number": t.number, "state": t.state, "created_at": t.created_at,
                      "due": None, "breached": False}
                     for key, model in TICKET_KINDS.items()
                     for t in model.objects.filter(customer=customer, state__in=FINAL_STATES)),
                    key=lambda row: row["created_at"], reverse=True)
    for limit in (2, 4, 20):
        opened = tickets_open_for_customer(customer_id=customer.pk, limit=limit)
        expected = opened + closed[:limit - len(opened)]
        assert tickets_for_customer(customer=customer, limit=limit) == expected, limit
    assert any(row["due"] is not None for row in expected) and {type(row["breached"]) for row in expected} == {bool}
    assert len(closed) == 3


def test_the_kiosk_lists_other_open_tickets_only(customer, clerk):
    repair = make_ticket.repair(clerk, customer=customer)
    make_ticket.expansion(clerk, customer=customer)  # shown as an application, not here
    _cancel(make_ticket.bill_query(clerk, customer=customer), clerk)
    assert [row.number for row in other_open_tickets(customer=customer)] == [repair.number]
    assert {row["kind"] for row in tickets_open_for_customer(customer_id=customer.pk)} == {"repair", "expansion"}
