"""Reference data of the standard: commitments, the working-day calendar, service languages.

Functions take the model classes so that data migrations (historical models) and tests (real ones) share them.
Every function is idempotent.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

# code, title (English msgid), limit, unit, article — the defaults of STANDARD.md; managers may tighten them.
COMMITMENTS = [
    ("counter_fee_residential", gettext_noop("Residential fee collection at the counter"), 5, "minutes", "S10.2.1"),
    ("counter_business", gettext_noop("Other counter business per transaction"), 15, "minutes", "S10.2.1"),
    ("resident_connection", gettext_noop("Residential applicant energized after acceptance"), 5, "working_days",
     "S10.2.2"),
    ("nonresident_connection",
     gettext_noop("Other customers energized after inspection passed and contract signed"), 5, "working_days",
     "S10.2.2"),
    ("meter_reading", gettext_noop("Meter read on the scheduled reading date"), 0, "days", "S10.2.3"),
    ("bill_query_reply", gettext_noop("Written reply to a written bill query"), 1, "working_days", "S10.2.4"),
    ("repair_arrival", gettext_noop("Repair crew on site after the report"), 45, "minutes", "S10.2.5"),
    ("call_answer", gettext_noop("95598 call answered (4 rings)"), 12, "seconds", "S10.2.6"),
    ("appointment_arrival", gettext_noop("Arrival within the agreed appointment window"), 1, "hours", "S10.2.7"),
    ("meter_fault", gettext_noop("Meter fault handled"), 2, "working_days", "S10.2.8"),
    ("supply_restoration", gettext_noop("Supply restored after the cause is removed"), 1, "working_days",
     "S10.2.9"),
    ("outage_notice_advance", gettext_noop("Planned outage announced in advance"), 7, "days", "S10.2.10"),
    ("complaint_reply", gettext_noop("Complaint answered"), 5, "days", "S13.5"),
    ("report_reply", gettext_noop("Whistleblowing report answered"), 10, "days", "S13.5"),
    ("callback_rate", gettext_noop("Callback rate"), 90, "percent", "S13.5"),
    ("commitment_fulfilment", gettext_noop("Service-commitment fulfilment rate"), 100, "percent", "S5.2"),
]

# The newer State Grid commitments (variants of a family, picked by the item's facts) and the rows of the standard
# that became a family's variant: code → (family, applies_when). Managers edit the numbers; the kernel's
# `commitment_resolve` picks the variant (core/services/sla.py).
COMMITMENT_VARIANTS = [
    ("repair_arrival_rural", gettext_noop("Repair crew on site after the report (rural areas)"), 90, "minutes",
     "S10.2.5", "repair_arrival", "area_class=rural"),
    ("repair_arrival_remote", gettext_noop("Repair crew on site after the report (remote areas)"), 120, "minutes",
     "S10.2.5", "repair_arrival", "area_class=remote"),
    ("connection_lv_non_residential",
     gettext_noop("Low-voltage non-residential customer energized after acceptance"), 6, "working_days", "S10.2.2",
     "connection_total", "applicant_class=lv_non_residential"),
    ("connection_hv_single", gettext_noop("High-voltage single-source customer energized after acceptance"), 22,
     "working_days", "S10.2.2", "connection_total", "applicant_class=high_voltage, supply_sources=1"),
    ("connection_hv_dual", gettext_noop("High-voltage dual-source customer energized after acceptance"), 32,
     "working_days", "S10.2.2", "connection_total", "applicant_class=high_voltage, supply_sources=2"),
    ("plan_reply_lv", gettext_noop("Supply plan replied to a low-voltage non-residential applicant"), 3,
     "working_days", "S10.2.2", "connection_plan_reply", "applicant_class=lv_non_residential"),
    ("plan_reply_hv_single", gettext_noop("Supply plan replied to a high-voltage single-source applicant"), 10,
     "working_days", "S10.2.2", "connection_plan_reply", "applicant_class=high_voltage, supply_sources=1"),
    ("plan_reply_hv_dual", gettext_noop("Supply plan replied to a high-voltage dual-source applicant"), 20,
     "working_days", "S10.2.2", "connection_plan_reply", "applicant_class=high_voltage, supply_sources=2"),
    ("design_review", gettext_noop("Design of a high-voltage installation reviewed"), 3, "working_days", "S10.2.2",
     "connection_design_review", ""),
    ("mid_inspection", gettext_noop("Mid-construction inspection done"), 2, "working_days", "S10.2.2",
     "connection_mid_inspection", ""),
    ("completion_inspection", gettext_noop("Completion inspection done"), 3, "working_days", "S10.2.2",
     "connection_completion_inspection", ""),
    ("outage_notice_temporary",
     gettext_noop("Important customers told of a temporary maintenance outage in advance"), 24, "hours",
     "S10.2.10", "outage_notice_advance", "kind=temporary"),
    ("reconnection", gettext_noop("Supply reconnected after the arrears are paid"), 24, "hours", "S10.2.9",
     "reconnection", ""),
    ("meter_test", gettext_noop("Meter tested on the customer's request"), 5, "working_days", "S10.2.8",
     "meter_fault", "request=test"),
]
# Rows of COMMITMENTS that are one variant of a family.
COMMITMENT_FAMILIES = {
    "resident_connection": ("connection_total", "applicant_class=lv_residential"),
    "outage_notice_advance": ("outage_notice_advance", "kind=planned"),
}

# Titles seeded under an earlier msgid: old → new (a data migration renames rows a manager has not retitled).
RETITLED_COMMITMENTS = {"Report (举报) answered": "Whistleblowing report answered"}

# code, title (English msgid), value, article
POLICIES = [
    ("callback_max_attempts", gettext_noop("Callback attempts before closing as unreachable"), 3, "S13.5"),
    ("kiosk_lockout_failures", gettext_noop("Failed kiosk verifications before a lockout"), 5, "S10.3.1"),
    ("kiosk_lockout_minutes", gettext_noop("Kiosk lockout length (minutes)"), 30, "S10.3.1"),
    ("kiosk_idle_seconds", gettext_noop("Kiosk idle time before the session ends (seconds)"), 90, "S8.5"),
    ("kiosk_finished_days", gettext_noop("Days a finished application stays on the kiosk's progress page"), 30,
     "S9.5"),
    ("planned_outages_35kv", gettext_noop("Planned outages a year for a customer at 35 kV and above"), 1, "S6.5"),
    ("planned_outages_10kv", gettext_noop("Planned outages a year for a 10 kV customer"), 3, "S6.5"),
    ("calendar_warning_month",
     gettext_noop("Month from which a missing working-day calendar for next year is warned about"), 10, ""),
]

SERVICE_LANGUAGES = [
    ("en", gettext_noop("English")),
    ("csl", gettext_noop("Chinese Sign Language")),
    ("ug", gettext_noop("Uyghur")),
    ("bo", gettext_noop("Tibetan")),
    ("mn", gettext_noop("Mongolian")),
    ("kk", gettext_noop("Kazakh")),
]

CALENDAR_FIRST_YEAR = 2004

# Names chinese-calendar gives its days, so that the calendar shows them translated.
HOLIDAY_NAMES = [
    gettext_noop("New Year's Day"),
    gettext_noop("Spring Festival"),
    gettext_noop("Tomb-sweeping Day"),
    gettext_noop("Labour Day"),
    gettext_noop("Dragon Boat Festival"),
    gettext_noop("National Day"),
    gettext_noop("Mid-autumn Festival"),
    gettext_noop("Anti-Fascist 70th Day"),
]
MAKE_UP_DAY = gettext_noop("Make-up working day")


def seed_commitments(Commitment) -> int:
    """The standard's commitments, and — once the model has families — the newer State Grid variants."""
    created = 0
    has_families = any(field.name == "family" for field in Commitment._meta.get_fields())
    for code, title, limit, unit, article in COMMITMENTS:
        defaults = {"title": title, "limit": Decimal(limit), "unit": unit, "article": article}
        if has_families:
            family, applies_when = COMMITMENT_FAMILIES.get(code, (code, ""))
            defaults.update(family=family, applies_when=applies_when)
        _obj, was_created = Commitment.objects.get_or_create(code=code, defaults=defaults)
        created += was_created
    if not has_families:
        return created
    for code, title, limit, unit, article, family, applies_when in COMMITMENT_VARIANTS:
        _obj, was_created = Commitment.objects.get_or_create(code=code, defaults={
            "title": title, "limit": Decimal(limit), "unit": unit, "article": article, "family": family,
            "applies_when": applies_when})
        created += was_created
    return created


def seed_commitment_families(Commitment) -> None:
    """Existing databases: give every row its family (its own code unless it is a variant), then add variants."""
    for row in Commitment.objects.filter(family=""):
        row.family, row.applies_when = COMMITMENT_FAMILIES.get(row.code, (row.code, row.applies_when))
        row.save(update_fields=["family", "applies_when"])
    seed_commitments(Commitment)


def seed_policies(Policy) -> None:
    for code, title, value, article in POLICIES:
        Policy.objects.get_or_create(code=code, defaults={"title": title, "value": Decimal(value), "article": article})


def seed_service_languages(ServiceLanguage) -> None:
    for code, name in SERVICE_LANGUAGES:
        ServiceLanguage.objects.get_or_create(code=code, defaults={"name": name})


def chinese_calendar_years() -> range:
    """The years the installed chinese-calendar package knows."""
    import chinese_calendar

    last = max(chinese_calendar.holidays).year
    return range(CALENDAR_FIRST_YEAR, last + 1)


def seed_calendar(CalendarDay, years: range | None = None) -> int:
    """One row per day of every year chinese-calendar covers; rows that exist (e.g. edited by a manager) stay."""
    import chinese_calendar

    years = years or chinese_calendar_years()
    first, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    existing = set(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", flat=True))
    rows = []
    day = first
    while day <= last:
        if day not in existing:
            working, holiday = chinese_calendar.is_workday(day), chinese_calendar.get_holiday_detail(day)[1]
            name = MAKE_UP_DAY if working and day.weekday() >= 5 else holiday or ""
            rows.append(CalendarDay(date=day, is_working_day=working, name=name, source="seeded"))
        day += timedelta(days=1)
    CalendarDay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
