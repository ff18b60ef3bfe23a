"""The kiosk account page's content written by Python (`{% kiosk_account_html %}`, issue 12) is the page the template
it replaced wrote — kept beside this file as `account_reference.html` — byte for byte, in the four kiosk languages,
on a terminal with a bilingual signage office and without one, for a customer with everything on the page (owing,
a bill overdue, 30 months of bills, payments, an application with its stages and clock, another open request, a
complaint in progress, an outage notice with a text of two lines) and for one with nothing."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from supply_service.kiosk import views
from supply_service.outages.services import outage_approve, outage_publish
from supply_service.tickets.services import ticket_transition
from tests.factories import complaints as make_complaint
from tests.factories import tickets as make_ticket
from tests.factories.core import OfficeFactory
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice
from tests.kiosk.conftest import add_bills, add_payments, verify
from tests.renders import capture_renders

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]

REFERENCE = (Path(__file__).parent / "account_reference.html").read_text()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def captured(monkeypatch):
    return capture_renders(monkeypatch, views, "kiosk/account.html")


def _everything(customer, clerk, crew, manager):
    add_bills(customer, 30)
    add_payments(customer, 15)
    ticket = make_ticket.expansion(clerk, customer=customer)
    ticket_transition(ticket=ticket, action="accept", by=clerk)
    ticket_transition(ticket=ticket, action="survey", by=crew)
    make_ticket.bill_query(clerk, customer=customer)
    make_complaint.complaint(clerk, customer=customer, summary="电费疑问")
    area = TransformerAreaFactory(feeder=FeederFactory(office=customer.office))
    customer.transformer_area, customer.feeder = area, area.feeder
    customer.save()
    notice = make_notice(manager, areas=[area], text_zh_hans="因线路检修停电。\n请提前做好准备 <注意>。")
    outage_approve(notice=notice, by=manager)
    outage_publish(notice=type(notice).objects.get(pk=notice.pk), by=manager)


@pytest.mark.parametrize("bound", [True, False])
def test_the_account_page_is_what_the_template_wrote(client, captured, customer, other_customer, clerk, crew,
                                                     manager, bound):
    if bound:
        OfficeFactory(code="tianshan", name="天山路供电营业厅", signage_language="ug")
        assert client.get("/kiosk/office/tianshan/").status_code == 302
    _everything(customer, clerk, crew, manager)
    pages = {}
    for account, pin in ((customer.account_number, "246810"), (other_customer.account_number, "135790")):
        captured.clear()
        client.post("/kiosk/finish/")
        assert verify(client, account=account, pin=pin).status_code == 302
        assert client.get("/kiosk/account/").status_code == 200
        [(request, context)] = captured
        for language in ("zh-hans", "en", "ug", "bo"):
            with translation.override(language), timezone.override("Asia/Shanghai"):
                new = engines["django"].get_template("kiosk/account.html").render(context, request)
                old = engines["django"].from_string(REFERENCE).render(context, request)
            assert TOKEN.sub("T", new) == TOKEN.sub("T", old), (account, language, bound)
            pages.setdefault(account, new)  # the Chinese page
    full, empty = pages[customer.account_number], pages[other_customer.account_number]
    for part in ('class="card application"', 'id="kiosk-tickets"', 'id="kiosk-complaints"', "<br>", "<svg",
                 'id="kiosk-account-methods"', 'id="kiosk-payments"', 'class="kiosk-panel"'):
        assert part in full, part  # the comparison covered every section with something in it
    for part in ('id="kiosk-no-application"', 'id="kiosk-no-complaints"', 'class="muted"'):
        assert part in empty, part  # and every section empty
