"""Issue 11: one workspace for every role over every kind of work item — the registry, the open-work table, the home
per role, and being told when work arrives."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supply_service.core.models import Notification, OpenWork, Outbox
from supply_service.core.registry import kind_for_key, kind_for_model, kinds
from supply_service.core.services.openwork import openwork_rebuild
from supply_service.core.services.sla import sla_sweep
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import (
    ticket_callback,
    ticket_chase,
    ticket_hand_over,
    ticket_transition,
)
from tests.factories import tickets as make

pytestmark = pytest.mark.django_db


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response


def waiting_numbers(response) -> list[str]:
    return [row["number"] for row in response.context["work"]["rows"]]


def test_every_ticket_kind_is_registered_with_the_kernel():
    assert {"repair", "expansion", "meter_fault", "bill_query", "consultation"} <= {k.key for k in kinds()}
    assert kind_for_model(RepairTicket).key == "repair" and kind_for_key("repair").assignee_field == "crew"


def test_open_work_follows_the_item_and_its_clocks(agent, dispatcher, crew):
    t = make.repair(agent)
    row = OpenWork.objects.get(kind="repair", object_id=t.pk)
    assert row.number == t.number and row.state == "received" and row.due_at is not None and not row.breached
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    row.refresh_from_db()
    assert row.state == "dispatched" and row.assignee == crew
    sla_sweep(now=timezone.now() + timedelta(hours=2))
    row.refresh_from_db()
    assert row.breached
    ticket_transition(ticket=RepairTicket.objects.get(pk=t.pk), action="arrive", by=crew)
    row.refresh_from_db()
    assert row.state == "on_site" and row.due_at is None  # no clock runs until the cause is removed
    ticket_transition(ticket=RepairTicket.objects.get(pk=t.pk), action="remove_cause", by=crew, cause="熔断器")
    ticket_transition(ticket=RepairTicket.objects.get(pk=t.pk), action="repair", by=crew)
    ticket_callback(ticket=RepairTicket.objects.get(pk=t.pk), by=agent, outcome="satisfied")
    ticket_transition(ticket=RepairTicket.objects.get(pk=t.pk), action="close", by=agent)
    assert not OpenWork.objects.filter(kind="repair", object_id=t.pk).exists()


def test_rebuild_gives_the_same_rows(agent, dispatcher, crew):
    a, b = make.repair(agent), make.consultation(agent)
    ticket_transition(ticket=a, action="dispatch", by=dispatcher, crew=crew)
    before = sorted(OpenWork.objects.values_list("number", "state", "assignee_id", "due_at", "breached"))
    assert openwork_rebuild() == 2
    assert sorted(OpenWork.objects.values_list("number", "state", "assignee_id", "due_at", "breached")) == before
    assert b.number in [n for n, *_ in before]


def test_the_repair_loop_through_every_home_S10_2_5_S13_5(client, agent, dispatcher, crew):
    crew.phone = "13900000001"
    crew.save()
    t = make.repair(agent)
    assert t.number in waiting_numbers(home(client, dispatcher))  # waits for dispatch
    assert t.number not in waiting_numbers(home(client, crew))  # not the crew's until dispatched to them
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    assert t.number not in waiting_numbers(home(client, dispatcher))
    response = home(client, crew)
    assert t.number in waiting_numbers(response)
    assert Notification.objects.filter(user=crew, item_number=t.number).exists()
    assert Outbox.objects.filter(channel="sms", recipient="13900000001", idempotency_key__startswith="dispatch:").exists()
    assert t.number in response.content.decode()
    for action, data in (("arrive", {}), ("remove_cause", {"cause": "熔断器"}), ("repair", {})):
        ticket_transition(ticket=RepairTicket.objects.get(pk=t.pk), action=action, by=crew, **data)
    response = home(client, agent)
    [row] = [r for r in response.context["work"]["rows"] if r["number"] == t.number]
    assert row["callback_due"]
    assert "callback-due" in response.content.decode()


def test_another_crews_job_is_not_on_my_home(client, agent, dispatcher, crew, office):
    from tests.factories.core import UserFactory

    other = UserFactory(username="crew2", office=office, roles=["field_crew"])
    t = make.repair(agent)
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=other)
    assert t.number not in waiting_numbers(home(client, crew))
    assert t.number in waiting_numbers(home(client, other))


def test_hand_over_and_chase_tell_the_new_owner(client, agent, clerk, manager):
    t = make.bill_query(agent)
    ticket_hand_over(ticket=t, to_user=clerk, by=agent, reason="请柜台书面答复")
    assert Notification.objects.filter(user=clerk, item_number=t.number).exists()
    ticket_chase(ticket=type(t).objects.get(pk=t.pk), by=manager, note="今天内答复")
    assert Notification.objects.filter(user=clerk, item_number=t.number).count() == 2
    response = home(client, clerk)
    assert 'id="notifications"' in response.content.decode()
    client.post(reverse("core:notifications_read"))
    assert not Notification.objects.filter(user=clerk, read_at__isnull=True).exists()


def test_manager_sees_overdue_amber_and_chases(client, agent, manager):
    late = make.repair(agent, at=timezone.now() - timedelta(hours=2))
    make.repair(agent, at=timezone.now() - timedelta(minutes=40))  # 5 of 45 minutes left: amber
    make.repair(agent)
    ticket_chase(ticket=late, by=manager, note="马上派工")
    summary = home(client, manager).context["work"]["office"]
    assert summary["open"] == 3 and summary["overdue"] == 1 and summary["amber"] == 1 and summary["chases"] == 1


def test_chases_outstanding_are_kept_on_the_open_items_rows(client, agent, manager):
    """The manager's "chases outstanding" (every chase of an item still open) and the dashboard's chased items read
    the open-work row's count of chases: kept by the chase, by every save, by a rebuild; gone with the closed item."""
    from supply_service.core.models import Chase
    from supply_service.core.services.openwork import openwork_sync
    from supply_service.dashboard.selectors import open_work_now

    first, second, third = make.repair(agent), make.repair(agent), make.repair(agent)
    for ticket, times in ((first, 2), (second, 1), (third, 1)):
        for n in range(times):
            ticket_chase(ticket=type(ticket).objects.get(pk=ticket.pk), by=manager, note=f"第{n + 1}次督办")

    def figures():
        open_numbers = OpenWork.objects.values("number")
        expected = Chase.objects.filter(item_number__in=open_numbers).count()
        assert dict(OpenWork.objects.filter(chases__gt=0).values_list("number", "chases")) == {
            number: Chase.objects.filter(item_number=number).count()
            for number in Chase.objects.filter(item_number__in=open_numbers).values_list("item_number", flat=True)}
        return home(client, manager).context["work"]["office"]["chases"], expected, open_work_now().totals["chases"]

    assert figures() == (4, 4, 3)  # four chases, three items chased
    third_row = OpenWork.objects.get(number=third.number)
    type(third).objects.filter(pk=third.pk).update(state="closed")  # the item closes: its row and chase leave
    openwork_sync(type(third).objects.get(pk=third.pk))
    assert figures() == (3, 3, 2)
    type(third).objects.filter(pk=third.pk).update(state=third_row.state)  # opened again: its chase is back
    openwork_sync(type(third).objects.get(pk=third.pk))
    assert figures() == (4, 4, 3)
    first.refresh_from_db()
    first.save()  # any save keeps the count
    openwork_rebuild()  # and so does a rebuild
    assert figures() == (4, 4, 3)


def test_no_role_sees_an_empty_home_while_work_waits_for_it(client, agent, clerk, dispatcher, crew, manager):
    repair = make.repair(agent)
    expansion = make.expansion(clerk)
    assert repair.number in waiting_numbers(home(client, dispatcher))
    assert expansion.number in waiting_numbers(home(client, clerk))  # to accept
    assert repair.number in waiting_numbers(home(client, agent))  # the owner
    assert {repair.number, expansion.number} <= set(waiting_numbers(home(client, manager)))


@pytest.mark.parametrize("count", [5, 60])
def test_the_managers_home_reads_a_constant_number_of_queries(client, agent, manager, count,
                                                              django_assert_max_num_queries):
    for _ in range(count):
        make.repair(agent)
    client.force_login(manager)
    # session, user, permissions, rows, counts, the office's figures with its chases (one statement), the calendar
    # check with its policy (one), my clocks' sums, notifications: 9; the process's first request reads the content
    # types and the kinds' permissions once more (11)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("core:home"))
    assert len(response.context["work"]["rows"]) == min(count, 25)


def test_the_agents_intake_defaults_to_the_phone(client, agent, clerk):
    client.force_login(agent)
    assert client.get(reverse("tickets:create", args=["repair"])).context["form"]["channel"].value() == "phone"
    client.force_login(clerk)
    assert client.get(reverse("tickets:create", args=["repair"])).context["form"]["channel"].value() == "counter"


def test_the_dispatchers_list_opens_on_undispatched_repairs(client, dispatcher):
    client.force_login(dispatcher)
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 302 and "kind=repair" in response["Location"] and "state=received" in \
        response["Location"]


def test_history_is_in_words_not_codes(client, agent, dispatcher, crew):
    t = make.repair(agent)
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    client.force_login(agent)
    html = client.get(reverse("tickets:detail", args=[t.number])).content.decode()
    assert "tickets.dispatch" not in html.replace('data-reason="tickets.dispatch"', "")


def test_the_ticket_page_does_not_say_nothing_can_be_done_above_the_callback_panel(client, agent, dispatcher, crew):
    t = make.repair(agent)
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    for action, data in (("arrive", {}), ("remove_cause", {"cause": "熔断器"}), ("repair", {})):
        ticket_transition(ticket=RepairTicket.objects.get(pk=t.pk), action=action, by=crew, **data)
    client.force_login(agent)
    html = client.get(reverse("tickets:detail", args=[t.number])).content.decode()
    assert 'id="callback-panel"' in html and 'id="no-actions"' not in html


def test_past_the_cap_a_kind_says_99_plus_and_the_total_more_than(client, agent, dispatcher, monkeypatch):
    """Counting what waits stops at the cap (issue 12: the count costs the same in a busy office): the chip shows the
    cap with "+", read out as "more than", and the total says "more than"; below the cap the numbers are exact."""
    from supply_service.core import selectors_work  # noqa: PLC0415

    for _ in range(4):
        make.repair(agent)
    response = home(client, dispatcher)
    chip = response.content.decode()
    assert 'data-kind="repair">' in chip and "+</bdi>" not in chip
    assert response.context["work"]["total"] == 4 and not response.context["work"]["more"]

    monkeypatch.setattr(selectors_work, "HOME_COUNT_CAP", 2)
    response = home(client, dispatcher)
    page = response.content.decode()
    assert response.context["work"]["more"] and response.context["work"]["total"] == 2
    assert "<bdi dir=\"ltr\">2+</bdi>" in page and "超过 2" in page  # zh-hans, the default language
    assert "共有超过 2 项待办。" in page
