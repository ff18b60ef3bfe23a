"""The buttons of the ticket page: every step posts and moves the state; forbidden steps (wrong role, wrong state,
another office) change nothing and say why; a stale page gets the concurrency message; callbacks (S13.5),
hand-overs (S10.3.3) and chases (S13.4)."""

import pytest
from django.urls import reverse
from django_fsm import ConcurrentTransition

from supply_service.core.models import Callback, Chase, HandOver, Outbox
from supply_service.tickets import services
from supply_service.tickets.services import ticket_transition
from tests.factories import tickets as make
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

CONCURRENT = "Someone else changed this item at the same moment"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read English source strings
    return client


def fresh(ticket):
    return type(ticket).objects.get(pk=ticket.pk)


def post(client, user, ticket, name, data=None, *args):
    """POST to one of the ticket's endpoints as `user` with the state the user saw; returns (response, messages)."""
    client.force_login(user)
    data = {"seen_state": fresh(ticket).state, **(data or {})}
    response = client.post(reverse(name, args=[ticket.number, *args]), data, follow=True)
    assert response.redirect_chain == [(reverse("tickets:detail", args=[ticket.number]), 302)]
    assert response.status_code == 200
    return response, [str(m) for m in response.context["messages"]]


def do(client, user, ticket, action, **data):
    return post(client, user, ticket, "tickets:do", data, action)


def test_repair_walks_its_whole_loop_through_the_buttons(client, agent, dispatcher, crew):
    t = make.repair(agent)
    for user, action, data, state in [
        (dispatcher, "dispatch", {"crew": crew.pk}, "dispatched"),
        (crew, "arrive", {}, "on_site"),
        (crew, "remove_cause", {"text": "跌落式熔断器熔断"}, "cause_removed"),
        (crew, "repair", {}, "resolved"),
    ]:
        _response, notes = do(client, user, t, action, **data)
        assert fresh(t).state == state, notes
        assert notes and notes[0].startswith("Done:")
    assert fresh(t).crew == crew and fresh(t).cause == "跌落式熔断器熔断"
    post(client, agent, t, "tickets:callback", {"outcome": "satisfied"})
    assert fresh(t).state == "called_back"
    do(client, agent, t, "close")
    assert fresh(t).state == "closed"
    reasons = [h.history_change_reason for h in fresh(t).history.order_by("history_id")]
    assert reasons == ["tickets.create", "tickets.dispatch", "tickets.arrive", "tickets.remove_cause", "tickets.repair",
                       "tickets.call_back", "tickets.close"]
    assert fresh(t).history.filter(history_user=crew).count() == 3  # the request's user is recorded


@pytest.mark.parametrize("applicant_class, steps", [
    ("lv_residential", [("clerk", "accept"), ("crew", "survey"), ("clerk", "sign_residential_contract"),
                        ("crew", "energize")]),
    ("lv_non_residential", [("clerk", "accept"), ("crew", "survey"), ("dispatcher", "reply_plan"),
                            ("crew", "inspect_low_voltage"), ("clerk", "sign_contract"), ("crew", "energize")]),
    ("high_voltage", [("clerk", "accept"), ("crew", "survey"), ("dispatcher", "reply_plan"),
                      ("dispatcher", "review_design"), ("crew", "inspect_mid"), ("crew", "inspect_high_voltage"),
                      ("clerk", "sign_contract"), ("crew", "energize")]),
])
def test_business_expansion_walks_its_stages_through_the_buttons(request, client, clerk, applicant_class, steps):
    t = make.expansion(clerk, applicant_class=applicant_class)
    for role, action in steps:
        data = {"meter_number": "M0000000901"} if action == "energize" else {}
        _response, notes = do(client, request.getfixturevalue(role), t, action, **data)
        assert notes[0].startswith("Done:"), (action, notes)
    t = fresh(t)
    assert t.state == "resolved" and t.meter_number == "M0000000901" and all(when for _label, when in t.stages)


def test_meter_fault_bill_query_and_consultation_through_the_buttons(client, clerk, agent, crew):
    meter = make.meter_fault(clerk)
    do(client, crew, meter, "start")
    do(client, crew, meter, "handle", text="更换电能表")
    assert fresh(meter).state == "resolved" and fresh(meter).handling == "更换电能表"
    query = make.bill_query(agent)
    do(client, agent, query, "reply", text="经核查，电费无误。")
    assert fresh(query).state == "resolved" and fresh(query).reply_text == "经核查，电费无误。"
    consult = make.consultation(clerk)
    do(client, clerk, consult, "follow_up")
    assert fresh(consult).state == "in_progress"
    do(client, clerk, consult, "answer_it", text="答复")
    assert fresh(consult).state == "resolved"


def test_cancel_needs_a_reason(client, agent):
    t = make.repair(agent)
    _response, notes = do(client, agent, t, "cancel", text="  ")
    assert fresh(t).state == "received" and notes
    do(client, agent, t, "cancel", text="客户重复报修")
    assert fresh(t).state == "cancelled" and fresh(t).cancel_reason == "客户重复报修"


@pytest.mark.parametrize("role, action, data, message", [
    ("clerk", "dispatch", {"crew": "crew"}, "You may not take this step."),          # wrong role
    ("crew", "dispatch", {"crew": "crew"}, "You may not take this step."),
    ("crew", "repair", {}, "This step is not possible in the ticket's present state."),  # wrong state
    ("crew", "arrive", {}, "This step is not possible in the ticket's present state."),
    ("agent", "explode", {}, "That is not a step of this ticket."),
    ("agent", "call_back", {}, "That is not a step of this ticket."),
    ("agent", "reopen", {}, "That is not a step of this ticket."),
    ("agent", "restore_by_outage", {"notice_number": "x"}, "That is not a step of this ticket."),
    ("agent", "save", {}, "That is not a step of this ticket."),
])
def test_a_forbidden_step_changes_nothing_and_says_why(request, client, agent, crew, role, action, data, message):
    t = make.repair(agent)
    data = {key: crew.pk if value == "crew" else value for key, value in data.items()}
    _response, notes = do(client, request.getfixturevalue(role), t, action, **data)
    assert notes == [message]
    assert fresh(t).state == "received" and fresh(t).history.count() == 1


@pytest.mark.parametrize("data", [{}, {"crew": "999999"}, {"crew": "abc"}, {"crew": "away"}, {"crew": "gone"}])
def test_dispatch_needs_an_active_crew_member_of_the_office(client, agent, dispatcher, other_office, data):
    away = UserFactory(username="crew-away", office=other_office, roles=["field_crew"])
    gone = UserFactory(username="crew-gone", office=dispatcher.office, roles=["field_crew"], is_active=False)
    data = {key: {"away": away.pk, "gone": gone.pk}.get(value, value) for key, value in data.items()}
    t = make.repair(agent)
    _response, notes = do(client, dispatcher, t, "dispatch", **data)
    assert notes and fresh(t).state == "received"


@pytest.mark.parametrize("text", ["", "   ", "x" * 256])
def test_remove_cause_needs_a_cause_that_fits(client, agent, dispatcher, crew, text):
    t = make.repair(agent)
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    ticket_transition(ticket=fresh(t), action="arrive", by=crew)
    _response, notes = do(client, crew, t, "remove_cause", text=text)
    assert notes and fresh(t).state == "on_site"


def test_a_stale_page_gets_the_concurrency_message_and_nothing_changes(client, agent, dispatcher, crew):
    t = make.repair(agent)
    client.force_login(dispatcher)
    for seen in ["received", ""]:  # the form of a page drawn before the crew was dispatched by someone else
        if seen:
            ticket_transition(ticket=fresh(t), action="dispatch", by=dispatcher, crew=crew)
        response = client.post(reverse("tickets:do", args=[t.number, "dispatch"]), {"seen_state": seen, "crew": crew.pk},
                               follow=True)
        notes = [str(m) for m in response.context["messages"]]
        assert response.status_code == 200 and len(notes) == 1 and notes[0].startswith(CONCURRENT)
    assert fresh(t).history.count() == 2


def test_the_optimistic_lock_of_the_model_gives_the_same_message(client, agent, dispatcher, crew, monkeypatch):
    t = make.repair(agent)

    def race(**kwargs):
        raise ConcurrentTransition("state changed")

    monkeypatch.setattr(services, "ticket_transition", race)
    _response, notes = do(client, dispatcher, t, "dispatch", crew=crew.pk)
    assert len(notes) == 1 and notes[0].startswith(CONCURRENT)
    assert fresh(t).state == "received"


def test_the_concurrency_message_is_shown_on_the_reloaded_page(client, agent, dispatcher, crew):
    t = make.repair(agent)
    client.force_login(dispatcher)
    response = client.post(reverse("tickets:do", args=[t.number, "dispatch"]), {"seen_state": "on_site", "crew": crew.pk},
                           follow=True)
    assert response.status_code == 200 and CONCURRENT in response.content.decode()


def test_staff_of_another_office_cannot_change_the_ticket(client, agent, outsider):
    t = make.repair(agent)
    for name, args, data in [("tickets:do", ["cancel"], {"text": "x"}), ("tickets:hand_over", [], {"reason": "x"}),
                             ("tickets:chase", [], {"note": "x"}), ("tickets:callback", [], {"outcome": "satisfied"})]:
        _response, notes = post(client, outsider, t, name, data, *args)
        assert notes == ["This ticket belongs to another office: you can read it but not change it."]
    assert fresh(t).state == "received" and not HandOver.objects.exists()


def test_the_post_endpoints_refuse_get(client, agent):
    t = make.repair(agent)
    client.force_login(agent)
    for name, args in [("tickets:do", ["cancel"]), ("tickets:callback", []), ("tickets:hand_over", []),
                       ("tickets:chase", []), ("tickets:close_without_callback", [])]:
        assert client.get(reverse(name, args=[t.number, *args])).status_code == 405


# --- the callback panel (S13.5) -------------------------------------------------------------------------------

@pytest.fixture
def resolved(agent, dispatcher, crew):
    t = make.repair(agent)
    ticket_transition(ticket=t, action="dispatch", by=dispatcher, crew=crew)
    ticket_transition(ticket=fresh(t), action="arrive", by=crew)
    ticket_transition(ticket=fresh(t), action="remove_cause", by=crew, cause="x")
    ticket_transition(ticket=fresh(t), action="repair", by=crew)
    return fresh(t)


def test_callback_satisfied_then_close(client, agent, resolved):
    _response, notes = post(client, agent, resolved, "tickets:callback", {"outcome": "satisfied"})
    assert fresh(resolved).state == "called_back" and "satisfied" in notes[0]
    do(client, agent, resolved, "close")
    assert fresh(resolved).state == "closed"


def test_callback_not_satisfied_needs_a_note_and_reopens(client, agent, resolved):
    _response, notes = post(client, agent, resolved, "tickets:callback", {"outcome": "unsatisfied", "note": " "})
    assert fresh(resolved).state == "resolved" and not Callback.objects.exists() and notes
    post(client, agent, resolved, "tickets:callback", {"outcome": "unsatisfied", "note": "又停电了"})
    t = fresh(resolved)
    assert t.state == "dispatched" and t.reopened == 1 and Callback.objects.get().note == "又停电了"


def test_callback_unreachable_closes_after_the_policy_number_of_attempts(client, agent, resolved):
    for attempt in range(1, 4):
        _response, notes = post(client, agent, resolved, "tickets:callback", {"outcome": "unreachable"})
        assert fresh(resolved).state == ("closed" if attempt == 3 else "resolved"), notes
    assert Callback.objects.count() == 3 and "3" in fresh(resolved).no_callback_reason


@pytest.mark.parametrize("outcome", ["", "delighted"])
def test_callback_with_a_bad_outcome_changes_nothing(client, agent, resolved, outcome):
    _response, notes = post(client, agent, resolved, "tickets:callback", {"outcome": outcome})
    assert notes and fresh(resolved).state == "resolved" and not Callback.objects.exists()


def test_callback_by_a_role_without_the_permission_is_refused(client, crew, resolved):
    _response, notes = post(client, crew, resolved, "tickets:callback", {"outcome": "satisfied"})
    assert notes == ["You may not take this step."] and fresh(resolved).state == "resolved"


def test_callback_before_resolution_is_refused(client, agent):
    t = make.repair(agent)
    _response, notes = post(client, agent, t, "tickets:callback", {"outcome": "satisfied"})
    assert notes and fresh(t).state == "received" and not Callback.objects.exists()


def test_close_without_callback_needs_a_reason(client, agent, resolved):
    _response, notes = post(client, agent, resolved, "tickets:close_without_callback", {"reason": " "})
    assert notes and fresh(resolved).state == "resolved" and not fresh(resolved).no_callback_reason
    post(client, agent, resolved, "tickets:close_without_callback", {"reason": "匿名来电，无回访号码"})
    assert fresh(resolved).state == "closed" and fresh(resolved).no_callback_reason == "匿名来电，无回访号码"


def test_close_without_callback_in_a_wrong_state_keeps_no_reason(client, agent):
    t = make.repair(agent)
    _response, notes = post(client, agent, t, "tickets:close_without_callback", {"reason": "匿名"})
    assert notes and fresh(t).state == "received" and not fresh(t).no_callback_reason


# --- hand-over (S10.3.3) and chase (S13.4) ---------------------------------------------------------------------

def test_the_owner_hands_over_with_a_reason(client, agent, dispatcher):
    t = make.repair(agent)
    _response, notes = post(client, agent, t, "tickets:hand_over", {"to_user": dispatcher.pk, "reason": "转调度"})
    assert fresh(t).owner == dispatcher and fresh(t).first_responder == agent, notes
    hand_over = HandOver.objects.get()
    assert (hand_over.from_user, hand_over.to_user, hand_over.reason) == (agent, dispatcher, "转调度")


@pytest.mark.parametrize("data", [{"reason": "x"}, {"to_user": "dispatcher", "reason": ""},
                                  {"to_user": "outsider", "reason": "x"}, {"to_user": "agent", "reason": "x"},
                                  {"to_user": "nonsense", "reason": "x"}])
def test_a_bad_hand_over_changes_nothing(request, client, agent, dispatcher, outsider, data):
    t = make.repair(agent)
    data = {k: (request.getfixturevalue(v).pk if k == "to_user" and v != "nonsense" else v) for k, v in data.items()}
    _response, notes = post(client, agent, t, "tickets:hand_over", data)
    assert notes and fresh(t).owner == agent and not HandOver.objects.exists()


def test_only_the_owner_or_a_manager_hands_over(client, agent, clerk, manager, dispatcher):
    t = make.repair(agent)
    _response, notes = post(client, clerk, t, "tickets:hand_over", {"to_user": dispatcher.pk, "reason": "x"})
    assert notes == ["You may not take this step."] and fresh(t).owner == agent
    post(client, manager, t, "tickets:hand_over", {"to_user": dispatcher.pk, "reason": "经理指派"})
    assert fresh(t).owner == dispatcher


def test_a_manager_chases_and_the_owner_is_told(client, agent, manager):
    t = make.repair(agent)
    _response, notes = post(client, manager, t, "tickets:chase", {"note": "请尽快处理"})
    chase = Chase.objects.get()
    assert chase.by == manager and chase.note == "请尽快处理" and notes
    assert Outbox.objects.filter(recipient=agent.email).exists()


@pytest.mark.parametrize("role", ["clerk", "agent", "dispatcher", "auditor"])
def test_only_managers_chase(request, client, agent, role):
    t = make.repair(agent)
    _response, notes = post(client, request.getfixturevalue(role), t, "tickets:chase", {"note": "快"})
    assert notes == ["You may not take this step."] and not Chase.objects.exists()


def test_a_chase_needs_an_instruction_and_an_open_ticket(client, agent, manager):
    t = make.repair(agent)
    _response, notes = post(client, manager, t, "tickets:chase", {"note": "  "})
    assert notes and not Chase.objects.exists()
    services.ticket_cancel(ticket=t, by=agent, reason="重复")
    _response, notes = post(client, manager, t, "tickets:chase", {"note": "快"})
    assert notes and not Chase.objects.exists()
