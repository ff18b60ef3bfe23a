"""Issue 10, fault 7: no input gives a 500 — ids are checked before they reach the database (a 40-digit id
overflows SQLite's 64-bit integers): form fields give a form error, `<id:…>` paths a 404, and any query with an
out-of-range id matches nothing."""

import pytest
from django.urls import reverse

from supply_service.core.ids import IdModelChoiceField, IdModelMultipleChoiceField, parse_id
from supply_service.core.models import Office, User
from supply_service.customers.models import Customer, Feeder
from supply_service.tickets.models import RepairTicket
from tests.factories import tickets as make
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.customers import FeederFactory, TransformerAreaFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 40
BAD_IDS = [HUGE, "-" + HUGE, "9223372036854775808", "１２", "1e3", "0x10", "12abc"]


@pytest.fixture
def grid(office):
    feeder = FeederFactory(office=office, code="10kV-101", name="人民线")
    return {"feeder": feeder, "area": TransformerAreaFactory(feeder=feeder, code="TA-101-01", name="一号台区")}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_parse_id_accepts_only_integers_in_range():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(9) == 9
    for bad in [*BAD_IDS, "", None, True, "9" * 19 + "0"]:
        assert parse_id(bad) is None, bad


@pytest.mark.parametrize("bad", BAD_IDS)
def test_id_form_fields_reject_out_of_range_ids_with_a_form_error(office, bad):
    single = IdModelChoiceField(queryset=Office.objects.all())
    multiple = IdModelMultipleChoiceField(queryset=Office.objects.all())
    for field, value in [(single, bad), (multiple, [str(office.pk), bad])]:
        with pytest.raises(Exception) as caught:
            field.clean(value)
        assert type(caught.value).__name__ == "ValidationError"
    assert single.clean(str(office.pk)) == office


@pytest.mark.parametrize("name", ["feeders", "areas"])
def test_issue10_fault7_outage_editor_with_a_40_digit_id_is_a_form_error_not_a_500(client, dispatcher, grid, name):
    login(client, dispatcher)
    data = {"kind": "planned", "planned_start": "2099-12-20T09:00", "planned_end": "2099-12-20T17:00",
            "reason": "检修", "area_zh_hans": "人民路", "text_zh_hans": "停电", name: [HUGE]}
    response = client.post(reverse("outages:new"), data)
    assert response.status_code == 400 and response.context["form"].errors[name]
    preview = client.post(reverse("outages:new"), {**data, "_preview_page": "1"})
    assert preview.status_code == 200


def test_issue10_fault7_a_path_with_a_40_digit_id_is_a_404(client, clerk):
    login(client, clerk)
    assert client.get(f"/customers/{HUGE}/").status_code == 404
    assert client.post(f"/customers/{HUGE}/pin/", {"pin": "581937", "pin_again": "581937"}).status_code == 404
    assert client.get("/customers/9223372036854775808/").status_code == 404


def test_issue10_fault7_ticket_forms_with_huge_ids_give_a_message(client, dispatcher, agent):
    ticket = make.repair(agent)
    login(client, dispatcher)
    response = client.post(reverse("tickets:do", args=[ticket.number, "dispatch"]),
                           {"seen_state": "received", "crew": HUGE}, follow=True)
    assert response.status_code == 200 and any(m.level_tag == "error" for m in response.context["messages"])
    response = client.post(reverse("tickets:hand_over", args=[ticket.number]),
                           {"seen_state": "received", "to_user": HUGE, "reason": "换人"}, follow=True)
    assert response.status_code == 200
    assert RepairTicket.objects.get(pk=ticket.pk).state == "received"


def test_issue10_fault7_queries_with_out_of_range_ids_match_nothing(office):
    huge = int(HUGE)
    assert list(Office.objects.filter(pk__in=[huge, office.pk])) == [office]
    assert not Office.objects.filter(pk__in=[huge]).exists()
    assert not Customer.objects.filter(office=huge).exists()
    assert not Customer.objects.filter(office__in=[huge, -huge]).exists()
    assert not Feeder.objects.filter(office__gt=huge).exists()
    assert Office.objects.filter(pk__range=(0, huge)).count() == Office.objects.count()
    assert User.objects.filter(office__lt=huge).count() == User.objects.filter(office__isnull=False).count()


def test_issue10_fault7_admin_filters_with_huge_ids_are_no_500(client, office, agent):
    make.repair(agent)
    UserFactory(username="root", office=office, is_staff=True, is_superuser=True)
    login(client, type(agent).objects.get(username="root"))
    for query in [f"customer={HUGE}", f"office__id__exact={HUGE}", f"customer__in={HUGE},1", f"id={HUGE}",
                  f"office={HUGE}"]:
        response = client.get(reverse("admin:tickets_repairticket_changelist") + "?" + query)
        assert response.status_code in (200, 302), query
