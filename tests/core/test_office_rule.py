"""Issue 10, fault 5: one office rule (core.access), checked in the services, so the staff pages, the admin and
commands all obey it. Staff of another office read an item but change nothing; superusers and holders of
`core.act_any_office` act for every office."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from supply_service.core.access import OtherOfficeDenied, office_may_act, require_same_office
from supply_service.core.models import SlaClock
from supply_service.core.services.sla import sla_waive
from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_approve
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import ticket_cancel, ticket_chase, ticket_transition
from tests.factories import tickets as make
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_manager(other_office):
    """A manager of another office with admin access."""
    return UserFactory(username="manager2", office=other_office, roles=["manager"], is_staff=True)


@pytest.fixture
def ticket(agent):
    return make.repair(agent)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_rule_own_office_superuser_and_the_cross_office_permission(office, other_office, manager,
                                                                      foreign_manager):
    assert office_may_act(manager, office) and not office_may_act(manager, other_office)
    assert not office_may_act(manager, None)  # an item of no office is nobody's
    root = UserFactory(username="root", office=None, is_superuser=True)
    assert office_may_act(root, other_office)
    foreign_manager.user_permissions.add(Permission.objects.get(codename="act_any_office"))
    foreign_manager = type(foreign_manager).objects.get(pk=foreign_manager.pk)  # permission cache
    assert office_may_act(foreign_manager, office)


def test_issue10_fault5_services_refuse_another_offices_ticket(ticket, foreign_manager):
    with pytest.raises(OtherOfficeDenied):
        ticket_cancel(ticket=ticket, by=foreign_manager, reason="重复")
    with pytest.raises(OtherOfficeDenied):
        ticket_transition(ticket=ticket, action="dispatch", by=foreign_manager, crew=foreign_manager)
    with pytest.raises(OtherOfficeDenied):
        ticket_chase(ticket=ticket, by=foreign_manager, note="快点")
    assert fresh(ticket).state == "received"


def test_issue10_fault5_sla_waive_refuses_another_offices_clock(ticket, foreign_manager, manager):
    clock = SlaClock.objects.get(object_id=ticket.pk, commitment__code="repair_arrival")
    with pytest.raises(OtherOfficeDenied):
        sla_waive(clock=clock, reason="不算", by=foreign_manager)
    assert fresh(clock).state == "running"
    assert sla_waive(clock=clock, reason="客户取消", by=manager).state == "waived"  # its own office may


def test_issue10_fault5_outage_steps_refuse_another_office(dispatcher, foreign_manager):
    notice = make_notice(dispatcher)
    with pytest.raises(OtherOfficeDenied):
        outage_approve(notice=notice, by=foreign_manager)
    assert OutageNotice.objects.get(pk=notice.pk).state == "draft"


def test_issue10_fault5_admin_fsm_cancel_of_another_offices_ticket_is_refused_with_a_message(
        client, ticket, foreign_manager):
    assert client.login(username=foreign_manager.username, password=PASSWORD)
    step_url = reverse("admin:tickets_repairticket_transition", args=[ticket.pk, "cancel"])
    response = client.post(step_url, {"reason": "别的营业厅取消"}, follow=True)
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("another office" in t or "其他营业厅" in t or "别的营业厅" in t for t in texts), texts
    ticket = fresh(ticket)
    assert ticket.state == "received" and ticket.cancel_reason == ""
    assert SlaClock.objects.get(object_id=ticket.pk, commitment__code="repair_arrival").state == "running"


def test_issue10_fault5_admin_change_form_of_another_offices_ticket_saves_nothing(client, ticket, foreign_manager):
    assert client.login(username=foreign_manager.username, password=PASSWORD)
    url = reverse("admin:tickets_repairticket_change", args=[ticket.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="customer_name"' not in page.content.decode()  # read only
    client.post(url, {"customer_name": "改名", "request": "改了", "fault_address": "x", "outage_ref": ""})
    assert fresh(ticket).customer_name == ticket.customer_name and fresh(ticket).request == ticket.request


def test_issue10_fault5_sla_clock_admin_waive_of_another_office_is_refused(client, ticket, foreign_manager):
    clock = SlaClock.objects.get(object_id=ticket.pk, commitment__code="repair_arrival")
    assert client.login(username=foreign_manager.username, password=PASSWORD)
    response = client.post(reverse("admin:core_slaclock_changelist"), {
        "action": "waive_selected", "_selected_action": [str(clock.pk)], "reason": "不算",
    }, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert fresh(clock).state == "running"


def test_staff_pages_use_the_same_rule_a_cross_office_holder_may_act(client, ticket, foreign_manager):
    foreign_manager.user_permissions.add(Permission.objects.get(codename="act_any_office"))
    assert client.login(username=foreign_manager.username, password=PASSWORD)
    url = reverse("tickets:do", args=[ticket.number, "cancel"])
    client.post(url, {"seen_state": "received", "text": "重复报修"})
    assert fresh(ticket).state == "cancelled"


def test_an_item_without_office_is_refused_to_ordinary_staff(manager):
    class Item:
        office_id = None

    with pytest.raises(OtherOfficeDenied):
        require_same_office(manager, Item())
    assert RepairTicket.objects.count() == 0
