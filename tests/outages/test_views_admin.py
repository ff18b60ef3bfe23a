"""The outage admin: lists and filters, no delete, state buttons that run the services, affected customers read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.outages.services import outage_approve, outage_publish
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(office):
    area = TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-101"), code="TA-101-01")
    CustomerFactory(office=office, transformer_area=area, feeder=area.feeder, importance="first")
    return area


@pytest.fixture
def staff_manager(client, manager):
    manager.is_staff = True
    manager.save()
    assert client.login(username=manager.username, password=PASSWORD)
    return manager


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def change_url(notice):
    return reverse("admin:outages_outagenotice_change", args=[notice.pk])


def test_changelist_with_filters_and_no_add_or_delete(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area])
    url = reverse("admin:outages_outagenotice_changelist")
    for params in [{}, {"state__exact": "draft"}, {"kind__exact": "planned"}, {"q": n.number}]:
        response = client.get(url, params)
        assert response.status_code == 200 and n.number in response.content.decode()
    assert client.get(reverse("admin:outages_outagenotice_add")).status_code == 403
    assert client.get(reverse("admin:outages_outagenotice_delete", args=[n.pk])).status_code == 403
    assert client.get(reverse("admin:outages_outagenotice_history", args=[n.pk])).status_code == 200


def form_data(notice, **extra):
    """What the browser sends with a button of the change form (the editable fields as they are)."""
    start, end = timezone.localtime(notice.planned_start), timezone.localtime(notice.planned_end)
    data = {
        "kind": notice.kind, "planned_start_0": f"{start:%Y-%m-%d}", "planned_start_1": f"{start:%H:%M:%S}",
        "planned_end_0": f"{end:%Y-%m-%d}", "planned_end_1": f"{end:%H:%M:%S}",
        "areas": [a.pk for a in notice.areas.all()], "reason": notice.reason, "explanation": notice.explanation,
    }
    for base in ("area", "text"):
        for suffix in ("zh_hans", "en", "ug", "bo"):
            data[f"{base}_{suffix}"] = getattr(notice, f"{base}_{suffix}")
    return {**data, **extra}


def test_state_buttons_run_the_services(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area])
    html = client.get(change_url(n)).content.decode()
    assert 'name="_fsm_transition_to"' in html and 'value="approve"' in html
    response = client.post(change_url(n), form_data(n, _fsm_transition_to="approve"))
    assert response.status_code == 302
    assert fresh(n).state == "approved" and fresh(n).approved_by == staff_manager
    assert fresh(n).history.count() == 2  # the unchanged form saved nothing of its own
    client.post(change_url(n), form_data(n, _fsm_transition_to="publish"))
    n = fresh(n)
    assert n.state == "published" and AffectedCustomer.objects.filter(notice=n).count() == 1
    assert n.history.first().history_change_reason == "outages.publish"


def test_a_late_publication_is_refused_in_the_admin(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area], start=timezone.now() + timedelta(days=2))
    outage_approve(notice=n, by=staff_manager)
    response = client.post(change_url(n), form_data(n, _fsm_transition_to="publish"), follow=True)
    assert response.status_code == 200 and fresh(n).state == "approved"


def test_cancel_from_the_admin_asks_for_a_reason(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area])
    url = reverse("admin:outages_outagenotice_transition", args=[n.pk, "cancel"])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": ""})
    assert fresh(n).state == "draft"
    client.post(url, {"reason": "天气原因"})
    assert fresh(n).state == "cancelled" and fresh(n).cancel_reason == "天气原因"


def test_editing_a_draft_in_the_admin_keeps_history_and_checks_the_times(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area])
    bad = form_data(n, planned_end_0="2000-01-01")
    assert client.post(change_url(n), bad).status_code == 200 and fresh(n).planned_end == n.planned_end
    assert client.post(change_url(n), form_data(n, reason="改为电缆检修")).status_code == 302
    assert fresh(n).reason == "改为电缆检修"
    assert fresh(n).history.first().history_change_reason == "outages.edit"


def test_the_admin_offers_only_the_offices_lines(client, staff_manager, dispatcher, area, other_office):
    FeederFactory(office=other_office, code="10kV-901", name="天山线")
    n = make_notice(dispatcher, areas=[area])
    html = client.get(change_url(n)).content.decode()
    assert "10kV-101" in html and "天山线" not in html


def test_a_published_notice_is_read_only_in_the_admin(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area])
    outage_approve(notice=n, by=staff_manager)
    outage_publish(notice=fresh(n), by=staff_manager)
    html = client.get(change_url(n)).content.decode()
    assert 'name="area_zh_hans"' not in html and "人民路一带" in html


def test_affected_customers_are_read_only(client, staff_manager, dispatcher, area):
    n = make_notice(dispatcher, areas=[area])
    outage_approve(notice=n, by=staff_manager)
    outage_publish(notice=fresh(n), by=staff_manager)
    row = AffectedCustomer.objects.get()
    assert client.get(reverse("admin:outages_affectedcustomer_changelist")).status_code in (200, 403)
    assert client.get(reverse("admin:outages_affectedcustomer_add")).status_code == 403
    assert client.get(reverse("admin:outages_affectedcustomer_delete", args=[row.pk])).status_code == 403
