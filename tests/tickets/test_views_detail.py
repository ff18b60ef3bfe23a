"""The ticket page and the printable e-ticket: permissions, 404, summary, actions by role, panels, the history
timeline, and a bounded number of queries."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from supply_service.tickets.services import ticket_callback, ticket_hand_over, ticket_transition
from tests.factories import tickets as make
from tests.factories.core import UserFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read English source strings
    return client


def page(client, user, ticket, name="tickets:detail"):
    client.force_login(user)
    response = client.get(reverse(name, args=[ticket.number]))
    assert response.status_code == 200
    return response.content.decode()


def actions(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="[^"]+/do/\w+/" class="action-form[^"]*" data-action="(\w+)"', html)


def resolved_repair(agent, dispatcher, crew):
    t = make.repair(agent, at=timezone.now() - timedelta(hours=1))
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    ticket_transition(ticket=t, action="arrive", by=crew)
    ticket_transition(ticket=t, action="remove_cause", by=crew, cause="熔断器熔断")
    ticket_transition(ticket=t, action="repair", by=crew)
    return type(t).objects.get(pk=t.pk)


def test_page_needs_login_and_the_view_permission_of_the_kind(client, agent, nobody, crew):
    t = make.consultation(agent)
    url = reverse("tickets:detail", args=[t.number])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(nobody)
    assert client.get(url).status_code == 403
    assert client.get(reverse("tickets:print", args=[t.number])).status_code == 403
    client.force_login(crew)  # the crew may not view consultations
    assert client.get(url).status_code == 403
    client.force_login(agent)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("number", ["QX-20000101-0001", "XX-20000101-0001", "qx-20000101-0001", "nonsense",
                                    "QX-2000-1", "QX-20000101-0001x"])
def test_an_unknown_number_is_404(client, agent, number):
    client.force_login(agent)
    assert client.get(f"/tickets/{number}/").status_code == 404
    assert client.get(f"/tickets/{number}/print/").status_code == 404
    assert client.post(f"/tickets/{number}/do/dispatch/", {"seen_state": "received"}).status_code == 404


def test_the_number_in_lower_case_opens_the_ticket(client, agent):
    t = make.repair(agent)
    client.force_login(agent)
    assert client.get(f"/tickets/{t.number.lower()}/").status_code == 200


def test_summary_shows_the_ticket_and_links_the_customer(client, agent, office):
    customer = CustomerFactory(office=office, name="张小三", phone="13812341234")
    t = make.repair(agent, customer=customer, channel="phone")
    html = page(client, agent, t)
    assert t.number in html and "Repair ticket" in html and 'data-state="received"' in html
    assert "Phone (95598)" in html and "张小三" in html and "13812341234" in html and "家里停电了" in html
    assert f'href="{reverse("customers:detail", args=[customer.pk])}"' in html
    assert 'id="ticket-owner">agent<' in html


def test_no_customer_link_without_the_customer_permission(client, agent, office):
    t = make.repair(agent, customer=CustomerFactory(office=office))
    reader = UserFactory(username="reader", office=office)
    reader.user_permissions.add(Permission.objects.get(codename="view_repairticket"))
    html = page(client, reader, t)
    assert 'id="customer-link"' not in html and actions(html) == []


def test_the_actions_follow_state_and_role(client, agent, dispatcher, crew, clerk, auditor):
    t = make.repair(agent)
    assert actions(page(client, dispatcher, t)) == ["dispatch", "cancel"]
    assert actions(page(client, agent, t)) == ["cancel"]
    assert actions(page(client, crew, t)) == []
    assert actions(page(client, auditor, t)) == []
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    assert actions(page(client, crew, t)) == ["arrive"]


def test_the_crew_select_lists_the_active_crew_of_the_ticket_office(client, agent, dispatcher, crew, other_office):
    UserFactory(username="crew-away", office=other_office, roles=["field_crew"])
    UserFactory(username="crew-gone", office=dispatcher.office, roles=["field_crew"], is_active=False)
    t = make.repair(agent)
    html = page(client, dispatcher, t)
    select = html.split('id="act-dispatch-crew"', 1)[1].split("</select>", 1)[0]
    assert f'value="{crew.pk}"' in select and "crew-away" not in select and "crew-gone" not in select


def test_staff_of_another_office_read_the_ticket_but_get_no_actions(client, agent, outsider):
    t = make.repair(agent)
    html = page(client, outsider, t)
    assert actions(html) == [] and 'id="other-office"' in html and 'id="hand-over-form"' not in html


def test_expansion_page_shows_the_stage_timeline(client, clerk):
    t = make.expansion(clerk, applicant_class="high_voltage")
    ticket_transition(ticket=t, action="accept", by=clerk)
    html = page(client, clerk, t)
    stages = html.split('id="ticket-stages"', 1)[1].split("</ol>", 1)[0]
    assert stages.count("<li") == 9 and stages.count('class="done"') == 2


def test_clocks_panel_shows_commitment_due_state_and_badge(client, agent):
    t = make.repair(agent, at=timezone.now() - timedelta(minutes=50))
    html = page(client, agent, t)
    clocks = html.split('id="ticket-clocks"', 1)[1].split("</table>", 1)[0]
    assert 'data-commitment="repair_arrival"' in clocks and 'data-signal="red"' in clocks and "S10.2.5" in clocks


def test_callback_panel_only_when_resolved_and_shows_attempts_and_policy(client, agent, dispatcher, crew):
    t = make.repair(agent)
    assert 'id="callback-panel"' not in page(client, agent, t)
    t = resolved_repair(agent, dispatcher, crew)
    ticket_callback(ticket=t, by=agent, outcome="unreachable")
    html = page(client, agent, t)
    assert 'id="callback-panel"' in html and 'id="close-without-callback-form"' in html
    assert "Attempts since the ticket was resolved: 1" in html and "after 3 unsuccessful attempts" in html
    assert 'id="callback-panel"' not in page(client, crew, t)  # no callback permission


def test_hand_over_form_for_the_owner_and_managers_only(client, agent, clerk, manager):
    t = make.repair(agent)
    html = page(client, agent, t)
    assert 'id="hand-over-form"' in html and 'id="chase-form"' not in html
    options = html.split('id="hand-over-to"', 1)[1].split("</select>", 1)[0]
    assert f'value="{clerk.pk}"' in options and f'value="{agent.pk}"' not in options
    assert 'id="hand-over-form"' not in page(client, clerk, t)
    html = page(client, manager, t)
    assert 'id="hand-over-form"' in html and 'id="chase-form"' in html


def test_history_timeline_shows_who_when_the_reasons_and_what_changed(client, agent, dispatcher, crew):
    t = make.repair(agent)
    client.force_login(dispatcher)
    client.post(reverse("tickets:do", args=[t.number, "dispatch"]), {"seen_state": "received", "crew": crew.pk})
    ticket_hand_over(ticket=type(t).objects.get(pk=t.pk), to_user=dispatcher, by=agent, reason="交接")
    html = page(client, dispatcher, t)
    history = html.split('id="ticket-history"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'data-reason="([\w.]+)"', history) == ["tickets.create", "tickets.dispatch", "core.hand_over"]
    dispatch = history.split('data-reason="tickets.dispatch"', 1)[1].split('data-reason="core.hand_over"', 1)[0]
    assert "Dispatch a crew" in dispatch and "dispatcher" in dispatch
    assert "<del><bdi>Received</bdi></del> → <ins><bdi>Dispatched to a crew</bdi></ins>" in dispatch
    assert "Repair crew: <ins><bdi>crew</bdi></ins>" in dispatch  # was empty
    hand_over = history.split('data-reason="core.hand_over"', 1)[1]
    assert "<del><bdi>agent</bdi></del> → <ins><bdi>dispatcher</bdi></ins>" in hand_over


def test_print_page_shows_number_customer_steps_and_signature_lines(client, agent, dispatcher, crew, office):
    customer = CustomerFactory(office=office, name="张小三", phone="13812341234")
    t = make.repair(agent, customer=customer)
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    html = page(client, agent, t, "tickets:print")
    assert t.number in html and "Electronic work ticket" in html
    assert "张小三" in html and "13812341234" in html  # a staff document: not masked
    for label in ["Received by", "Handled by", "Called back by", "Customer's signature"]:
        assert label in html
    assert html.count('class="signature"') == 4
    assert 'data-reason="tickets.dispatch"' in html and 'id="print-button"' in html
    assert 'class="topbar"' not in html  # no staff navigation on the document
    assert "/static/css/tickets.css" in html


def _busy_ticket(agent, dispatcher, crew, manager, clerk, rounds):
    t = resolved_repair(agent, dispatcher, crew)
    for n in range(rounds):
        ticket_callback(ticket=t, by=agent, outcome="unsatisfied", note=f"又停电 {n}")
        t = type(t).objects.get(pk=t.pk)
        ticket_transition(ticket=t, action="arrive", by=crew)
        ticket_transition(ticket=t, action="remove_cause", by=crew, cause=f"原因 {n}")
        ticket_transition(ticket=t, action="repair", by=crew)
        t = type(t).objects.get(pk=t.pk)
    ticket_hand_over(ticket=t, to_user=clerk, by=agent, reason="交接")
    ticket_hand_over(ticket=type(t).objects.get(pk=t.pk), to_user=manager, by=clerk, reason="再交接")
    return type(t).objects.get(pk=t.pk)


# session, user, ticket (with office, customer, owner, first responder, crew), 2 × permissions, callbacks, hand-overs,
# chases, clocks, history (with its users), the users named in changes, 2 × "loop closable" (close, call_back
# conditions), the callback policy, the hand-over candidates, the user's office in the staff header. The page's
# registered panels (core.panels "ticket") cost nothing on a repair ticket; the appointments panel costs one query on
# a business-expansion ticket (pinned at DETAIL_QUERIES + 1 in tests/appointments/test_ticket_link.py).
DETAIL_QUERIES = 16


@pytest.mark.parametrize("rounds", [0, 8])
def test_the_ticket_page_reads_a_bounded_number_of_queries(client, agent, dispatcher, crew, manager, clerk, rounds,
                                                           django_assert_max_num_queries):
    t = _busy_ticket(agent, dispatcher, crew, manager, clerk, rounds)
    client.force_login(manager)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("tickets:detail", args=[t.number]))
    assert response.status_code == 200 and 'id="callback-panel"' in response.content.decode()
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(reverse("tickets:print", args=[t.number])).status_code == 200
