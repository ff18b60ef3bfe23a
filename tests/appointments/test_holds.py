"""A freed place is held for the first customer on the waiting list (policy `appointment_hold_minutes`): counted in
the slot arithmetic, refused to anyone else, confirmed with the code of the SMS, passed on when it expires."""

import re
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supply_service.appointments import holds, services
from supply_service.appointments.models import Appointment, State, WaitingEntry
from supply_service.appointments.slots import find_slot, local_dt
from supply_service.core.models import Outbox, Policy
from supply_service.core.schedules import SCHEDULES
from tests.appointments.conftest import DAYS
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db
DAY = DAYS[2]
NINE = local_dt(DAY, time(9, 0))


@pytest.fixture
def business(office, clerk, frozen):
    return open_office(office=office, kind_code="business", people=[clerk], days=DAYS)


@pytest.fixture
def full_day(business, clerk, office):
    """9:00 is booked and two customers wait for the day; the booking is then cancelled."""
    taken = services.appointment_book(office=office, kind=business, starts_at=NINE, channel="phone", by=clerk,
                                      customer=CustomerFactory(office=office))
    first = services.waiting_join(office=office, kind=business, day=DAY, name="First", phone="13900000001",
                                  language="en", by=clerk)
    second = services.waiting_join(office=office, kind=business, day=DAY, name="Second", phone="13900000002",
                                   language="en", by=clerk)
    services.appointment_cancel(appointment=taken, by=clerk, reason="Customer called", party="customer")
    first.refresh_from_db()
    return first, second


def sms_code(phone: str) -> str:
    body = Outbox.objects.filter(recipient=phone, idempotency_key__contains=":hold:").latest("pk").body
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def test_a_freed_place_is_held_for_the_first_and_the_sms_says_until_when(full_day, frozen):
    first, second = full_day
    minutes = int(Policy.objects.get(code="appointment_hold_minutes").value)
    assert first.state == WaitingEntry.State.HELD and first.offered_slot == NINE
    assert first.hold_until == first.offered_at + timedelta(minutes=minutes)
    body = Outbox.objects.get(recipient="13900000001", idempotency_key__contains=":hold:").body
    until = first.hold_until.astimezone(NINE.tzinfo).strftime("%Y-%m-%d %H:%M")
    assert f"held for you until {until}" in body and re.search(r"code \d{6}", body)
    second.refresh_from_db()
    assert second.state == WaitingEntry.State.WAITING


def test_the_hold_counts_in_capacity_and_another_booking_is_refused(full_day, business, clerk, office):
    first, _second = full_day
    slot = find_slot(office=office, kind=business, starts_at=NINE)
    assert slot.booked == 1 and slot.free() == 0
    assert find_slot(office=office, kind=business, starts_at=NINE, exclude_hold=first.pk).free() == 1
    assert NINE not in [s.starts_at for s in services.free_slots(office=office, kind=business, day=DAY)]
    with pytest.raises(ValidationError, match="fully booked"):
        services.appointment_book(office=office, kind=business, starts_at=NINE, channel="phone", by=clerk,
                                  customer=CustomerFactory(office=office))
    assert not Appointment.objects.filter(state=State.CONFIRMED).exists()


def test_the_customer_confirms_with_the_code_and_gets_the_appointment(full_day, office):
    first, _second = full_day
    with pytest.raises(ValidationError, match="wrong"):
        holds.hold_confirm(phone="13900000001", code="000000" if sms_code("13900000001") != "000000" else "111111")
    appointment = holds.hold_confirm(phone="13900000001", code=sms_code("13900000001"))
    first.refresh_from_db()
    assert appointment.state == State.CONFIRMED and appointment.starts_at == NINE
    assert appointment.customer_phone == "13900000001" and appointment.customer_name == "First"
    assert first.state == WaitingEntry.State.BOOKED and first.appointment == appointment
    # the hold no longer counts twice: the one place is the appointment's
    assert find_slot(office=office, kind=appointment.kind, starts_at=NINE).booked == 1
    with pytest.raises(ValidationError):
        holds.hold_confirm(phone="13900000001", code=sms_code("13900000001"))


def test_too_many_wrong_codes_end_the_online_confirmation(full_day):
    code = sms_code("13900000001")
    wrong = "000000" if code != "000000" else "111111"
    attempts = int(Policy.objects.get(code="appointment_code_attempts").value)
    for _n in range(attempts):
        with pytest.raises(ValidationError):
            holds.hold_confirm(phone="13900000001", code=wrong)
    with pytest.raises(ValidationError, match="Too many"):
        holds.hold_confirm(phone="13900000001", code=code)


def test_an_expired_hold_passes_to_the_next_in_line_then_back_to_everyone(full_day, business, clerk, office,
                                                                          frozen):
    first, second = full_day
    assert holds.holds_expire() == 0  # not yet
    frozen.move_to(first.hold_until + timedelta(seconds=1))
    with pytest.raises(ValidationError):
        holds.hold_confirm(phone="13900000001", code=sms_code("13900000001"))
    assert holds.holds_expire() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == WaitingEntry.State.EXPIRED
    assert second.state == WaitingEntry.State.HELD and second.offered_slot == NINE
    assert find_slot(office=office, kind=business, starts_at=NINE).free() == 0
    frozen.move_to(second.hold_until + timedelta(seconds=1))
    assert holds.holds_expire() == 1
    second.refresh_from_db()
    assert second.state == WaitingEntry.State.EXPIRED
    assert find_slot(office=office, kind=business, starts_at=NINE).free() == 1  # back to everyone
    services.appointment_book(office=office, kind=business, starts_at=NINE, channel="phone", by=clerk,
                              customer=CustomerFactory(office=office))


def test_the_hold_never_outlasts_the_slot_start(business, clerk, office, frozen):
    soon = local_dt(DAYS[0], time(10, 0))  # today 10:00, now is 9:00
    taken = services.appointment_book(office=office, kind=business, starts_at=soon, channel="phone", by=clerk,
                                      customer=CustomerFactory(office=office))
    services.waiting_join(office=office, kind=business, day=DAYS[0], name="Early", phone="13900000009",
                          language="en", by=clerk)
    Policy.objects.filter(code="appointment_hold_minutes").update(value=600)
    services.appointment_cancel(appointment=taken, by=clerk, reason="x")
    entry = WaitingEntry.objects.get(phone="13900000009")
    assert entry.state == WaitingEntry.State.HELD and entry.hold_until == soon


def test_the_public_hold_page_books_the_held_place_and_refuses_bad_input(client, full_day):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("public_appointments:hold")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"phone": "13900000001", "code": "x\x00"})
    assert bad.status_code == 400
    wrong = client.post(url, {"phone": "13900000099", "code": "123456"})
    assert wrong.status_code == 400 and "wrong" in wrong.content.decode()
    booked = client.post(url, {"phone": "13900000001", "code": sms_code("13900000001")})
    appointment = Appointment.objects.get(customer_phone="13900000001")
    assert booked.status_code == 200 and appointment.number in booked.content.decode()


def test_the_hold_sweep_is_scheduled():
    assert any(s["func"] == "supply_service.appointments.tasks.holds_expire_task" for s in SCHEDULES)


def test_the_confirmation_email_carries_the_ics_and_a_change_sends_a_new_sequence(business, clerk, office,
                                                                                 django_capture_on_commit_callbacks):
    from django.core import mail

    def calendar_part(message):
        parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1
        return parts[0].get_payload(decode=True).decode()

    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(office=office, kind=business, starts_at=NINE, channel="phone",
                                                by=clerk, customer=CustomerFactory(office=office),
                                                email="kunde@example.cn")
    first = calendar_part(mail.outbox[-1])
    assert mail.outbox[-1].to == ["kunde@example.cn"]
    assert f"UID:{appointment.number}@supply-service" in first and "SEQUENCE:1" in first
    assert "DTSTART:20261001T010000Z" in first and "DTEND:20261001T013000Z" in first and "METHOD:PUBLISH" in first
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(appointment=appointment, by=clerk, starts_at=local_dt(DAY, time(10, 0)),
                                        reason="Crew ill")
    moved = calendar_part(mail.outbox[-1])
    assert "SEQUENCE:2" in moved and "DTSTART:20261001T020000Z" in moved and "DTEND:20261001T023000Z" in moved
    assert f"UID:{appointment.number}@supply-service" in moved
    appointment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, by=clerk, reason="x")
    cancelled = calendar_part(mail.outbox[-1])
    assert "METHOD:CANCEL" in cancelled and "STATUS:CANCELLED" in cancelled and "SEQUENCE:3" in cancelled
