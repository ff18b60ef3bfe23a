"""The 95598 desk (S10.2.6): record a call, list the office's calls, make a ticket of a call in one step."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from supply_service.core.models import SlaClock
from supply_service.tickets.models import BusinessExpansion, CallRecord, RepairTicket
from supply_service.tickets.services import call_create_ticket, call_record_create
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.customers import CustomerFactory

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=SH)
URL = "/desk/calls/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def call(agent, seconds=5, **kw):
    kw.setdefault("rang_at", NOW - timedelta(minutes=5))
    return call_record_create(agent=agent, ring_seconds=seconds, **kw)


def ticket_url(number):
    return reverse("desk:call_ticket", args=[number])


def test_url_names():
    assert reverse("desk:calls") == URL
    assert reverse("desk:calls_import") == "/desk/calls/import/"
    assert ticket_url("DH-20261127-0001") == "/desk/calls/DH-20261127-0001/ticket/"


@pytest.mark.parametrize("url", [URL, "/desk/calls/import/", "/desk/calls/DH-20261127-0001/ticket/"])
def test_every_calls_page_needs_login_and_the_take_call_permission(client, nobody, clerk, crew, url):
    assert "/accounts/login/" in client.get(url)["Location"]
    for user in (nobody, clerk, crew):
        assert login(client, user).get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert not CallRecord.objects.exists()


def test_record_a_call_answered_in_time_S10_2_6(client, agent, office):
    customer = CustomerFactory(account_number="3100000555", office=office)
    response = login(client, agent).post(URL, {
        "rang_at": "2026-11-27T09:58:00", "ring_seconds": "10", "caller_phone": "13812341234",
        "account_number": "3100000555", "note": "停电报修",
    })
    assert response.status_code == 302 and response["Location"] == URL
    record = CallRecord.objects.get()
    assert record.agent == agent and record.office == office and record.customer == customer
    assert record.rang_at == datetime(2026, 11, 27, 9, 58, tzinfo=SH) and record.ring_seconds == 10
    clock = SlaClock.objects.get(object_id=record.pk, commitment__code="call_answer")
    assert clock.state == "met"
    html = client.get(URL).content.decode()
    assert f'data-number="{record.number}" data-state="met"' in html and 'data-ring-seconds="10"' in html


def test_a_call_that_rang_too_long_is_breached_S10_2_6(client, agent):
    login(client, agent).post(URL, {"rang_at": "2026-11-27 09:58", "ring_seconds": "13"})
    record = CallRecord.objects.get()
    assert SlaClock.objects.get(object_id=record.pk, commitment__code="call_answer").state == "breached"
    assert f'data-number="{record.number}" data-state="breached"' in client.get(URL).content.decode()


@pytest.mark.parametrize("data", [
    {"rang_at": "2026-11-27T09:58", "ring_seconds": "-1"},
    {"rang_at": "2026-11-27T09:58", "ring_seconds": "ten"},
    {"rang_at": "2026-11-27T09:58", "ring_seconds": "999999999999"},
    {"rang_at": "2026-11-28T09:58", "ring_seconds": "3"},  # in the future
    {"rang_at": "yesterday", "ring_seconds": "3"},
    {"rang_at": "2026-11-27T09:58", "ring_seconds": "3", "caller_phone": "call me"},
    {"rang_at": "2026-11-27T09:58", "ring_seconds": "3", "account_number": "3100000999"},
    {"rang_at": "2026-11-27T09:58", "ring_seconds": "3", "note": "x" * 256},
    {},
])
def test_bad_call_input_is_a_form_error_and_saves_nothing(client, agent, data):
    response = login(client, agent).post(URL, data)
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert not CallRecord.objects.exists() and not SlaClock.objects.exists()


def test_the_list_shows_the_office_calls_only(client, agent, other_office):
    mine = call(agent)
    stranger = UserFactory(username="stranger", office=other_office, roles=["agent_95598"])
    theirs = call(stranger)
    html = login(client, agent).get(URL).content.decode()
    assert mine.number in html and theirs.number not in html
    assert login(client, agent).get(ticket_url(theirs.number)).status_code == 404


@pytest.mark.parametrize("count", [2, 45])
def test_calls_list_is_paginated_with_a_constant_number_of_queries(client, agent, office, count,
                                                                   django_assert_max_num_queries):
    customer = CustomerFactory(office=office)
    for n in range(count):
        record = call(agent, seconds=n % 20, customer=customer, rang_at=NOW - timedelta(minutes=n + 1))
        if n % 3 == 0:
            call_create_ticket(call=record, model=RepairTicket, by=agent, request="停电", fault_address="人民路")
    login(client, agent)
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr data-number="DH-') == min(count, 20)
    assert client.get(URL, {"page": "3"}).status_code == 200


def test_create_a_repair_ticket_from_a_call_in_one_step(client, agent, office):
    customer = CustomerFactory(account_number="3100000556", office=office)
    record = call(agent, caller_phone="13900001111", customer=customer)
    prefix = f"call-{record.pk}"
    response = login(client, agent).post(ticket_url(record.number), {
        f"{prefix}-kind": "repair", f"{prefix}-request": "家里停电了", f"{prefix}-fault_address": "人民路 12 号",
    })
    ticket = RepairTicket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.number}/"
    record.refresh_from_db()
    assert record.ticket_number == ticket.number
    assert ticket.channel == "phone" and ticket.customer == customer and ticket.customer_phone == "13900001111"
    assert ticket.first_responder == agent and ticket.created_at == record.rang_at
    assert ticket.fault_address == "人民路 12 号"
    html = client.get(URL).content.decode()
    assert f'data-ticket="{ticket.number}"' in html and f'data-ticket-row="{record.number}"' not in html
    # The call's page now leads to its ticket.
    assert client.get(ticket_url(record.number))["Location"] == f"/tickets/{ticket.number}/"


def test_create_a_business_expansion_needs_its_three_fields(client, agent):
    record = call(agent)
    prefix = f"call-{record.pk}"
    data = {f"{prefix}-kind": "expansion", f"{prefix}-request": "新装用电"}
    response = login(client, agent).post(ticket_url(record.number), data)
    assert response.status_code == 400
    assert response.content.decode().count('class="error"') == 3
    assert not BusinessExpansion.objects.exists()
    response = client.post(ticket_url(record.number), {
        **data, f"{prefix}-business_type": "new_connection", f"{prefix}-applicant_class": "lv_residential",
        f"{prefix}-site_address": "人民路 12 号",
    })
    assert response.status_code == 302
    assert BusinessExpansion.objects.get().site_address == "人民路 12 号"


@pytest.mark.parametrize("kind, extra", [("meter_fault", {}), ("bill_query", {}), ("consultation", {})])
def test_other_kinds_need_only_the_request(client, agent, kind, extra):
    record = call(agent)
    prefix = f"call-{record.pk}"
    response = login(client, agent).post(ticket_url(record.number), {f"{prefix}-kind": kind,
                                                                       f"{prefix}-request": "咨询"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.ticket_number


@pytest.mark.parametrize("data", [
    {"kind": "repair", "request": "停电"},                         # no fault address
    {"kind": "repair", "request": " ", "fault_address": "人民路"},  # no request
    {"kind": "lunch", "request": "x"},
    {"kind": "repair", "request": "停电", "fault_address": "x" * 256},
    {"kind": "expansion", "request": "新装", "business_type": "free", "applicant_class": "lv_residential",
     "site_address": "x"},
    {},
])
def test_bad_ticket_input_is_a_form_error_and_saves_nothing(client, agent, data):
    record = call(agent)
    prefix = f"call-{record.pk}"
    response = login(client, agent).post(ticket_url(record.number), {f"{prefix}-{k}": v for k, v in data.items()})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert not RepairTicket.objects.exists() and not BusinessExpansion.objects.exists()
    record.refresh_from_db()
    assert record.ticket_number == ""


def test_a_call_gets_one_ticket_only(client, agent):
    record = call(agent)
    call_create_ticket(call=record, model=RepairTicket, by=agent, request="停电", fault_address="人民路")
    prefix = f"call-{record.pk}"
    response = login(client, agent).post(ticket_url(record.number), {
        f"{prefix}-kind": "repair", f"{prefix}-request": "停电", f"{prefix}-fault_address": "人民路",
    })
    assert response.status_code == 400 and "data-form-errors" in response.content.decode()
    assert RepairTicket.objects.count() == 1


def test_a_kind_the_agent_may_not_create_is_a_form_error(client, agent, office, manager):
    from django.contrib.auth.models import Permission

    record = call(agent)
    user = UserFactory(username="operator", office=office)
    user.user_permissions.add(Permission.objects.get(codename="take_callrecord"))
    prefix = f"call-{record.pk}"
    response = login(client, user).post(ticket_url(record.number), {
        f"{prefix}-kind": "consultation", f"{prefix}-request": "咨询"})
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.ticket_number == ""


def test_the_ticket_page_of_an_unknown_call_is_404(client, agent):
    assert login(client, agent).get(ticket_url("DH-19990101-0001")).status_code == 404
    assert client.get(ticket_url("nonsense")).status_code == 404


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_agents_making_a_ticket_of_one_call_at_once_make_one(agent, office):
    import threading

    from django.db import connection
    from django.test import Client

    colleague = UserFactory(username="agent2", office=office, roles=["agent_95598"])
    record = call(agent)
    prefix = f"call-{record.pk}"
    data = {f"{prefix}-kind": "repair", f"{prefix}-request": "停电", f"{prefix}-fault_address": "人民路"}
    barrier = threading.Barrier(2, timeout=20)
    statuses = []

    def post(user):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(ticket_url(record.number), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(user,)) for user in (agent, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 400]
    assert RepairTicket.objects.count() == 1
    record.refresh_from_db()
    assert record.ticket_number == RepairTicket.objects.get().number
