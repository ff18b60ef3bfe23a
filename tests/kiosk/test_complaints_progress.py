"""Issue 13: after verification the kiosk shows the customer's own complaints and suggestions (those linked to
their account) with the state in words, the date the answer is promised by and whether the reply was sent — never
another customer's, never a report, never the sealed identity, the staff member concerned or the findings. The
section comes from the complaints app through the kernel's page panels ("kiosk_account")."""

import re

import pytest
from django.utils import translation

from supply_service.complaints.models import Complaint
from supply_service.core.models import SlaClock
from supply_service.core.services.calendar import deadline_text
from supply_service.tickets.services import ticket_transition
from tests.conftest import _role_user
from tests.factories import complaints as make
from tests.factories import tickets as make_ticket
from tests.kiosk.conftest import verify
from tests.kiosk.test_account import ACCOUNT_PAGE_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]


def _row(html: str, number: str) -> str:
    found = re.search(rf'<tr data-number="{number}"[^>]*>(.*?)</tr>', html, re.S)
    return found.group(1) if found else ""


@pytest.fixture
def second(handler):
    return _role_user("complaint_handler", handler.office, "second-handler")


def test_a_verified_customer_sees_their_own_items_progress(client, customer, other_customer, clerk, handler,
                                                           second):
    mine = make.complaint(clerk, customer=customer, concerned_staff=second, summary="营业员态度差")
    answered = make.walk(make.complaint(clerk, customer=customer, summary="电费疑问"), handler=handler,
                         approver=second)
    suggestion = make.complaint(clerk, kind="suggestion", customer=customer, summary="多设座椅")
    theirs = make.complaint(clerk, customer=other_customer)
    report = make.report(handler, customer=customer)  # never linked to an account (and left out anyway)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert 'id="kiosk-complaints"' in html
    assert _row(html, mine.number) and _row(html, suggestion.number) and _row(html, answered.number)
    assert theirs.number not in html and report.number not in html
    row = _row(html, mine.number)
    with translation.override("zh-hans"):
        assert f'class="complaint-state">{Complaint.State.RECEIVED.label}<' in row
    due = SlaClock.objects.get(subject_label=mine.number, commitment__code="complaint_reply").due_at
    assert deadline_text(due) in row and 'data-sent="0"' in row
    assert 'data-sent="1"' in _row(html, answered.number)
    for secret in (*make.IDENTITY.values(), second.username, second.get_full_name() or second.username, "属实",
                   "经调查属实", "staff_conduct"):
        assert secret not in html, secret


def test_internal_review_steps_read_as_being_investigated(client, customer, clerk, handler, second):
    drafted = make.walk(make.complaint(clerk, customer=customer), handler=handler, approver=second,
                        to="reply_drafted")
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert 'data-state="reply_drafted"' in html
    row = _row(html, drafted.number)
    with translation.override("zh-hans"):
        assert f'class="complaint-state">{Complaint.State.INVESTIGATING.label}<' in row
        assert str(Complaint.State.REPLY_DRAFTED.label) not in row


def test_the_section_speaks_the_kiosk_languages(client, customer, clerk):
    make.complaint(clerk, customer=customer)
    verify(client)
    for lang, heading in (("ug", "مېنىڭ"), ("bo", "ངའི")):
        client.cookies["django_language"] = lang
        html = client.get("/kiosk/account/").content.decode()
        section = re.search(r'<section aria-labelledby="kiosk-complaints-h".*?</section>', html, re.S).group(0)
        assert heading in section, lang
        assert "My complaints and suggestions" not in section and "Answer promised by" not in section


def test_no_item_says_so(client, customer):
    verify(client)
    assert 'id="kiosk-no-complaints"' in client.get("/kiosk/account/").content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_the_account_page_reads_a_constant_number_of_queries_with_complaints(client, customer, clerk, count,
                                                                             django_assert_num_queries):
    client.get(f"/kiosk/office/{customer.office.code}/")
    ticket = make_ticket.expansion(clerk, customer=customer)  # as the account page's own pin: an application too
    ticket_transition(ticket=ticket, action="accept", by=clerk)
    for n in range(count):
        make.complaint(clerk, customer=customer, summary=f"第 {n} 件")
    verify(client)
    client.get("/kiosk/account/")  # content types cached, as in a running process
    with django_assert_num_queries(ACCOUNT_PAGE_QUERIES):
        response = client.get("/kiosk/account/")
    assert response.content.decode().count("<tr data-number=") == count
