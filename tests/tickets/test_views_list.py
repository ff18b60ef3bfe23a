"""My work (/tickets/): permissions, scope, filters, search, bad values, paging and a constant number of queries."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from supply_service.core.models import Commitment, SlaClock
from supply_service.core.services.openwork import openwork_rebuild
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import ticket_cancel, ticket_hand_over
from tests.factories import tickets as make
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

URL = reverse("tickets:list")


def numbers(response) -> list[str]:
    """The ticket numbers of the list, in order (rows carry data-number)."""
    import re

    return re.findall(r'<tr class="row-\w+" data-number="([A-Z0-9-]+)"', response.content.decode())


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_list_needs_login_and_a_view_permission(client, nobody, crew):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    client.force_login(crew)
    assert client.get(URL).status_code == 200


def test_my_open_tickets_of_every_kind_soonest_due_first_with_a_signal(client, agent, clerk):
    now = timezone.now()
    late = make.repair(agent, at=now - timedelta(minutes=50))
    soon = make.repair(agent, at=now - timedelta(minutes=40))
    query = make.bill_query(agent, at=now)
    consult = make.consultation(agent, at=now)
    make.repair(clerk, at=now)  # someone else's
    done = make.consultation(agent, at=now)
    ticket_cancel(ticket=done, by=agent, reason="重复")
    response = get(client, agent)
    assert numbers(response) == [late.number, soon.number, query.number, consult.number]
    html = response.content.decode()
    assert html.count('data-signal="red"') == 1 and html.count('data-signal="amber"') == 1
    assert html.count('data-signal="green"') == 1 and html.count('data-signal="grey"') == 1
    assert f'href="/tickets/{late.number}/"' in html


def test_office_scope_shows_colleagues_tickets_but_not_other_offices(client, agent, clerk, outsider):
    mine = make.repair(agent)
    colleague = make.bill_query(clerk)
    elsewhere = make.repair(outsider)
    assert set(numbers(get(client, agent, scope="office"))) == {mine.number, colleague.number}
    assert numbers(get(client, outsider, scope="office")) == [elsewhere.number]


def test_the_list_holds_only_the_kinds_the_user_may_view(client, agent, crew, clerk):
    repair = make.repair(agent)
    consult = make.consultation(agent)
    ticket_hand_over(ticket=consult, to_user=crew, by=agent, reason="试一下")  # crew may not view consultations
    assert numbers(get(client, crew, scope="office")) == [repair.number]
    assert numbers(get(client, crew)) == []
    assert numbers(get(client, crew, kind="consultation")) == []  # not a choice for the crew: ignored


def test_filters_kind_state_channel_and_overdue(client, agent):
    now = timezone.now()
    late = make.repair(agent, at=now - timedelta(hours=2))
    query = make.bill_query(agent, channel="fax", at=now)
    consult = make.consultation(agent)
    assert numbers(get(client, agent, kind="bill_query")) == [query.number]
    assert numbers(get(client, agent, channel="fax")) == [query.number]
    assert numbers(get(client, agent, overdue="on")) == [late.number]
    assert set(numbers(get(client, agent, state="received"))) == {late.number, query.number, consult.number}
    assert numbers(get(client, agent, state="dispatched")) == []


@pytest.mark.parametrize("field", ["number", "number_lower", "account", "phone", "name"])
def test_search_by_number_account_phone_or_name(client, agent, office, field):
    customer = CustomerFactory(office=office, account_number="3100000555", name="李四海", phone="13900001111")
    wanted = make.repair(agent, customer=customer)
    make.repair(agent, customer_name="王五", customer_phone="13711112222")
    query = {"number": wanted.number, "number_lower": wanted.number.lower(), "account": "3100000555",
             "phone": "00001111", "name": "四海"}[field]
    assert numbers(get(client, agent, q=query)) == [wanted.number]


def test_a_search_finds_closed_tickets_too(client, agent):
    t = make.consultation(agent)
    ticket_cancel(ticket=t, by=agent, reason="重复")
    assert numbers(get(client, agent)) == []
    assert numbers(get(client, agent, q=t.number)) == [t.number]


def test_a_closed_ticket_is_found_by_its_exact_number_account_or_phone_not_by_a_fragment(client, agent, office):
    """Decision (issue 12): open work is found by any fragment; a closed ticket by its exact number, account number
    or phone number (each read from an index, not a scan of years of tickets). Open ones first, then closed ones
    newest first."""
    customer = CustomerFactory(office=office, account_number="3100000777", name="赵六海", phone="13900007777")
    old = make.repair(agent, customer=customer, at=timezone.now() - timedelta(days=3))
    newer = make.consultation(agent, customer=customer, at=timezone.now() - timedelta(days=1))
    still_open = make.bill_query(agent, customer=customer)
    for ticket in (old, newer):
        ticket_cancel(ticket=ticket, by=agent, reason="重复")
    for query in ("3100000777", "13900007777"):
        assert numbers(get(client, agent, q=query)) == [still_open.number, newer.number, old.number], query
    assert numbers(get(client, agent, q=old.number.lower())) == [old.number]
    for fragment in ("00007777", "六海", "赵"):  # fragments find the open ticket only
        assert numbers(get(client, agent, q=fragment)) == [still_open.number], fragment
    # a filter or a queue no closed ticket can be in leaves them out
    assert numbers(get(client, agent, q="3100000777", overdue="on")) == []
    assert numbers(get(client, agent, q="3100000777", scope="waiting")) == [still_open.number]


def test_a_search_pages_through_open_work_then_closed_tickets(client, agent, office):
    customer = CustomerFactory(office=office, account_number="3100000888")
    open_ones = [make.consultation(agent, customer=customer) for _ in range(3)]
    closed = [make.consultation(agent, customer=customer, at=timezone.now() - timedelta(hours=n + 1))
              for n in range(4)]
    for ticket in closed:
        ticket_cancel(ticket=ticket, by=agent, reason="重复")
    from supply_service.tickets.selectors import WorkFilters
    from supply_service.tickets.selectors_views import kinds_user_may, work_list_for

    rows = work_list_for(filters=WorkFilters(owner=agent, query="3100000888", include_closed=True),
                         kinds=kinds_user_may(user=agent, verb="view"), viewer=agent)
    everything = [row["number"] for row in rows[0:100]]
    assert rows.count() == 7 and len(everything) == 7
    assert set(everything[:3]) == {t.number for t in open_ones} and everything[3:] == [t.number for t in closed]
    for start in range(8):
        for stop in range(start, 9):
            assert [row["number"] for row in rows[start:stop]] == everything[start:stop], (start, stop)
    assert all(row["due"] is None and not row["breached"] for row in rows[3:7])


@pytest.mark.parametrize("params", [
    {"kind": "nonsense"}, {"state": "exploded"}, {"channel": "pigeon"}, {"scope": "everyone"}, {"page": "abc"},
    {"page": "-3"}, {"q": "x" * 500}, {"kind": ["repair", "x"]}, {"state": "closed"}, {"overdue": "<script>"},
])
def test_bad_filter_values_are_ignored_without_an_error(client, agent, params):
    now = timezone.now()
    t = make.repair(agent, at=now)
    response = get(client, agent, **params)
    html = response.content.decode()
    if "overdue" not in params:
        assert t.number in numbers(response)
    assert 'class="error"' not in html and "errorlist" not in html and "<script>" not in html.split("<main", 1)[1]


def test_pages_of_25_keep_the_filters(client, agent):
    now = timezone.now()
    for minutes in range(27):
        make.bill_query(agent, channel="fax", at=now - timedelta(minutes=minutes))
    first = get(client, agent, channel="fax")
    assert len(numbers(first)) == 25
    html = first.content.decode()
    assert "channel=fax&amp;page=2" in html
    assert len(numbers(get(client, agent, channel="fax", page=2))) == 2


def test_new_ticket_button_only_for_those_who_may_take_tickets_in(client, clerk, crew):
    assert 'id="new-ticket"' in get(client, clerk).content.decode()
    assert 'id="new-ticket"' not in get(client, crew).content.decode()


def bulk_repairs(user, count: int) -> None:
    """Many repair tickets straight into the table (not through the service), half of them with a clock."""
    now = timezone.now()
    tickets = RepairTicket.objects.bulk_create(
        [RepairTicket(number=f"QX-20260101-{n:05d}", office=user.office, channel="phone", first_responder=user,
                      owner=user, request="停电", fault_address="人民路", created_at=now - timedelta(minutes=n))
         for n in range(count)],
        batch_size=500,
    )
    commitment = Commitment.objects.get(code="repair_arrival")
    content_type = ContentType.objects.get_for_model(RepairTicket)
    SlaClock.objects.bulk_create(
        [SlaClock(commitment=commitment, content_type=content_type, object_id=t.pk, subject_label=t.number,
                  office=user.office, owner=user, started_at=t.created_at, due_at=t.created_at + timedelta(minutes=45))
         for t in tickets[::2]],
        batch_size=500,
    )
    openwork_rebuild()  # bulk writes bypass save(): the open-work table is rebuilt, as after any bulk load


# session, user, user permissions, group permissions, the tickets' content types (cold cache only), the count,
# the page (one UNION), the user's office in the staff header
LIST_QUERIES = 8


@pytest.mark.parametrize("count", [50, 5000])
@pytest.mark.parametrize("params", [{}, {"scope": "office", "overdue": "on"}, {"q": "人民"}, {"q": "13800000000"}])
def test_the_list_reads_a_constant_number_of_queries(client, agent, count, params, django_assert_max_num_queries):
    bulk_repairs(agent, count)
    make.consultation(agent)
    client.force_login(agent)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(URL, params)
    assert response.status_code == 200
    if not params:
        assert len(numbers(response)) == 25


def test_dispatcher_finds_the_repair_waiting_for_dispatch(client, agent, dispatcher):
    from django.urls import reverse

    from tests.factories import tickets as make
    from tests.factories.core import PASSWORD

    t = make.repair(agent)
    client.login(username=dispatcher.username, password=PASSWORD)
    assert t.number not in client.get(reverse("tickets:list")).content.decode()
    assert t.number in client.get(reverse("tickets:list"), {"scope": "waiting"}).content.decode()


def test_past_the_count_cap_the_list_says_more_than_and_pages_the_soonest_due(client, agent, monkeypatch):
    """The list counts up to a cap (issue 12: a list never counts an office's whole open work): past it the count says
    "more than", the pager goes through the first cap items, soonest due first; below it the count is exact."""
    from supply_service.core import selectors_work  # noqa: PLC0415

    now = timezone.now()
    for minutes in range(30):
        make.bill_query(agent, channel="fax", at=now - timedelta(minutes=minutes))
    html = get(client, agent, channel="fax").content.decode()
    assert "30 张工单" in html and "超过" not in html

    monkeypatch.setattr(selectors_work, "LIST_COUNT_CAP", 26)
    first = get(client, agent, channel="fax")
    html = first.content.decode()
    assert "超过 26 张工单" in html and "第 1 页，共 2 页" in html
    assert first.context["page"].paginator.count == 26 and first.context["more"]
    second = get(client, agent, channel="fax", page=2)
    assert numbers(second) == numbers(get(client, agent, channel="fax", page=9))  # past the end: the last page
    assert len(numbers(second)) == 1
    everything = numbers(first) + numbers(second)
    monkeypatch.setattr(selectors_work, "LIST_COUNT_CAP", 500)
    assert everything == numbers(get(client, agent, channel="fax")) + numbers(get(client, agent, channel="fax", page=2))[:1]
