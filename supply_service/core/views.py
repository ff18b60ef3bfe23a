import re

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from supply_service.core.access import request_user
from supply_service.core.models import Notification
from supply_service.core.prepared import Bind, prepared
from supply_service.core.registry import kind_for_key
from supply_service.core.selectors import sla_clock_summary_read, sla_clocks_page_for_user, sla_signal
from supply_service.core.selectors_work import openwork_home_reads, row_signal
from supply_service.core.services.calendar import calendar_missing_years_read
from supply_service.core.services.notifications import notifications_mark_read
from supply_service.core.together import gather

PAGE_SIZE = 25
NOTIFICATIONS_SHOWN = 10
# The user's unread notifications, newest first: compiled once per process (core.prepared; every home asks).
_UNREAD = prepared(lambda: Notification.objects.filter(user_id=Bind("user", IntegerField()), read_at__isnull=True)
                   [:NOTIFICATIONS_SHOWN])
ITEM_NUMBER = re.compile(r"[A-Za-z]{1,8}-[0-9]{8}-[0-9]{1,8}")  # what `<item_number:number>` accepts (core.web)


class _Urls(dict):
    """Item pages by url name and number, reversed once per url name (then the number is put in): a table's 25
    reverses were a tenth of the home's time (issue 12)."""

    PLACEHOLDER = "ZZ-00000000-0"  # a number the item-number converter accepts

    def page(self, url_name: str, number: str) -> str:
        if url_name not in self:
            try:
                self[url_name] = reverse(url_name, kwargs={"number": self.PLACEHOLDER})
            except NoReverseMatch:
                self[url_name] = ""
        return self[url_name].replace(self.PLACEHOLDER, number) if self[url_name] else ""


def _subject_url(clock, urls: _Urls) -> str:
    """The page of the clock's item, from settings.SLA_SUBJECT_URLS (the kernel knows no app)."""
    content_type = ContentType.objects.get_for_id(clock.content_type_id)  # cached
    name = settings.SLA_SUBJECT_URLS.get(f"{content_type.app_label}.{content_type.model}")
    return urls.page(name, clock.subject_label) if name and ITEM_NUMBER.fullmatch(clock.subject_label) else ""


def _work_rows(rows: list[dict], now, urls: _Urls) -> list[dict]:
    """Home rows with the kind's label, the state in words, the item's page and the signal (no query per row)."""
    result = []
    for row in rows:
        kind = kind_for_key(row["kind"])
        url = urls.page(kind.url_name, row["number"]) if kind and ITEM_NUMBER.fullmatch(row["number"]) else ""
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
    (notifications); for managers the office's overdue and amber items and the chases outstanding; how my own
    service-commitment clocks stand (listed on their own page: each item's soonest due is already on its row here)."""
    user = request_user(request)
    now = timezone.now()
    found = gather({  # the home's reads, sent to the database together (core.together)
        "work": openwork_home_reads(user=user, now=now),
        "missing_years": calendar_missing_years_read() if user.has_perm("core.change_calendarday") else [],
        "clocks": sla_clock_summary_read(user=user, now=now),  # never one about them
        "notifications": _UNREAD.read(user=user.pk),
    })
    work = found["work"]
    return render(request, "core/home.html", {
        "missing_years": found["missing_years"],
        "work": {**work, "rows": _work_rows(work["rows"], now, _Urls())},
        "clocks": found["clocks"],
        "notifications": found["notifications"],
    })


@require_GET
@login_required
@permission_required("core.use_workbench", raise_exception=True)
def my_clocks(request: HttpRequest) -> HttpResponse:
    """The open service-commitment clocks the user owns — one row per commitment of each item — soonest due first,
    paused ones last, 25 a page; never one about an item hidden from them."""
    user = request_user(request)
    now = timezone.now()
    page = sla_clocks_page_for_user(user=user, page=request.GET.get("page"), per_page=PAGE_SIZE)
    urls = _Urls()
    rows = [{"clock": clock, "signal": sla_signal(clock, now=now), "url": _subject_url(clock, urls)} for clock in page]
    return render(request, "core/my_clocks.html", {"page": page, "rows": rows})


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark the user's notifications read (all, or the one given)."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() and len(raw) < 12 else None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("core:home")
