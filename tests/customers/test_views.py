import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from supply_service.customers.models import Customer
from supply_service.customers.selectors import months_back
from tests.factories.core import PASSWORD
from tests.factories.customers import BillFactory, CustomerFactory, MeterFactory, PaymentFactory


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def customer(office):
    c = CustomerFactory(account_number="3100000123", name="张小三", phone="13812341234", office=office)
    MeterFactory(customer=c)
    return c


def test_search_needs_login_and_permission(client, nobody, crew, customer):
    assert client.get(reverse("customers:search")).status_code == 302
    assert login(client, nobody).get(reverse("customers:search")).status_code == 403
    client.logout()
    assert login(client, crew).get(reverse("customers:search"), {"q": "张"}).status_code in (200, 302)


def test_search_results_are_masked(client, clerk, customer, office):
    CustomerFactory(account_number="3100000124", name="张大山", phone="13912345678", office=office)
    html = login(client, clerk).get(reverse("customers:search"), {"q": "张"}).content.decode()
    assert "张*三" in html and "138****1234" in html and "张*山" in html
    assert "张小三" not in html and "13812341234" not in html


def test_search_results_mask_the_address_too(client, clerk, customer, office):
    """The list shows every office's customers: the address as the customer page shows it to another office."""
    from supply_service.customers import views  # noqa: PLC0415

    Customer.objects.filter(pk=customer.pk).update(address="人民路 12 号 3 单元 501")
    CustomerFactory(account_number="3100000124", name="张大山", address="解放路 88 号", office=office)
    html = login(client, clerk).get(reverse("customers:search"), {"q": "张"}).content.decode()
    assert views.mask_address("人民路 12 号 3 单元 501") in html and views.mask_address("解放路 88 号") in html
    assert "12 号" not in html and "88 号" not in html


def test_search_counts_up_to_its_cap_and_then_says_more(client, clerk, office, monkeypatch,
                                                        django_assert_num_queries):
    """Matches are counted up to SEARCH_COUNT_CAP (a one-character name matches a city); past it the page says
    "more than" and its pages reach the cap — in the same number of queries whatever the number of matches."""
    from supply_service.customers import views  # noqa: PLC0415

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(views, "SEARCH_PAGE", 2)
    for n in range(5):
        CustomerFactory(account_number=f"310000020{n}", name=f"王{n}", office=office)
    login(client, clerk)
    client.get(reverse("customers:search"), {"q": "王"})
    # session, user, the user's permissions (a fresh client's first check), the capped count, the page's rows
    with django_assert_num_queries(5):
        html = client.get(reverse("customers:search"), {"q": "王"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    count = re.search(r'<p class="muted" id="search-count">(.*?)</p>', html).group(1)
    assert "3" in count and "5" not in count and "Narrow the search" in count
    assert html.count("/customers/") >= 2 and "Page 1 of 2" in html
    last = client.get(reverse("customers:search"), {"q": "王", "page": "9"}, HTTP_ACCEPT_LANGUAGE="en")
    assert last.status_code == 200 and "Page 2 of 2" in last.content.decode()  # the cap's last page, not the 3rd
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 5)
    html = client.get(reverse("customers:search"), {"q": "王"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    count = re.search(r'<p class="muted" id="search-count">(.*?)</p>', html).group(1)
    assert "5 customers found" in count and "Narrow" not in count


def test_a_single_hit_opens_the_customer_page(client, clerk, customer):
    response = login(client, clerk).get(reverse("customers:search"), {"q": "3100000123"})
    assert response.status_code == 302 and response["Location"] == reverse("customers:detail", args=[customer.pk])


def test_no_hit_and_odd_input_give_a_message_not_an_error(client, clerk, customer):
    login(client, clerk)
    for query in ["0000000000", "'; drop table", "x" * 61, "%", "张" * 3]:
        response = client.get(reverse("customers:search"), {"q": query})
        assert response.status_code == 200
    assert client.get(reverse("customers:detail", args=[999999])).status_code == 404


def test_customer_page_shows_account_bills_payments_and_arrears(client, clerk, customer):
    BillFactory(customer=customer, period=date(2026, 10, 1), kwh=Decimal("321.00"), amount=Decimal("170.00"))
    PaymentFactory(customer=customer, amount=Decimal("50.00"), reference="PAY-1")
    response = login(client, clerk).get(reverse("customers:detail", args=[customer.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张小三" in html and "13812341234" in html and "PAY-1" in html
    assert 'data-arrears="120.00"' in html
    assert "<svg" in html and "321.00 kWh" in html


@pytest.mark.parametrize("months", [24, 2400])
def test_customer_page_reads_a_constant_number_of_queries(client, clerk, customer, months,
                                                          django_assert_max_num_queries):
    from supply_service.customers.models import Bill, Payment, PaymentMethod

    method = PaymentMethod.objects.get(code="counter")
    Bill.objects.bulk_create([
        Bill(customer=customer, period=months_back(date(2026, 11, 1), n), kwh=Decimal(100 + n % 50),
             amount=Decimal("60.00"), due_date=date(2026, 12, 25))
        for n in range(months)
    ])
    from django.utils import timezone

    Payment.objects.bulk_create([
        Payment(customer=customer, reference=f"R{n}", paid_at=timezone.now(), amount=Decimal("60.00"), method=method)
        for n in range(months)
    ])
    login(client, clerk)
    # session, user, permissions, the customer with its sums, the access-log row (+ its content type), bills, payments
    # (the page with its total: one statement), meters, four panels (the tickets open and closed in one statement,
    # appointments, complaints, two for outages), the signed-in user's office for the top bar: the same at 24 and
    # 2 400 months
    with django_assert_max_num_queries(15):
        response = client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 200
    assert len(response.context["bills"]) == min(months, 24)


def test_pin_reset_by_clerk_is_hashed_and_in_history(client, clerk, customer):
    response = login(client, clerk).post(
        reverse("customers:reset_pin", args=[customer.pk]), {"pin": "246810", "pin_again": "246810"}
    )
    assert response.status_code == 302
    customer = Customer.objects.get(pk=customer.pk)
    assert customer.check_pin("246810")
    assert customer.history.first().history_user == clerk
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "246810" not in page and customer.pin_hash not in page


@pytest.mark.parametrize(
    "data", [{"pin": "246810", "pin_again": "246811"}, {"pin": "111111", "pin_again": "111111"},
             {"pin": "12ab56", "pin_again": "12ab56"}, {}]
)
def test_bad_pin_input_changes_nothing(client, clerk, customer, data):
    response = login(client, clerk).post(reverse("customers:reset_pin", args=[customer.pk]), data)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Customer.objects.get(pk=customer.pk).has_pin


def test_pin_reset_refused_without_permission(client, agent, customer):
    response = login(client, agent).post(
        reverse("customers:reset_pin", args=[customer.pk]), {"pin": "246810", "pin_again": "246810"}
    )
    assert response.status_code == 403
    assert not Customer.objects.get(pk=customer.pk).has_pin
    assert "pin-form" not in client.get(reverse("customers:detail", args=[customer.pk])).content.decode()


def test_customer_page_shows_outages_and_the_planned_count_S6_5(client, clerk, dispatcher, manager, office):
    from datetime import timedelta

    from django.utils import timezone

    from supply_service.outages.services import outage_approve, outage_publish
    from tests.factories.customers import TransformerAreaFactory
    from tests.factories.outages import notice as make_notice

    area = TransformerAreaFactory(feeder__office=office)
    customer = CustomerFactory(office=office, transformer_area=area, feeder=area.feeder)
    n = make_notice(dispatcher, areas=[area], start=timezone.now() + timedelta(days=10))
    outage_approve(notice=n, by=manager)
    outage_publish(notice=type(n).objects.get(pk=n.pk), by=manager)
    html = login(client, clerk).get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert n.number in html
    year = (timezone.now() + timedelta(days=10)).year
    expected = "1" if year == timezone.now().year else "0"
    assert f'data-count="{expected}"' in html
