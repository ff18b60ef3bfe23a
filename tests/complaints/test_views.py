"""Staff pages of the complaints app: intake, list (constant queries), item page, steps, identity, letter."""

import pytest
from django.urls import reverse

from supply_service.complaints.models import Complaint
from supply_service.core.models import PersonalDataAccess
from tests.factories import complaints as make
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_clerk_takes_a_complaint_in_at_the_counter_S9_1(client, clerk):
    _login(client, clerk)
    assert client.get(reverse("complaints:new")).status_code == 200
    response = client.post(reverse("complaints:new"), {
        "kind": "complaint", "channel": "counter", "summary": "等太久", "description": "排队一个小时",
        "name": "王五", "phone": "13811112222"})
    item = Complaint.objects.get()
    assert response.status_code == 302 and response.url == reverse("complaints:detail", args=[item.number])
    assert item.first_responder == clerk and item.identity.name == "王五"


def test_bad_intake_changes_nothing_and_says_why(client, clerk):
    _login(client, clerk)
    response = client.post(reverse("complaints:new"), {"kind": "nonsense", "channel": "x", "description": "\x00",
                                                       "phone": "abc"})
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_clerk_taking_in_a_report_does_not_see_it_afterwards(client, clerk):
    _login(client, clerk)
    response = client.post(reverse("complaints:new"), {
        "kind": "report", "channel": "phone", "description": "有人偷电", "category": "power_theft"})
    item = Complaint.objects.get()
    assert response.status_code == 302 and response.url == reverse("complaints:new")
    assert client.get(reverse("complaints:detail", args=[item.number])).status_code == 404


def test_handler_walks_the_item_through_the_pages(client, handler, manager):
    item = make.complaint(handler)
    _login(client, handler)
    url = reverse("complaints:detail", args=[item.number])
    page = client.get(url)
    assert page.status_code == 200 and b'data-action="accept"' in page.content
    do = lambda action, **data: client.post(reverse("complaints:do", args=[item.number, action]), data)  # noqa: E731
    do("accept", seen_state="received", **{"accept-category": "billing"})
    do("assign", seen_state="accepted", **{"assign-handler": handler.pk})
    do("draft_reply", seen_state="investigating", **{"draft_reply-finding": "partly",
                                                     "draft_reply-root_cause": "process",
                                                     "draft_reply-reply_text": "已核实，退还多收电费。"})
    item.refresh_from_db()
    assert item.state == "reply_drafted"
    assert client.get(reverse("complaints:letter", args=[item.number])).status_code == 200


def test_stale_form_changes_nothing(client, handler):
    item = make.complaint(handler)
    _login(client, handler)
    client.post(reverse("complaints:do", args=[item.number, "accept"]),
                {"seen_state": "investigating", "accept-category": "billing"})
    item.refresh_from_db()
    assert item.state == "received"


def test_list_reads_a_constant_number_of_queries(client, handler, django_assert_max_num_queries):
    _login(client, handler)
    make.complaint(handler)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("complaints:list")).status_code == 200
    for _ in range(30):
        make.complaint(handler)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("complaints:list")).status_code == 200


def test_identity_read_needs_a_reason_and_is_logged(client, handler):
    item = make.complaint(handler)
    _login(client, handler)
    url = reverse("complaints:identity", args=[item.number])
    assert client.get(url).status_code == 405
    response = client.post(url, {"identity-reason": ""})
    assert response.status_code == 302 and not PersonalDataAccess.objects.exists()
    response = client.post(url, {"identity-reason": "回访前核对电话"})
    assert response.status_code == 200 and make.IDENTITY["phone"] in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert log.user == handler and log.reason == "回访前核对电话" and log.label == item.number


def test_every_post_form_of_the_item_page_carries_the_csrf_token(client, handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager)
    _login(client, handler)
    body = client.get(reverse("complaints:detail", args=[item.number])).content.decode()
    assert body.count('method="post"') == body.count("csrfmiddlewaretoken") > 3


def test_customer_page_lists_the_customers_complaints_never_reports(client, handler):
    from tests.factories.customers import CustomerFactory

    customer = CustomerFactory(office=handler.office, account_number="3100000999")
    item = make.complaint(handler, customer=customer)
    hidden = make.report(handler)
    _login(client, handler)
    body = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert item.number in body and hidden.number not in body and 'id="customer-complaints"' in body


@pytest.mark.parametrize("value", ["\x00", "9" * 40, "-1", "x" * 5000, "1.5", ""])
def test_every_step_refuses_hostile_input_without_500(client, handler, manager, value):
    from supply_service.complaints.views import STEPS

    item = make.walk(make.complaint(handler), handler=handler, approver=manager, to="investigating")
    client.force_login(manager)
    fields = ["category", "reason", "handler", "finding", "root_cause", "findings_note", "reply_text", "channel",
              "original", "outcome", "note", "due", "description", "owner", "due_date", "action_id", "request_id",
              "decision"]
    for action in [*STEPS, "nonsense"]:
        data = {"seen_state": "investigating", **{f"{action}-{name}": value for name in fields}}
        response = client.post(reverse("complaints:do", args=[item.number, action]), data)
        assert response.status_code == 302, (action, response.status_code)
    response = client.post(reverse("complaints:identity", args=[item.number]), {"identity-reason": value})
    assert response.status_code in (200, 302)
    response = client.get(reverse("complaints:list"), {"q": value, "kind": value, "state": value, "page": value})
    assert response.status_code == 200


@pytest.mark.parametrize("scope", ["office", "mine"])
def test_list_reads_the_same_queries_at_two_sizes_and_searches_an_index(client, handler, scope,
                                                                       django_assert_num_queries):
    """The list at 100 000 items (docs/apps/complaints.md, measured): pinned here at 1 and 40 items — the same
    number of queries exactly — and its page query reads the office's rows through an index, not the table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supply_service.complaints.selectors import ListFilters, complaint_list

    _login(client, handler)
    url = reverse("complaints:list") + f"?scope={scope}"
    make.complaint(handler)
    client.get(url)  # content types and permissions cached, as in a running process
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(39):
        make.complaint(handler, kind="suggestion" if n % 3 else "complaint", summary=f"第 {n} 件")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("KS-") >= 25  # a full page
    if connection.vendor == "sqlite":
        filters = ListFilters(office_id=handler.office_id) if scope == "office" else ListFilters(owner_id=handler.pk)
        plan = complaint_list(user=handler, filters=filters)[:25].explain()
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
