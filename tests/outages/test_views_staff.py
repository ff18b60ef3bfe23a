"""Staff outage pages: the list and the notice page with its steps (S6.5, S10.2.9, S10.2.10)."""

from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition

from supply_service.core.models import Outbox
from supply_service.customers.models import Customer
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.outages.services import outage_approve, outage_operate, outage_publish
from tests.factories import tickets as make_ticket
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outages.urls_for_tests")]


@pytest.fixture
def grid(office):
    feeder = FeederFactory(office=office, code="10kV-101", name="人民线")
    area = TransformerAreaFactory(feeder=feeder, code="TA-101-01", name="人民路一号台区")
    return {"feeder": feeder, "area": area}


def customer_on(area, **kw):
    return CustomerFactory(office=area.feeder.office, transformer_area=area, feeder=area.feeder, **kw)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def publish_planned(dispatcher, manager, **kw):
    n = make_notice(dispatcher, **kw)
    outage_approve(notice=n, by=manager)
    return outage_publish(notice=fresh(n), by=manager)


def step(client, notice, action, **data):
    data.setdefault("seen_state", fresh(notice).state)
    return client.post(reverse("outages:step", args=[notice.number, action]), data)


def page(client, notice, **params):
    response = client.get(reverse("outages:detail", args=[notice.number]), params)
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- login and permissions --------------------------------------------------------------------------------------

def staff_urls(number):
    return {
        "get": [reverse("outages:list"), reverse("outages:new"), reverse("outages:detail", args=[number]),
                reverse("outages:edit", args=[number])],
        "post": [reverse("outages:step", args=[number, "approve"]), reverse("outages:retry_failed", args=[number])],
    }


def test_every_staff_page_needs_a_login(client, dispatcher, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    urls = staff_urls(n.number)
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in urls["post"]:
        response = client.post(url, {"seen_state": "draft"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert fresh(n).state == "draft"


def test_every_staff_page_needs_its_permission(client, dispatcher, nobody, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, nobody)
    urls = staff_urls(n.number)
    for url in urls["get"]:
        assert client.get(url).status_code == 403, url
    for url in urls["post"]:
        assert client.post(url, {"seen_state": "draft"}).status_code == 403, url
    assert fresh(n).state == "draft"


def test_readers_see_notices_but_may_not_write(client, dispatcher, clerk, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, clerk)
    assert client.get(reverse("outages:list")).status_code == 200
    html = page(client, n)
    assert 'id="notice-steps"' not in html and 'id="edit-notice"' not in html
    assert client.get(reverse("outages:new")).status_code == 403
    assert client.get(reverse("outages:edit", args=[n.number])).status_code == 403
    response = step(client, n, "approve")
    assert response.status_code == 302 and fresh(n).state == "draft"
    assert messages_of(response)


def test_staff_of_another_office_read_but_change_nothing(client, dispatcher, manager, grid, other_office):
    from tests.factories.core import UserFactory

    stranger = UserFactory(username="stranger", office=other_office, roles=["manager"])
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, stranger)
    html = page(client, n)
    assert 'id="other-office"' in html and 'id="notice-steps"' not in html
    response = step(client, n, "approve")
    assert response.status_code == 302 and fresh(n).state == "draft"
    response = client.get(reverse("outages:edit", args=[n.number]))
    assert response.status_code == 302 and fresh(n).state == "draft"


@pytest.mark.parametrize("path", ["TD%00x/", "TD%00x/edit/", "nothing/do/approve/", "TD-20261127-0001%00/"])
def test_odd_paths_are_404_never_500(client, manager, path):
    login(client, manager)
    assert client.get(f"/outages/{path}").status_code == 404
    assert client.post(f"/outages/{path}").status_code == 404


def test_nul_bytes_in_the_list_filters_are_ignored(client, manager):
    login(client, manager)
    assert client.get(reverse("outages:list"), {"state": "\x00", "kind": "\x00", "scope": "\x00"}).status_code == 200


def test_unknown_notice_or_step_is_404(client, manager, dispatcher, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, manager)
    assert client.get(reverse("outages:detail", args=["TD-20990101-9999"])).status_code == 404
    assert client.post(reverse("outages:step", args=[n.number, "delete"])).status_code == 404
    assert client.post(reverse("outages:step", args=["TD-20990101-9999", "approve"])).status_code == 404
    assert client.get(reverse("outages:step", args=[n.number, "approve"])).status_code == 405


# --- the list ---------------------------------------------------------------------------------------------------

def test_list_filters_by_state_and_kind(client, dispatcher, manager, grid):
    draft = make_notice(dispatcher, areas=[grid["area"]])
    emergency = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now())
    published = publish_planned(dispatcher, manager, areas=[grid["area"]])
    login(client, dispatcher)
    url = reverse("outages:list")
    html = client.get(url).content.decode()
    assert all(n.number in html for n in (draft, emergency, published))
    html = client.get(url, {"state": "draft"}).content.decode()
    assert draft.number in html and emergency.number in html and published.number not in html
    html = client.get(url, {"state": "draft", "kind": "emergency"}).content.decode()
    assert emergency.number in html and draft.number not in html
    html = client.get(url, {"state": "nonsense", "kind": "<b>"}).content.decode()  # bad values are ignored
    assert all(n.number in html for n in (draft, emergency, published))


def test_list_shows_the_users_office_unless_all_are_asked_for(client, dispatcher, grid, other_office):
    from tests.factories.core import UserFactory

    mine = make_notice(dispatcher, areas=[grid["area"]])
    theirs = make_notice(UserFactory(username="d2", office=other_office, roles=["dispatcher"]))
    login(client, dispatcher)
    html = client.get(reverse("outages:list")).content.decode()
    assert mine.number in html and theirs.number not in html
    html = client.get(reverse("outages:list"), {"scope": "all"}).content.decode()
    assert mine.number in html and theirs.number in html


@pytest.mark.parametrize("count", [5, 60])
def test_list_reads_a_constant_number_of_queries(client, dispatcher, office, count, django_assert_max_num_queries):
    now = timezone.now()
    OutageNotice.objects.bulk_create([
        OutageNotice(number=f"TD-20991231-{i:04d}", office=office, kind="planned", area_zh_hans=f"第{i}街区",
                     text_zh_hans="检修停电。", reason="检修", planned_start=now + timedelta(days=10, hours=i),
                     planned_end=now + timedelta(days=10, hours=i + 3), created_by=dispatcher)
        for i in range(count)
    ])
    login(client, dispatcher)
    with django_assert_max_num_queries(8):  # measured: 7
        response = client.get(reverse("outages:list"), {"page": 2})
    assert response.status_code == 200


# --- the notice page and its steps ------------------------------------------------------------------------------

def test_the_draft_page_shows_summary_steps_preview_and_history(client, dispatcher, manager, grid):
    customer_on(grid["area"], account_number="3100000001", name="张小三", importance="first")
    n = make_notice(dispatcher, areas=[grid["area"]], feeders=[grid["feeder"]])
    login(client, manager)
    html = page(client, n)
    assert 'data-state="draft"' in html and "人民路一带" in html and "人民线" in html
    assert 'data-action="approve"' in html and 'data-action="cancel"' in html
    assert 'data-action="publish"' not in html  # planned: approve first
    assert 'id="affected-count" data-count="1"' in html and "张*三" in html and "张小三" not in html
    assert 'id="publish-deadline"' in html
    assert 'data-reason="outages.create"' in html


def test_approve_and_publish_through_the_page(client, dispatcher, manager, grid):
    customer_on(grid["area"], importance="first", phone="13800000001")
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, manager)
    response = step(client, n, "approve")
    assert response.status_code == 302 and response["Location"] == reverse("outages:detail", args=[n.number])
    assert fresh(n).state == "approved" and fresh(n).approved_by == manager
    response = step(client, n, "publish")
    assert response.status_code == 302 and fresh(n).state == "published"
    assert AffectedCustomer.objects.filter(notice=n).count() == 1
    html = page(client, n)
    assert 'data-state="pending"' in html or 'data-state="sent"' in html
    assert 'data-reason="outages.approve"' in html and 'data-reason="outages.publish"' in html
    assert 'data-commitment="outage_notice_advance"' in html
    assert 'id="affected-count" data-count="1"' in html


def test_dispatcher_may_not_approve(client, dispatcher, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, dispatcher)
    assert 'data-action="approve"' not in page(client, n)
    response = step(client, n, "approve")
    assert fresh(n).state == "draft" and messages_of(response)


def test_emergency_is_published_at_once_by_the_dispatcher(client, dispatcher, grid):
    n = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now(),
                    explanation="线路遭雷击跳闸")
    login(client, dispatcher)
    assert 'data-action="publish"' in page(client, n)
    step(client, n, "publish")
    assert fresh(n).state == "published"


def test_seven_day_rule_override_flow_S10_2_10(client, dispatcher, manager, grid):
    customer_on(grid["area"])
    n = make_notice(dispatcher, areas=[grid["area"]], start=timezone.now() + timedelta(days=3))
    outage_approve(notice=n, by=manager)
    login(client, dispatcher)
    assert 'id="late-warning"' in page(client, n)
    response = step(client, n, "publish")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="publish-refused"' in html and 'data-late="1"' in html
    assert 'name="override_reason"' not in html  # a dispatcher cannot override
    response = step(client, n, "publish", override_reason="我来发布")
    assert fresh(n).state == "approved" and messages_of(response)

    client.logout()
    login(client, manager)
    response = step(client, n, "publish")
    html = response.content.decode()
    assert response.status_code == 200 and 'name="override_reason"' in html and fresh(n).state == "approved"
    response = step(client, n, "publish", override_reason="变电站设备缺陷，必须尽快处理")
    assert response.status_code == 302
    n = fresh(n)
    assert n.state == "published" and n.override_reason == "变电站设备缺陷，必须尽快处理"
    html = page(client, n)
    assert 'id="override-reason"' in html and 'data-clock-state="breached"' in html


@time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_frequency_rule_lists_the_customers_over_their_limit_S6_5(client, dispatcher, manager, grid):
    big = customer_on(grid["area"], voltage="35kv", category="non_residential", account_number="3100000035",
                      name="钢铁公司")
    customer_on(grid["area"], account_number="3100000036")  # residential: no limit
    base = timezone.now() + timedelta(days=8)  # frozen in June: both outages fall in the same year
    publish_planned(dispatcher, manager, areas=[grid["area"]], start=base)
    n = make_notice(dispatcher, areas=[grid["area"]], start=base + timedelta(days=2))
    outage_approve(notice=n, by=manager)
    login(client, manager)
    response = step(client, n, "publish")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="over-limit"' in html and 'data-over-limit="1"' in html
    assert f'data-account="{big.account_number}"' in html and "钢**司" in html
    assert 'data-count="2"' in html and 'data-limit="1"' in html
    assert fresh(n).state == "approved"
    step(client, n, "publish", override_reason="用户同意")
    assert fresh(n).state == "published"


def test_reschedule_moves_the_times_and_counts_the_revision(client, dispatcher, manager, grid):
    n = publish_planned(dispatcher, manager, areas=[grid["area"]])
    login(client, dispatcher)
    html = page(client, n)
    assert 'data-action="reschedule"' in html and 'type="datetime-local" name="start"' in html
    response = step(client, n, "reschedule", start="2099-12-20T09:00", end="2099-12-20T08:00")
    assert fresh(n).revision == 1 and messages_of(response)
    response = step(client, n, "reschedule", start="not a time", end="")
    assert fresh(n).revision == 1 and messages_of(response)
    step(client, n, "reschedule", start="2099-12-20T09:00", end="2099-12-20T17:30")
    n = fresh(n)
    assert n.revision == 2 and n.state == "published"
    assert timezone.localtime(n.planned_start).strftime("%Y-%m-%d %H:%M") == "2099-12-20 09:00"
    assert n.planned_start.astimezone(UTC).hour == 1  # Beijing time in, UTC stored
    assert 'data-reason="outages.reschedule"' in page(client, n)


def test_operating_steps_power_off_cause_removed_restored_close_S10_2_9(client, dispatcher, crew, grid):
    n = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now())
    outage_publish(notice=n, by=dispatcher)
    login(client, crew)
    for action, state in [("start", "in_progress"), ("remove_cause", "cause_removed"), ("restore", "restored"),
                          ("close", "closed")]:
        assert f'data-action="{action}"' in page(client, n)
        step(client, n, action)
        assert fresh(n).state == state
    html = page(client, n)
    assert 'data-commitment="supply_restoration"' in html and 'data-clock-state="met"' in html
    assert 'id="no-steps"' in html


def test_cancel_needs_a_reason(client, dispatcher, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, dispatcher)
    response = step(client, n, "cancel", reason="   ")
    assert fresh(n).state == "draft" and messages_of(response)
    step(client, n, "cancel", reason="天气原因取消")
    n = fresh(n)
    assert n.state == "cancelled" and n.cancel_reason == "天气原因取消"


def test_a_step_not_possible_now_is_refused_with_a_message(client, dispatcher, manager, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, manager)
    for action in ("start", "restore", "close", "reschedule"):
        response = step(client, n, action, start="2099-12-20T09:00", end="2099-12-20T10:00")
        assert response.status_code == 302 and messages_of(response), action
        assert fresh(n).state == "draft"


def test_a_stale_page_changes_nothing(client, dispatcher, manager, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, manager)
    outage_approve(notice=n, by=manager)
    response = step(client, n, "cancel", seen_state="draft", reason="重复")
    assert fresh(n).state == "approved" and messages_of(response)


def test_a_concurrent_change_is_a_message_not_an_error(client, dispatcher, manager, grid):
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, manager)
    with mock.patch("supply_service.outages.views.staff.outage_approve", side_effect=ConcurrentTransition("x")):
        response = step(client, n, "approve")
    assert response.status_code == 302 and fresh(n).state == "draft"
    assert any("same moment" in m or m for m in messages_of(response))


# --- notifications ----------------------------------------------------------------------------------------------

def test_delivery_counts_and_retry_failed(client, dispatcher, manager, grid):
    customer_on(grid["area"], importance="first", phone="13800000001", email="a@example.cn")
    n = publish_planned(dispatcher, manager, areas=[grid["area"]])
    Outbox.objects.filter(idempotency_key__startswith=f"outage:{n.pk}:").update(state="failed", attempts=6)
    login(client, dispatcher)
    html = page(client, n)
    assert 'data-state="failed" data-count="2"' in html and 'id="retry-failed"' not in html
    assert client.post(reverse("outages:retry_failed", args=[n.number])).status_code == 403
    client.logout()
    login(client, manager)
    assert 'id="retry-failed"' in page(client, n)
    response = client.post(reverse("outages:retry_failed", args=[n.number]))
    assert response.status_code == 302
    assert not Outbox.objects.filter(state="failed").exists()
    assert messages_of(response)
    response = client.post(reverse("outages:retry_failed", args=[n.number]))  # nothing left: a message, no error
    assert response.status_code == 302


# --- linked repair calls, affected customers, query counts ------------------------------------------------------

def test_linked_repair_calls_are_listed(client, dispatcher, agent, grid):
    customer = customer_on(grid["area"])
    n = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now())
    outage_publish(notice=n, by=dispatcher)
    call = make_ticket.repair(agent, customer=customer, outage_ref=n.number)
    make_ticket.repair(agent, customer=customer)  # not linked
    login(client, dispatcher)
    html = page(client, n)
    assert f'href="/tickets/{call.number}/"' in html and html.count('<tr data-number="QX-') == 1


def bulk_customers(area, count, start=0):
    Customer.objects.bulk_create([
        Customer(account_number=f"{3200000000 + start + i}", name="客户甲", category="residential", voltage="220v",
                 address="x", office=area.feeder.office, feeder=area.feeder, transformer_area=area)
        for i in range(count)
    ])


def test_affected_customers_are_paginated(client, dispatcher, grid):
    bulk_customers(grid["area"], 30)
    n = make_notice(dispatcher, areas=[grid["area"]])
    login(client, dispatcher)
    html = page(client, n)
    assert html.count('<tr data-account="') == 25 and 'apage=2#affected' in html
    html = page(client, n, apage=2)
    assert html.count('<tr data-account="') == 5


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("count", [10, 500])
def test_notice_page_reads_a_constant_number_of_queries(client, dispatcher, manager, grid, count, published,
                                                        django_assert_max_num_queries):
    bulk_customers(grid["area"], count)
    n = make_notice(dispatcher, areas=[grid["area"]], feeders=[grid["feeder"]])
    if published:
        outage_approve(notice=n, by=manager)
        outage_publish(notice=fresh(n), by=manager)
        outage_operate(notice=fresh(n), action="start", by=manager)
    login(client, manager)
    with django_assert_max_num_queries(20):  # measured: 18 for a draft, 14 once published
        html = page(client, n)
    assert f'data-count="{count}"' in html
