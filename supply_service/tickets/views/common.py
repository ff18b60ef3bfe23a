"""What every ticket view shares: finding the ticket (404), the view permission of its kind (403), and turning
the services' refusals into messages."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from supply_service.core.access import OtherOfficeDenied
from supply_service.tickets.models import Ticket
from supply_service.tickets.selectors import ticket_get

CONCURRENT_MESSAGE = gettext_lazy(
    "Someone else changed this ticket at the same moment: the page was reloaded, nothing of yours was saved — "
    "check and try again"
)


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


def run_service(request: HttpRequest, call: Callable[[], object]) -> bool:
    """Run one service call; a refusal becomes an error message and nothing is changed (each service runs in
    one transaction). True when it went through."""
    try:
        call()
    except ConcurrentTransition:
        messages.error(request, CONCURRENT_MESSAGE)
    except TransitionNotAllowed:
        messages.error(request, _("This step is not possible in the ticket's present state."))
    except OtherOfficeDenied as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        messages.error(request, _("You may not take this step."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        return True
    return False


def form_errors_to_messages(request: HttpRequest, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
