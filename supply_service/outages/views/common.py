"""What the outage views share: paging that keeps the other query parameters, finding a notice, and turning the
services' refusals into messages."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from supply_service.core.access import OtherOfficeDenied, may_act_on
from supply_service.outages.models import OutageNotice

CONCURRENT_MESSAGE = gettext_lazy(
    "Someone else changed this notice at the same moment: nothing of yours was saved. Look at it again and retry."
)
EDITABLE_STATES = (OutageNotice.State.DRAFT, OutageNotice.State.APPROVED)


class NoticeNumberConverter:
    """`<outage_number:number>` in the URLs: TD-20261127-0042. Anything else is not a notice: 404 before any query
    (a NUL byte in a path would otherwise reach PostgreSQL)."""

    regex = r"[A-Z]{1,8}-[0-9]{8}-[0-9]{1,8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


if "outage_number" not in get_converters():
    register_converter(NoticeNumberConverter, "outage_number")


@dataclass
class Pager:
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


def notice_get(number: str, *, related: tuple[str, ...] = ()) -> OutageNotice:
    notice = OutageNotice.objects.select_related(*related).filter(number=number).first()
    if notice is None:
        raise Http404
    return notice


def may_change(user, notice: OutageNotice) -> bool:
    """Staff change the notices of their own office; others read them (the kernel's office rule, which the
    services enforce)."""
    return may_act_on(user, notice)


def refusal_message(exc: Exception) -> str:
    if isinstance(exc, ConcurrentTransition):
        return str(CONCURRENT_MESSAGE)
    if isinstance(exc, TransitionNotAllowed):
        # The services say why in the user's language; django-fsm's own message (it names the object) is not for users.
        if getattr(exc, "object", None) is None and exc.args:
            return str(exc.args[0])
        return _("This step is not possible in the notice's present state.")
    if isinstance(exc, OtherOfficeDenied):
        return str(exc)
    if isinstance(exc, PermissionDenied):
        return _("You may not take this step.")
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def run_service(request: HttpRequest, call: Callable[[], object]) -> bool:
    """Run one service call (each runs in one transaction); a refusal becomes an error message and nothing is
    changed. True when it went through."""
    try:
        call()
    except (ConcurrentTransition, TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_message(exc))
        return False
    return True


def form_errors_to_messages(request: HttpRequest, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
