"""Booking, the machine, the arrival clock (S10.2.7), home service (S10.3.5), changes by code, reminders and the
waiting list."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from supply_service.appointments import services
from supply_service.appointments.models import Appointment, Party, Reminder, State, WaitingEntry
from supply_service.appointments.slots import local_dt
from supply_service.core.models import Outbox, SlaClock
from tests.appointments.conftest import DAYS
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db
DAY = DAYS[2]  # Thursday 2026-10-01


@pytest.fixture
def meter(office, crew, frozen):
    return open_office(office=office, kind_code="meter_installation", people=[crew], days=DAYS,
                       starts_at=time(9, 0), ends_at=time(13, 0))


@pytest.fixture
def business(office, clerk, frozen):
    return open_office(office=office, kind_code="business", people=[clerk], days=DAYS)


def book(office, kind, hour, by=None, **kwargs):
    kwargs.setdefault("customer", CustomerFactory(office=office))
    return services.appointment_book(office=office, kind=kind, starts_at=local_dt(DAY, time(hour, 0)),
                                     channel="phone", by=by, **kwargs)


def arrival_clock(appointment) -> SlaClock:
    return SlaClock.objects.get(object_id=appointment.pk, commitment__code="appointment_arrival",
                                stopped_at__isnull=True) if SlaClock.objects.filter(
        object_id=appointment.pk, stopped_at__isnull=True).exists() else SlaClock.objects.filter(
        object_id=appointment.pk).latest("pk")


def test_staff_book_from_a_free_slot_and_a_full_slot_is_refused(business, clerk, office):
    appointment = book(office, business, 9, by=clerk)
    assert appointment.state == State.CONFIRMED and appointment.number.startswith("YY-")
    assert appointment.first_responder == clerk and not appointment.is_visit
    with pytest.raises(ValidationError, match="fully booked"):
        book(office, business, 9, by=clerk)
    assert Appointment.objects.count() == 1


def test_booking_needs_the_permission_and_the_own_office(business, crew, outsider, office):
    with pytest.raises(PermissionDenied):
        book(office, business, 9, by=crew)
    with pytest.raises(PermissionDenied):
        book(office, business, 9, by=outsider)
    assert Appointment.objects.count() == 0


def test_booking_outside_the_horizon_or_in_the_past_is_refused(business, clerk, office):
    with pytest.raises(ValidationError, match="days ahead"):
        services.appointment_book(office=office, kind=business, starts_at=local_dt(DAYS[-1] + timedelta(days=5),
                                                                                    time(9, 0)),
                                  channel="phone", by=clerk, customer=CustomerFactory(office=office))
    with pytest.raises(ValidationError, match="future"):
        services.appointment_book(office=office, kind=business, starts_at=local_dt(DAYS[0], time(8, 0)),
                                  channel="phone", by=clerk, customer=CustomerFactory(office=office))


def test_a_time_not_offered_is_refused(business, clerk, office):
    with pytest.raises(ValidationError, match="not offered"):
        services.appointment_book(office=office, kind=business, starts_at=local_dt(DAY, time(9, 10)),
                                  channel="phone", by=clerk, customer=CustomerFactory(office=office))


def test_a_visit_gets_a_crew_member_and_an_arrival_window_clock_S10_2_7(meter, clerk, crew, office):
    appointment = book(office, meter, 10, by=clerk)
    assert appointment.is_visit and appointment.assignee == crew
    clock = SlaClock.objects.get(object_id=appointment.pk, commitment__code="appointment_arrival")
    assert clock.started_at == appointment.starts_at
    assert clock.due_at == appointment.starts_at + timedelta(hours=1)  # the commitment's limit, not a literal


@pytest.mark.parametrize(("minutes", "expected"), [(-20, "met"), (30, "met"), (60, "met"), (61, "breached")])
def test_arrival_early_in_window_or_late_S10_2_7(meter, clerk, crew, office, minutes, expected):
    appointment = book(office, meter, 10, by=clerk)
    services.appointment_arrive(appointment=appointment, by=crew, at=appointment.starts_at + timedelta(
        minutes=minutes))
    clock = SlaClock.objects.get(object_id=appointment.pk, commitment__code="appointment_arrival")
    assert clock.state == expected


def test_the_window_follows_the_commitment(meter, clerk, crew, office):
    from supply_service.core.models import Commitment

    Commitment.objects.filter(code="appointment_arrival").update(limit=2)
    appointment = book(office, meter, 10, by=clerk)
    services.appointment_arrive(appointment=appointment, by=crew, at=appointment.starts_at + timedelta(minutes=90))
    assert SlaClock.objects.get(object_id=appointment.pk).state == "met"


def test_the_machine_refuses_steps_out_of_order(business, clerk, office):
    appointment = book(office, business, 9, by=clerk, confirm=False)
    assert appointment.state == State.REQUESTED
    with pytest.raises(TransitionNotAllowed):
        services.appointment_arrive(appointment=appointment, by=clerk)
    services.appointment_confirm(appointment=appointment, by=clerk)
    with pytest.raises(TransitionNotAllowed):
        services.appointment_serve(appointment=appointment, by=clerk)


def test_the_loop_book_arrive_serve_callback_closes_S13_5(meter, clerk, crew, office):
    appointment = book(office, meter, 10, by=clerk)
    services.appointment_set_off(appointment=appointment, by=crew)
    services.appointment_arrive(appointment=appointment, by=crew)
    services.appointment_serve(appointment=appointment, by=crew)
    with pytest.raises(PermissionDenied):
        services.appointment_callback(appointment=appointment, by=crew, outcome="satisfied")
    services.appointment_callback(appointment=appointment, by=clerk, outcome="satisfied")
    appointment.refresh_from_db()
    assert appointment.state == State.CLOSED
    assert appointment.history.filter(history_change_reason="appointments.close").exists()


def test_an_unsatisfied_callback_reopens(business, clerk, office):
    appointment = book(office, business, 10, by=clerk)
    services.appointment_arrive(appointment=appointment, by=clerk)
    services.appointment_serve(appointment=appointment, by=clerk)
    services.appointment_callback(appointment=appointment, by=clerk, outcome="unsatisfied", note="Still no meter")
    assert appointment.state == State.CONFIRMED


def test_no_show_records_who_missed_it(meter, clerk, crew, office):
    by_customer = book(office, meter, 9, by=clerk)
    services.appointment_miss(appointment=by_customer, by=crew, missed_by=Party.CUSTOMER, reason="Nobody home")
    assert by_customer.state == State.NO_SHOW and by_customer.missed_by == "customer"
    assert SlaClock.objects.get(object_id=by_customer.pk).state == "waived"
    by_office = book(office, meter, 11, by=clerk)
    services.appointment_miss(appointment=by_office, by=clerk, missed_by=Party.OFFICE, reason="Van broke down")
    assert SlaClock.objects.get(object_id=by_office.pk).state == "breached"


def test_reschedule_needs_a_reason_and_moves_the_clock(meter, clerk, office):
    appointment = book(office, meter, 9, by=clerk)
    with pytest.raises(ValidationError):
        services.appointment_reschedule(appointment=appointment, by=clerk, starts_at=local_dt(DAY, time(12, 0)),
                                        reason=" ")
    moved = services.appointment_reschedule(appointment=appointment, by=clerk, starts_at=local_dt(DAY, time(12, 0)),
                                            reason="Customer asked")
    assert moved.revision == 2 and moved.reschedule_reason == "Customer asked"
    clocks = SlaClock.objects.filter(object_id=appointment.pk).order_by("pk")
    assert [c.state for c in clocks] == ["waived", "running"]
    assert clocks[1].started_at == local_dt(DAY, time(12, 0))


def test_home_service_for_eligible_customers_visit_priority_no_fee_S10_3_5(business, clerk, office):
    elderly = CustomerFactory(office=office, is_elderly_limited_mobility=True, preferred_language="en")
    appointment = book(office, business, 9, by=clerk, customer=elderly)
    assert appointment.home_service and appointment.fee_waived and appointment.is_visit
    assert appointment.address == elderly.address
    sms = Outbox.objects.get(idempotency_key__endswith=":confirmation:sms")
    assert "Home service: priority place, no fee." in sms.body


def test_home_service_is_refused_to_others_S10_3_5(business, clerk, office):
    with pytest.raises(ValidationError, match="Home service"):
        book(office, business, 9, by=clerk, home=True)


def test_confirmation_goes_out_in_the_customers_language_with_the_code(business, clerk, office):
    customer = CustomerFactory(office=office, preferred_language="ug", email="a@example.org")
    appointment = book(office, business, 9, by=clerk, customer=customer)
    sms = Outbox.objects.get(idempotency_key=f"appointment:{appointment.pk}:r1:confirmation:sms")
    email = Outbox.objects.get(idempotency_key=f"appointment:{appointment.pk}:r1:confirmation:email")
    assert sms.language == "ug" and appointment.access_code in sms.body
    assert f"{appointment.number}/{appointment.access_code}.ics" in email.body


def test_customer_cancels_with_the_code_until_the_cut_off(business, clerk, office, frozen):
    appointment = book(office, business, 9, by=clerk)
    with pytest.raises(ValidationError, match="wrong"):
        services.appointment_cancel_by_code(number=appointment.number, code="000000x")
    late = appointment.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError, match="hour"):
        services.appointment_cancel_by_code(number=appointment.number, code=appointment.access_code, at=late)
    cancelled = services.appointment_cancel_by_code(number=appointment.number, code=appointment.access_code)
    assert cancelled.state == State.CANCELLED and cancelled.cancelled_by == "customer"


def test_customer_reschedules_with_the_code(business, clerk, office):
    appointment = book(office, business, 9, by=clerk)
    moved = services.appointment_reschedule_by_code(number=appointment.number.lower(), code=appointment.access_code,
                                                    starts_at=local_dt(DAY, time(10, 30)))
    assert moved.starts_at == local_dt(DAY, time(10, 30)) and moved.revision == 2


def test_reminders_are_rebuilt_on_every_change_and_sent_once(business, clerk, office, frozen):
    appointment = book(office, business, 9, by=clerk)
    first = Reminder.objects.get(appointment=appointment)
    assert first.due_at == local_dt(DAY - timedelta(days=1), time(18, 0))
    services.appointment_reschedule(appointment=appointment, by=clerk, starts_at=local_dt(DAYS[4], time(9, 0)),
                                    reason="Customer asked")
    first.refresh_from_db()
    assert first.state == Reminder.State.SUPERSEDED
    frozen.move_to(local_dt(DAYS[4] - timedelta(days=1), time(18, 1)))
    assert services.reminders_send_due() == 1
    assert services.reminders_send_due() == 0
    reminders = Outbox.objects.filter(idempotency_key__contains=":reminder:")
    assert list(reminders.values_list("idempotency_key", flat=True)) == [f"appointment:{appointment.pk}:r2:reminder:sms"]


def test_a_cancelled_appointment_gets_no_reminder(business, clerk, office, frozen):
    appointment = book(office, business, 9, by=clerk)
    services.appointment_cancel(appointment=appointment, by=clerk, reason="Office closed", party="office")
    frozen.move_to(local_dt(DAY, time(8, 0)))
    assert services.reminders_send_due() == 0
    assert not Outbox.objects.filter(idempotency_key__contains=":reminder:").exists()
    assert Outbox.objects.filter(idempotency_key__contains=":cancelled:").exists()


def test_a_stale_reminder_row_is_never_sent(business, clerk, office, frozen):
    """Even a reminder left pending by mistake for an old revision is superseded by the sweep, not sent."""
    appointment = book(office, business, 9, by=clerk)
    Reminder.objects.create(appointment=appointment, revision=0, due_at=appointment.starts_at - timedelta(days=2))
    frozen.move_to(local_dt(DAY, time(8, 0)))
    assert services.reminders_send_due() == 1
    assert Outbox.objects.filter(idempotency_key__contains=":reminder:").count() == 1


def test_a_full_day_offers_a_waiting_list_and_a_freed_place_goes_to_the_first(business, clerk, office):
    taken = [book(office, business, 9, by=clerk)]
    first = services.waiting_join(office=office, kind=business, day=DAY, name="First", phone="13900000001",
                                  by=clerk)
    services.waiting_join(office=office, kind=business, day=DAY, name="Second", phone="13900000002", by=clerk)
    with pytest.raises(ValidationError):
        services.waiting_join(office=office, kind=business, day=DAY, name="First", phone="13900000001", by=clerk)
    services.appointment_cancel(appointment=taken[0], by=clerk, reason="Customer called", party="customer")
    first.refresh_from_db()
    assert first.state == WaitingEntry.State.HELD and first.offered_slot == taken[0].starts_at
    assert Outbox.objects.filter(recipient="13900000001", idempotency_key__startswith="waiting:").count() == 1
    assert WaitingEntry.objects.filter(state=WaitingEntry.State.WAITING).count() == 1


def test_other_office_staff_cannot_change_it(business, clerk, outsider, office):
    appointment = book(office, business, 9, by=clerk)
    with pytest.raises(PermissionDenied):
        services.appointment_cancel(appointment=appointment, by=outsider, reason="x")


def test_ics_document(business, clerk, office):
    from supply_service.appointments.messages import ics_document

    appointment = book(office, business, 9, by=clerk)
    text = ics_document(appointment)
    assert "BEGIN:VEVENT" in text and "DTSTART:20261001T010000Z" in text and appointment.number in text


def test_a_request_confirmed_later_gets_its_confirmation(business, clerk, office):
    appointment = book(office, business, 9, confirm=False)
    services.appointment_confirm(appointment=appointment, by=clerk)
    keys = set(Outbox.objects.filter(idempotency_key__startswith=f"appointment:{appointment.pk}:")
               .values_list("idempotency_key", flat=True))
    assert keys == {f"appointment:{appointment.pk}:r1:request:sms", f"appointment:{appointment.pk}:r1:confirmation:sms"}
