"""The customer books at the kiosk (after verification) and on the public page (SMS code), changes and cancels
with the code of the message, and downloads the .ics."""

import re
from datetime import time

import pytest
from django.urls import reverse

from supply_service.appointments import services
from supply_service.appointments.models import Appointment, State
from supply_service.appointments.slots import local_dt
from supply_service.core.models import Outbox
from supply_service.customers.services import customer_set_pin
from tests.appointments.conftest import DAYS
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db
DAY = DAYS[2]
PIN = "246810"


@pytest.fixture
def meter(office, crew, frozen):
    return open_office(office=office, kind_code="meter_installation", people=[crew], days=DAYS,
                       starts_at=time(9, 0), ends_at=time(13, 0))


@pytest.fixture
def customer(office, clerk):
    c = CustomerFactory(office=office, account_number="3100999999", phone="13812345678")
    customer_set_pin(customer=c, pin=PIN, by=clerk)
    return c


def test_kiosk_tile_leads_through_verification_to_booking_S9_4(client, customer, meter):
    home = client.get(reverse("kiosk:home")).content.decode()
    assert "section=appointments" in home
    response = client.post(reverse("kiosk:verify"), {"account_number": customer.account_number, "pin": PIN,
                                                     "section": "appointments"})
    assert response["Location"] == reverse("kiosk:appointments")
    page = client.get(reverse("kiosk:appointments"), {"kind": meter.pk, "day": DAY.isoformat()}).content.decode()
    assert f'data-slot="{DAY.isoformat()}T09:00"' in page
    booked = client.post(reverse("kiosk:appointments") + f"?kind={meter.pk}&day={DAY.isoformat()}",
                         {"kind": meter.pk, "slot": f"{DAY.isoformat()}T09:00"})
    appointment = Appointment.objects.get()
    assert booked.status_code == 200 and appointment.number in booked.content.decode()
    assert appointment.channel == "kiosk" and appointment.customer == customer and appointment.state == "confirmed"


def test_kiosk_booking_needs_verification(client, meter):
    assert client.get(reverse("kiosk:appointments"))["Location"] == reverse("kiosk:verify")


def test_kiosk_full_time_gives_a_message(client, customer, meter, clerk, office):
    client.post(reverse("kiosk:verify"), {"account_number": customer.account_number, "pin": PIN})
    services.appointment_book(office=office, kind=meter, starts_at=local_dt(DAY, time(9, 0)), channel="phone",
                              by=clerk, customer=CustomerFactory(office=office))
    response = client.post(reverse("kiosk:appointments"), {"kind": meter.pk, "slot": f"{DAY.isoformat()}T09:00"})
    assert response.status_code == 400 and 'id="kiosk-appointment-error"' in response.content.decode()
    assert Appointment.objects.count() == 1


def _code_sent_to(phone: str) -> str:
    body = Outbox.objects.filter(recipient=phone, idempotency_key__startswith="appointment-code:").latest("pk").body
    return re.search(r"\d{6}", body).group(0)


def test_public_booking_with_the_account_and_a_phone_code(client, customer, meter, office):
    client.post(reverse("public_appointments:code"), {"account_number": customer.account_number})
    wrong = client.post(reverse("public_appointments:book"), {"code": "000000x"})
    assert wrong.status_code == 400
    client.post(reverse("public_appointments:book"), {"code": _code_sent_to(customer.phone)})
    page = client.get(reverse("public_appointments:book"), {"kind": meter.pk, "day": DAY.isoformat(),
                                                            "office": office.pk}).content.decode()
    assert 'id="free-slots"' in page
    done = client.post(reverse("public_appointments:book"), {"kind": meter.pk, "office": office.pk,
                                                             "slot": f"{DAY.isoformat()}T10:00",
                                                             "address": "人民路 1 号"})
    appointment = Appointment.objects.get()
    assert done.status_code == 200 and appointment.state == State.CONFIRMED and appointment.channel == "web"


def test_public_booking_for_a_new_applicant_is_requested(client, meter, office):
    client.post(reverse("public_appointments:code"), {"phone": "13700000001", "name": "新用户"})
    client.post(reverse("public_appointments:book"), {"code": _code_sent_to("13700000001")})
    client.post(reverse("public_appointments:book"), {"kind": meter.pk, "office": office.pk,
                                                      "slot": f"{DAY.isoformat()}T10:00", "address": "新区 8 号"})
    appointment = Appointment.objects.get()
    assert appointment.state == State.REQUESTED and appointment.customer is None
    assert appointment.customer_name == "新用户"


def test_public_page_without_a_code_books_nothing(client, meter, office):
    response = client.post(reverse("public_appointments:book"), {"kind": meter.pk, "office": office.pk,
                                                                 "slot": f"{DAY.isoformat()}T10:00"})
    assert response.status_code == 200 and Appointment.objects.count() == 0
    assert client.post(reverse("public_appointments:code"), {}).status_code == 400


def test_manage_with_the_code_reschedules_and_cancels(client, meter, clerk, office):
    appointment = services.appointment_book(office=office, kind=meter, starts_at=local_dt(DAY, time(9, 0)),
                                            channel="phone", by=clerk, customer=CustomerFactory(office=office))
    wrong = client.post(reverse("public_appointments:manage"), {"number": appointment.number, "code": "1",
                                                                "action": "cancel"})
    assert wrong.status_code == 400
    client.post(reverse("public_appointments:manage"), {"number": appointment.number,
                                                        "code": appointment.access_code, "action": "reschedule",
                                                        "slot": f"{DAY.isoformat()}T12:00"})
    appointment.refresh_from_db()
    assert appointment.starts_at == local_dt(DAY, time(12, 0))
    client.post(reverse("public_appointments:manage"), {"number": appointment.number,
                                                        "code": appointment.access_code, "action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and appointment.cancelled_by == "customer"


def test_ics_needs_the_code(client, meter, clerk, office):
    appointment = services.appointment_book(office=office, kind=meter, starts_at=local_dt(DAY, time(9, 0)),
                                            channel="phone", by=clerk, customer=CustomerFactory(office=office))
    ok = client.get(reverse("public_appointments:ics", args=[appointment.number, appointment.access_code]))
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/calendar")
    assert client.get(reverse("public_appointments:ics", args=[appointment.number, "999999"])).status_code == 404


def test_hostile_codes_and_offices_give_messages_not_errors(client, meter, clerk, office):
    appointment = services.appointment_book(office=office, kind=meter, starts_at=local_dt(DAY, time(9, 0)),
                                            channel="phone", by=clerk, customer=CustomerFactory(office=office))
    for code in ("验证码", "\u202e123", "1" * 12):
        response = client.post(reverse("public_appointments:manage"), {"number": appointment.number, "code": code,
                                                                       "action": "cancel"})
        assert response.status_code == 400
        assert client.get(f"/public/appointments/{appointment.number}/{code}.ics").status_code == 404
    client.post(reverse("public_appointments:code"), {"phone": "13700000002", "name": "甲"})
    client.post(reverse("public_appointments:book"), {"code": _code_sent_to("13700000002")})
    response = client.post(reverse("public_appointments:book"), {"kind": meter.pk, "office": "9" * 30,
                                                                 "slot": f"{DAY.isoformat()}T10:00"})
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.state == State.CONFIRMED and Appointment.objects.count() == 1


def test_codes_to_one_phone_are_limited_by_the_policy(client, meter):
    from supply_service.core.services.policy import policy_int

    for _attempt in range(policy_int("appointment_code_attempts")):
        assert client.post(reverse("public_appointments:code"), {"phone": "13700000003", "name": "乙"}).status_code == 200
    assert client.post(reverse("public_appointments:code"), {"phone": "13700000003", "name": "乙"}).status_code == 429
    assert Outbox.objects.filter(recipient="13700000003").count() == policy_int("appointment_code_attempts")
