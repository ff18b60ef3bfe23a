"""The cash-up (issue 15): any days (a from–to chooser, today by default), totals per clerk, window and method, each
clerk's totals per method with the reversals counted apart and listed; the view permission; constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supply_service.counter import services, services_pay
from supply_service.counter.models import Tender
from tests.counter.conftest import NOW
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db
URL = reverse("counter:cashup")


@pytest.fixture
def serve(fee, win1, clerk, office):
    services.window_open(window=win1, by=clerk)
    current = []

    def serving():
        if current:
            services.ticket_finish(ticket=current.pop(), by=clerk)
        services.ticket_take(service=fee)
        ticket = services.ticket_call_next(window=win1, by=clerk)
        current.append(services.ticket_serve(ticket=ticket, by=clerk, customer=CustomerFactory(office=office)))
        return current[-1]

    return serving


def pay(ticket, clerk, amount, code="cash"):
    return services_pay.payment_take(ticket=ticket, by=clerk, amount=Decimal(amount), tender=Tender.objects.get(
        code=code), tendered=Decimal(amount) if code == "cash" else None)


def page(client, user, **params):
    assert client.login(username=user.username, password=PASSWORD)
    return client.get(URL, params)


def test_today_by_default_and_any_range_with_per_clerk_totals_and_reversals(client, serve, clerk, manager, frozen):
    yesterday = serve()
    pay(yesterday, clerk, "7.00")
    frozen.shift(timedelta(days=1))
    today = serve()
    pay(today, clerk, "10.00")
    pay(today, clerk, "2.50", code="bank_card")
    card = pay(today, clerk, "5.00", code="bank_card")
    services_pay.receipt_reverse(receipt=card, by=manager, reason="重复收费")
    html = page(client, manager).content.decode()
    day = (NOW + timedelta(days=1)).date()
    assert f'data-days="{day}/{day}"' in html
    assert 'data-total="10.00"' in html and 'data-total="7.00"' not in html
    assert f'data-reversal="{card.number}"' in html and "重复收费" in html
    assert 'data-reversed="5.00"' in html and 'data-net="12.50"' in html  # clerk: 17.50 taken, 5.00 reversed
    html = page(client, manager, start=str(NOW.date()), end=str(day)).content.decode()
    assert f'data-days="{NOW.date()}/{day}"' in html
    assert 'data-total="17.00"' in html  # cash of both days, per clerk and method
    assert 'data-net="19.50"' in html


@pytest.mark.parametrize("params", [{"start": "2026-13-01"}, {"start": "2026-11-27", "end": "2026-11-01"},
                                    {"start": "2020-01-01", "end": "2026-01-01"}, {"end": "x" * 200}])
def test_bad_days_are_a_message_and_show_nothing(client, serve, clerk, params, frozen):
    pay(serve(), clerk, "3.00")
    response = page(client, clerk, **params)
    assert response.status_code == 400 and b"data-cashup" not in response.content
    assert b'class="msg error' in response.content


def test_the_cash_up_needs_the_receipt_permission(client, crew):
    assert client.get(URL).status_code == 302
    assert page(client, crew).status_code == 403


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"start": str(NOW.date()), "end": str(NOW.date())}).status_code == 200
    return len(captured)


def test_the_cash_up_reads_a_constant_number_of_queries(client, serve, clerk, manager, frozen):
    pay(serve(), clerk, "1.00")
    page(client, manager)
    small = _queries(client)
    for n in range(6):
        receipt = pay(serve(), clerk, f"{n + 2}.00", code=["cash", "bank_card", "mobile_pay"][n % 3])
        if n % 2:
            services_pay.receipt_reverse(receipt=receipt, by=manager, reason="测试")
    assert _queries(client) == small
