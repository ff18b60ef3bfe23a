"""An appointment end to end in chromium: a customer books a meter-installation visit at the kiosk in Tibetan;
the clerk sees it in the day plan; the crew records the arrival on a phone; the callback closes it (S9.4, S10.2.7,
S13.5)."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from supply_service.appointments.models import Appointment
from supply_service.customers.services import customer_set_pin
from tests.factories.appointments import open_office
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ACCOUNT, PIN = "3100777001", "246810"


def log_in_at(page, live_server, path, user):
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(re.escape(live_server.url + path.split("?")[0])))


def test_book_at_the_kiosk_in_tibetan_arrive_and_close(page, browser, live_server, office, clerk, crew, artifacts):
    tomorrow = timezone.localdate() + timedelta(days=1)
    meter = open_office(office=office, kind_code="meter_installation", people=[crew], days=[tomorrow],
                        starts_at=time(9, 0), ends_at=time(12, 0))
    customer = CustomerFactory(office=office, account_number=ACCOUNT, phone="13812340000")
    customer_set_pin(customer=customer, pin=PIN, by=clerk)

    page.context.add_cookies([{"name": "django_language", "value": "bo", "url": live_server.url}])
    page.goto(f"{live_server.url}/kiosk/")
    assert page.locator("html").get_attribute("lang") == "bo"
    page.locator("#tile-appointments").click()
    page.wait_for_url(re.compile(r"/kiosk/verify/\?section=appointments$"))
    page.locator("#id_account_number").fill(ACCOUNT)
    page.locator("#id_pin").fill(PIN)
    page.locator("#kiosk-verify-submit").click()
    page.wait_for_url(re.compile(r"/kiosk/appointments/$"))
    page.locator(f"#kiosk-kinds a[data-kind='{meter.code}']").click()
    page.locator(f"#kiosk-days a[data-day='{tomorrow.isoformat()}']").click()
    with page.expect_navigation():
        page.locator(f"#kiosk-slots button[data-slot='{tomorrow.isoformat()}T09:00']").click()
    assert page.locator("#kiosk-booked").is_visible()
    assert "སྔོན་འགོག" in page.locator("#kiosk-title").inner_text()
    page.screenshot(path=str(artifacts / "appointments-kiosk-bo.png"), full_page=True)
    appointment = Appointment.objects.get()
    assert appointment.channel == "kiosk" and appointment.language == "bo"

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    log_in_at(desk, live_server, f"/appointments/?day={tomorrow.isoformat()}", clerk)
    assert desk.locator(f"#plan tr[data-number='{appointment.number}']").is_visible()
    staff.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    crew_page = phone.new_page()
    log_in_at(crew_page, live_server, f"/appointments/{appointment.number}/", crew)
    arrive = crew_page.locator("#step-arrive button")
    box = arrive.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 150  # a button for a thumb
    with crew_page.expect_navigation():
        arrive.click()
    crew_page.screenshot(path=str(artifacts / "appointments-arrived-phone.png"), full_page=True)
    with crew_page.expect_navigation():
        crew_page.locator("#step-serve button").click()
    phone.close()

    back = browser.new_context()
    office_page = back.new_page()
    log_in_at(office_page, live_server, f"/appointments/{appointment.number}/", clerk)
    office_page.select_option("#id_callback-outcome", "satisfied")
    with office_page.expect_navigation():
        office_page.locator("#step-callback button").click()
    appointment.refresh_from_db()
    assert appointment.state == "closed"
    assert office_page.locator(".ap-state").get_attribute("data-state") == "closed"
    back.close()
