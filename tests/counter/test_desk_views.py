"""The counter desk (S10.2.1): start serving, the timer, finish, today's list and its summary."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from supply_service.core.models import Commitment, SlaClock
from supply_service.tickets.models import CounterTransaction
from supply_service.tickets.services import counter_finish, counter_start
from supply_service.tickets.views_counter import clock_status, duration_text
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=SH)
URL = "/counter/desk/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def clock_of(record) -> SlaClock:
    return SlaClock.objects.get(object_id=record.pk, commitment__code=record.commitment_code)


def test_url_names():
    assert reverse("counter:desk") == URL
    assert reverse("counter:desk_finish", args=["GT-20261127-0001"]) == "/counter/desk/GT-20261127-0001/finish/"


def test_counter_needs_login_and_the_serve_permission(client, nobody, crew, clerk):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(client, nobody).get(URL).status_code == 403
    assert login(client, crew).get(URL).status_code == 403
    assert login(client, crew).post(URL, {"kind": "other"}).status_code == 403
    assert login(client, clerk).get(URL).status_code == 200
    assert not CounterTransaction.objects.exists()


def test_finish_needs_post_login_and_permission(client, clerk, crew):
    record = counter_start(clerk=clerk, kind="other")
    url = reverse("counter:desk_finish", args=[record.number])
    assert client.post(url).status_code == 302 and "/accounts/login/" in client.post(url)["Location"]
    assert login(client, crew).post(url).status_code == 403
    assert login(client, clerk).get(url).status_code == 405
    record.refresh_from_db()
    assert record.finished_at is None


def test_start_serving_residential_fee_collection_starts_its_clock_S10_2_1(client, clerk):
    response = login(client, clerk).post(URL, {"kind": "fee_residential", "account_number": ""})
    assert response.status_code == 302 and response["Location"] == URL
    record = CounterTransaction.objects.get()
    assert record.clerk == clerk and record.office == clerk.office and record.customer is None
    assert record.started_at == NOW and record.number.startswith("GT-20261127-")
    clock = clock_of(record)
    assert clock.commitment.code == "counter_fee_residential" and clock.due_at == NOW + timedelta(minutes=5)


def test_start_with_an_account_number_links_the_customer(client, clerk, office):
    customer = CustomerFactory(account_number="3100000777", office=office)
    login(client, clerk).post(URL, {"kind": "other", "account_number": " 3100000777 "})
    record = CounterTransaction.objects.get()
    assert record.customer == customer
    assert clock_of(record).due_at == NOW + timedelta(minutes=15)


@pytest.mark.parametrize("data", [
    {"kind": "other", "account_number": "3100000999"},   # nobody has it
    {"kind": "other", "account_number": "12345"},        # not 10 digits
    {"kind": "other", "account_number": "31000009999"},  # too long
    {"kind": "lunch"},                                   # not a kind
    {},
])
def test_bad_input_is_a_form_error_and_saves_nothing(client, clerk, data):
    response = login(client, clerk).post(URL, data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not CounterTransaction.objects.exists() and not SlaClock.objects.exists()


def test_a_clerk_without_an_office_gets_a_message_not_an_error(client, clerk):
    clerk.office = None
    clerk.save()
    response = login(client, clerk).post(URL, {"kind": "other"})
    assert response.status_code == 400 and "data-form-errors" in response.content.decode()
    assert not CounterTransaction.objects.exists()


def test_the_open_transaction_shows_its_start_time_and_a_timer(client, clerk):
    record = counter_start(clerk=clerk, kind="fee_residential", at=NOW - timedelta(minutes=2))
    html = login(client, clerk).get(URL).content.decode()
    assert f'data-open-transaction="{record.number}"' in html
    assert f'data-started-at="{int(record.started_at.timestamp())}"' in html
    assert f'data-due-at="{int((record.started_at + timedelta(minutes=5)).timestamp())}"' in html
    assert f'data-server-now="{int(NOW.timestamp())}"' in html
    assert ">09:58:00</time>" in html  # works without JavaScript: the start time, Beijing time
    assert 'id="start-form"' not in html and "js/counter.js" in html


def test_a_second_customer_waits_until_the_first_is_finished(client, clerk):
    counter_start(clerk=clerk, kind="other")
    response = login(client, clerk).post(URL, {"kind": "other"})
    assert response.status_code == 400
    assert CounterTransaction.objects.count() == 1


def test_finishing_stops_the_clock_met_within_the_limit(client, clerk, frozen):
    record = counter_start(clerk=clerk, kind="fee_residential")
    frozen.shift(timedelta(minutes=4, seconds=30))
    response = login(client, clerk).post(reverse("counter:desk_finish", args=[record.number]), {"note": "交费 200 元"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.finished_at == NOW + timedelta(minutes=4, seconds=30) and record.note == "交费 200 元"
    assert clock_of(record).state == "met"
    html = client.get(URL).content.decode()
    assert f'data-number="{record.number}" data-state="met"' in html
    assert 'data-duration="4:30"' in html and 'id="start-form"' in html


def test_finishing_late_is_breached(client, clerk, frozen):
    record = counter_start(clerk=clerk, kind="fee_residential")
    frozen.shift(timedelta(minutes=6))
    login(client, clerk).post(reverse("counter:desk_finish", args=[record.number]))
    assert clock_of(record).state == "breached"
    assert f'data-number="{record.number}" data-state="breached"' in client.get(URL).content.decode()


def test_limits_come_from_the_commitment_table(client, clerk):
    Commitment.objects.filter(code="counter_fee_residential").update(limit=3)
    record = counter_start(clerk=clerk, kind="fee_residential")
    assert clock_of(record).due_at == NOW + timedelta(minutes=3)
    counter_finish(record=record, by=clerk)
    html = login(client, clerk).get(URL).content.decode()
    assert "3 分钟" in html or "3 minutes" in html


def test_finishing_twice_or_someone_elses_transaction(client, clerk, outsider, office):
    from tests.factories.core import UserFactory

    record = counter_start(clerk=clerk, kind="other")
    url = reverse("counter:desk_finish", args=[record.number])
    colleague = UserFactory(username="colleague", office=office, roles=["counter_clerk"])
    assert login(client, colleague).post(url).status_code == 403
    assert login(client, clerk).post(url).status_code == 302
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "msg error" in response.content.decode()
    assert login(client, clerk).post(reverse("counter:desk_finish", args=["GT-19990101-0001"])).status_code == 404
    assert login(client, clerk).post(url, {"note": "x" * 300}).status_code == 302  # a message, not a 500


def test_today_lists_only_my_transactions_of_today_with_a_summary(client, clerk, office, frozen):
    from tests.factories.core import UserFactory

    colleague = UserFactory(username="colleague", office=office, roles=["counter_clerk"])
    yesterday = counter_start(clerk=clerk, kind="other", at=NOW - timedelta(days=1))
    counter_finish(record=yesterday, by=clerk, at=NOW - timedelta(days=1) + timedelta(minutes=1))
    theirs = counter_start(clerk=colleague, kind="other", at=NOW - timedelta(hours=1))
    fast = counter_start(clerk=clerk, kind="fee_residential", at=NOW - timedelta(hours=2))
    counter_finish(record=fast, by=clerk, at=NOW - timedelta(hours=2) + timedelta(minutes=2))
    slow = counter_start(clerk=clerk, kind="fee_residential", at=NOW - timedelta(hours=1))
    counter_finish(record=slow, by=clerk, at=NOW - timedelta(hours=1) + timedelta(minutes=7))
    html = login(client, clerk).get(URL).content.decode()
    assert fast.number in html and slow.number in html
    assert yesterday.number not in html and theirs.number not in html
    assert 'data-count="2"' in html and 'data-rate="50.0"' in html


def test_an_open_transaction_past_its_limit_shows_overdue(client, clerk):
    counter_start(clerk=clerk, kind="fee_residential", at=NOW - timedelta(minutes=6))
    html = login(client, clerk).get(URL).content.decode()
    assert 'data-state="overdue"' in html and 'data-over="true"' in html


@pytest.mark.parametrize("count", [3, 40])
def test_counter_page_reads_a_constant_number_of_queries(client, clerk, office, count, django_assert_max_num_queries):
    customer = CustomerFactory(office=office)
    for n in range(count):
        record = counter_start(clerk=clerk, kind="other", customer=customer, at=NOW - timedelta(minutes=10 * n + 5))
        counter_finish(record=record, by=clerk, at=record.started_at + timedelta(minutes=3))
    counter_start(clerk=clerk, kind="fee_residential", customer=customer)
    login(client, clerk)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.status_code == 200
    assert client.get(URL, {"page": "x"}).status_code == 200
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_clock_status_and_duration_text():
    assert clock_status("met", None, finished=True, now=NOW) == "met"
    assert clock_status("running", NOW - timedelta(seconds=1), finished=False, now=NOW) == "overdue"
    assert clock_status("running", NOW + timedelta(seconds=1), finished=False, now=NOW) == "running"
    assert clock_status(None, None, finished=False, now=NOW) == "none"
    assert duration_text(timedelta(minutes=4, seconds=5)) == "4:05"
    assert duration_text(timedelta(hours=1, minutes=2, seconds=3)) == "1:02:03"
    assert duration_text(None) == ""
