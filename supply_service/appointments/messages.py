"""What the customer is told (confirmation, reminder, cancellation, a place held from the waiting list) — in the
customer's language, through the kernel's outbox — and the appointment as an iCalendar event (.ics), attached to
every e-mail."""

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supply_service.core.services.outbox import outbox_enqueue


def when_text(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _language(code: str) -> str:
    known = {c for c, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def _absolute(path: str) -> str:
    """Links in messages: absolute where the deployment names its public address (PUBLIC_BASE_URL)."""
    return getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + path


def public_url(appointment) -> str:
    return _absolute(reverse("public_appointments:manage") + f"?number={appointment.number}")


def ics_url(appointment) -> str:
    return _absolute(reverse("public_appointments:ics", kwargs={"number": appointment.number,
                                                               "code": appointment.access_code}))


def _place_text(appointment) -> str:
    if appointment.is_visit:
        return _("Visit at %(address)s; arrival between %(start)s and %(end)s.") % {
            "address": appointment.address, "start": timezone.localtime(appointment.starts_at).strftime("%H:%M"),
            "end": timezone.localtime(window_end(appointment)).strftime("%H:%M")}
    return _("At %(office)s, %(address)s.") % {"office": appointment.office.name, "address": appointment.office.address}


def window_end(appointment) -> datetime:
    """The end of the agreed arrival window: the start plus the `appointment_arrival` commitment's limit."""
    from supply_service.core.services.calendar import due_at
    from supply_service.core.services.sla import commitment_resolve

    commitment = commitment_resolve(code="appointment_arrival", subject=appointment)
    return due_at(start=appointment.starts_at, limit=commitment.limit, unit=commitment.unit)


def _home_text(appointment) -> str:
    return (" " + _("Home service: priority place, no fee.")) if appointment.home_service else ""


def _body(appointment, lead: str) -> str:
    return " ".join([
        lead, _("%(kind)s on %(when)s.") % {"kind": appointment.kind.display_name,
                                             "when": when_text(appointment.starts_at)},
        _place_text(appointment) + _home_text(appointment),
        _("Number %(number)s, code %(code)s: change or cancel at %(url)s") % {
            "number": appointment.number, "code": appointment.access_code, "url": public_url(appointment)},
    ])


def _send(appointment, *, event: str, subject: str, body: str) -> None:
    key = f"appointment:{appointment.pk}:r{appointment.revision}:{event}"
    language = _language(appointment.language)
    if appointment.customer_phone:
        outbox_enqueue(key=f"{key}:sms", channel="sms", recipient=appointment.customer_phone, body=body,
                       language=language)
    if appointment.email:
        body = body + "\n\n" + _("Add it to your calendar: %(url)s") % {"url": ics_url(appointment)}
        outbox_enqueue(key=f"{key}:email", channel="email", recipient=appointment.email, subject=subject, body=body,
                       language=language, attachment=(f"{appointment.number}.ics", ICS_TYPE,
                                                      ics_document(appointment)))


def send_confirmation(appointment) -> None:
    with translation.override(_language(appointment.language)):
        subject = _("Appointment %(number)s") % {"number": appointment.number}
        lead = (_("Your appointment is booked.") if appointment.state == "confirmed"
                else _("Your appointment request is received; the office will confirm it."))
        # a request's receipt and its later confirmation are two messages (two outbox keys)
        event = "confirmation" if appointment.state == "confirmed" else "request"
        _send(appointment, event=event, subject=subject, body=_body(appointment, lead))


def send_reminder(appointment) -> None:
    with translation.override(_language(appointment.language)):
        subject = _("Reminder: appointment %(number)s") % {"number": appointment.number}
        _send(appointment, event="reminder", subject=subject,
              body=_body(appointment, _("Reminder of your appointment tomorrow.")))


def send_cancelled(appointment) -> None:
    with translation.override(_language(appointment.language)):
        subject = _("Appointment %(number)s cancelled") % {"number": appointment.number}
        body = _("Your appointment %(number)s on %(when)s is cancelled.") % {
            "number": appointment.number, "when": when_text(appointment.starts_at)}
        _send(appointment, event="cancelled", subject=subject, body=body)


def send_hold(entry, *, office) -> None:
    """The first on the waiting list: a place is held until … — confirm it with the code (or call the office)."""
    with translation.override(_language(entry.language)):
        body = _("A place is held for you until %(until)s: %(kind)s on %(when)s at %(office)s. To book it, confirm "
                 "with code %(code)s at %(url)s or call the office.") % {
            "until": when_text(entry.hold_until), "kind": entry.kind.display_name,
            "when": when_text(entry.offered_slot), "office": office.name, "code": entry.hold_code,
            "url": _absolute(reverse("public_appointments:hold"))}
        outbox_enqueue(key=f"waiting:{entry.pk}:hold:{entry.offered_slot:%Y%m%d%H%M}", channel="sms",
                       recipient=entry.phone, body=body, language=_language(entry.language))


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


ICS_TYPE = "text/calendar"


def ics_document(appointment) -> str:
    """One VEVENT (RFC 5545), UTC times, folded lines not needed for these short values. SEQUENCE is the
    appointment's revision (raised by every change of time and the cancellation); a cancelled appointment's event
    says METHOD:CANCEL and STATUS:CANCELLED, so a calendar that took the earlier one drops it."""
    def utc(at: datetime) -> str:
        return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    place = appointment.address if appointment.is_visit else f"{appointment.office.name}, {appointment.office.address}"
    cancelled = appointment.state == "cancelled"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//supply_service//appointments//EN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT", f"UID:{appointment.number}@supply-service", f"SEQUENCE:{appointment.revision}",
        f"DTSTAMP:{utc(timezone.now())}", f"DTSTART:{utc(appointment.starts_at)}",
        f"DTEND:{utc(appointment.ends_at)}",
        f"SUMMARY:{_ics_text(appointment.kind.display_name + ' ' + appointment.number)}",
        f"LOCATION:{_ics_text(place)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
