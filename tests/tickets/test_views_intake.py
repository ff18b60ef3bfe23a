"""Intake per kind (/tickets/new/<kind>/): permissions, the happy path of each kind, every kind of bad input
(a form error, nothing saved, never a 500), the customer found by account number (S9.1–S9.3)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from supply_service.core.models import SlaClock
from supply_service.tickets.models import TICKET_KINDS, BusinessExpansion, Consultation, RepairTicket
from tests.factories.core import UserFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

BASE = {"channel": "counter", "request": "客户来电反映问题", "customer_name": "王五", "customer_phone": "13711112222"}
KIND_DATA = {
    "repair": {"fault_address": "人民路 1 号"},
    "expansion": {"business_type": "new_connection", "applicant_class": "lv_residential", "capacity_kva": "8",
                  "site_address": "建设路 9 号"},
    "meter_fault": {"meter_number": "M0000000123"},
    "bill_query": {"bill_period": "2025-10"},
    "consultation": {"topic": "information"},
}


def url(kind: str) -> str:
    return reverse("tickets:create", args=[kind])


def total() -> int:
    return sum(model.objects.count() for model in TICKET_KINDS.values())


@pytest.fixture
def customer(office):
    return CustomerFactory(office=office, account_number="3100000123", name="张小三", phone="13812341234",
                           address="人民路 12 号 3 单元 401")


def test_intake_needs_login_and_the_add_permission_of_the_kind(client, nobody, crew, dispatcher):
    response = client.get(url("repair"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(nobody)
    assert client.get(reverse("tickets:new")).status_code == 403
    assert client.get(url("repair")).status_code == 403
    client.force_login(crew)
    assert client.get(url("meter_fault")).status_code == 403
    assert client.post(url("meter_fault"), {**BASE, **KIND_DATA["meter_fault"]}).status_code == 403
    client.force_login(dispatcher)
    assert client.get(url("repair")).status_code == 200
    assert client.get(url("consultation")).status_code == 403
    assert client.get(url("complaint")).status_code == 404
    assert total() == 0


@pytest.mark.req("S9.1", "S9.2")
def test_landing_lists_the_kinds_the_user_may_take_in_and_keeps_the_channel(client, clerk, dispatcher):
    client.force_login(clerk)
    html = client.get(reverse("tickets:new"), {"channel": "phone"}).content.decode()
    for kind in TICKET_KINDS:
        assert f'href="/tickets/new/{kind}/?channel=phone"' in html
    client.force_login(dispatcher)
    html = client.get(reverse("tickets:new"), {"channel": "owl"}).content.decode()
    assert 'href="/tickets/new/repair/"' in html and "/tickets/new/consultation/" not in html


def test_the_channel_defaults_from_the_address_and_the_account_number_has_the_focus(client, agent):
    client.force_login(agent)
    form = client.get(url("repair"), {"channel": "phone"}).context["form"]
    assert form["channel"].value() == "phone"
    # An unknown channel falls back to the role's default: the 95598 agent takes calls.
    assert client.get(url("repair"), {"channel": "owl"}).context["form"]["channel"].value() == "phone"
    html = client.get(url("repair")).content.decode()
    assert 'name="account_number" autofocus' in html


@pytest.mark.req("S9.1")
@pytest.mark.parametrize("kind", list(TICKET_KINDS))
def test_happy_path_of_each_kind_creates_the_ticket_and_names_it(client, clerk, kind):
    client.force_login(clerk)
    response = client.post(url(kind), {**BASE, **KIND_DATA[kind]})
    model = TICKET_KINDS[kind]
    ticket = model.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tickets:detail", args=[ticket.number])
    assert ticket.number in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert ticket.first_responder == clerk and ticket.owner == clerk and ticket.office == clerk.office
    assert ticket.customer is None and ticket.customer_name == "王五" and ticket.customer_phone == "13711112222"
    assert ticket.channel == "counter" and ticket.request == BASE["request"]
    assert ticket.history.get().history_change_reason == "tickets.create"


def test_each_kind_keeps_its_own_fields(client, clerk):
    client.force_login(clerk)
    for kind in TICKET_KINDS:
        client.post(url(kind), {**BASE, **KIND_DATA[kind]})
    expansion = BusinessExpansion.objects.get()
    assert (expansion.business_type, expansion.applicant_class, str(expansion.capacity_kva), expansion.site_address) \
        == ("new_connection", "lv_residential", "8.0", "建设路 9 号")
    assert RepairTicket.objects.get().fault_address == "人民路 1 号"
    assert TICKET_KINDS["meter_fault"].objects.get().meter_number == "M0000000123"
    assert TICKET_KINDS["bill_query"].objects.get().bill_period.isoformat() == "2025-10-01"
    assert Consultation.objects.get().topic == "information"


def test_the_customer_is_found_by_account_number_and_the_fault_address_defaults_to_theirs(client, agent, customer):
    client.force_login(agent)
    response = client.post(url("repair"), {"channel": "phone", "account_number": "3100000123", "request": "停电"})
    assert response.status_code == 302
    ticket = RepairTicket.objects.get()
    assert ticket.customer == customer and ticket.account_number == "3100000123"
    assert ticket.customer_name == "张小三" and ticket.customer_phone == "13812341234"
    assert ticket.fault_address == "人民路 12 号 3 单元 401" and ticket.channel == "phone"
    assert SlaClock.objects.filter(object_id=ticket.pk, commitment__code="repair_arrival").exists()


def test_an_unknown_account_number_is_a_clear_form_error(client, clerk, customer):
    client.force_login(clerk)
    response = client.post(url("repair"), {**BASE, **KIND_DATA["repair"], "account_number": "3199999999"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "There is no customer with this account number" in response.content.decode()
    assert total() == 0


def test_a_consultation_answered_at_once_is_answered_and_closed(client, clerk):
    client.force_login(clerk)
    data = {**BASE, "topic": "consultation", "answered_at_once": "on", "answer": "可在营业厅办理峰谷电价。"}
    response = client.post(url("consultation"), data)
    assert response.status_code == 302
    ticket = Consultation.objects.get()
    assert ticket.state == "closed" and ticket.answer == data["answer"] and ticket.no_callback_reason


BAD = [
    ("repair", {"account_number": "12345"}),
    ("repair", {"account_number": "31000001ab"}),
    ("repair", {"customer_name": "", "customer_phone": ""}),
    ("repair", {"customer_name": ""}),
    ("repair", {"customer_phone": ""}),
    ("repair", {"customer_phone": "call me"}),
    ("repair", {"request": "   "}),
    ("repair", {"request": "x" * 5000}),
    ("repair", {"fault_address": ""}),
    ("repair", {"fault_address": "x" * 300}),
    ("repair", {"channel": "pigeon"}),
    ("repair", {"channel": ""}),
    ("expansion", {"business_type": "teleport"}),
    ("expansion", {"applicant_class": ""}),
    ("expansion", {"capacity_kva": "-5"}),
    ("expansion", {"capacity_kva": "abc"}),
    ("expansion", {"capacity_kva": "1" * 20}),
    ("expansion", {"site_address": "  "}),
    ("meter_fault", {"meter_number": "M" * 40}),
    ("bill_query", {"bill_period": "2026-13"}),
    ("bill_query", {"bill_period": "next month"}),
    ("bill_query", {"bill_period": "2999-01"}),
    ("bill_query", {"bill_period": "0001-01"}),
    ("consultation", {"topic": "gossip"}),
    ("consultation", {"answered_at_once": "on", "answer": ""}),
    ("consultation", {"customer_name": "\x00"}),
]


@pytest.mark.parametrize("kind, bad", BAD)
def test_bad_input_gives_a_form_error_and_saves_nothing(client, clerk, kind, bad):
    client.force_login(clerk)
    response = client.post(url(kind), {**BASE, **KIND_DATA[kind], **bad})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert total() == 0 and not SlaClock.objects.exists()


def test_form_errors_speak_the_users_language(client, clerk):
    client.force_login(clerk)
    response = client.post(url("repair"), {**BASE, "request": ""})  # zh-hans by default
    assert "这个字段是必填项。" in response.content.decode()
    response = client.post(url("repair"), {**BASE, "request": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This field is required." in response.content.decode()


def test_a_user_without_an_office_gets_a_message_and_nothing_is_saved(client, office):
    homeless = UserFactory(username="homeless", office=None, roles=["counter_clerk"])
    client.force_login(homeless)
    response = client.post(url("repair"), {**BASE, **KIND_DATA["repair"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "no office" in response.content.decode()
    assert total() == 0


def test_answering_at_once_without_the_answer_permission_saves_nothing(client, manager, dispatcher, monkeypatch):
    from django.core.exceptions import PermissionDenied

    from supply_service.tickets import services

    def refuse(**kwargs):
        raise PermissionDenied

    monkeypatch.setattr(services, "ticket_answer_at_once", refuse)
    client.force_login(manager)
    response = client.post(url("consultation"), {**BASE, "topic": "information", "answered_at_once": "on",
                                                 "answer": "答复"})
    assert response.status_code == 400 and total() == 0


def test_repair_intake_shows_a_known_outage_and_links_the_ticket(client, agent, dispatcher, office):
    from django.urls import reverse

    from supply_service.outages.services import outage_publish
    from supply_service.tickets.models import RepairTicket
    from tests.factories.core import PASSWORD
    from tests.factories.customers import CustomerFactory, TransformerAreaFactory
    from tests.factories.outages import notice as make_notice

    area = TransformerAreaFactory(feeder__office=office)
    customer = CustomerFactory(office=office, transformer_area=area, feeder=area.feeder, account_number="3100009999")
    notice = make_notice(dispatcher, kind="emergency", areas=[area], explanation="线路遭雷击，预计两小时恢复")
    outage_publish(notice=notice, by=dispatcher)
    client.login(username=agent.username, password=PASSWORD)
    url = reverse("tickets:create", args=["repair"])
    data = {"account_number": "3100009999", "request": "家里没电", "channel": "phone"}
    looked = client.post(url, {**data, "lookup": "1"})
    assert looked.status_code == 200 and notice.number in looked.content.decode()
    assert "线路遭雷击" in looked.content.decode()
    assert not RepairTicket.objects.exists()
    client.post(url, data)
    ticket = RepairTicket.objects.get()
    assert ticket.outage_ref == notice.number and ticket.customer == customer


def test_new_ticket_from_the_customer_page_carries_the_account(client, clerk, office):
    from django.urls import reverse

    from tests.factories.core import PASSWORD
    from tests.factories.customers import CustomerFactory

    customer = CustomerFactory(office=office, account_number="3100004321")
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "?account=3100004321" in page
    links = client.get(reverse("tickets:new"), {"account": "3100004321"}).content.decode()
    assert "account=3100004321" in links
    form = client.get(reverse("tickets:create", args=["expansion"]), {"account": "3100004321"}).content.decode()
    assert 'value="3100004321"' in form
    # the site address falls back to the customer's address
    response = client.post(reverse("tickets:create", args=["expansion"]), {
        "account_number": "3100004321", "request": "新装", "channel": "counter", "business_type": "new_connection",
        "applicant_class": "lv_residential"})
    assert response.status_code == 302
