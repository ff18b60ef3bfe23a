"""My work: the user's open tickets of every kind, due soonest first, in a constant number of queries."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from supply_service.core.access import request_user
from supply_service.core.roles import DISPATCHER, user_roles
from supply_service.core.services.calendar import this_month_bounds
from supply_service.tickets.forms import WorkListForm
from supply_service.tickets.models import TICKET_KINDS
from supply_service.tickets.selectors import WorkFilters, ticket_callback_rate
from supply_service.tickets.selectors_views import kinds_user_may, work_list_for, work_rows

PAGE_SIZE = 25


def _callback_rate_this_month(user, now):
    """Managers (who chase) see the office's callback rate this (local) month against its target (S13.5)."""
    if not any(user.has_perm(f"tickets.chase_{model._meta.model_name}") for model in TICKET_KINDS.values()):
        return None
    start, end = this_month_bounds(now)
    return ticket_callback_rate(office=user.office, start=start, end=end)


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    """Needs `tickets.view_<model>` of at least one kind; shows only the kinds the user may view. Office scope is
    open to anyone who may view tickets (decision: the office's list is no secret among its staff)."""
    user = request_user(request)
    kinds = kinds_user_may(user=user, verb="view")
    if not kinds:
        raise PermissionDenied
    if not request.GET and DISPATCHER in user_roles(user) and "repair" in kinds:
        # The dispatcher's list opens on the repairs waiting for a crew.
        return redirect(f"{reverse('tickets:list')}?scope=waiting&kind=repair&state=received")
    data = WorkListForm.valid_data_for(request.GET, kinds=kinds)
    office_scope = data["scope"] in (WorkListForm.SCOPE_OFFICE, WorkListForm.SCOPE_WAITING) and user.office_id is not None
    waiting = office_scope and data["scope"] == WorkListForm.SCOPE_WAITING
    filters = WorkFilters(
        owner=None if office_scope else user,
        office=user.office_id if office_scope else None,
        kind=data.get("kind") or "",
        state=data.get("state") or "",
        channel=data.get("channel") or "",
        overdue=bool(data.get("overdue")),
        query=data["q"],
        include_closed=bool(data["q"]),  # a search finds closed tickets too
    )
    now = timezone.now()
    work = work_list_for(filters=filters, kinds=kinds, viewer=user, now=now,
                         waiting_for=user if waiting else None)
    page = Paginator(work, PAGE_SIZE).get_page(request.GET.get("page"))
    # Show only the values that were used: a bad value disappears from the form without an error.
    shown = {
        "q": data["q"],
        "scope": (WorkListForm.SCOPE_WAITING if waiting else WorkListForm.SCOPE_OFFICE) if office_scope
        else WorkListForm.SCOPE_MINE,
        "kind": filters.kind, "state": filters.state, "channel": filters.channel,
        "overdue": "on" if filters.overdue else "",
    }
    def shown_form():
        form = WorkListForm(shown, kinds=kinds)
        form.is_valid()
        return form

    kept = urlencode({key: value for key, value in shown.items() if value and key != "q"})
    context = {
        "callback": _callback_rate_this_month(user, now) if office_scope and not waiting else None,
        # Built only when the filter bar is not remembered yet ({% once %}: per user, language and the values shown).
        "form": SimpleLazyObject(shown_form),
        "form_key": urlencode(shown),
        "page": page,
        "more": getattr(work, "more", False),  # past the list's count cap (core.selectors_work.LIST_COUNT_CAP)
        "rows": work_rows(page.object_list, now=now),
        "office_scope": office_scope,
        "waiting": waiting,
        "filtered": any(value for key, value in shown.items() if key != "scope"),
        # partials/pagination.html keeps `q` and puts `param` before "=<page number>"
        "page_param": f"{kept}&page" if kept else "page",
        "can_add": bool(kinds_user_may(user=user, verb="add")),
    }
    return render(request, "tickets/ticket_list.html", context)
