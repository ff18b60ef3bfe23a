"""The complaints' visibility rule holds in the kernel's open-work table too (every work list, home and the
dashboard's drill-down): a report needs the report permission; an item is hidden from the staff member it concerns."""

from datetime import timedelta

import pytest
from django.utils import timezone

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


def _settled_complaint_about(person, handler, office):
    """A complaint about `person`, answered (its reply clock met this month); a second handler approves."""
    from tests.conftest import _role_user

    second = _role_user("complaint_handler", office, "second-handler")
    item = make.walk(make.complaint(handler, concerned_staff=person), handler=handler, approver=second)
    return item


def _csv_text(response) -> str:
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")


def test_settled_clocks_drill_and_csv_hide_the_item_from_the_manager_it_concerns(client, handler, manager, office):
    from django.urls import reverse

    from supply_service.core.models import SlaClock
    from tests.conftest import _role_user

    item = _settled_complaint_about(manager, handler, office)
    assert SlaClock.objects.filter(subject_label=item.number, state=SlaClock.State.MET).exists()
    colleague = _role_user("manager", office, "colleague-manager")
    colleague.is_staff = True
    colleague.save(update_fields=["is_staff"])
    client.force_login(colleague)  # another manager sees the row: the rule hides it only from the person concerned
    assert item.number in client.get(reverse("dashboard:items")).content.decode()
    outbox = client.get(reverse("admin:core_outbox_changelist"), {"q": item.number})
    assert outbox.context["cl"].result_count >= 2  # the acknowledgement and "reply sent" (key names the number)
    assert item.number in _csv_text(client.get(reverse("dashboard:items"), {"format": "csv"}))

    manager.is_staff = True  # the admin's pages too
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)
    page = client.get(reverse("dashboard:items"))
    assert page.status_code == 200 and item.number not in page.content.decode()
    assert item.number not in _csv_text(client.get(reverse("dashboard:items"), {"format": "csv"}))
    assert item.number not in client.get(reverse("dashboard:items"), {"kind": "complaint"}).content.decode()
    for url in ("admin:core_slaclock_changelist", "admin:core_callback_changelist", "admin:core_chase_changelist",
                "admin:core_handover_changelist", "admin:core_outbox_changelist"):
        response = client.get(reverse(url))
        assert response.status_code == 200 and item.number not in response.content.decode(), url
        assert client.get(reverse(url), {"q": item.number}).context["cl"].result_count == 0, url
    clock = SlaClock.objects.filter(subject_label=item.number).first()
    assert client.get(reverse("admin:core_slaclock_change", args=[clock.pk])).status_code in (302, 404)
    history = client.get(reverse("admin:core_slaclock_history", args=[clock.pk]))
    assert history.status_code in (302, 404) and item.number not in history.content.decode()
    assert item.number not in client.get("/").content.decode()


def test_settled_clocks_of_reports_need_the_report_permission(clerk, handler, office):
    from supply_service.core.models import SlaClock
    from supply_service.dashboard.periods import month_of
    from supply_service.dashboard.selectors_drill import DrillQuery, drill_clocks
    from tests.conftest import _role_user

    report = make.report(handler)
    second = _role_user("complaint_handler", office, "second-handler")
    make.walk(report, handler=handler, approver=second)
    assert SlaClock.objects.filter(subject_label=report.number, state=SlaClock.State.MET).exists()
    month = month_of()
    assert drill_clocks(DrillQuery(month=month, viewer=handler)).filter(subject_label=report.number).exists()
    assert not drill_clocks(DrillQuery(month=month, viewer=clerk)).filter(subject_label=report.number).exists()


def test_the_access_log_hides_reads_of_a_report_about_the_auditor(client, handler, manager, auditor):
    from django.urls import reverse

    from supply_service.complaints import services_identity
    from tests.conftest import _role_user

    report = make.report(handler, concerned_staff=auditor)
    request = services_identity.identity_request_create(complaint=report, by=handler, reason="核实")
    services_identity.identity_request_decide(request=request, by=manager, approve=True)
    services_identity.identity_read(complaint=report, by=handler, reason="核实", where="test")
    changelist = reverse("admin:core_personaldataaccess_changelist")
    colleague = _role_user("auditor", auditor.office, "colleague-auditor")
    for user in (colleague, auditor):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(colleague)
    assert report.number in client.get(changelist).content.decode()
    client.force_login(auditor)
    response = client.get(changelist)
    assert response.status_code == 200 and report.number not in response.content.decode()


def test_the_homes_clock_page_equals_the_orm_rule_for_every_user_and_page(clerk, handler, manager):
    """`sla_clocks_page_for_user` (statements compiled once per permission set, issue 12) gives what the ORM's
    `sla_clocks_open_for_user` + `exclude_hidden_subjects` + Django's Paginator give: the same clocks, count and
    page, whatever the page asked for — items about the user and reports without the permission left out."""
    from django.core.paginator import Paginator

    from supply_service.core.models import SlaClock
    from supply_service.core.registry import exclude_hidden_subjects
    from supply_service.core.selectors import (
        sla_clock_summary_for_user,
        sla_clocks_open_for_user,
        sla_clocks_page_for_user,
    )

    items = [make.complaint(handler, concerned_staff=clerk), make.complaint(handler, concerned_staff=manager),
             make.complaint(handler), make.complaint(handler), make.report(handler), make.report(handler)]
    clocks = list(SlaClock.objects.filter(stopped_at__isnull=True).order_by("pk"))
    assert len(clocks) >= len(items)
    people = [clerk, handler, manager]
    for n, clock in enumerate(clocks):  # spread them over the three, some paused (no due time), some late
        paused, late = n % 4 == 0, n % 5 == 1
        SlaClock.objects.filter(pk=clock.pk).update(
            owner=people[n % 3], due_at=None if paused else clock.due_at - timedelta(days=30) if late else clock.due_at,
            state=SlaClock.State.PAUSED if paused else clock.state)
    for user in people:
        reference = exclude_hidden_subjects(sla_clocks_open_for_user(user=user), user)
        for asked in (None, "1", "2", "3", "0", "-1", "x", "99"):
            want = Paginator(reference, 2).get_page(asked)
            got = sla_clocks_page_for_user(user=user, page=asked, per_page=2)
            assert (got.number, got.paginator.count, got.paginator.num_pages) == \
                   (want.number, want.paginator.count, want.paginator.num_pages), (user.username, asked)
            assert [c.pk for c in got] == [c.pk for c in want], (user.username, asked)
            assert all(c.commitment.code for c in got)
        # the home's sums of the same clocks (open, late, paused)
        now = timezone.now()
        clocks = list(reference)
        late = [c for c in clocks if c.state == SlaClock.State.BREACHED
                or (c.state == SlaClock.State.RUNNING and c.due_at is not None and c.due_at < now)]
        paused = [c for c in clocks if c.state == SlaClock.State.PAUSED]
        assert sla_clock_summary_for_user(user=user, now=now) == \
               {"open": len(clocks), "late": len(late), "paused": len(paused)}, user.username
    # the rule is really exercised: the clerk owns a clock of the item about them, which is not listed
    about_clerk = SlaClock.objects.filter(subject_label=items[0].number, stopped_at__isnull=True).first()
    assert about_clerk is not None
    SlaClock.objects.filter(pk=about_clerk.pk).update(owner=clerk)
    assert about_clerk.pk not in [c.pk for c in sla_clocks_page_for_user(user=clerk, page="1", per_page=50)]
    assert about_clerk.pk in [c.pk for c in sla_clocks_open_for_user(user=clerk)]
