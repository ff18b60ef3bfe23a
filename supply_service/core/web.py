"""What every staff view shares, once: the item-number URL converter, paging that keeps the other query
parameters, and turning the services' refusals into messages in the user's language (`run_service`).

Views name their permission, call one service through `run_service` and redirect; the services check permissions,
state and office and raise — nothing here changes data."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from supply_service.core.access import OtherOfficeDenied

CONCURRENT_MESSAGE = gettext_lazy(
    "Someone else changed this item at the same moment: nothing of yours was saved. Look at it again and retry."
)
REFUSALS = (ConcurrentTransition, TransitionNotAllowed, PermissionDenied, ValidationError)


class ItemNumberConverter:
    """`<item_number:number>`: a work item's or notice's human number, GD-20261127-0042 (any case, shown upper).
    Anything else is not an item page: 404 by the resolver, before any query (a NUL byte in a path would otherwise
    reach PostgreSQL)."""

    regex = r"[A-Za-z]{1,8}-[0-9]{8}-[0-9]{1,8}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


def register_converters() -> None:
    """Called from `CoreConfig.ready` (before any URLconf is loaded)."""
    if "item_number" not in get_converters():
        register_converter(ItemNumberConverter, "item_number")


@dataclass
class Pager:
    """One page and the links to its neighbours (`partials/pager.html`)."""

    page: Page
    param: str
    previous_url: str = ""
    next_url: str = ""

    def __iter__(self):
        return iter(self.page.object_list)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def paginate(request: HttpRequest, queryset, *, per_page: int, param: str = "page", anchor: str = "") -> Pager:
    """One page of `queryset` (a bad page number gives the first or last page); the links keep every other
    query parameter."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    pager = Pager(page=page, param=param)

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}{'#' + anchor if anchor else ''}"

    if page.has_previous():
        pager.previous_url = url(page.previous_page_number())
    if page.has_next():
        pager.next_url = url(page.next_page_number())
    return pager


def refusal_messages(exc: Exception) -> list[str]:
    """A service's refusal in words for the user: the service's own message where it gave one."""
    if isinstance(exc, ConcurrentTransition):
        return [str(CONCURRENT_MESSAGE)]
    if isinstance(exc, TransitionNotAllowed):
        # The services say why; django-fsm's own message (it names the object and the method) is not for users.
        if getattr(exc, "object", None) is None and exc.args:
            return [str(exc.args[0])]
        return [_("This step is not possible in the item's present state.")]
    if isinstance(exc, OtherOfficeDenied):
        return [str(exc)]
    if isinstance(exc, PermissionDenied):
        return [_("You may not take this step.")]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def refusal_message(exc: Exception) -> str:
    return " ".join(refusal_messages(exc))


def run_service(request: HttpRequest, call: Callable[[], object]) -> bool:
    """Run one service call (each runs in one transaction); a refusal becomes error messages and nothing is
    changed. True when it went through."""
    try:
        call()
    except REFUSALS as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
        return False
    return True


def service_errors_to_form(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form (shown again with status 400): on the named field where the form
    has it, else above the fields."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_errors_to_messages(request: HttpRequest, form) -> None:
    """A form's errors as messages, each with its field's label (for forms shown as buttons, without fields)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
