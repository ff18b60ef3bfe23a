"""The complaints' visibility rule holds in the kernel's open-work table too (every work list, home and the
dashboard's drill-down): a report needs the report permission; an item is hidden from the staff member it concerns."""

import pytest

from supply_service.core.models import OpenWork
from supply_service.core.selectors_work import WorkQuery, openwork_home, openwork_list
from tests.factories import complaints as make

pytestmark = pytest.mark.django_db


def _numbers(rows) -> set[str]:
    return {row["number"] for row in rows}


def test_the_staff_member_concerned_never_sees_the_complaint_in_any_list(clerk, agent, manager, client):
    assert clerk.has_perm("complaints.view_complaint") or agent.has_perm("complaints.view_complaint")
    concerned, other = (clerk, agent) if clerk.has_perm("complaints.view_complaint") else (agent, clerk)
    item = make.complaint(other, concerned_staff=concerned)
    row = OpenWork.objects.get(number=item.number)
    assert row.hidden_from_id == concerned.pk

    office = WorkQuery(office=concerned.office, viewer=concerned)
    assert item.number not in _numbers(openwork_list(query=office)[:100])
    assert item.number not in _numbers(openwork_home(user=concerned)["rows"])
    assert item.number in _numbers(openwork_list(query=WorkQuery(office=manager.office, viewer=manager))[:100])
    client.force_login(concerned)
    assert item.number not in client.get("/").content.decode()
    assert item.number not in client.get("/tickets/?scope=office").content.decode()


def test_a_report_is_listed_only_for_those_with_the_report_permission(clerk, handler, manager):
    item = make.report(clerk)
    assert OpenWork.objects.get(number=item.number).view_permission == "complaints.view_report_complaint"
    for user in (clerk, handler, manager):
        listed = item.number in _numbers(openwork_list(query=WorkQuery(office=user.office, viewer=user))[:100])
        assert listed == user.has_perm("complaints.view_report_complaint"), user.username
    assert not clerk.has_perm("complaints.view_report_complaint")


def test_the_dashboard_drill_down_obeys_the_rule(clerk, manager):
    from supply_service.dashboard.selectors_drill import drill_open

    item = make.complaint(clerk, concerned_staff=manager)
    assert not drill_open(viewer=manager).filter(number=item.number).exists()
