from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from supply_service.core.models import CalendarDay, Outbox, SlaClock
from supply_service.core.services.outbox import outbox_deliver, outbox_enqueue
from supply_service.core.services.sla import sla_start
from supply_service.core.sms import LocmemSmsBackend
from tests.factories.core import PASSWORD, SampleItemFactory, UserFactory


@pytest.fixture
def admin_client(client, office):
    user = UserFactory(username="root", office=office, is_staff=True, is_superuser=True)
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "model", ["office", "user", "calendarday", "commitment", "slaclock", "callback", "handover", "outbox",
              "servicelanguage"]
)
def test_admin_changelists_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:core_{model}_changelist"), follow=True).status_code == 200


def test_business_records_cannot_be_deleted_in_the_admin(admin_client, clerk):
    office = clerk.office
    response = admin_client.get(reverse("admin:core_office_delete", args=[office.pk]))
    assert response.status_code == 403


@time_machine.travel(datetime(2026, 11, 27, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_calendar_admin_warns_about_a_missing_year_and_adds_it(admin_client):
    next_year = timezone.localdate().year + 1
    CalendarDay.objects.filter(date__year=next_year).delete()
    response = admin_client.get(reverse("admin:core_calendarday_changelist"), follow=True)
    assert str(next_year) in " ".join(str(m) for m in response.context["messages"])
    response = admin_client.post(reverse("admin:core_calendarday_add_year"), {"year": next_year}, follow=True)
    assert response.status_code == 200
    assert CalendarDay.objects.filter(date__year=next_year).count() in (365, 366)
    assert CalendarDay.objects.get(date=date(next_year, 1, 1)).is_working_day == (date(next_year, 1, 1).weekday() < 5)
    bad = admin_client.post(reverse("admin:core_calendarday_add_year"), {"year": "soon"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_manager_edits_a_calendar_day_and_history_keeps_it(client, manager):
    manager.is_staff = True
    manager.save()
    client.login(username="manager", password=PASSWORD)
    day = CalendarDay.objects.get(date=date(2026, 12, 1))
    response = client.post(
        reverse("admin:core_calendarday_change", args=[day.pk]),
        {"name": "Local holiday"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2026, 12, 1))
    assert not day.is_working_day and day.history.count() == 1


def test_waive_action_in_the_admin(admin_client, clerk):
    item = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk)
    clock = sla_start(subject=item, commitment="repair_arrival", at=timezone.now() - timedelta(hours=2))
    url = reverse("admin:core_slaclock_changelist")
    response = admin_client.post(url, {"action": "waive_selected", "_selected_action": [clock.pk]})
    assert response.status_code == 200 and "reason" in response.content.decode()
    admin_client.post(url, {"action": "waive_selected", "_selected_action": [clock.pk], "reason": "Earthquake"})
    clock = SlaClock.objects.get(pk=clock.pk)
    assert clock.state == "waived" and clock.waive_reason == "Earthquake"


def test_failed_messages_are_visible_and_retried_in_the_admin(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    LocmemSmsBackend.outbox.clear()
    LocmemSmsBackend.fail_next = 1
    message = outbox_enqueue(key="adm1", channel="sms", recipient="13800000000", body="x")
    outbox_deliver(pk=message.pk)
    response = admin_client.get(reverse("admin:core_outbox_changelist"), {"state__exact": "failed"})
    assert "13800000000" in response.content.decode()
    assert admin_client.get(reverse("admin:core_outbox_change", args=[message.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:core_outbox_changelist"), {"action": "retry_selected", "_selected_action": [message.pk]}
        )
    assert Outbox.objects.get(pk=message.pk).state == "sent"  # queued again and delivered by the (inline) task


def test_roles_are_groups_with_permissions(db):
    manager = Group.objects.get(name="manager")
    codenames = set(manager.permissions.values_list("codename", flat=True))
    assert {"use_workbench", "waive_slaclock", "change_calendarday", "retry_outbox"} <= codenames
    clerk = Group.objects.get(name="counter_clerk")
    assert "waive_slaclock" not in set(clerk.permissions.values_list("codename", flat=True))
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "counter_clerk", "agent_95598", "dispatcher", "field_crew", "complaint_handler", "auditor", "manager"
    }


def test_commitments_seeded_from_the_standard(db):
    from supply_service.core.models import Commitment

    rows = {c.code: (c.limit, c.unit, c.article) for c in Commitment.objects.all()}
    assert rows["repair_arrival"] == (45, "minutes", "S10.2.5")
    assert rows["resident_connection"] == (5, "working_days", "S10.2.2")
    assert rows["call_answer"] == (12, "seconds", "S10.2.6")
    assert rows["complaint_reply"] == (5, "days", "S13.5")
    assert rows["report_reply"] == (10, "days", "S13.5")
    assert rows["callback_rate"] == (90, "percent", "S13.5")
    articles = {c.article for c in Commitment.objects.all()}
    assert {f"S10.2.{n}" for n in range(1, 11)} <= articles
