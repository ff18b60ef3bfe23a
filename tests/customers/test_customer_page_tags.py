"""The customer page's sections written by Python (`customers/templatetags/customer_page.py`, issue 12) give the
page the template they replaced gave, byte for byte — kept beside this file as `customer_detail_reference.html` —
in every staff language and every state of the page: the customer's own office and another (masked), owing with a
bill overdue or not, cut off for arrears with the reconnection clock running, a PIN set or not, the PIN form bound
with its errors, no bills, payments or meters, two pages of payments, a home-service customer."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from supply_service.customers import views
from supply_service.customers.models import PaymentMethod
from supply_service.customers.selectors import months_back
from supply_service.customers.services import customer_disconnect, customer_set_pin, payment_record
from tests.factories.core import PASSWORD
from tests.factories.customers import BillFactory, CustomerFactory, MeterFactory, PaymentFactory
from tests.renders import capture_renders

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "customer_detail_reference.html").read_text()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def captured(monkeypatch):
    """The request and context each customer page view renders with."""
    return capture_renders(monkeypatch, views)


def _both(request, context) -> tuple[str, str]:
    """(the page as rendered now, the page the reference template renders) for one view's context."""
    new = engines["django"].get_template("customers/customer_detail.html").render(context, request)
    old = engines["django"].from_string(REFERENCE).render(context, request)
    return TOKEN.sub("TOKEN", new), TOKEN.sub("TOKEN", old)


def _owing(office):
    customer = CustomerFactory(office=office, name="王<小>&明", address="人民路 <12> 号", phone2="13900000000",
                               is_disabled=True, is_elderly_limited_mobility=True)
    MeterFactory(customer=customer, number="M-2", kind="three_phase")
    MeterFactory(customer=customer, number="M-1")
    today = timezone.localdate()
    for n in range(26):
        BillFactory(customer=customer, period=months_back(today, n), kwh=Decimal(f"{100 + n}.5"),
                    amount=Decimal(f"{50 + n}.25"), due_date=today - timedelta(days=20 - n))
    for n in range(15):
        PaymentFactory(customer=customer, amount=Decimal(f"{n}.10"), reference=f"R<{n}>")
    return customer


def _panels_of(customer, office, clerk, manager):
    """Something in each panel of the page: tickets (open and closed), a complaint, an appointment, an outage."""
    from supply_service.appointments.models import Appointment
    from supply_service.outages.services import outage_approve, outage_publish
    from supply_service.tickets.services import ticket_cancel
    from tests.factories import complaints, outages, tickets
    from tests.factories.appointments import kind

    tickets.repair(clerk, customer=customer)
    tickets.consultation(clerk, customer=customer)
    closed = tickets.consultation(clerk, customer=customer)
    ticket_cancel(ticket=closed, by=manager, reason="客户撤回")
    complaints.complaint(clerk, customer=customer)
    start = timezone.now() + timedelta(days=3)
    Appointment.objects.create(number="YY-20261203-1", office=office, channel="phone", kind=kind("business"),
                               customer=customer, starts_at=start, ends_at=start + timedelta(minutes=30),
                               place="office", access_code="123456", first_responder=clerk,
                               owner=clerk)
    notice = outages.notice(manager, feeders=[customer.feeder])
    outage_approve(notice=notice, by=manager)
    outage_publish(notice=type(notice).objects.get(pk=notice.pk), by=manager)


def _cases(office, other_office, clerk, dispatcher, outsider, manager):
    owing = _owing(office)
    customer_set_pin(customer=owing, pin="482913", by=clerk)
    _panels_of(owing, office, clerk, manager)
    empty = CustomerFactory(office=office, feeder=None, transformer_area=None)
    cut = CustomerFactory(office=office)
    BillFactory(customer=cut, period=date(2026, 1, 1), amount=Decimal("80.00"), due_date=date(2026, 2, 1))
    customer_disconnect(customer=cut, by=dispatcher, reason="欠费 <通知已送达>")
    payment_record(customer=cut, amount=Decimal("80.00"), method=PaymentMethod.objects.get(code="counter"),
                   reference="P-cut", by=manager)  # paid: the reconnection clock runs
    other = CustomerFactory(office=other_office, name="赵六")
    BillFactory(customer=other, amount=Decimal("10.00"))
    return [
        (clerk, owing, None), (clerk, owing, {"payments": "2"}), (clerk, owing, {"payments": "x"}),
        (clerk, empty, None), (dispatcher, cut, None), (dispatcher, owing, None), (outsider, owing, None),
        (clerk, other, None), (clerk, owing, "bad-pin"), (clerk, owing, "mismatch"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_the_page_is_what_the_template_wrote(client, captured, office, other_office, clerk, dispatcher, outsider,
                                             manager, language):
    cases = _cases(office, other_office, clerk, dispatcher, outsider, manager)
    shown = set()
    for user, customer, extra in cases:
        captured.clear()
        assert client.login(username=user.username, password=PASSWORD)
        client.cookies["django_language"] = language
        if extra in ("bad-pin", "mismatch"):
            pin, again = ("12", "12") if extra == "bad-pin" else ("482913", "482914")
            response = client.post(reverse("customers:reset_pin", args=[customer.pk]), {"pin": pin, "pin_again": again})
            assert response.status_code == 400
        else:
            response = client.get(reverse("customers:detail", args=[customer.pk]), extra or {})
            assert response.status_code == 200
        [(request, context)] = captured
        with translation.override(language), timezone.override("Asia/Shanghai"):
            new, old = _both(request, context)
        assert new == old, (user.username, customer.account_number, extra, language)
        shown |= {panel.key for panel in context["panels"] if panel.html and panel.context.get("rows", True)}
        client.logout()
    assert shown == {"tickets", "complaints", "appointments", "outages"}  # every panel written, with rows
