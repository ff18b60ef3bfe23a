"""`core.access.request_user`: the view gets the user itself (not Django's lazy proxy, two Python calls a read) and
the request carries it from then on — whether the proxy was evaluated already (after the login check), not yet, or
the request holds a plain user; the hot pages use it and still answer as before."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from supply_service.core.access import request_user
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_proxy_is_replaced_by_the_user(clerk):
    request = RequestFactory().get("/")
    loads = []
    request.user = SimpleLazyObject(lambda: loads.append(1) or clerk)
    assert request_user(request) is clerk and request.user is clerk and loads == [1]  # evaluated here
    request.user = lazy = SimpleLazyObject(lambda: clerk)
    assert lazy.is_authenticated  # evaluated (as after the login check)
    assert request_user(request) is clerk and request.user is clerk
    assert request_user(request) is clerk  # a plain user stays
    request.user = SimpleLazyObject(AnonymousUser)
    assert isinstance(request_user(request), AnonymousUser)


def test_the_hot_pages_still_answer(client, manager, office):
    customer = CustomerFactory(office=office)
    assert client.login(username=manager.username, password=PASSWORD)
    for url in (reverse("core:home"), reverse("core:my_clocks"), "/tickets/?scope=office",
                reverse("customers:detail", args=[customer.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.wsgi_request.user == manager and not isinstance(response.wsgi_request.user, SimpleLazyObject)
    client.logout()
    assert client.get(reverse("core:home")).status_code == 302  # the login check still first
