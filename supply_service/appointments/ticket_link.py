"""Appointments for a work ticket's step: a business-expansion site survey or inspection is booked from the ticket
page (panel registered on the kernel's "ticket" page, `core.panels`), and the step waits on it — the ticket shows
"waiting for the appointment on …" until the appointment is served, then that it was served (the step can be
recorded); the step itself is refused while the appointment holds its place (hook `ticket_step_check`). The
appointment keeps the ticket's number and links back to it."""

from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.appointments.models import BOOKED_STATES, Appointment, State

SERVED_STATES = (State.DONE, State.CALLED_BACK, State.CLOSED)
INSPECTION_KIND = "installation_inspection"
SURVEY, INSPECTION = gettext_lazy("Site survey"), gettext_lazy("Inspection")
PANEL_ROWS = 5


def ticket_step(ticket) -> tuple[str, str] | None:
    """(label, appointment kind code or "") of the business-expansion step that needs a visit now, or None: the site
    survey after acceptance; the mid-construction and completion inspections (high voltage after the design
    review and the mid inspection, low-voltage non-residential after the supply plan)."""
    if getattr(ticket, "KIND", "") != "expansion" or not ticket.is_open:
        return None
    state, applicant = ticket.state, ticket.applicant_class
    if state == "accepted":
        return str(SURVEY), ""
    if (state == "plan_replied" and applicant == "lv_non_residential") or (
            applicant == "high_voltage" and state in ("design_reviewed", "mid_inspected")):
        return str(INSPECTION), INSPECTION_KIND
    return None


def appointments_for_ticket(*, number: str, limit: int = PANEL_ROWS) -> list[Appointment]:
    """The latest appointments booked for a ticket (one query)."""
    return list(Appointment.objects.select_related("kind").filter(ticket_number=number).order_by("-starts_at", "-pk")
                [:limit])


def ticket_panel(*, request, ticket) -> dict | None:
    """The ticket page's appointments panel: business-expansion tickets only (others: None, no query); one query."""
    user = request.user
    if getattr(ticket, "KIND", "") != "expansion" or not user.has_perm("appointments.view_appointment"):
        return None
    rows = appointments_for_ticket(number=ticket.number)
    waiting = next((a for a in rows if a.state in BOOKED_STATES), None)
    served = next((a for a in rows if a.state in SERVED_STATES), None)
    step = ticket_step(ticket)
    book_url = None
    if step and waiting is None and user.has_perm("appointments.add_appointment") and \
            user.office_id == ticket.office_id:
        query = {"ticket": ticket.number, "account_number": getattr(ticket, "account_number", "") or ""}
        if step[1]:
            query["kind_code"] = step[1]
        book_url = reverse("appointments:book") + "?" + urlencode(query)
    return {"ticket": ticket, "rows": rows, "waiting": waiting, "served": None if waiting else served,
            "step": step[0] if step else "", "book_url": book_url}


STEP_ACTIONS = frozenset({"survey", "inspect_low_voltage", "inspect_mid", "inspect_high_voltage"})


def step_check(*, ticket, action: str, **_kwargs) -> str | None:
    """Hook `ticket_step_check`: a business-expansion survey or inspection waits while an appointment booked for the
    ticket still holds its place (one query, only when such a step is taken); once served it can proceed."""
    if getattr(ticket, "KIND", "") != "expansion" or action not in STEP_ACTIONS:
        return None
    waiting = (Appointment.objects.filter(ticket_number=ticket.number, state__in=BOOKED_STATES)
               .order_by("starts_at").first())
    if waiting is None:
        return None
    return _("The step waits for the appointment %(number)s on %(when)s: record it once the appointment is "
             "served.") % {"number": waiting.number,
                           "when": timezone.localtime(waiting.starts_at).strftime("%Y-%m-%d %H:%M")}


def ticket_check(*, ticket_number: str, office) -> str:
    """The number of an open work ticket of the office that an appointment may be booked for (or "")."""
    from supply_service.tickets.selectors import ticket_get

    number = (ticket_number or "").strip().upper()[:24]
    if not number:
        return ""
    try:
        ticket = ticket_get(number=number)
    except (LookupError, ObjectDoesNotExist) as exc:
        raise ValidationError(_("No open work ticket of this office has this number.")) from exc
    if ticket.office_id != office.pk or not ticket.is_open:
        raise ValidationError(_("No open work ticket of this office has this number."))
    return ticket.number
