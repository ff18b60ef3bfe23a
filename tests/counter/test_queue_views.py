"""Queue pages: the number printer and slip (public), the clerk's window, the waiting-hall board and its feed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from supply_service.counter import services
from supply_service.counter.models import QueueTicket
from tests.counter.conftest import NOW
from tests.factories.core import PASSWORD, OfficeFactory
from tests.factories.counter import counter_setup

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_take_a_number_prints_a_slip_with_people_ahead_and_wait_S8_2(client, office, fee, frozen):
    services.ticket_take(service=fee, at=NOW - timedelta(minutes=1))
    page = client.get(reverse("counter:take_at", args=[office.code]))
    assert page.status_code == 200 and 'data-action="take"' in page.content.decode()
    response = client.post(reverse("counter:take_at", args=[office.code]),
                           {"service": fee.pk, "priority": "ordinary", "phone": "13800000001"})
    assert response.status_code == 302
    slip = client.get(response["Location"]).content.decode()
    assert 'data-ticket="A002"' in slip and 'data-ahead="1"' in slip and 'data-wait="5"' in slip
    assert "js/print.js" in slip and "<script>" not in slip
    assert QueueTicket.objects.get(number="A002").phone == "13800000001"


@pytest.mark.parametrize("data", [
    {"service": ""}, {"service": "x"}, {"service": "999999999999999999999"}, {"priority": "vip"},
    {"priority": "appointment"}, {"phone": "abc"},
])
def test_bad_input_at_the_printer_is_a_form_error_and_takes_no_number(client, office, fee, data):
    body = {"service": fee.pk, "priority": "ordinary", **data}
    response = client.post(reverse("counter:take_at", args=[office.code]), body)
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert not QueueTicket.objects.exists()


def test_a_service_of_another_office_cannot_be_taken_here(client, office, hall):
    other = counter_setup(OfficeFactory(code="x2"))["services"]["fee"]
    response = client.post(reverse("counter:take_at", args=[office.code]), {"service": other.pk,
                                                                            "priority": "ordinary"})
    assert response.status_code == 400 and not QueueTicket.objects.exists()


def test_forged_slip_token_is_404(client):
    assert client.get(reverse("counter:slip", args=["abc"])).status_code == 404


def test_take_without_an_office_offers_the_offices(client, office, hall):
    html = client.get(reverse("counter:take")).content.decode()
    assert reverse("counter:take_at", args=[office.code]) in html


def test_the_clerk_opens_calls_serves_and_finishes_at_the_window(client, clerk, fee, win1, frozen):
    services.ticket_take(service=fee)
    login(client, clerk)
    url = reverse("counter:window", args=[win1.pk])
    assert 'data-action="open-window"' in client.get(url).content.decode()
    assert client.post(reverse("counter:window_open", args=[win1.pk])).status_code == 302
    assert client.post(reverse("counter:call_next", args=[win1.pk])).status_code == 302
    ticket = QueueTicket.objects.get()
    html = client.get(url).content.decode()
    assert 'data-current="A001" data-state="called"' in html and 'accesskey="n"' not in html
    client.post(reverse("counter:serve", args=[win1.pk, ticket.pk]), {"account_number": ""})
    assert 'data-state="serving"' in client.get(url).content.decode()
    client.post(reverse("counter:finish", args=[win1.pk, ticket.pk]), {"note": ""})
    ticket.refresh_from_db()
    assert ticket.state == "done" and ticket.transaction.finished_at is not None


def test_window_pages_need_the_call_permission_and_the_office(client, crew, outsider, win1):
    url = reverse("counter:window", args=[win1.pk])
    assert login(client, crew).get(url).status_code == 403
    assert login(client, outsider).get(url).status_code == 404
    assert login(client, outsider).post(reverse("counter:window_open", args=[win1.pk])).status_code == 404


def test_serve_with_an_unknown_account_number_changes_nothing(client, clerk, fee, win1, frozen):
    services.ticket_take(service=fee)
    services.window_open(window=win1, by=clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    response = login(client, clerk).post(reverse("counter:serve", args=[win1.pk, ticket.pk]),
                                         {"account_number": "3100009999"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "called"


def test_windows_list_pins_its_queries(client, clerk, hall, django_assert_max_num_queries):
    login(client, clerk).get(reverse("counter:windows"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("counter:windows")).status_code == 200


def test_board_shows_calls_in_chinese_and_the_signage_language_S8_4(client, office, clerk, fee, win1, frozen):
    office.signage_language = "ug"
    office.save()
    services.ticket_take(service=fee)
    services.window_open(window=win1, by=clerk)
    services.ticket_call_next(window=win1, by=clerk)
    html = client.get(reverse("counter:board", args=[office.code])).content.decode()
    assert 'lang="zh-hans"' in html and 'lang="ug"' in html and "A001" in html
    assert "js/board.js" in html and not re.search(r"<script>(?!</script>)", html)
    feed = client.get(reverse("counter:board_feed", args=[office.code]), {"after": 0}).json()
    assert [c["number"] for c in feed["calls"]] == ["A001"]
    assert {t["lang"] for t in feed["calls"][0]["texts"]} == {"zh-hans", "ug"}
    assert client.get(reverse("counter:board_feed", args=[office.code]), {"after": feed["last"]}).json()["calls"] == []


def test_a_recall_is_announced_again_on_the_board(client, office, clerk, fee, win1, frozen):
    services.ticket_take(service=fee)
    services.window_open(window=win1, by=clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    last = client.get(reverse("counter:board_feed", args=[office.code])).json()["last"]
    services.ticket_call_again(ticket=ticket, by=clerk)
    feed = client.get(reverse("counter:board_feed", args=[office.code]), {"after": last}).json()
    assert [c["number"] for c in feed["calls"]] == ["A001"]


@pytest.mark.parametrize("after", ["x", "-1", "99999999999999999999999", ""])
def test_board_feed_takes_any_after_without_error(client, office, hall, after):
    assert client.get(reverse("counter:board_feed", args=[office.code]), {"after": after}).status_code == 200


def test_board_feed_reads_a_constant_number_of_queries(client, office, clerk, fee, win1, frozen,
                                                       django_assert_max_num_queries):
    services.window_open(window=win1, by=clerk)
    for _ in range(5):
        services.ticket_take(service=fee)
        ticket = services.ticket_call_next(window=win1, by=clerk)
        services.ticket_no_show(ticket=ticket, by=clerk)
    with django_assert_max_num_queries(3):
        assert len(client.get(reverse("counter:board_feed", args=[office.code])).json()["calls"]) == 5
