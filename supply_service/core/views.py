from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from supply_service.core.models import Notification
from supply_service.core.registry import kind_for_key
from supply_service.core.selectors import sla_clocks_open_for_user, sla_signal
from supply_service.core.selectors_work import openwork_home, row_signal
from supply_service.core.services.calendar import calendar_missing_years
from supply_service.core.services.notifications import notifications_mark_read

PAGE_SIZE = 25
NOTIFICATIONS_SHOWN = 10


def _subject_url(clock) -> str:
    """The page of the clock's item, from settings.SLA_SUBJECT_URLS (the kernel knows no app)."""
    name = settings.SLA_SUBJECT_URLS.get(f"{clock.content_type.app_label}.{clock.content_type.model}")
    if not name:
        return ""
    try:
        return reverse(name, kwargs={"number": clock.subject_label})
    except NoReverseMatch:
        return ""


def _work_rows(rows: list[dict], now) -> list[dict]:
    """Home rows with the kind's label, the state in words, the item's page and the signal (no query per row)."""
    result = []
    for row in rows:
        kind = kind_for_key(row["kind"])
        try:
            url = reverse(kind.url_name, kwargs={"number": row["number"]}) if kind else ""
        except NoReverseMatch:
            url = ""
        result.append({**row, "kind_label": kind.display_label if kind else row["kind"],
                       "state_label": kind.label_of_state(row["state"]) if kind else row["state"],
                       "url": url, "signal": row_signal(row, now=now),
                       "callback_due": bool(kind and kind.callback_state and kind.callback_state == row["state"])})
    return result


@login_required
@permission_required("core.use_workbench", raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    """The staff home of every role: what waits for me now over every kind of work item (owned by me, assigned to
    me, or in a state where my role may act), soonest due first, with counts per kind; work that arrived for me
    (notifications); for managers the office's overdue and amber items and the chases outstanding; my clocks."""
    user = request.user
    now = timezone.now()
    work = openwork_home(user=user, now=now)
    page = Paginator(sla_clocks_open_for_user(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"clock": clock, "signal": sla_signal(clock, now=now), "url": _subject_url(clock)} for clock in page]
    missing_years = calendar_missing_years() if user.has_perm("core.change_calendarday") else []
    return render(request, "core/home.html", {
        "page": page, "rows": rows, "missing_years": missing_years,
        "work": {**work, "rows": _work_rows(work["rows"], now)},
        "notifications": list(Notification.objects.filter(user=user, read_at__isnull=True)[:NOTIFICATIONS_SHOWN]),
    })


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark the user's notifications read (all, or the one given)."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() and len(raw) < 12 else None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("core:home")
