"""iCalendar (RFC 5545) for published outage notices, written by hand: one VEVENT per notice.

The event's UID stays the same for the life of a notice and SEQUENCE is the notice's revision, so a calendar that
has the event updates it when the notice is rescheduled instead of showing the old and the new times side by side.
Text is escaped (backslash, semicolon, comma, newline), lines end in CRLF and lines longer than 75 octets are folded
without splitting a UTF-8 character. Times are UTC (`…Z`).
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.outages.models import OutageNotice

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//supply-service//Outage notices//EN"
UID_DOMAIN = "supply-service"
CONTENT_TYPE = "text/calendar; charset=utf-8"

# The office's zone, declared once so that every calendar holds at least one component even with no event.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break as `\\n`."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, limit: int = LINE_OCTETS) -> str:
    """Fold a content line into lines of at most `limit` octets (RFC 5545 3.1); continuation lines start with one
    space. A multi-octet UTF-8 character is never split."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return CRLF.join(parts)


def utc_stamp(value: datetime) -> str:
    """A DATE-TIME in UTC, form #2 of RFC 5545 3.3.5: 20261127T010000Z."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_uid(notice: OutageNotice) -> str:
    """Stable for the notice's whole life: SEQUENCE (the revision) tells calendars which version is newer."""
    return f"{notice.number}@{UID_DOMAIN}"


def event_summary(notice: OutageNotice) -> str:
    return f"{notice.get_kind_display()}: {notice.area}"


def event_description(notice: OutageNotice, url: str = "") -> str:
    parts = [notice.text]
    if notice.reason:
        parts.append(_("Reason: %(reason)s") % {"reason": notice.reason})
    if notice.kind == OutageNotice.Kind.EMERGENCY and notice.explanation:
        parts.append(notice.explanation)
    parts.append(_("Hotline 95598"))
    if url:
        parts.append(url)
    return "\n".join(part for part in parts if part)


def event_lines(notice: OutageNotice, *, url: str = "", stamp: datetime | None = None) -> list[str]:
    """The unfolded content lines of one VEVENT, in the active language."""
    changed = getattr(notice, "last_change", None) or notice.published_at or notice.created_at
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event_uid(notice)}",
        f"SEQUENCE:{notice.revision}",
        f"DTSTAMP:{utc_stamp(stamp or changed)}",
        f"DTSTART:{utc_stamp(notice.planned_start)}",
        f"DTEND:{utc_stamp(notice.planned_end)}",
        f"LAST-MODIFIED:{utc_stamp(changed)}",
        f"SUMMARY:{escape_text(event_summary(notice))}",
        f"LOCATION:{escape_text(notice.area)}",
        f"DESCRIPTION:{escape_text(event_description(notice, url))}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
    ]
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(notices: Iterable[OutageNotice], *, url_for: Callable[[OutageNotice], str] | None = None,
             name: str = "", refresh_hours: int | None = None, stamp: datetime | None = None) -> str:
    """A whole VCALENDAR: folded lines with CRLF endings (the last line ends in CRLF too)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
        lines.append("X-WR-TIMEZONE:Asia/Shanghai")
    if refresh_hours:
        lines.append(f"REFRESH-INTERVAL;VALUE=DURATION:PT{refresh_hours}H")
        lines.append(f"X-PUBLISHED-TTL:PT{refresh_hours}H")
    lines.extend(VTIMEZONE)
    for notice in notices:
        lines.extend(event_lines(notice, url=url_for(notice) if url_for else "", stamp=stamp))
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
