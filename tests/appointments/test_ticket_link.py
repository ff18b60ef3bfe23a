"""A business-expansion survey or inspection books an appointment from the ticket page (the kernel's "ticket" panel
spot, `core.panels`); the ticket shows that its step waits on the appointment, then that it was served; the
appointment links back to the ticket. The panel costs one query whatever the number of appointments."""

import re
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supply_service.appointments import services
from supply_service.appointments.models import Appointment
from supply_service.appointments.slots import local_dt
from supply_service.tickets.services import ticket_transition
from tests.appointments.conftest import DAYS
from tests.factories import tickets as make
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory
from tests.tickets.test_views_detail import DETAIL_QUERIES

pytestmark = pytest.mark.django_db
DAY = DAYS[2]


@pytest.fixture
def inspection(office, crew, frozen):
    return open_office(office=office, kind_code="installation_inspection", people=[crew], days=DAYS,
                       starts_at=time(9, 0), ends_at=time(16, 0), capacity=1)


@pytest.fixture
def ticket(clerk, manager, frozen):
    """A low-voltage non-residential application whose supply plan was replied: the completion inspection is next."""
    t = make.expansion(clerk, applicant_class="lv_non_residential")
    for action in ("accept", "survey", "reply_plan"):
        ticket_transition(ticket=t, action=action, by=manager)
        t = type(t).objects.get(pk=t.pk)
    assert t.state == "plan_replied"
    return t


def ticket_page(client, user, ticket) -> str:
    client.force_login(user)
    response = client.get(reverse("tickets:detail", args=[ticket.number]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_ticket_page_books_an_inspection_and_the_step_waits_on_it(client, clerk, crew, manager, ticket,
                                                                       inspection):
    html = ticket_page(client, clerk, ticket)
    link = re.search(r'id="book-for-ticket" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert f"ticket={ticket.number}" in link and "kind_code=installation_inspection" in link
    search = client.get(link + f"&day={DAY.isoformat()}", HTTP_ACCEPT_LANGUAGE="en")
    page = search.content.decode()
    assert search.status_code == 200 and f'name="ticket" value="{ticket.number}"' in page
    assert f'value="{DAY.isoformat()}T09:00"' in page and f'value="{ticket.number}"' in page
    booked = client.post(reverse("appointments:book"), {
        "kind": inspection.pk, "slot": f"{DAY.isoformat()}T09:00", "name": "某公司", "phone": "13800001111",
        "address": "工业路 8 号", "channel": "counter", "ticket_number": ticket.number})
    appointment = Appointment.objects.get()
    assert booked.status_code == 302 and appointment.ticket_number == ticket.number
    html = ticket_page(client, clerk, ticket)
    assert 'id="ticket-waits"' in html and "The step waits for the appointment on 2026-10-01 09:00" in html
    assert appointment.number in html and 'id="book-for-ticket"' not in html
    detail = client.get(reverse("appointments:detail", args=[appointment.number])).content.decode()
    assert 'id="appointment-ticket"' in detail and reverse("tickets:detail", args=[ticket.number]) in detail
    with pytest.raises(ValidationError, match=appointment.number):  # "The step waits for the appointment …"
        ticket_transition(ticket=type(ticket).objects.get(pk=ticket.pk), action="inspect_low_voltage", by=manager)
    services.appointment_arrive(appointment=appointment, by=crew, at=appointment.starts_at)
    services.appointment_serve(appointment=appointment, by=crew, at=appointment.starts_at)
    html = ticket_page(client, clerk, ticket)
    assert 'id="ticket-waits"' not in html and 'id="ticket-served"' in html and "the step can be recorded" in html
    done = ticket_transition(ticket=type(ticket).objects.get(pk=ticket.pk), action="inspect_low_voltage", by=manager)
    assert done.state == "inspected"


def test_a_booking_for_a_ticket_that_is_not_an_open_ticket_of_the_office_is_refused(clerk, office, inspection,
                                                                                   ticket, outsider):
    def book(number):
        return services.appointment_book(office=office, kind=inspection, starts_at=local_dt(DAY, time(9, 0)),
                                         channel="counter", by=clerk, customer=CustomerFactory(office=office),
                                         ticket_number=number)

    for number in ("YK-20260929-9999", "nonsense\x00", make.expansion(outsider).number):
        with pytest.raises(ValidationError, match="No open work ticket"):
            book(number)
    assert not Appointment.objects.exists()
    assert book(ticket.number.lower()).ticket_number == ticket.number


def test_other_kinds_and_users_without_the_permission_get_no_panel(client, agent, clerk, ticket):
    assert 'id="ticket-appointments"' not in ticket_page(client, agent, make.repair(agent))
    assert 'id="ticket-appointments"' in ticket_page(client, clerk, ticket)


def test_the_panel_costs_one_query_whatever_the_number_of_appointments(client, clerk, crew, office, ticket,
                                                                       inspection, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk)
    url = reverse("tickets:detail", args=[ticket.number])
    client.get(url)
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    for day in DAYS[2:5]:
        services.appointment_book(office=office, kind=inspection, starts_at=local_dt(day, time(9, 0)),
                                  channel="counter", by=clerk, customer=CustomerFactory(office=office),
                                  ticket_number=ticket.number)
    with django_assert_num_queries(len(empty.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("appointments/YY-") >= 3
    # the page's pin: the ticket page's own bound plus the panel's one query
    assert len(empty.captured_queries) <= DETAIL_QUERIES + 1
