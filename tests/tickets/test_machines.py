"""Every path of every machine, every forbidden step (wrong state, wrong role), and the clocks of each step."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from supply_service.core.models import SlaClock
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.services import (
    ticket_answer_at_once,
    ticket_callback,
    ticket_cancel,
    ticket_close_without_callback,
    ticket_transition,
)
from tests.factories import tickets as make

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(2026, *args, tzinfo=SH)


def clock(ticket, code):
    return SlaClock.objects.filter(object_id=ticket.pk, commitment__code=code).latest("started_at")


def fresh(ticket):
    return type(ticket).objects.get(pk=ticket.pk)


def step(ticket, action, by, when, **data):
    return ticket_transition(ticket=ticket, action=action, by=by, at=when, **data)


# --- fault repair ---------------------------------------------------------------------------------------------

def test_repair_full_path_with_clocks_S10_2_5_S10_2_9(agent, dispatcher, crew):
    t = make.repair(agent, at=at(11, 27, 20, 0))
    assert t.number.startswith("QX-20261127-") and t.first_responder == agent and t.owner == agent
    assert clock(t, "repair_arrival").due_at == at(11, 27, 20, 45)
    step(t, "dispatch", dispatcher, at(11, 27, 20, 5), crew=crew)
    step(t, "arrive", crew, at(11, 27, 20, 40))
    assert clock(t, "repair_arrival").state == "met"
    step(t, "remove_cause", crew, at(11, 27, 21, 30), cause="跌落式熔断器熔断")
    # Restoration: 1 working day after the cause is removed (Fri 27 Nov -> end of Mon 30 Nov).
    assert clock(t, "supply_restoration").due_at == at(12, 1, 0, 0)
    step(t, "repair", crew, at(11, 27, 22, 0))
    assert clock(t, "supply_restoration").state == "met"
    ticket_callback(ticket=t, by=agent, outcome="satisfied", at=at(11, 28, 9, 0))
    assert fresh(t).state == "called_back"
    step(t, "close", agent, at(11, 28, 9, 1))
    t = fresh(t)
    assert t.state == "closed" and t.closed_at == at(11, 28, 9, 1)
    reasons = [h.history_change_reason for h in t.history.order_by("history_id")]
    assert reasons == ["tickets.create", "tickets.dispatch", "tickets.arrive", "tickets.remove_cause", "tickets.repair",
                       "tickets.call_back", "tickets.close"]


def test_repair_arrival_breached_after_45_minutes_S10_2_5(agent, dispatcher, crew):
    t = make.repair(agent, at=at(11, 27, 20, 0))
    step(t, "dispatch", dispatcher, at(11, 27, 20, 5), crew=crew)
    step(t, "arrive", crew, at(11, 27, 20, 46))
    assert clock(t, "repair_arrival").state == "breached"


def test_restoration_breached_across_national_day_S10_2_9(agent, dispatcher, crew):
    t = make.repair(agent, at=at(9, 30, 10, 0))
    step(t, "dispatch", dispatcher, at(9, 30, 10, 5), crew=crew)
    step(t, "arrive", crew, at(9, 30, 10, 30))
    step(t, "remove_cause", crew, at(9, 30, 12, 0), cause="x")
    assert clock(t, "supply_restoration").due_at == at(10, 9, 0, 0)  # holiday 1–7 Oct, working 8 Oct
    step(t, "repair", crew, at(10, 9, 0, 30))
    assert clock(t, "supply_restoration").state == "breached"


@pytest.mark.parametrize("action, data", [("arrive", {}), ("repair", {}), ("remove_cause", {"cause": "x"})])
def test_repair_steps_out_of_order_are_refused(agent, crew, action, data):
    t = make.repair(agent)
    with pytest.raises(TransitionNotAllowed):
        step(t, action, crew, at(11, 27, 20, 0), **data)
    assert fresh(t).state == "received"


@pytest.mark.parametrize("role, action", [("clerk", "dispatch"), ("agent", "dispatch"), ("auditor", "dispatch")])
def test_repair_dispatch_by_a_wrong_role_is_refused(request, agent, crew, role, action):
    t = make.repair(agent)
    with pytest.raises(PermissionDenied):
        step(t, action, request.getfixturevalue(role), at(11, 27, 20, 0), crew=crew)


def test_crew_arrival_by_dispatcher_is_refused(agent, dispatcher, crew):
    t = make.repair(agent)
    step(t, "dispatch", dispatcher, at(11, 27, 20, 5), crew=crew)
    with pytest.raises(PermissionDenied):
        step(t, "arrive", dispatcher, at(11, 27, 20, 6))


def test_unknown_or_dedicated_steps_are_refused(agent):
    t = make.repair(agent)
    for action in ["explode", "call_back", "reopen", "cancel", "save"]:
        with pytest.raises(ValidationError):
            step(t, action, agent, at(11, 27, 20, 0))


def resolved_repair(agent, dispatcher, crew, start=None):
    start = start or at(11, 27, 20, 0)
    t = make.repair(agent, at=start)
    step(t, "dispatch", dispatcher, start + timedelta(minutes=5), crew=crew)
    step(t, "arrive", crew, start + timedelta(minutes=30))
    step(t, "remove_cause", crew, start + timedelta(minutes=40), cause="x")
    step(t, "repair", crew, start + timedelta(minutes=50))
    return fresh(t)


def test_unsatisfied_callback_reopens_the_repair_with_a_new_arrival_clock_S13_5(agent, dispatcher, crew):
    t = resolved_repair(agent, dispatcher, crew)
    ticket_callback(ticket=t, by=agent, outcome="unsatisfied", note="又停电了", at=at(11, 28, 9, 0))
    t = fresh(t)
    assert t.state == "dispatched" and t.reopened == 1 and t.resolved_at is None
    assert clock(t, "repair_arrival").started_at == at(11, 28, 9, 0)
    assert clock(t, "repair_arrival").state == "running"
    with pytest.raises(TransitionNotAllowed):
        step(t, "close", agent, at(11, 28, 9, 5))


def test_unreachable_three_times_closes_with_that_reason_S13_5(agent, dispatcher, crew):
    t = resolved_repair(agent, dispatcher, crew)
    ticket_callback(ticket=t, by=agent, outcome="unreachable", at=at(11, 28, 9, 0))
    ticket_callback(ticket=fresh(t), by=agent, outcome="unreachable", at=at(11, 28, 14, 0))
    assert fresh(t).state == "resolved"
    ticket_callback(ticket=fresh(t), by=agent, outcome="unreachable", at=at(11, 29, 9, 0))
    t = fresh(t)
    assert t.state == "closed" and "3" in t.no_callback_reason


def test_callback_attempts_follow_the_policy_table(agent, dispatcher, crew):
    from supply_service.core.models import Policy

    Policy.objects.filter(code="callback_max_attempts").update(value=1)
    t = resolved_repair(agent, dispatcher, crew)
    ticket_callback(ticket=t, by=agent, outcome="unreachable", at=at(11, 28, 9, 0))
    assert fresh(t).state == "closed"


def test_callback_before_resolution_and_by_a_wrong_role_are_refused(agent, crew, dispatcher):
    t = make.repair(agent)
    with pytest.raises(ValidationError):
        ticket_callback(ticket=t, by=agent, outcome="satisfied")
    t = resolved_repair(agent, dispatcher, crew)
    with pytest.raises(PermissionDenied):
        ticket_callback(ticket=t, by=crew, outcome="satisfied")


def test_close_without_callback_needs_a_recorded_reason(agent, dispatcher, crew):
    t = resolved_repair(agent, dispatcher, crew)
    with pytest.raises(TransitionNotAllowed):
        step(t, "close", agent, at(11, 28, 9, 0))
    with pytest.raises(ValidationError):
        ticket_close_without_callback(ticket=t, by=agent, reason=" ")
    ticket_close_without_callback(ticket=fresh(t), by=agent, reason="匿名来电，无回访号码")
    assert fresh(t).state == "closed"


def test_cancel_needs_a_reason_waives_the_clocks_and_is_final(agent, dispatcher):
    t = make.repair(agent, at=at(11, 27, 20, 0))
    with pytest.raises(ValidationError):
        ticket_cancel(ticket=t, by=agent, reason="")
    ticket_cancel(ticket=t, by=agent, reason="客户重复报修", at=at(11, 27, 20, 3))
    t = fresh(t)
    assert t.state == "cancelled" and t.cancel_reason == "客户重复报修"
    assert clock(t, "repair_arrival").state == "waived"
    with pytest.raises(TransitionNotAllowed):
        ticket_cancel(ticket=t, by=agent, reason="again")
    with pytest.raises(TransitionNotAllowed):
        step(t, "dispatch", dispatcher, at(11, 27, 20, 5), crew=agent)


def test_cancel_by_a_role_without_permission_is_refused(agent, crew):
    t = make.repair(agent)
    with pytest.raises(PermissionDenied):
        ticket_cancel(ticket=t, by=crew, reason="x")


# --- business expansion ---------------------------------------------------------------------------------------

def test_residential_connection_path_and_clock_S10_2_2(clerk, crew):
    t = make.expansion(clerk, at=at(11, 27, 9, 0))
    step(t, "accept", clerk, at(11, 27, 9, 5))
    assert clock(t, "resident_connection").due_at == at(12, 5, 0, 0)  # 5 working days after Fri 27 Nov
    step(t, "survey", crew, at(11, 30, 10, 0))
    with pytest.raises(TransitionNotAllowed):
        step(t, "reply_plan", crew, at(11, 30, 11, 0))  # residential applicants have no plan reply
    step(t, "sign_residential_contract", clerk, at(12, 1, 10, 0))
    step(t, "energize", crew, at(12, 3, 15, 0), meter_number="M0000000901")
    t = fresh(t)
    assert t.state == "resolved" and t.meter_number == "M0000000901"
    assert clock(t, "resident_connection").state == "met"
    labels = [label for label, when in t.stages]
    assert len(labels) == 5 and all(when for _label, when in t.stages)


def test_low_voltage_non_residential_path_clock_from_inspection_and_contract_S10_2_2(clerk, crew, dispatcher):
    t = make.expansion(clerk, applicant_class="lv_non_residential", at=at(11, 2, 9, 0))
    step(t, "accept", clerk, at(11, 2, 9, 5))
    # From acceptance: the newer commitments' total (6 working days) and the supply-plan reply; the standard's
    # own clock starts only at the contract.
    started = set(SlaClock.objects.filter(object_id=t.pk, content_type__model="businessexpansion")
                  .values_list("commitment__code", flat=True))
    assert started == {"connection_lv_non_residential", "plan_reply_lv"}
    step(t, "survey", crew, at(11, 3, 9, 0))
    step(t, "reply_plan", dispatcher, at(11, 5, 9, 0))
    with pytest.raises(TransitionNotAllowed):
        step(t, "review_design", dispatcher, at(11, 6, 9, 0))  # only high voltage
    step(t, "inspect_low_voltage", crew, at(11, 20, 9, 0))
    step(t, "sign_contract", clerk, at(11, 23, 9, 0))
    # Signed Mon 23 Nov: five working days are 24 Nov … 30 Nov, due at 24:00 on the 30th.
    assert clock(t, "nonresident_connection").due_at == at(12, 1, 0, 0)
    step(t, "energize", crew, at(12, 1, 9, 0))
    assert clock(t, "nonresident_connection").state == "breached"


def test_high_voltage_path_has_design_review_and_mid_inspection(clerk, crew, dispatcher):
    t = make.expansion(clerk, applicant_class="high_voltage", at=at(11, 2, 9, 0))
    step(t, "accept", clerk, at(11, 2, 9, 5))
    step(t, "survey", crew, at(11, 3, 9, 0))
    step(t, "reply_plan", dispatcher, at(11, 5, 9, 0))
    with pytest.raises(TransitionNotAllowed):
        step(t, "inspect_low_voltage", crew, at(11, 6, 9, 0))
    step(t, "review_design", dispatcher, at(11, 10, 9, 0))
    step(t, "inspect_mid", crew, at(11, 16, 9, 0))
    step(t, "inspect_high_voltage", crew, at(11, 20, 9, 0))
    step(t, "sign_contract", clerk, at(11, 23, 9, 0))
    step(t, "energize", crew, at(11, 25, 9, 0))
    t = fresh(t)
    assert t.state == "resolved" and clock(t, "nonresident_connection").state == "met"
    assert len(t.stages) == 9


def test_expansion_step_by_a_wrong_role_is_refused(clerk, crew):
    t = make.expansion(clerk)
    with pytest.raises(PermissionDenied):
        step(t, "accept", crew, at(11, 27, 9, 0))


# --- meter fault, bill query, consultation ----------------------------------------------------------------------

def test_meter_fault_handled_within_two_working_days_S10_2_8(clerk, crew):
    t = make.meter_fault(clerk, at=at(11, 27, 16, 0))
    assert clock(t, "meter_fault").due_at == at(12, 2, 0, 0)
    step(t, "start", crew, at(11, 30, 9, 0))
    step(t, "handle", crew, at(12, 1, 15, 0), text="更换电能表")
    assert clock(t, "meter_fault").state == "met"
    ticket_callback(ticket=fresh(t), by=clerk, outcome="satisfied", at=at(12, 2, 8, 0))
    step(fresh(t), "close", clerk, at(12, 2, 9, 0))
    assert fresh(t).state == "closed"


def test_bill_query_written_reply_in_one_working_day_S10_2_4(agent, crew):
    t = make.bill_query(agent, at=at(11, 27, 16, 0))
    assert clock(t, "bill_query_reply").due_at == at(12, 1, 0, 0)
    with pytest.raises(PermissionDenied):
        step(t, "reply", crew, at(11, 30, 9, 0), text="x")
    step(t, "reply", agent, at(11, 30, 9, 0), text="经核查，十月电费按阶梯电价计算无误。")
    t = fresh(t)
    assert t.state == "resolved" and "阶梯" in t.reply_text
    assert clock(t, "bill_query_reply").state == "met"


def test_consultation_answered_at_once_closes_with_a_reason(clerk):
    t = make.consultation(clerk)
    ticket_answer_at_once(ticket=t, by=clerk, text="可在营业厅办理峰谷电价申请。")
    t = fresh(t)
    assert t.state == "closed" and t.no_callback_reason


def test_consultation_followed_up(clerk):
    t = make.consultation(clerk)
    step(t, "follow_up", clerk, at(11, 27, 9, 0))
    step(fresh(t), "answer_it", clerk, at(11, 28, 9, 0), text="答复")
    assert fresh(t).state == "resolved"


def test_every_kind_gets_its_own_number_prefix(clerk, agent):
    numbers = [make.repair(agent).number, make.expansion(clerk).number, make.meter_fault(clerk).number,
               make.bill_query(agent).number, make.consultation(clerk).number]
    assert [n[:2] for n in numbers] == ["QX", "YK", "BJ", "ZD", "ZX"]


def test_create_refused_without_permission_or_request(crew, agent):
    with pytest.raises(PermissionDenied):
        make.bill_query(crew)
    with pytest.raises(ValidationError):
        make.repair(agent, request="  ")
    assert not RepairTicket.objects.exists()
