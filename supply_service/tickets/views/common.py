"""What every ticket view shares beyond the kernel's view helpers (`core.web`): finding the ticket (404) and the
view permission of its kind (403)."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest

from supply_service.tickets.models import Ticket
from supply_service.tickets.selectors import ticket_get


def perm_name(verb: str, ticket_or_model) -> str:
    return f"tickets.{verb}_{ticket_or_model._meta.model_name}"


def ticket_for_viewer(request: HttpRequest, number: str) -> Ticket:
    """The ticket by number (404 when there is none) if the user may view its kind (403 otherwise)."""
    try:
        ticket = ticket_get(number=number)
    except (LookupError, ObjectDoesNotExist) as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm_name("view", ticket)):
        raise PermissionDenied
    return ticket
