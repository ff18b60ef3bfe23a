"""Reference data of the appointments app (used by its data migration, the demo seeder and the tests)."""

from django.utils.translation import gettext_noop

# code, name (msgid), place, minutes, serving role, home service possible — the six kinds of S9.4
KINDS = [
    ("business", gettext_noop("Business acceptance and consultation"), "office", 30, "counter_clerk", True),
    ("power_advice", gettext_noop("Advice on law, policy and technique of power use and saving"), "office", 30,
     "counter_clerk", True),
    ("meter_installation", gettext_noop("Meter installation for residents"), "on_site", 60, "field_crew", False),
    ("installation_inspection", gettext_noop("Acceptance inspection of the customer's installation"), "on_site", 90,
     "field_crew", False),
    ("safety_guidance", gettext_noop("Safety guidance on power use"), "on_site", 60, "field_crew", False),
    ("holiday_business", gettext_noop("Special business on public holidays"), "office", 30, "counter_clerk", True),
]

POLICIES = [
    ("appointment_travel_minutes", gettext_noop("Travel time kept free between two on-site visits (minutes)"), 30,
     "S9.4"),
    ("appointment_change_cutoff_hours",
     gettext_noop("Hours before an appointment until which the customer may change or cancel it"), 2, "S9.4"),
    ("appointment_reminder_hour", gettext_noop("Hour of the day before an appointment when the reminder is sent"),
     18, "S9.4"),
    ("appointment_booking_days", gettext_noop("Days ahead that appointments can be booked"), 14, "S9.4"),
    ("appointment_code_minutes", gettext_noop("Minutes a phone code for booking stays valid"), 10, "S9.4"),
    ("appointment_code_attempts", gettext_noop("Wrong phone codes before a new code is needed"), 5, "S9.4"),
    ("appointment_hold_minutes",
     gettext_noop("Minutes a freed place is held for the first customer on the waiting list"), 30, "S9.4"),
]


def seed_kinds(AppointmentKind) -> None:
    for position, (code, name, place, minutes, role, home) in enumerate(KINDS):
        AppointmentKind.objects.update_or_create(code=code, defaults={
            "name": name, "place": place, "duration_minutes": minutes, "serving_role": role, "home_service": home,
            "position": position})


def seed_policies(Policy) -> None:
    for code, title, value, article in POLICIES:
        Policy.objects.get_or_create(code=code, defaults={"title": title, "value": value, "article": article})
