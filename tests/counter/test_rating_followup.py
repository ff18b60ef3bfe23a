"""The follow-up case (回访) of a "not satisfied" press on the rating pad (issue 15, S13.5): a kernel work item owned
by the office's customer manager with its own callback clock (commitment `counter_rating_followup`), listed in the
manager's home and work lists, never shown to the clerk who was rated; the manager records the callback (the clock
stops there) and closes the case — never before a callback. Protected transitions, one permission each, history."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from supply_service.core.models import Callback, Commitment, Notification, OpenWork, Outbox, SlaClock
from supply_service.core.selectors_work import WorkQuery, openwork_home, openwork_list
from supply_service.core.services.sla import sla_sweep
from supply_service.counter import services, services_rating
from supply_service.counter.models import Rating, RatingFollowUp
from supply_service.counter.services_followup import COMMITMENT, followup_close, followup_record_callback
from tests.factories.core import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(office):
    boss = UserFactory(username="boss", office=office, roles=["manager"], phone="13900000000")
    office.customer_managers.add(boss)
    return boss


def _served(fee, window, clerk, phone="13800000001"):
    services.ticket_take(service=fee, phone=phone)
    services.window_open(window=window, by=clerk)
    ticket = services.ticket_call_next(window=window, by=clerk)
    ticket = services.ticket_serve(ticket=ticket, by=clerk)
    return services.ticket_finish(ticket=ticket, by=clerk)


def _rate_badly(window, ticket, reason="attitude"):
    services_rating.rating_record(window=window, ticket_id=ticket.pk, score=Rating.Score.NOT_SATISFIED,
                                  reason=reason)
    return RatingFollowUp.objects.get(rating__ticket=ticket)


@pytest.fixture
def case(fee, win1, clerk, boss, frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _rate_badly(win1, _served(fee, win1, clerk))


def _limit_hours() -> float:
    return float(Commitment.objects.get(code=COMMITMENT).limit)


def _clock(case) -> SlaClock:
    return SlaClock.objects.get(object_id=case.pk, commitment__code=COMMITMENT)


def test_not_satisfied_opens_a_case_with_its_clock_and_alerts_the_manager_S13_5(case, boss, clerk, win1):
    assert case.state == "open" and case.owner == boss and case.concerned_clerk == clerk
    assert case.number.startswith("PJ-") and case.customer_phone == "13800000001"
    assert case.rating.reason == "attitude" and case.rating.window == win1
    clock = _clock(case)
    assert clock.state == "running" and clock.owner == boss
    assert clock.due_at - clock.started_at == timedelta(hours=_limit_hours())
    note = Notification.objects.get(user=boss)
    assert note.item_number == case.number and note.url == reverse("counter:followup", args=[case.number])
    assert Outbox.objects.filter(channel="sms", recipient=boss.phone).exists()
    assert case.history.first().history_change_reason == "counter.open_followup"


def test_satisfied_presses_open_no_case(fee, win1, clerk, boss, frozen):
    ticket = _served(fee, win1, clerk)
    services_rating.rating_record(window=win1, ticket_id=ticket.pk, score=Rating.Score.SATISFIED)
    assert not RatingFollowUp.objects.exists() and not Notification.objects.exists()


def test_the_case_is_in_the_managers_home_and_work_lists(case, boss, client):
    row = OpenWork.objects.get(number=case.number)
    assert row.kind == "counter_followup" and row.owner_id == boss.pk and row.due_at == _clock(case).due_at
    assert case.number in {r["number"] for r in openwork_home(user=boss)["rows"]}
    assert case.number in {r["number"] for r in openwork_list(query=WorkQuery(office=boss.office, viewer=boss))[:50]}
    client.force_login(boss)
    assert case.number in client.get("/").content.decode()


def test_the_clerk_rated_never_sees_the_case(fee, win1, manager, boss, frozen, client):
    """The clerk at the window was a manager (who may see follow-ups): still hidden from them everywhere."""
    case = _rate_badly(win1, _served(fee, win1, manager))
    assert manager.has_perm("counter.view_ratingfollowup")
    assert OpenWork.objects.get(number=case.number).hidden_from_id == manager.pk
    assert case.number not in {r["number"] for r in openwork_home(user=manager)["rows"]}
    listed = openwork_list(query=WorkQuery(office=manager.office, viewer=manager))[:50]
    assert case.number not in {r["number"] for r in listed}
    client.force_login(manager)
    assert client.get(reverse("counter:followup", args=[case.number])).status_code == 404
    with pytest.raises(PermissionDenied):
        followup_record_callback(case=case, by=manager, reached=True, satisfied=True)


def test_close_without_a_callback_is_refused(case, boss):
    with pytest.raises(ValidationError):
        followup_close(case=case, by=boss)
    with pytest.raises(TransitionNotAllowed):
        case.close(at=case.created_at)
    case.refresh_from_db()
    assert case.state == "open"


def test_callback_in_time_meets_the_clock_then_the_case_closes(case, boss, frozen):
    frozen.shift(timedelta(hours=_limit_hours() - 1))
    followup_record_callback(case=case, by=boss, reached=True, satisfied=True, note="")
    case.refresh_from_db()
    assert case.state == "called_back" and case.reached and case.satisfied_after
    assert _clock(case).state == "met"
    callback = Callback.objects.for_item(case).get()
    assert callback.outcome == "satisfied" and callback.by == boss
    followup_close(case=case, by=boss)
    case.refresh_from_db()
    assert case.state == "closed" and not OpenWork.objects.filter(number=case.number).exists()
    assert [h.history_change_reason for h in case.history.order_by("history_id")] == [
        "counter.open_followup", "counter.record_callback", "counter.close_followup"]


def test_a_late_callback_is_breached(case, boss, frozen):
    frozen.shift(timedelta(hours=_limit_hours() + 1))
    followup_record_callback(case=case, by=boss, reached=False, satisfied=None, note="无人接听")
    assert _clock(case).state == "breached"
    assert Callback.objects.for_item(case).get().outcome == "unreachable"


def test_the_sweep_breaches_a_case_nobody_called_back(case, frozen):
    frozen.shift(timedelta(hours=_limit_hours() + 1))
    sla_sweep()
    assert _clock(case).state == "breached" and OpenWork.objects.get(number=case.number).breached


@pytest.mark.parametrize("reached, satisfied, note", [(True, None, "x"), (False, None, ""), (True, False, " ")])
def test_a_callback_needs_the_outcome_and_a_note_unless_all_is_well(case, boss, reached, satisfied, note):
    with pytest.raises(ValidationError):
        followup_record_callback(case=case, by=boss, reached=reached, satisfied=satisfied, note=note)
    assert RatingFollowUp.objects.get(pk=case.pk).state == "open" and _clock(case).state == "running"


def test_each_transition_needs_its_permission_and_the_office(case, clerk, auditor, outsider):
    for user in (clerk, auditor, outsider):
        with pytest.raises(PermissionDenied):
            followup_record_callback(case=case, by=user, reached=True, satisfied=True)
    assert not clerk.has_perm("counter.view_ratingfollowup")


def test_the_manager_works_the_case_on_its_page(case, boss, client):
    assert client.login(username=boss.username, password=PASSWORD)
    url = reverse("counter:followup", args=[case.number])
    html = client.get(url).content.decode()
    assert 'data-score="not_satisfied"' in html and 'data-reason="attitude"' in html and 'data-window="1"' in html
    assert 'id="followup-callback"' in html and 'data-action="close"' not in html
    assert 'data-clock="running"' in html
    bad = client.post(reverse("counter:followup_step", args=[case.number, "close"]))
    assert bad.status_code == 302 and RatingFollowUp.objects.get(pk=case.pk).state == "open"
    client.post(reverse("counter:followup_step", args=[case.number, "callback"]),
                {"reached": "yes", "satisfied": "no", "note": "客户仍不满意，已道歉"})
    html = client.get(url).content.decode()
    assert 'data-reached="yes"' in html and 'data-action="close"' in html
    client.post(reverse("counter:followup_step", args=[case.number, "close"]))
    assert RatingFollowUp.objects.get(pk=case.pk).state == "closed"
    assert client.post(reverse("counter:followup_step", args=[case.number, "nope"])).status_code == 404


def test_the_case_page_reads_a_constant_number_of_queries(case, boss, client, django_assert_max_num_queries):
    client.force_login(boss)
    url = reverse("counter:followup", args=[case.number])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
