"""The verified account page (S9.5, S10.3.1): bills of 24 months with the chart, payments, arrears, application
progress, outages — only for the verified customer, from the session, never from a URL or a parameter."""

import re
from datetime import timedelta
from html import escape

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from supply_service.core.models import Policy
from supply_service.customers.models import PaymentMethod
from supply_service.outages.services import outage_publish
from supply_service.tickets.services import ticket_transition
from tests.factories import tickets as make_ticket
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice
from tests.kiosk.conftest import ACCOUNT, add_bills, add_payments, verify

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]


def test_account_needs_a_verified_session(client, customer):
    response = client.get("/kiosk/account/")
    assert response.status_code == 302 and response["Location"] == "/kiosk/verify/"


def test_account_shows_24_months_of_bills_the_chart_payments_and_arrears_S10_3_1(client, customer):
    add_bills(customer, 30)
    add_payments(customer, 15)
    verify(client)
    response = client.get("/kiosk/account/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<tr data-period=", html)) == 24
    assert html.count('class="bar"') == 24 and "<svg" in html
    payments = re.search(r'<table class="list" id="kiosk-payments">(.*?)</table>', html, re.S).group(1)
    assert payments.count("<tr>") == 12 + 1  # 12 rows and the header
    # 30 bills of 100.00, 15 payments of 100.00 -> 1500.00 owed; the newest bill is unpaid.
    assert 'data-arrears="1500.00"' in html
    assert 'id="kiosk-account-methods"' in html  # how to pay, when something is owed
    assert "no-store" in response["Cache-Control"]


def test_name_and_address_are_masked(client, customer):
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert 'id="kiosk-name">欧**明<' in html
    assert 'id="kiosk-address">人民路 12***<' in html
    assert "欧阳小明" not in html and "3 单元 401" not in html
    assert f'id="kiosk-account-number">{ACCOUNT}<' in html


def test_application_progress_is_a_stage_timeline_with_the_due_date_S9_5(client, customer, clerk, crew):
    ticket = make_ticket.expansion(clerk, customer=customer)
    ticket_transition(ticket=ticket, action="accept", by=clerk)
    ticket_transition(ticket=ticket, action="survey", by=crew)
    bill_query = make_ticket.bill_query(clerk, customer=customer)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    article = re.search(rf'<article class="card application" data-number="{ticket.number}">(.*?)</article>',
                        html, re.S).group(1)
    marks = re.findall(r'class="stage (done|current|pending)"', article)
    # Residential: received, accepted, survey done; contract current; energizing pending.
    assert marks == ["done", "done", "done", "current", "pending"]
    due = re.search(r'data-due="([^"]+)"', article).group(1)
    from supply_service.core.selectors import sla_clocks_for_subject

    clock = sla_clocks_for_subject(subject=ticket).get()
    assert due == timezone.localtime(clock.due_at).isoformat()
    tickets = re.search(r'<table class="list" id="kiosk-tickets">(.*?)</table>', html, re.S).group(1)
    assert bill_query.number in tickets and ticket.number not in tickets


def test_outages_affecting_the_account_are_shown(client, customer, dispatcher, manager):
    area = TransformerAreaFactory(feeder=FeederFactory(office=customer.office))
    customer.transformer_area, customer.feeder = area, area.feeder
    customer.save()
    notice = make_notice(dispatcher, kind="emergency", areas=[area])
    outage_publish(notice=notice, by=manager)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    section = re.search(r'<section aria-labelledby="kiosk-outages-h" id="outages">(.*?)</section>', html, re.S).group(1)
    assert f'data-number="{notice.number}"' in section


# --- nobody else's data ---------------------------------------------------------------------------------------
def test_another_customer_is_unreachable_by_any_url_or_parameter(client, customer, other_customer):
    add_bills(other_customer, 3)
    verify(client)
    for url in [f"/kiosk/account/?customer={other_customer.pk}", f"/kiosk/account/?account={other_customer.account_number}",
                f"/kiosk/account/?customer_id={other_customer.pk}&pk={other_customer.pk}"]:
        html = client.get(url).content.decode()
        assert ACCOUNT in html and other_customer.account_number not in html and "李*海" not in html
    for url in [f"/kiosk/account/{other_customer.pk}/", f"/kiosk/account/{other_customer.account_number}/",
                f"/kiosk/account/{customer.pk}/"]:
        assert client.get(url).status_code == 404


def test_a_session_of_customer_a_never_shows_customer_b(client, customer, other_customer):
    add_bills(customer, 2)
    add_bills(other_customer, 5)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert len(re.findall(r"<tr data-period=", html)) == 2 and "李*海" not in html
    # B verifies in another browser: A's session still shows A.
    other = client.__class__()
    verify(other, account=other_customer.account_number, pin="135790")
    assert len(re.findall(r"<tr data-period=", other.get("/kiosk/account/").content.decode())) == 5
    assert len(re.findall(r"<tr data-period=", client.get("/kiosk/account/").content.decode())) == 2


def test_a_deactivated_customer_ends_the_session(client, customer):
    verify(client)
    customer.is_active = False
    customer.save()
    assert client.get("/kiosk/account/")["Location"] == "/kiosk/verify/"
    assert "kiosk_customer" not in client.session


# --- finishing and the idle rule ------------------------------------------------------------------------------
def test_finish_clears_the_session_and_the_language(client, customer):
    verify(client)
    client.post("/i18n/setlang/", {"language": "ug", "next": "/kiosk/account/"})
    assert client.cookies["django_language"].value == "ug"
    response = client.post("/kiosk/finish/")
    assert response.status_code == 302 and response["Location"] == "/kiosk/"
    assert response.cookies["django_language"].value == "" and response.cookies["django_language"]["max-age"] == 0
    assert "kiosk_customer" not in client.session
    assert client.get("/kiosk/account/")["Location"] == "/kiosk/verify/"
    assert '<html lang="zh-hans"' in client.get("/kiosk/").content.decode()


def test_finish_is_post_only(client, customer):
    verify(client)
    assert client.get("/kiosk/finish/").status_code == 405
    assert client.session["kiosk_customer"] == customer.pk


def test_the_page_shows_the_idle_countdown_from_the_policy(client, customer):
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=75)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert 'data-idle-seconds="75"' in html and 'id="kiosk-finish"' in html


def test_the_server_ends_an_idle_session(client, customer):
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=90)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verify(client)
    with time_machine.travel(start + timedelta(seconds=80), tick=False):
        assert client.get("/kiosk/account/").status_code == 200  # activity: the idle time starts again
    with time_machine.travel(start + timedelta(seconds=160), tick=False):
        assert client.get("/kiosk/account/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=251), tick=False):
        response = client.get("/kiosk/account/")
    assert response["Location"] == "/kiosk/verify/"
    assert "kiosk_customer" not in client.session


def test_an_idle_session_also_ends_on_a_public_page(client, customer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verify(client)
    with time_machine.travel(start + timedelta(seconds=600), tick=False):
        html = client.get("/kiosk/tariffs/").content.decode()
    assert "kiosk_customer" not in client.session
    assert 'id="kiosk-finish-button"' not in html


# --- speed ----------------------------------------------------------------------------------------------------
# the policies 1 (all of them, once a request: the idle time and how long finished applications stay) + session read 1
# + the terminal's office 1 + customer with arrears 1 + bills 1 + payments 1 + the ways to pay 1 (read whether or not
# something is owed: on PostgreSQL it goes with the others in one round trip; shown only when something is owed) +
# applications 1 + their clocks 1 + other tickets (the open-work table) 1 + upcoming outages 1 + the complaints section
# (core.panels "kiosk_account": the rows with their promised date) 1 = 12, whatever the number of bills, payments,
# tickets or complaints; no session save on a page turn (access.SEEN_REFRESH_SHARE).
ACCOUNT_PAGE_QUERIES = 12


@pytest.mark.parametrize("owing", [False, True])
@pytest.mark.parametrize("months", [24, 240])
def test_account_page_reads_a_constant_number_of_queries(client, customer, clerk, crew, months, owing,
                                                         django_assert_num_queries):
    client.get(f"/kiosk/office/{customer.office.code}/")
    add_bills(customer, months)
    add_payments(customer, months - 1 if owing else months)
    ticket = make_ticket.expansion(clerk, customer=customer)
    ticket_transition(ticket=ticket, action="accept", by=clerk)
    make_ticket.bill_query(clerk, customer=customer)
    verify(client)
    client.get("/kiosk/account/")  # content types cached, as in a running process
    with django_assert_num_queries(ACCOUNT_PAGE_QUERIES):
        response = client.get("/kiosk/account/")
    html = response.content.decode()
    assert len(re.findall(r"<tr data-period=", html)) == 24
    methods = re.search(r'<ul class="chips" id="kiosk-account-methods"[^>]*>(.*?)</ul>', html, re.S)
    if owing:  # the ways to pay, each by its name in the page's language, in their order
        offered = [m.name for m in PaymentMethod.objects.filter(is_active=True).order_by("position", "code")]
        assert offered and re.findall(r"<li>(.*?)</li>", methods.group(1)) == [escape(name) for name in offered]
    else:
        assert methods is None


def test_day_deadlines_read_as_24_00_of_the_last_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from supply_service.kiosk.selectors import deadline_label

    sh = ZoneInfo("Asia/Shanghai")
    assert deadline_label(datetime(2026, 12, 5, 0, 0, tzinfo=sh)) == "2026-12-04 24:00"
    assert deadline_label(datetime(2026, 12, 5, 10, 45, tzinfo=sh)) == "2026-12-05 10:45"
    assert deadline_label(None) == ""


def test_account_headings_are_bilingual_on_a_signage_terminal_S8_4(client, customer, other_office):
    client.get(f"/kiosk/office/{other_office.code}/")
    add_bills(customer, 2)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    headings = re.findall(r'<h[12][^>]*class="kiosk-(?:h2|title)"[^>]*>(.*?)</h[12]>', html, re.S)
    assert len(headings) >= 6
    for heading in headings:
        assert 'lang="zh-hans"' in heading and 'lang="ug"' in heading, heading


def test_the_account_page_reads_the_policies_once(client, customer):
    """The idle time (the session check), `kiosk_finished_days` (the kiosk's progress and the complaints panel): the
    policy table is read once a request, all of it (core.services.policy)."""
    from django.db import connection  # noqa: PLC0415

    verify(client)
    read = []

    def wrapper(execute, sql, params, many, context):
        if '"core_policy"' in sql:
            read.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert client.get("/kiosk/account/").status_code == 200
    assert len(read) == 1


def test_the_remembered_bar_follows_what_it_shows(client, customer):
    """The kiosk's bar and navigation are remembered per office, page, language and countdown (`{% once %}`): a
    changed countdown, a renamed office, another language or the end of the session show at once, and each
    response carries its own CSRF token in the finish and language forms."""
    client.get(f"/kiosk/office/{customer.office.code}/")
    verify(client)
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=75)
    first = client.get("/kiosk/account/").content.decode()
    assert 'data-idle-seconds="75"' in first and 'id="kiosk-finish-button"' in first
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=95)
    office = customer.office
    office.name = "新名字营业厅"
    office.save()
    second = client.get("/kiosk/account/").content.decode()
    assert 'data-idle-seconds="95"' in second and "新名字营业厅" in second
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) for html in (first, second)]
    assert all(len(found) == 2 for found in tokens) and tokens[0] != tokens[1]  # masked anew on every response
    client.post("/kiosk/finish/")
    public = client.get("/kiosk/payment-methods/").content.decode()
    assert 'id="kiosk-finish-button"' not in public
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ug"
    assert 'lang="ug"' in client.get("/kiosk/payment-methods/").content.decode()
