"""Every edge of the complaint machine, and the forbidden ones (issue 13)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from supply_service.complaints import services
from supply_service.complaints.models import Complaint
from supply_service.core.models import SlaClock
from tests.factories import complaints as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler2(office):
    from tests.conftest import _role_user

    return _role_user("complaint_handler", office, "handler2")


def _clock_states(item):
    return {c.commitment.code: c.state for c in SlaClock.objects.filter(object_id=item.pk,
                                                                        subject_label=item.number)}


def test_intake_starts_reply_and_first_contact_clocks_S13_5(clerk):
    item = make.complaint(clerk)
    assert item.state == "received" and item.number.startswith("KS-")
    assert _clock_states(item) == {"complaint_reply": "running", "complaint_first_contact": "running"}
    assert item.customer_name == "" and item.customer_phone == ""


def test_report_runs_on_the_report_commitment_S13_5(handler):
    item = make.report(handler)
    assert _clock_states(item)["report_reply"] == "running"


def test_anonymous_report_has_no_first_contact_clock(handler):
    item = make.report(handler, identity={})
    assert item.anonymous and set(_clock_states(item)) == {"report_reply"}


def test_happy_path_to_closed_S13_5(handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager)
    assert item.state == "replied" and item.replied_at is not None
    assert _clock_states(item)["complaint_reply"] == "met"
    services.complaint_callback(complaint=item, by=handler, outcome="satisfied")
    assert item.state == "called_back"
    services.complaint_transition(complaint=item, action="close", by=handler)
    item.refresh_from_db()
    assert item.state == "closed"


def test_unsatisfied_callback_reopens_with_a_new_reply_clock(handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager)
    services.complaint_callback(complaint=item, by=handler, outcome="unsatisfied", note="答复没有解决问题")
    assert item.state == "investigating" and item.reopened == 1
    assert SlaClock.objects.filter(object_id=item.pk, commitment__code="complaint_reply", state="running").exists()


def test_the_drafter_cannot_approve_their_own_reply(handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager, to="reply_drafted")
    with pytest.raises(ValidationError):
        services.complaint_transition(complaint=item, action="approve_reply", by=handler)


def test_a_second_handler_may_approve(handler, handler2, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=handler2, to="reply_approved")
    assert item.state == "reply_approved" and item.reply_approved_by == handler2


def test_draft_needs_findings_for_a_complaint(handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager, to="investigating")
    with pytest.raises(ValidationError):
        services.complaint_draft(complaint=item, by=handler, reply_text="答复")
    assert Complaint.objects.get(pk=item.pk).state == "investigating"


def test_reply_cannot_be_sent_before_approval(handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager, to="reply_drafted")
    with pytest.raises(TransitionNotAllowed):
        services.complaint_transition(complaint=item, action="send_reply", by=handler, channel="phone")


def test_close_waits_for_corrective_actions(handler, manager):
    from datetime import date, timedelta

    item = make.walk(make.complaint(handler), handler=handler, approver=manager)
    action = services.corrective_action_add(complaint=item, by=handler, description="窗口服务培训", owner=manager,
                                            due_date=date.today() + timedelta(days=7))
    services.complaint_callback(complaint=item, by=handler, outcome="satisfied")
    with pytest.raises(TransitionNotAllowed):
        services.complaint_transition(complaint=item, action="close", by=handler)
    services.corrective_action_done(action=action, by=manager, note="已培训")
    services.complaint_transition(complaint=item, action="close", by=handler)
    assert Complaint.objects.get(pk=item.pk).state == "closed"


def test_reject_needs_a_reason_and_waives_clocks(handler):
    item = make.complaint(handler)
    with pytest.raises(ValidationError):
        services.complaint_transition(complaint=item, action="reject", by=handler, reason=" ")
    services.complaint_transition(complaint=item, action="reject", by=handler, reason="不属于供电服务范围")
    assert item.state == "rejected"
    assert set(_clock_states(item).values()) == {"waived"}


def test_clerk_may_take_in_but_not_accept(clerk):
    item = make.complaint(clerk)
    with pytest.raises(PermissionDenied):
        services.complaint_transition(complaint=item, action="accept", by=clerk, category="billing")


def test_other_office_cannot_change(handler, other_office):
    from tests.conftest import _role_user

    stranger = _role_user("complaint_handler", other_office, "handler-other")
    item = make.complaint(handler)
    with pytest.raises(PermissionDenied):
        services.complaint_transition(complaint=item, action="accept", by=stranger, category="billing")


def test_merge_keeps_both_histories(handler):
    original = make.complaint(handler)
    duplicate = make.complaint(handler)
    services.complaint_merge(complaint=duplicate, original_number=original.number, by=handler)
    original.refresh_from_db()
    assert duplicate.state == "duplicate" and duplicate.duplicate_of == original
    assert duplicate.number in original.merged_numbers
    assert duplicate.history.filter(history_change_reason="complaints.mark_duplicate").exists()
    assert original.history.filter(history_change_reason="complaints.merged").exists()
    assert original.history.filter(history_change_reason="complaints.create").exists()


def test_merge_into_itself_or_unknown_is_refused(handler):
    item = make.complaint(handler)
    for number in (item.number, "KS-20000101-0001", "\x00"):
        with pytest.raises(ValidationError):
            services.complaint_merge(complaint=item, original_number=number, by=handler)


def test_first_contact_stops_only_its_own_clock(handler):
    item = make.complaint(handler)
    services.complaint_record_first_contact(complaint=item, by=handler)
    states = _clock_states(item)
    assert states["complaint_first_contact"] == "met" and states["complaint_reply"] == "running"


def test_pause_needs_a_reason(handler):
    item = make.complaint(handler)
    with pytest.raises(ValidationError):
        services.complaint_pause_clocks(complaint=item, by=handler, reason="")
    assert services.complaint_pause_clocks(complaint=item, by=handler, reason="等待客户提供票据") == 2
    assert services.complaint_resume_clocks(complaint=item, by=handler) == 2


def test_supervision_by_manager_only_S13_4(handler, manager):
    item = make.complaint(handler)
    with pytest.raises(PermissionDenied):
        services.complaint_supervise(complaint=item, by=handler, note="请加快")
    services.complaint_supervise(complaint=item, by=manager, note="请今日内联系客户")
    item.refresh_from_db()
    assert item.supervised_by == manager


def test_history_reasons_are_recorded(handler, manager):
    item = make.walk(make.complaint(handler), handler=handler, approver=manager)
    reasons = list(item.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[0] == "complaints.create" and "complaints.send_reply" in reasons
