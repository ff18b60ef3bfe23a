"""Issue 10, fault 6: customer data across offices. A city shares its customers: staff of any office find a
customer (masked) and take a request for them; sensitive changes — the kiosk PIN, contact details — only by staff
of the customer's home office (or a holder of `core.act_any_office`)."""

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Permission
from django.urls import reverse

from supply_service.core.access import OtherOfficeDenied
from supply_service.core.models import PersonalDataAccess
from supply_service.customers.models import Customer
from supply_service.customers.services import customer_set_pin
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(office):
    return CustomerFactory(office=office, name="张小三", phone="13812341234", address="人民路 12 号 3 单元")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_issue10_fault6_a_clerk_of_another_office_cannot_reset_the_pin_in_the_service(customer, outsider):
    with pytest.raises(OtherOfficeDenied):
        customer_set_pin(customer=customer, pin="581937", by=outsider)
    assert not Customer.objects.get(pk=customer.pk).pin_hash


def test_issue10_fault6_the_pin_page_refuses_with_a_message_and_changes_nothing(client, customer, outsider):
    login(client, outsider)
    response = client.post(reverse("customers:reset_pin", args=[customer.pk]), {"pin": "581937",
                                                                                "pin_again": "581937"}, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert not Customer.objects.get(pk=customer.pk).pin_hash


def test_the_home_office_clerk_resets_the_pin(customer, clerk):
    customer_set_pin(customer=customer, pin="581937", by=clerk)
    assert check_password("581937", Customer.objects.get(pk=customer.pk).pin_hash)


def test_a_cross_office_holder_may_reset_the_pin(customer, other_office):
    user = UserFactory(username="city", office=other_office, roles=["counter_clerk"])
    user.user_permissions.add(Permission.objects.get(codename="act_any_office"))
    customer_set_pin(customer=customer, pin="581937", by=type(user).objects.get(pk=user.pk))


def test_issue10_fault6_another_office_reads_the_customer_masked_and_may_take_a_request(client, customer, outsider):
    html = login(client, outsider).get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "张*三" in html and "138****1234" in html and "张小三" not in html and "13812341234" not in html
    assert "3 单元" not in html and 'id="masked-note"' in html
    assert reverse("customers:reset_pin", args=[customer.pk]) not in html  # no PIN form
    assert "new-ticket-for-customer" in html  # a request can be taken for them
    assert not PersonalDataAccess.objects.exists()  # masked: nothing personal was shown


def test_the_home_office_sees_the_customer_unmasked(client, customer, clerk):
    html = login(client, clerk).get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "张小三" in html and "13812341234" in html and 'id="masked-note"' not in html
