"""Issue 9: clocks that tell the truth — each fault found in the clock audit, and the commitment variants."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail  # noqa: F401  (the email backend is real: locmem in tests)
from django.core.exceptions import ValidationError
from django.utils import translation

from supply_service.core.models import Commitment, Outbox, SlaClock
from supply_service.core.services.calendar import (
    deadline_before,
    deadline_text,
    due_at,
    due_at_many,
    period_bounds,
)
from supply_service.core.services.sla import commitment_resolve, sla_start, sla_stop
from supply_service.customers.services import reading_record, reading_schedule
from supply_service.outages.selectors import notices_affecting, planned_outage_counts
from supply_service.outages.services import outage_approve, outage_operate, outage_publish
from supply_service.tickets.models import RepairTicket
from supply_service.tickets.selectors import ticket_callback_rate
from supply_service.tickets.services import (
    repair_link_outage,
    ticket_answer_at_once,
    ticket_callback,
    ticket_close_without_callback,
    ticket_pause_clocks,
    ticket_resume_clocks,
    ticket_transition,
)
from tests.factories import outages as make_outage
from tests.factories import tickets as make
from tests.factories.customers import CustomerFactory, FeederFactory, MeterFactory, TransformerAreaFactory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SH)


def clock(ticket, family):
    from django.db.models import Q

    return SlaClock.objects.filter(Q(commitment__family=family) | Q(commitment__code=family),
                                   object_id=ticket.pk).latest("started_at")


# --- 1. repair calls linked to a known outage ----------------------------------------------------------------

def test_repair_call_linked_at_intake_to_a_known_outage_starts_no_arrival_clock_S10_2_5(agent, manager, office):
    feeder = FeederFactory(office=office)
    customer = CustomerFactory(office=office, feeder=feeder)
    start = datetime.now(SH) + timedelta(days=1)
    notice = make_outage.notice(manager, kind="emergency", start=start, feeders=[feeder])
    outage_publish(notice=notice, by=manager)
    call = make.repair(agent, customer=customer, outage_ref=notice.number)
    assert not SlaClock.objects.filter(object_id=call.pk, commitment__family="repair_arrival").exists()
    outage_operate(notice=notice, action="start", by=manager, at=start)
    outage_operate(notice=notice, action="remove_cause", by=manager, at=start + timedelta(hours=2))
    outage_operate(notice=notice, action="restore", by=manager, at=start + timedelta(hours=3))
    call = RepairTicket.objects.get(pk=call.pk)
    assert call.state == "resolved"
    # Nothing breached on the call: it was measured by the outage's restoration clock.
    assert not SlaClock.objects.filter(object_id=call.pk, content_type__model="repairticket",
                                       state="breached").exists()


def test_repair_call_linked_later_stops_its_arrival_clock_at_the_link_S10_2_5(agent, dispatcher):
    call = make.repair(agent, at=at(2026, 11, 27, 20, 0))
    repair_link_outage(ticket=call, notice_number="TD-20261127-0001", by=dispatcher, at=at(2026, 11, 27, 20, 10))
    arrival = clock(call, "repair_arrival")
    assert arrival.state == "met" and arrival.stopped_at == at(2026, 11, 27, 20, 10)
    late = make.repair(agent, at=at(2026, 11, 27, 20, 0))
    repair_link_outage(ticket=late, notice_number="TD-20261127-0001", by=dispatcher, at=at(2026, 11, 27, 21, 30))
    assert clock(late, "repair_arrival").state == "breached"


# --- 2. meter readings on their scheduled date ---------------------------------------------------------------

def test_meter_reading_scheduled_on_a_saturday_is_due_that_saturday_S10_2_3(office):
    meter = MeterFactory(customer=CustomerFactory(office=office))
    saturday = date(2026, 11, 28)
    reading = reading_schedule(meter=meter, scheduled_on=saturday)
    assert clock(reading, "meter_reading").due_at == at(2026, 11, 29, 0, 0)  # 24:00 of that Saturday, not Monday
    reading_record(reading=reading, read_on=date(2026, 11, 30), value=Decimal("1234"))
    assert clock(reading, "meter_reading").state == "breached"


def test_meter_reading_scheduled_on_a_holiday_is_not_moved_S10_2_3(office):
    meter = MeterFactory(customer=CustomerFactory(office=office))
    reading = reading_schedule(meter=meter, scheduled_on=date(2026, 10, 1))  # National Day
    assert clock(reading, "meter_reading").due_at == at(2026, 10, 2, 0, 0)


# --- 3. local periods --------------------------------------------------------------------------------------------

def test_planned_outage_at_0600_on_1_january_counts_in_the_new_year_S6_5(manager, office):
    feeder = FeederFactory(office=office)
    customer = CustomerFactory(office=office, feeder=feeder, voltage="10kv")
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        notice = make_outage.notice(manager, start=at(2027, 1, 1, 6, 0), feeders=[feeder])
        outage_approve(notice=notice, by=manager)
        outage_publish(notice=notice, by=manager)
    assert planned_outage_counts(customer_ids=[customer.pk], year=2027) == {customer.pk: 1}
    assert planned_outage_counts(customer_ids=[customer.pk], year=2026) == {}
    with time_machine.travel(at(2027, 1, 1, 7, 0), tick=False):  # 23:00 on 31 December in UTC
        assert notices_affecting(customer=customer)["planned_count"] == 1


def test_period_bounds_are_local():
    start, end = period_bounds(year=2027)
    assert start == at(2027, 1, 1, 0, 0) and end == at(2028, 1, 1, 0, 0)
    start, end = period_bounds(year=2026, month=12)
    assert start == at(2026, 12, 1, 0, 0) and end == at(2027, 1, 1, 0, 0)


# --- 4. fractional limits, units, and texts with the configured value --------------------------------------------

def test_fractional_working_days_are_not_truncated(reference_data):
    monday = at(2026, 11, 23, 10, 0)
    assert due_at(start=monday, limit=Decimal("1"), unit="working_days") == at(2026, 11, 25, 0, 0)
    # 1.5 working days: the whole day (Tuesday) and half of the next working day (Wednesday 12:00).
    assert due_at(start=monday, limit=Decimal("1.5"), unit="working_days") == at(2026, 11, 25, 12, 0)
    friday = at(2026, 11, 27, 10, 0)
    assert due_at(start=friday, limit=Decimal("0.5"), unit="working_days") == at(2026, 11, 30, 12, 0)
    assert due_at(start=monday, limit=Decimal("1.5"), unit="hours") == at(2026, 11, 23, 11, 30)
    assert due_at_many(starts=[monday, friday], limit=Decimal("1.5"), unit="working_days") == [
        at(2026, 11, 25, 12, 0), at(2026, 12, 1, 12, 0)]


def test_advance_notice_reads_its_unit_S10_2_10(manager, office):
    outage = at(2026, 12, 20, 9, 0)
    assert deadline_before(event=outage, limit=Decimal("7"), unit="days") == at(2026, 12, 13, 9, 0)
    assert deadline_before(event=outage, limit=Decimal("48"), unit="hours") == at(2026, 12, 18, 9, 0)
    # 5 working days before Monday 21 Dec 09:00: Mon 14 Dec 09:00.
    assert deadline_before(event=at(2026, 12, 21, 9, 0), limit=Decimal("5"), unit="working_days") == \
        at(2026, 12, 14, 9, 0)
    Commitment.objects.filter(code="outage_notice_advance").update(limit=Decimal("72"), unit="hours")
    feeder = FeederFactory(office=office)
    CustomerFactory(office=office, feeder=feeder)
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        ok = make_outage.notice(manager, start=at(2026, 12, 4, 10, 0), feeders=[feeder])  # 73 h ahead: enough
        outage_approve(notice=ok, by=manager)
        outage_publish(notice=ok, by=manager)
        late = make_outage.notice(manager, start=at(2026, 12, 3, 10, 0), feeders=[feeder])
        outage_approve(notice=late, by=manager)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            outage_publish(notice=late, by=manager)
    assert "72 hours" in str(refused.value) and "7 days" not in str(refused.value)


def test_limits_are_shown_with_the_right_plural():
    with translation.override("en"):
        assert Commitment(limit=Decimal("1"), unit="working_days").display_limit == "1 working day"
        assert Commitment(limit=Decimal("1.5"), unit="working_days").display_limit == "1.5 working days"
        assert Commitment(limit=Decimal("45"), unit="minutes").display_limit == "45 minutes"
        assert Commitment(limit=Decimal("0"), unit="days").display_limit == "the same day"


def test_temporary_maintenance_notice_has_an_advance_clock_for_important_customers_S10_2_10(manager, office):
    feeder = FeederFactory(office=office)
    CustomerFactory(office=office, feeder=feeder, importance="first")
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        notice = make_outage.notice(manager, kind="temporary", start=at(2026, 12, 1, 20, 0), feeders=[feeder])
        outage_publish(notice=notice, by=manager)
    advance = clock(notice, "outage_notice_advance")
    assert advance.commitment.code == "outage_notice_temporary"
    assert advance.due_at == at(2026, 11, 30, 20, 0) and advance.state == "breached"  # told 11 h ahead, not 24


# --- 5. the callback rate -------------------------------------------------------------------------------------------

def test_callback_rate_counts_only_items_that_needed_a_callback_and_shows_the_target_S13_5(agent, dispatcher, crew):
    start = at(2026, 11, 10, 9, 0)
    for _ in range(3):
        ticket_answer_at_once(ticket=make.consultation(agent, at=start), by=agent, text="见营业厅公告",
                              at=start + timedelta(minutes=5))
    reached = make.bill_query(agent, at=start)
    ticket_transition(ticket=reached, action="reply", by=agent, at=start + timedelta(hours=1), text="答复")
    ticket_callback(ticket=reached, by=agent, outcome="satisfied", at=start + timedelta(days=1))
    missed = make.bill_query(agent, at=start)
    ticket_transition(ticket=missed, action="reply", by=agent, at=start + timedelta(hours=1), text="答复")
    ticket_close_without_callback(ticket=missed, by=agent, reason="号码空号", due=True,
                                  at=start + timedelta(days=1))
    declined = make.bill_query(agent, at=start)
    ticket_transition(ticket=declined, action="reply", by=agent, at=start + timedelta(hours=1), text="答复")
    ticket_close_without_callback(ticket=declined, by=agent, reason="客户不需要回访", due=False,
                                  at=start + timedelta(days=1))
    rate = ticket_callback_rate(office=agent.office, start=at(2026, 11, 1, 0, 0), end=at(2026, 12, 1, 0, 0))
    # Denominator: the reached one and the missed one; answered-at-once and declined ones needed none.
    assert (rate.met, rate.total) == (1, 2)
    assert rate.rate == Decimal("50.0") and rate.target == Decimal("90") and rate.meets_target is False


def test_manager_sees_the_callback_rate_against_its_target_S13_5(client, manager):
    client.force_login(manager)
    html = client.get("/tickets/?scope=office").content.decode()
    assert 'id="callback-rate"' in html and 'data-target="90.00"' in html


# --- 6. pausing while the work waits on the customer -------------------------------------------------------------

def test_application_waiting_on_the_customer_pauses_and_resumes_S10_2_2(clerk, client):
    t = make.expansion(clerk, at=at(2026, 11, 23, 9, 0))
    ticket_transition(ticket=t, action="accept", by=clerk, at=at(2026, 11, 23, 9, 5))
    assert clock(t, "connection_total").due_at == at(2026, 12, 1, 0, 0)
    client.force_login(clerk)
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        response = client.post(f"/tickets/{t.number}/pause/", {"seen_state": "accepted", "kind": "documents",
                                                                "detail": "房产证复印件"})
    assert response.status_code == 302
    paused = clock(t, "connection_total")
    assert paused.state == "paused" and "房产证复印件" in paused.pauses.get().reason
    page = client.get(f"/tickets/{t.number}/").content.decode()
    assert 'id="resume-form"' in page
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        ticket_resume_clocks(ticket=type(t).objects.get(pk=t.pk), by=clerk)
    resumed = clock(t, "connection_total")
    # Paused Tue 24 → Thu 26: two working days (25, 26) added to the deadline (end of Mon 30 → end of Wed 2 Dec).
    assert resumed.state == "running" and resumed.due_at == at(2026, 12, 3, 0, 0)


def test_kiosk_progress_shows_what_the_application_waits_for(clerk):
    from supply_service.kiosk.selectors import applications_in_progress

    customer = CustomerFactory(office=clerk.office)
    t = make.expansion(clerk, customer=customer, at=at(2026, 11, 23, 9, 0))
    ticket_transition(ticket=t, action="accept", by=clerk, at=at(2026, 11, 23, 9, 5))
    ticket_pause_clocks(ticket=t, by=clerk, reason="缺少房产证复印件", at=at(2026, 11, 24, 9, 0))
    [app] = applications_in_progress(customer=customer)
    assert app.paused and app.waiting_for == "缺少房产证复印件"


def test_pausing_needs_its_permission(crew, clerk):
    from django.core.exceptions import PermissionDenied

    t = make.expansion(clerk)
    ticket_transition(ticket=t, action="accept", by=clerk)
    with pytest.raises(PermissionDenied):
        ticket_pause_clocks(ticket=t, by=crew, reason="缺材料")


# --- 7. a miss at the moment of a step is alerted -----------------------------------------------------------------

def test_a_call_answered_late_alerts_like_the_sweep_S10_2_6(agent, manager):
    from supply_service.tickets.services import call_record_create

    manager.email = "boss@example.com"
    manager.save()
    call = call_record_create(agent=agent, rang_at=at(2026, 11, 27, 10, 0), ring_seconds=20)
    assert clock(call, "call_answer").state == "breached"
    assert Outbox.objects.filter(recipient="boss@example.com", idempotency_key__startswith="sla-breach:").exists()


def test_a_clock_met_on_time_alerts_nobody(agent, manager):
    from supply_service.tickets.services import call_record_create

    manager.email = "boss@example.com"
    manager.save()
    call_record_create(agent=agent, rang_at=at(2026, 11, 27, 10, 0), ring_seconds=5)
    assert not Outbox.objects.filter(idempotency_key__startswith="sla-breach:").exists()


# --- 8. one way to show a deadline -----------------------------------------------------------------------------------

def test_deadline_reads_24_00_on_the_page_the_print_and_the_admin(clerk, client, admin_client):
    t = make.bill_query(clerk, at=at(2026, 11, 27, 10, 0))
    due = clock(t, "bill_query_reply").due_at
    assert due == at(2026, 12, 1, 0, 0) and deadline_text(due) == "2026-11-30 24:00"
    client.force_login(clerk)
    assert "2026-11-30 24:00" in client.get(f"/tickets/{t.number}/").content.decode()
    printed = client.get(f"/tickets/{t.number}/print/").content.decode()
    assert "2026-11-30 24:00" in printed and "2026-12-01 00:00" not in printed
    listed = admin_client.get("/admin/core/slaclock/").content.decode()
    assert "2026-11-30 24:00" in listed


# --- The commitments State Grid makes today: one function picks the limit ------------------------------------------

@pytest.mark.parametrize("area_class, minutes", [("urban", 45), ("rural", 90), ("remote", 120)])
def test_repair_arrival_limit_follows_the_area_class_S10_2_5(agent, office, area_class, minutes):
    area = TransformerAreaFactory(feeder=FeederFactory(office=office), area_class=area_class)
    customer = CustomerFactory(office=office, transformer_area=area)
    t = make.repair(agent, customer=customer, at=at(2026, 11, 27, 20, 0))
    assert clock(t, "repair_arrival").due_at == at(2026, 11, 27, 20, 0) + timedelta(minutes=minutes)


def test_repair_arrival_uses_the_office_class_without_a_customer_area(agent, office):
    office.area_class = "rural"
    office.save()
    t = make.repair(agent, at=at(2026, 11, 27, 20, 0))
    assert clock(t, "repair_arrival").commitment.code == "repair_arrival_rural"


@pytest.mark.parametrize("applicant_class, sources, code, due", [
    ("lv_residential", 1, "resident_connection", at(2026, 11, 7, 0, 0)),
    ("lv_non_residential", 1, "connection_lv_non_residential", at(2026, 11, 10, 0, 0)),
    ("high_voltage", 1, "connection_hv_single", at(2026, 12, 2, 0, 0)),
    ("high_voltage", 2, "connection_hv_dual", at(2026, 12, 16, 0, 0)),
])
def test_connection_limit_follows_the_applicant_class_S10_2_2(clerk, applicant_class, sources, code, due):
    t = make.expansion(clerk, applicant_class=applicant_class, supply_sources=sources, at=at(2026, 10, 30, 9, 0))
    ticket_transition(ticket=t, action="accept", by=clerk, at=at(2026, 10, 30, 9, 5))  # Friday
    total = clock(t, "connection_total")
    assert total.commitment.code == code
    assert total.due_at == due


def test_high_voltage_stage_clocks_S10_2_2(clerk, crew, dispatcher):
    t = make.expansion(clerk, applicant_class="high_voltage", supply_sources=1, at=at(2026, 11, 2, 9, 0))
    ticket_transition(ticket=t, action="accept", by=clerk, at=at(2026, 11, 2, 9, 5))
    assert clock(t, "connection_plan_reply").commitment.code == "plan_reply_hv_single"
    ticket_transition(ticket=t, action="survey", by=crew, at=at(2026, 11, 3, 9, 0))
    ticket_transition(ticket=t, action="reply_plan", by=dispatcher, at=at(2026, 11, 5, 9, 0))
    assert clock(t, "connection_plan_reply").state == "met"
    assert clock(t, "connection_design_review").state == "running"


def test_meter_test_on_request_has_its_own_limit_S10_2_8(clerk):
    fault = make.meter_fault(clerk, at=at(2026, 11, 23, 9, 0))
    test = make.meter_fault(clerk, is_test_request=True, at=at(2026, 11, 23, 9, 0))
    assert clock(fault, "meter_fault").commitment.code == "meter_fault"
    assert clock(test, "meter_fault").commitment.code == "meter_test"
    assert clock(test, "meter_fault").due_at == at(2026, 12, 1, 0, 0)


def test_variants_are_data_a_manager_edits(agent, office):
    Commitment.objects.filter(code="repair_arrival").update(limit=Decimal("30"))
    t = make.repair(agent, at=at(2026, 11, 27, 20, 0))
    assert clock(t, "repair_arrival").due_at == at(2026, 11, 27, 20, 30)
    Commitment.objects.create(code="repair_arrival_island", title="Islands", limit=Decimal("240"), unit="minutes",
                              article="S10.2.5", family="repair_arrival", applies_when="area_class=island")
    assert commitment_resolve(code="repair_arrival", facts={"area_class": "island"}).limit == Decimal("240")


def test_no_variant_applies_is_a_clear_error(reference_data):
    with pytest.raises(ValidationError):
        commitment_resolve(code="outage_notice_advance", facts={"kind": "emergency"})


def test_a_code_still_names_one_commitment(reference_data, clerk):
    from tests.kernel_app.models import SampleItem

    item = SampleItem.objects.create(number="T-1", office=clerk.office, channel="counter", first_responder=clerk,
                                     owner=clerk)
    started = sla_start(subject=item, commitment="repair_arrival_remote", at=at(2026, 11, 27, 20, 0))
    assert started.commitment.code == "repair_arrival_remote"
    assert sla_stop(subject=item, commitment="repair_arrival", at=at(2026, 11, 27, 21, 0)).state == "met"
